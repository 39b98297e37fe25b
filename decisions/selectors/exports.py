"""Reads of the batch files: the cycles offered, and each cycle's jobs by kind."""

from award.models import Cycle
from decisions.enums import ExportKind
from decisions.models import CycleExport


def export_cycles():
    return Cycle.objects.order_by("-number")


def cycle_exports(cycle) -> list[tuple[str, str, CycleExport | None]]:
    """(kind, label, job or None) for each kind, in the order of ExportKind."""
    jobs = {export.kind: export for export in CycleExport.objects.filter(cycle=cycle)}
    return [(kind, label, jobs.get(kind)) for kind, label in ExportKind.choices]
