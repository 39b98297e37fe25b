from .candidates import Candidate, CandidateList
from .exports import CycleExport
from .feedback import FeedbackReport
from .honours import Approval, Honour, Reward
from .meetings import Ballot, BallotChoice, Meeting, Resolution, Seat, Tally
from .publicity import Objection, ObjectionFile, Publicity

__all__ = [
    "Approval",
    "Ballot",
    "BallotChoice",
    "Candidate",
    "CandidateList",
    "CycleExport",
    "FeedbackReport",
    "Honour",
    "Meeting",
    "Objection",
    "ObjectionFile",
    "Publicity",
    "Resolution",
    "Reward",
    "Seat",
    "Tally",
]
