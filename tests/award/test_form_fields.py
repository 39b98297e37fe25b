"""Id multi-selects: an id beyond any integer column is an invalid choice, never a crash."""

import importlib
import pkgutil

import pytest
from django import forms
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import RequestFactory

from award.enums import Role
from award.forms.fields import IdMultipleChoiceField
from award.models import County
from tests.factories import county, make_user

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"  # beyond 64 bits: SQLite raised OverflowError inside `pk__in`
INVALID = f"请选择有效的选项：{HUGE} 不在可选范围内。"


def clean(field, value):
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(value)
    return refused.value


@pytest.mark.parametrize("value", [HUGE, f"-{HUGE}", str(2**63)])
def test_an_id_out_of_range_is_refused_before_the_database_is_asked(
    value, django_assert_num_queries
):
    field = IdMultipleChoiceField(queryset=County.objects.all())
    lanshan = county()
    with django_assert_num_queries(0):
        refused = clean(field, [str(lanshan.pk), value])
    assert refused.code == "invalid_choice"
    assert refused.messages == [f"请选择有效的选项：{value} 不在可选范围内。"]


def test_the_forms_own_wording_is_kept():
    field = IdMultipleChoiceField(
        queryset=County.objects.all(), error_messages={"invalid_choice": "所选县区不存在。"}
    )
    assert clean(field, [HUGE]).messages == ["所选县区不存在。"]


def test_ids_in_range_and_other_input_behave_as_before():
    field = IdMultipleChoiceField(queryset=County.objects.all())
    lanshan = county()
    assert list(field.clean([str(lanshan.pk)])) == [lanshan]
    assert clean(field, [str(2**63 - 1)]).code == "invalid_choice"  # in range, no such row
    assert clean(field, ["abc"]).code == "invalid_pk_value"
    assert clean(field, "1").code == "invalid_list"


def test_a_smaller_primary_key_gets_its_own_range(django_assert_num_queries):
    """auth.Group's AutoField: on PostgreSQL a 32-bit column, on SQLite still 64 bits."""
    field = IdMultipleChoiceField(queryset=Group.objects.all())
    with django_assert_num_queries(0):
        assert clean(field, [HUGE]).code == "invalid_choice"


def portal_forms():
    for app in ("award", "applications", "review"):
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if "forms" in module.name:
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return [
        form
        for form in subclasses(forms.BaseForm)
        if form.__module__.split(".")[0] in ("award", "applications", "review")
    ]


def test_every_id_multi_select_of_the_portal_uses_the_guarded_field():
    found = portal_forms()
    names = {form.__name__ for form in found}
    assert {"ExpertForm", "GroupForm", "BatchForm"} <= names
    unguarded = [
        f"{form.__module__}.{form.__name__}.{name}"
        for form in found
        for name, field in form.base_fields.items()
        if isinstance(field, forms.ModelMultipleChoiceField)
        and not isinstance(field, IdMultipleChoiceField)
    ]
    assert unguarded == []


def test_the_admins_many_to_many_fields_use_the_guarded_field():
    request = RequestFactory().get("/django-admin/")
    request.user = make_user(Role.OFFICE, is_superuser=True, is_staff=True)
    multi = {}
    for model, model_admin in admin.site._registry.items():
        form = model_admin.get_form(request, obj=model.objects.first())
        for name, field in form.base_fields.items():
            if isinstance(field, forms.ModelMultipleChoiceField):
                multi[f"{model.__name__}.{name}"] = isinstance(field, IdMultipleChoiceField)
    assert {"User.groups", "Group.permissions"} <= multi.keys()
    assert all(multi.values()), multi


def test_the_admin_refuses_a_group_id_out_of_range_on_the_form(client):
    superuser = make_user(Role.OFFICE, is_superuser=True, is_staff=True)
    user = make_user(Role.APPLICANT)
    client.force_login(superuser)
    change = f"/django-admin/award/user/{user.pk}/change/"
    assert client.get(change).status_code == 200
    data = {
        "username": user.username,
        "email": user.email,
        "groups": [HUGE],
        "date_joined_0": "2026-01-05",
        "date_joined_1": "09:00:00",
    }
    response = client.post(change, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["groups"] == [INVALID]
