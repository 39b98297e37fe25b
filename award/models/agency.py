"""Third-party reviewing organisations the office engages (第七条第（二）项, 第八条)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Agency(models.Model):
    name = models.CharField(_("机构名称"), max_length=120, unique=True)
    uscc = models.CharField(_("统一社会信用代码"), max_length=18, blank=True)
    contact_name = models.CharField(_("联系人"), max_length=40, blank=True)
    contact_phone = models.CharField(_("联系电话"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("第三方机构")
        verbose_name_plural = _("第三方机构")
        ordering = ["name"]

    def __str__(self):
        return self.name
