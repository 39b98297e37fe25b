"""The audit actions the applications floor writes, and the fields they record, in Chinese."""

from django.utils.translation import gettext_lazy as _

from applications.enums import ApplicationState, DocumentKind
from applications.form_data import TEXT_SECTIONS
from applications.models import Application
from applications.permissions import CHANGE_APPLICATION, VIEW_APPLICATION
from award.audit_labels import (
    choices_shown,
    register_actions,
    register_fields,
    register_permissions,
    register_transition_actions,
)

register_actions(
    {
        "profile.create": _("填写申报主体信息"),
        "profile.update": _("修改申报主体信息"),
        "application.create": _("创建申报"),
        "application.delete_draft": _("删除申报草稿"),
        "application.save_draft": _("保存申报表草稿"),
        "application.declarations_accept": _("签署承诺书"),
        "application.document_add": _("上传申报材料"),
        "application.document_remove": _("删除申报材料"),
        "application.document_download": _("下载申报材料"),
        "application.form_pdf_download": _("下载申报表PDF"),
        "application.export": _("导出申报名单"),
        "application.pdf_failed": _("申报表PDF生成失败"),
    }
)
register_transition_actions("application", Application)
register_permissions({VIEW_APPLICATION: _("查看申报"), CHANGE_APPLICATION: _("修改申报")})
register_fields(
    {
        "state": (_("状态"), choices_shown(ApplicationState)),
        "document": _("材料编号"),
        "documents": _("材料编号"),
        "kind": (_("类别"), choices_shown(DocumentKind)),
        "pdf_attempts": _("PDF生成尝试次数"),
        "snapshot": _("提交快照编号"),
        "signed_by": _("承诺人签名"),
        "key_figures": _("主要经济技术指标"),
        "size": _("文件大小（字节）"),
        **{key: label for sections in TEXT_SECTIONS.values() for key, label, _req in sections},
    }
)
