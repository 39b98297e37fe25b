"""Read queries of the review floor, scoped to what the user may see (DESIGN.md §5).

One module per what they serve: `pool` (experts, groups, plans, assignments), `board` (the
agency's working list), `ranking`, `report` (情况报告) and `scoring` (the experts' and the
group leader's pages). Code inside the app imports from those modules; the names below are
re-exported for callers of the former single module.
"""

from review.selectors.board import agency_applications, review_applications_for
from review.selectors.pool import (
    accepted_without_group,
    applications_needing_reassignment,
    experts_for,
    groups_of,
)
from review.selectors.ranking import ranking, set_totals
from review.selectors.report import application_review_report, review_report
from review.selectors.scoring import (
    assignments_for_expert,
    band_descriptors,
    consensus_spread,
    stage_scores_for,
)

__all__ = [
    "accepted_without_group",
    "agency_applications",
    "application_review_report",
    "applications_needing_reassignment",
    "assignments_for_expert",
    "band_descriptors",
    "consensus_spread",
    "experts_for",
    "groups_of",
    "ranking",
    "review_applications_for",
    "review_report",
    "set_totals",
    "stage_scores_for",
]
