from .cases import RevocationCase
from .complaints import Complaint, ComplaintFile, ComplaintNote, ComplaintSettings
from .grounds import Ground

__all__ = [
    "Complaint",
    "ComplaintFile",
    "ComplaintNote",
    "ComplaintSettings",
    "Ground",
    "RevocationCase",
]
