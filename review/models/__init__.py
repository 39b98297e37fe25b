"""Models of the review floor, one module per concern."""

from .conflicts import ConflictDeclaration, Exclusion
from .criteria import CriteriaSet, Criterion
from .experts import Expert, Speciality
from .groups import Assignment, GroupMembership, ReviewGroup
from .plans import ReviewPlan
from .scores import ConsensusScore, Score, ScoreCorrection
from .stages import SiteVisit, StageCheck, StageSignOff, StageSubmission

__all__ = [
    "Assignment",
    "ConflictDeclaration",
    "ConsensusScore",
    "CriteriaSet",
    "Criterion",
    "Exclusion",
    "Expert",
    "GroupMembership",
    "ReviewGroup",
    "ReviewPlan",
    "Score",
    "ScoreCorrection",
    "SiteVisit",
    "Speciality",
    "StageCheck",
    "StageSignOff",
    "StageSubmission",
]
