"""Role isolation matrix (issue 13, item 4): every page of the URLconf × every role, pointed
at objects that belong to someone else, answers 404/403 (or a redirect), never 200.

Generated from the URLconf (tests/urlwalk.py), so a page added later is walked without being
listed here. Two worlds are built once for the module, each with its own owner-scoped parties:

- "published": a cycle brought to 公布 with honours and a revocation case (tests/revocation);
  every integer argument names the FIRST row of its model, i.e. the first unit's application,
  document, honour, the first meeting, notice, case...
- "in review": a second cycle in 专家评审 whose application is assigned to a group that has
  declared; every integer argument names the LAST row made for this world (its application,
  assignment, group, expert...).

For each world the outsiders own things of their own, just not these: another unit of the
published cycle, a county coordinator of another county, the other world's agency and expert
(for the second world an agency and expert owning nothing, as arguments of unknown model fall
back to 1, a row of the first world), a leader. Each outsider opens every address: a 200 on
an address with arguments is an offence unless the page is listed below as public or
role-wide; an action that answers GET with 405 is posted to and must refuse and change
nothing. The same addresses opened by the world's own people (the owner, its county, its
agency, its expert, the office) show which pages really name an object there (a page nobody
opens proves little; the figures say how many, and more than 20 must be opened per world).
A person opening the same address twice (the same outsider in both worlds) is answered once.

Django's admin answers a non-staff user with its login page whatever the object, so its pages
are walked once per role (test_no_scoped_role_opens_the_admin) instead of once per world.

Pages without arguments are each person's own lists: an outsider must not find the other
party's private data (the application's credit code) on any of them.

The office and the auditor are role-wide by design (the office runs every application, the
auditor reads everything, 第七章); the auditor's unsafe requests are tested in
tests/award/test_auditor_read_only.py and not repeated here.
"""

import time

import pytest
from django.apps import apps
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from award.enums import Role
from tests.award.test_auditor_read_only import row_counts
from tests.demo_world import storages
from tests.factories import county, make_user
from tests.review.factories import ReviewWorld, new_expert, other_agency_user
from tests.revocation.factories import RevocationWorld
from tests.urlwalk import first_pk, picking, unbuilt_patterns, walk_urls

pytestmark = pytest.mark.django_db

# Pages anyone may open, whatever object they name, and why.
PUBLIC = {
    # The password reset link: anyone holding the mailed link; the token decides.
    "award:password_reset_confirm",
    # 信息公开: published notices and their attachments (DESIGN.md §4, 第六章).
    "award:notice_detail",
    "award:notice_attachment",
    # 公示 and 公布 are public by the regulation (第十四条、第十五条); the certificate check
    # is public so that anyone can verify a 证书 (第十六条).
    "public_decisions:publicity_cycle",
    "public_decisions:objection_create",
    "public_decisions:winners",
    "public_decisions:announcement",
    "public_decisions:announcement_pdf",
    "public_decisions:verify_serial",
    # 撤销公告 and the 经验分享 published by winners are public (第十八条、第十七条).
    "public_revocation:announcement",
    "public_revocation:announcement_pdf",
    "public_revocation:sharing_detail",
    "public_revocation:sharing_file",
}

# Pages a role reaches for every object of its kind, because the role acts for the whole city.
ROLE_WIDE = {
    Role.OFFICE: "every page: 质量强市办 runs every cycle and application (第五条)",
    Role.AUDITOR: "every page read-only: 监督 reads everything (第七章)",
}
ROLE_WIDE_PAGES: dict[Role, set[str]] = {
    # The 评价准则 sets are the city's, read by every agency that scores against them.
    Role.AGENCY: {"review:criteria_detail"},
}
# The admin's sign-in form is open to anyone; every other admin page refuses a non-staff person.
ADMIN_SIGN_IN = "admin:login"
SCOPED = [Role.APPLICANT, Role.COUNTY, Role.AGENCY, Role.EXPERT, Role.LEADER]

ANONYMOUS = "anonymous"
REACHED = 200


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("isolation-media")


@pytest.fixture(autouse=True)
def _private_media(settings, media):
    """Overrides the suite's per-test media folder: the module's worlds keep their files."""
    settings.STORAGES = storages(media)


def last_rows() -> dict:
    return {
        model: model._default_manager.order_by("-pk").values_list("pk", flat=True).first()
        for model in apps.get_models()
    }


class Worlds:
    def __init__(self):
        published = RevocationWorld()
        published.open_case()
        self.published = published
        base = published.world.base.review
        owner, other_unit = (a.applicant for a in published.world.units[:2])

        review = ReviewWorld(units=1)
        review.start()
        self.review = review
        self.last = last_rows()

        other_county = make_user(Role.COUNTY, county=county("371311"))
        # Arguments of unknown model fall back to 1, a row of the published world: the agency
        # and expert outside the second world own nothing in either.
        idle_agency = other_agency_user()
        idle_expert = new_expert(idle_agency)
        self.walks = {
            "published": {
                "pick": first_pk,
                "insiders": {
                    Role.APPLICANT: owner,
                    Role.COUNTY: base.county_user,
                    Role.AGENCY: base.agency_user,
                    Role.EXPERT: base.leader.user,
                    Role.LEADER: published.leaders[0],
                    Role.OFFICE: published.office,
                },
                "outsiders": {
                    Role.APPLICANT: other_unit,
                    Role.COUNTY: other_county,
                    Role.AGENCY: review.agency_user,
                    Role.EXPERT: review.leader.user,
                    Role.LEADER: make_user(Role.LEADER),
                    ANONYMOUS: None,
                },
                "secret": owner.unit_profile.uscc,
            },
            "in review": {
                "pick": lambda model: self.last.get(model),
                "insiders": {
                    Role.APPLICANT: review.application.applicant,
                    Role.COUNTY: review.county_user,
                    Role.AGENCY: review.agency_user,
                    Role.EXPERT: review.leader.user,
                    # Any office user runs every cycle: the same one answers for both worlds.
                    Role.OFFICE: published.office,
                },
                "outsiders": {
                    Role.APPLICANT: other_unit,
                    Role.COUNTY: other_county,
                    Role.AGENCY: idle_agency,
                    Role.EXPERT: idle_expert.user,
                    Role.LEADER: published.leaders[0],
                    ANONYMOUS: None,
                },
                "secret": review.application.applicant.unit_profile.uscc,
            },
        }
        admin = reverse("admin:index")
        for walk in self.walks.values():
            pages = pages_of(walk)
            walk["pages"] = [p for p in pages if not p.url.startswith(admin)]
            walk["admin"] = [p for p in pages if p.url.startswith(admin)]


@pytest.fixture(scope="module")
def worlds(django_db_setup, django_db_blocker, media):
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages(media)),
        transaction.atomic(),
    ):
        yield Worlds()
        transaction.set_rollback(True)


def pages_of(walk):
    pages = [p for p in walk_urls(picking(walk["pick"])) if p.name != "award:logout"]
    assert unbuilt_patterns() == []
    return pages


class Session:
    """One client per person; an address the same person already opened (in the other world:
    same person, same address, same rows) is answered from memory."""

    def __init__(self, client):
        self.client, self.user, self.seen, self.requests = client, None, {}, 0

    def login(self, user):
        if user != self.user or user is None:
            self.client.logout()
            if user is not None:
                self.client.force_login(user)
        self.user = user

    def request(self, method, url):
        key = (getattr(self.user, "pk", None), method, url)
        if key not in self.seen:
            self.requests += 1
            self.seen[key] = getattr(self.client, method)(url)
        return self.seen[key]

    def get_all(self, user, pages) -> dict:
        self.login(user)
        return {page: self.request("get", page.url) for page in pages}


def refusal_counts(walk) -> list:
    """The pages with arguments where a 200 to an outsider would be an offence."""
    return [p for p in walk["pages"] if p.has_args and p.name not in PUBLIC]


@pytest.fixture(scope="module")
def reached(worlds, django_db_blocker):
    """Per walk, the pages with arguments some insider of that world opens (200). The office
    goes first (it opens most); each other insider tries only what nobody has opened yet."""
    out = {}
    session = Session(Client())
    with django_db_blocker.unblock():
        for name, walk in worlds.walks.items():
            insiders = sorted(walk["insiders"].items(), key=lambda item: item[0] != Role.OFFICE)
            out[name], actions = set(), set()
            requests, started = session.requests, time.perf_counter()
            for _role, user in insiders:
                todo = [p for p in refusal_counts(walk) if p.name not in out[name] | actions]
                got = session.get_all(user, todo)
                out[name] |= {p.name for p, r in got.items() if r.status_code == REACHED}
                # A page that answers GET with 405 is an action: no GET of it opens anything.
                actions |= {p.name for p, r in got.items() if r.status_code == 405}
            print(
                f"\n[own people] {name}: {len(out[name])} pages opened, {len(actions)} actions, "
                f"{session.requests - requests} requests, {time.perf_counter() - started:.1f} s"
            )
    return out


def test_every_role_is_either_scoped_or_role_wide():
    assert set(SCOPED) | set(ROLE_WIDE) == set(Role)
    assert not set(SCOPED) & set(ROLE_WIDE)


def test_the_allow_lists_name_existing_pages(worlds):
    names = {page.name for page in walk_urls()}
    listed = PUBLIC.union(*ROLE_WIDE_PAGES.values())
    assert listed - names == set()


def post_refused(response, role) -> bool:
    """A refusal of an unsafe request: 403/404/405, or for anonymous the way to the login."""
    if response.status_code in (403, 404, 405):
        return True
    location = response.headers.get("Location", "")
    return role == ANONYMOUS and response.status_code == 302 and "login" in location


@pytest.mark.parametrize("role", [*SCOPED, ANONYMOUS], ids=str)
def test_no_role_opens_someone_elses_object(role, client, worlds, reached):
    started = time.perf_counter()
    session = Session(client)
    offences = []
    allowed = PUBLIC | ROLE_WIDE_PAGES.get(role, set())
    for name, walk in worlds.walks.items():
        # The addresses name real objects: their own people open private pages with them.
        assert len(reached[name] - allowed) > 20, reached[name]
        pages = walk["pages"]
        requests = session.requests
        got = session.get_all(walk["outsiders"][role], pages)
        # An action on an object that answers GET with 405 before looking at the object is
        # posted to instead: it must refuse and change nothing.
        actions = [p for p in pages if p.has_args and got[p].status_code == 405]
        before = row_counts() if actions else None
        for page in actions:
            response = session.request("post", page.url)
            if not post_refused(response, role):
                offences.append(f"{role} {name}: POST {page.url} → {response.status_code}")
        if actions and row_counts() != before:
            offences.append(f"{role} {name}: its POSTs changed rows")
        for page, response in got.items():
            status = response.status_code
            if status >= 500:
                offences.append(f"{role} {name}: GET {page.url} → {status}")
            if status != REACHED:
                continue
            if not page.has_args:
                if walk["secret"] in response.content.decode(errors="replace"):
                    offences.append(f"{role} {name}: GET {page.url} shows the other's data")
            elif page.name not in allowed:
                offences.append(f"{role} {name}: GET {page.url} → 200")
        counted = refusal_counts(walk)
        refused = sum(1 for p in counted if got[p].status_code != REACHED)
        named = sum(1 for p in counted if p.name in reached[name])
        print(
            f"\n[{role}] {name}: {len(pages)} pages walked, "
            f"{session.requests - requests} requests sent ({len(actions)} POST), "
            f"{len(counted)} non-public with arguments ({named} opened by the world's own "
            f"people), {refused} refused to this {role}"
        )
    print(f"[{role}] {time.perf_counter() - started:.1f} s")
    assert offences == [], "\n".join(offences)


@pytest.mark.parametrize("role", [*SCOPED, ANONYMOUS], ids=str)
def test_no_scoped_role_opens_the_admin(role, client, worlds):
    """Every page of Django's admin, with arguments or not, refuses a non-staff person. The
    admin asks is_staff before it looks at the object, so one world's addresses do."""
    people = [walk["outsiders"][role] for walk in worlds.walks.values()]
    assert not any(person and person.is_staff for person in people)
    walk = worlds.walks["published"]
    session = Session(client)
    got = session.get_all(walk["outsiders"][role], walk["admin"])
    offences = [
        f"GET {p.url} → {r.status_code}"
        for p, r in got.items()
        if (r.status_code == REACHED and p.name != ADMIN_SIGN_IN) or r.status_code >= 500
    ]
    for page in [p for p, r in got.items() if p.has_args and r.status_code == 405]:
        response = session.request("post", page.url)
        if not post_refused(response, role):
            offences.append(f"POST {page.url} → {response.status_code}")
    refused = sum(r.status_code != REACHED for r in got.values())
    print(f"\n[{role}] admin: {len(got)} pages, {session.requests} requests, {refused} refused")
    assert len(got) > 50
    assert offences == [], "\n".join(offences)
