from .case_records import (
    CaseBallot,
    CaseFile,
    CaseVote,
    GovernmentDecision,
    RevocationAnnouncement,
)
from .cases import RevocationCase
from .grounds import Ground

__all__ = [
    "CaseBallot",
    "CaseFile",
    "CaseVote",
    "GovernmentDecision",
    "Ground",
    "RevocationAnnouncement",
    "RevocationCase",
]
