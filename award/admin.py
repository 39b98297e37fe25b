"""Django admin for superusers: reference data; the workflow runs through the portal."""

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin as BaseGroupAdmin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from award.forms.fields import IdMultipleChoiceField
from award.models import Agency, AuditEntry, County, Cycle, Message, Notice, Rulebook, User

# Ticked ids no integer column can hold are an invalid choice, not an OverflowError on SQLite.
ID_CHOICES = {models.ManyToManyField: {"form_class": IdMultipleChoiceField}}


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "display_name", "email", "county", "agency", "is_active"]
    list_filter = ["groups", "is_active", "county"]
    search_fields = ["username", "display_name", "email"]
    formfield_overrides = ID_CHOICES
    fieldsets = [
        *BaseUserAdmin.fieldsets,
        (
            _("平台信息"),
            {"fields": ["display_name", "mobile", "applicant_kind", "county", "agency"]},
        ),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                "fields": ["username", "email", "display_name", "password1", "password2"],
            },
        ),
    ]


admin.site.unregister(Group)


@admin.register(Group)
class GroupAdmin(BaseGroupAdmin):
    formfield_overrides = ID_CHOICES


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "is_active", "sort_order"]


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "uscc", "contact_name"]


@admin.register(Rulebook)
class RulebookAdmin(admin.ModelAdmin):
    list_display = ["name", "document_number", "effective_from", "effective_to"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """State changes go through services (audited); the admin only reads these."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Cycle)
class CycleAdmin(ReadOnlyAdmin):
    list_display = ["number", "year", "phase", "application_deadline"]


@admin.register(Notice)
class NoticeAdmin(ReadOnlyAdmin):
    list_display = ["title", "kind", "status", "published_at"]


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["pk", "created_at", "actor_label", "action", "object_repr"]


@admin.register(Message)
class MessageAdmin(ReadOnlyAdmin):
    list_display = ["recipient", "subject", "created_at", "email_status"]


# A lost phone is reset through the portal's audited page (award.views.two_factor), with a
# reason and a notice to its owner; django-otp's own device admin would delete devices
# unrecorded, so it is not offered.
for _device_model in (TOTPDevice, StaticDevice):
    if admin.site.is_registered(_device_model):
        admin.site.unregister(_device_model)
