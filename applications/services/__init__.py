"""Write-side business actions of the applications floor, one module per behaviour.

Every function is keyword-only, takes the acting user as `by`, runs in one transaction
with the application row locked, checks permission (PermissionDenied) and state
(ApplicationTransitionRefused), writes an ApplicationEvent and an audit entry, and sends
站内信 whose emails leave after commit.
"""

from applications.services.documents import document_add, document_remove
from applications.services.drafts import (
    application_create,
    application_delete_draft,
    application_save_draft,
    declarations_accept,
)
from applications.services.preliminary import application_decline, application_recommend
from applications.services.profiles import profile_save_individual, profile_save_unit
from applications.services.recheck import (
    BatchResult,
    application_accept,
    application_reject,
    applications_batch,
)
from applications.services.returns import application_return
from applications.services.submission import application_submit
from applications.services.withdrawal import application_withdraw

__all__ = [
    "BatchResult",
    "application_accept",
    "application_create",
    "application_decline",
    "application_delete_draft",
    "application_recommend",
    "application_reject",
    "application_return",
    "application_save_draft",
    "application_submit",
    "application_withdraw",
    "applications_batch",
    "declarations_accept",
    "document_add",
    "document_remove",
    "profile_save_individual",
    "profile_save_unit",
]
