"""The 承诺书 an applicant signs before submitting, per kind (第十条, 第十二条)."""

from django.utils.translation import gettext_lazy as _

from award.enums import ApplicantKind

ARTICLE = {
    ApplicantKind.UNIT: "第十条第（五）（六）项",
    ApplicantKind.INDIVIDUAL: "第十二条第（一）（六）（七）项",
}

ITEMS = {
    ApplicantKind.UNIT: (
        _(
            "本单位所填报的申报表、自我评价报告及证实性材料真实、准确、完整，如有虚假，愿承担由此产生的一切后果（第二十三条第（一）项）。"
        ),
        _(
            "本单位近3年内无重大质量、安全、环境污染、公共卫生等事故，无因单位责任导致顾客投诉的突出问题（第十条第（五）项）。"
        ),
        _("本单位近3年内无其他违反法律法规的行为（第十条第（六）项）。"),
        _("本单位自愿申报，知悉市长质量奖评审不收取任何费用（第十六条）。"),
    ),
    ApplicantKind.INDIVIDUAL: (
        _(
            "本人所填报的申报表、个人事迹材料及证实性材料真实、准确、完整，如有虚假，愿承担由此产生的一切后果（第二十四条第（一）项）。"
        ),
        _("本人政治坚定，清正廉洁，品行端正，恪守职业道德和社会规范（第十二条第（一）项）。"),
        _("本人所属单位近3年内无重大质量、安全、环境污染、公共卫生等事故（第十二条第（六）项）。"),
        _("本人无其他不良记录和违法、违纪行为（第十二条第（七）项）。"),
        _("本人自愿申报，知悉市长质量奖评审不收取任何费用（第十六条）。"),
    ),
}


def declaration_items(kind: str) -> list[str]:
    """The statements of the 承诺书 the applicant of this kind signs, in order."""
    return [str(item) for item in ITEMS[kind]]


def expected_signer_label(kind: str) -> str:
    return str(_("法定代表人姓名") if kind == ApplicantKind.UNIT else _("本人姓名"))
