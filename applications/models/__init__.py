"""Models of the applications floor, one module each."""

from .application import Application
from .documents import ApplicationDocument
from .events import ApplicationEvent
from .profiles import IndividualProfile, UnitProfile
from .snapshots import ApplicationSnapshot

__all__ = [
    "Application",
    "ApplicationDocument",
    "ApplicationEvent",
    "ApplicationSnapshot",
    "IndividualProfile",
    "UnitProfile",
]
