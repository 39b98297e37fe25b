"""The audit actions the ground floor writes, and the fields they record, in Chinese."""

from django.utils.translation import gettext_lazy as _

from award.audit_labels import (
    choices_shown,
    register_actions,
    register_fields,
    register_transition_actions,
)
from award.enums import CyclePhase, NoticeStatus
from award.models import Cycle

register_actions(
    {
        "account.register": _("注册账号"),
        "account.update_contact": _("修改联系方式"),
        "account.password_change": _("修改密码"),
        "account.password_reset": _("重置密码"),
        "account.two_factor_enable": _("开启双因素认证"),
        "account.two_factor_disable": _("关闭双因素认证"),
        "account.recovery_code_used": _("使用恢复码登录"),
        "account.two_factor_locked": _("动态口令输错次数过多被暂停"),
        "account.recovery_codes_regenerate": _("重新生成恢复码"),
        "account.two_factor_reset": _("重置他人的双因素认证（手机丢失）"),
        "agency.create": _("新增第三方机构"),
        "agency.update": _("修改第三方机构"),
        "county.create": _("新增县区"),
        "county.update": _("修改县区"),
        "holiday_schedule.create": _("新增年度节假日安排"),
        "calendar_day.set": _("设置节假日或调休工作日"),
        "calendar_day.remove": _("删除节假日或调休工作日"),
        "cycle.create": _("新建评选届次"),
        "cycle.update": _("修改评选届次"),
        "cycle.engage_agency": _("选定第三方机构"),
        "notice.create": _("起草公告"),
        "notice.update": _("修改公告"),
        "notice.attach": _("添加公告附件"),
        "notice.detach": _("删除公告附件"),
        "notice.attachment_download": _("下载公告附件"),
        "notice.publish": _("发布公告"),
        "notice.withdraw": _("撤回公告"),
        "permission.grant": _("授予权限"),
        "permission.revoke": _("收回权限"),
    }
)
register_transition_actions("cycle", Cycle)
register_fields(
    {
        "phase": (_("阶段"), choices_shown(CyclePhase)),
        "cycle_phase": (_("评选阶段"), choices_shown(CyclePhase)),
        "status": (_("状态"), choices_shown(NoticeStatus)),
        "cycle": _("评选届次编号"),
        "recovery_codes": _("恢复码数量"),
        "recovery_codes_left": _("剩余恢复码数量"),
        "failures": _("连续输错次数"),
        "two_factor_enabled": _("已绑定身份验证器"),
        "agency": _("第三方机构编号"),
        "county": _("县区编号"),
        "attachment": _("附件编号"),
        "starts_on": _("开始日期"),
        "ends_on": _("结束日期"),
        "publicity_starts_on": _("公示开始日期"),
        "publicity_ends_on": _("公示结束日期"),
    }
)
