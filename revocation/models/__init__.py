from .cases import RevocationCase
from .grounds import Ground

__all__ = ["Ground", "RevocationCase"]
