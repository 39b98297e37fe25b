"""County-level bodies (县区) that run 初审 for their own applicants (第十四条第（三）项)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    code = models.CharField(_("行政区划代码"), max_length=12, unique=True, null=True, blank=True)
    name = models.CharField(_("名称"), max_length=60, unique=True)
    is_active = models.BooleanField(_("启用"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("排序"), default=100)

    class Meta:
        verbose_name = _("县区")
        verbose_name_plural = _("县区")
        ordering = ["sort_order", "code", "name"]

    def __str__(self):
        return self.name
