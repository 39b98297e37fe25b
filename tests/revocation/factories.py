"""A published cycle with honours, for the revocation floor's tests."""

from decisions.models import Honour
from revocation.models import Ground
from revocation.services.cases import case_open
from tests.decisions.honours_world import published_world


class RevocationWorld:
    """published_world (two units, one individual, all 市长质量奖) with its honours."""

    def __init__(self, **kwargs):
        self.world = published_world(**kwargs)
        self.office, self.cycle = self.world.office, self.world.cycle
        self.leaders = self.world.base.leaders
        honours = list(
            Honour.objects.filter(cycle=self.cycle)
            .select_related("cycle", "application__applicant")
            .order_by("pk")
        )
        self.unit_honour = next(h for h in honours if h.kind == "unit")
        self.person_honour = next(h for h in honours if h.kind == "individual")
        self.honours = honours

    def ground(self, honour, item):
        return Ground.objects.get(rulebook_id=honour.cycle.rulebook_id, kind=honour.kind, item=item)

    def open_case(self, honour=None, items=(1,), summary="举报材料反映申报数据造假。"):
        honour = honour or self.unit_honour
        return case_open(
            honour=honour,
            grounds=[self.ground(honour, item) for item in items],
            summary=summary,
            by=self.office,
        )
