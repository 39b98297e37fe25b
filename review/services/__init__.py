"""Write-side actions of the review floor, one module per behaviour.

Every function is keyword-only and takes the acting user as `by` (the expert, when the act
is an expert's own), runs in one transaction with the application row locked, checks
permission (PermissionDenied, or NotAssigned — a 404 — for experts on what is not theirs)
and state (ReviewRefused, ApplicationTransitionRefused), writes an audit entry and sends
站内信 whose emails leave after commit.
"""

from review.services.assignment import (
    AutoAssignment,
    assignment_auto,
    assignment_create,
    assignment_remove,
    group_create,
    group_leader_set,
    group_member_add,
)
from review.services.conflicts import conflict_declare
from review.services.consensus import consensus_save, score_correct, stage_sign
from review.services.criteria import criteria_set_copy, criterion_update
from review.services.experts import expert_create, expert_update
from review.services.misconduct import expert_disqualify
from review.services.plans import review_plan_save
from review.services.scoring import score_save, stage_submit
from review.services.stages import (
    review_complete,
    review_start,
    reviews_start,
    site_visit_record,
    stage_check_record,
)

__all__ = [
    "AutoAssignment",
    "assignment_auto",
    "assignment_create",
    "assignment_remove",
    "conflict_declare",
    "consensus_save",
    "criteria_set_copy",
    "criterion_update",
    "expert_create",
    "expert_disqualify",
    "expert_update",
    "group_create",
    "group_leader_set",
    "group_member_add",
    "review_complete",
    "review_plan_save",
    "review_start",
    "reviews_start",
    "score_correct",
    "score_save",
    "site_visit_record",
    "stage_check_record",
    "stage_sign",
    "stage_submit",
]
