"""Models of the ground floor, one module each."""

from .accounts import User
from .agency import Agency
from .audit import AuditChainHead, AuditEntry
from .calendar import CalendarDay, HolidaySchedule
from .county import County
from .cycle import Cycle
from .message import Message
from .notice import Notice, NoticeAttachment
from .rulebook import Rulebook
from .submission import SubmissionToken

__all__ = [
    "Agency",
    "AuditChainHead",
    "AuditEntry",
    "CalendarDay",
    "County",
    "Cycle",
    "HolidaySchedule",
    "Message",
    "Notice",
    "NoticeAttachment",
    "Rulebook",
    "SubmissionToken",
    "User",
]
