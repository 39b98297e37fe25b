"""The grounds for revoking a title: one row per item of 第二十三条 (units) and 第二十四条
(individuals), tied to the rulebook (the regulation) that lists them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from award.enums import ApplicantKind
from award.numerals import chinese_number


class Ground(models.Model):
    rulebook = models.ForeignKey(
        "award.Rulebook",
        verbose_name=_("评定办法"),
        on_delete=models.PROTECT,
        related_name="revocation_grounds",
    )
    kind = models.CharField(_("适用主体"), max_length=12, choices=ApplicantKind.choices)
    article = models.CharField(_("条"), max_length=20)
    item = models.PositiveSmallIntegerField(_("项"))
    text = models.CharField(_("情形"), max_length=200)

    class Meta:
        verbose_name = _("撤销情形")
        verbose_name_plural = _("撤销情形")
        ordering = ["rulebook", "kind", "item"]
        constraints = [
            models.UniqueConstraint(fields=["rulebook", "kind", "item"], name="one_ground_per_item")
        ]

    def __str__(self):
        return f"{self.citation}：{self.text}"

    @property
    def citation(self) -> str:
        """e.g. 第二十三条第（三）项."""
        return f"{self.article}第（{chinese_number(self.item)}）项"


def cite(grounds) -> str:
    """Items of one article together, e.g. 第二十三条第（一）（三）项; articles joined by 、.
    Ten items of one article take 46 characters: Honour.revoked_article holds 60."""
    by_article: dict[str, list[int]] = {}
    for ground in sorted(grounds, key=lambda g: (g.article, g.item)):
        by_article.setdefault(ground.article, []).append(ground.item)
    return "、".join(
        f"{article}第{''.join(f'（{chinese_number(item)}）' for item in items)}项"
        for article, items in by_article.items()
    )
