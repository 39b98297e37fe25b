"""manage.py verify_audit: walk the hash chain of the audit trail and report the first break."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from award.services.audit import audit_verify_chain


class Command(BaseCommand):
    help = "校验审计记录的哈希链，发现被改动或删除的记录。"

    def handle(self, *args, **options):
        checked, broken = audit_verify_chain()
        if broken is None:
            self.stdout.write(
                self.style.SUCCESS(_("审计链完整：已校验%(count)s条记录。") % {"count": checked})
            )
            return
        where = _("记录 #%(id)s") % {"id": broken.entry_id} if broken.entry_id else _("链的末尾")
        raise CommandError(
            _("审计链断裂于%(where)s：%(problem)s。此前%(count)s条记录校验无误。")
            % {"where": where, "problem": broken.problem, "count": checked}
        )
