from .assessments import AssessmentEvidence, AssessmentRecord, AssessmentRound
from .case_records import (
    CaseBallot,
    CaseFile,
    CaseVote,
    GovernmentDecision,
    RevocationAnnouncement,
)
from .cases import RevocationCase
from .complaints import Complaint, ComplaintFile, ComplaintNote, ComplaintSettings
from .grounds import Ground
from .obligations import SharingFile, SharingRequest

__all__ = [
    "AssessmentEvidence",
    "AssessmentRecord",
    "AssessmentRound",
    "CaseBallot",
    "CaseFile",
    "CaseVote",
    "Complaint",
    "ComplaintFile",
    "ComplaintNote",
    "ComplaintSettings",
    "GovernmentDecision",
    "Ground",
    "RevocationAnnouncement",
    "RevocationCase",
    "SharingFile",
    "SharingRequest",
]
