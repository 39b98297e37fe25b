from .assessments import AssessmentEvidence, AssessmentRecord, AssessmentRound
from .cases import RevocationCase
from .grounds import Ground
from .obligations import SharingFile, SharingRequest

__all__ = [
    "AssessmentEvidence",
    "AssessmentRecord",
    "AssessmentRound",
    "Ground",
    "RevocationCase",
    "SharingFile",
    "SharingRequest",
]
