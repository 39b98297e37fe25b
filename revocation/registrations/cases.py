"""What the cases part plugs into the floors below: the guard on the application's `revoke`."""

from django.utils.translation import gettext as _

from applications import hooks as application_hooks
from revocation.enums import CaseState
from revocation.models import RevocationCase


@application_hooks.register_transition_guard("revoke")
def revoke_guard(application) -> list[str]:
    """第二十三条、第二十四条: only a case the leading group has put to 市政府 may revoke."""
    if RevocationCase.objects.filter(
        honour__application_id=application.pk, state=CaseState.SUBMITTED
    ).exists():
        return []
    return [_("没有经领导小组审议并提请市政府撤销的案件，不能撤销（第二十三条、第二十四条）。")]
