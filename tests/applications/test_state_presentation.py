"""Every application state says what happens next, who acts, and wears a badge; each floor
registers its own states (applications.hooks)."""

import pytest
from django.urls import reverse

from applications import hooks
from applications.enums import ApplicationState as S
from applications.models.application import FINAL_STATES
from applications.presentation import acting_now, next_step_text, state_badge_class
from applications.templatetags.application_states import state_badge
from tests.review.factories import ReviewWorld

# Nobody acts on these: the final states, and an award until a revocation case is opened.
FINAL = FINAL_STATES | {S.AWARDED}


@pytest.mark.parametrize("state", S.values)
def test_every_state_has_a_next_step_and_a_badge(state):
    shown = hooks.state_presentation(state)
    assert shown is not None, f"no floor presents {state}"
    assert str(shown.next_step).strip()
    assert shown.badge.startswith("text-bg-")
    assert bool(str(shown.acting)) == (state not in FINAL)


def test_a_state_cannot_be_presented_twice_differently():
    with pytest.raises(ValueError):
        hooks.register_state_presentation(
            S.DRAFT, hooks.StatePresentation(next_step="x", acting="y", badge="text-bg-dark")
        )


@pytest.mark.django_db
def test_an_applicant_in_expert_review_is_told_what_comes_next(client):
    application = ReviewWorld().start()
    assert application.state == S.IN_REVIEW
    client.force_login(application.applicant)
    page = client.get(reverse("applications:application_detail", args=[application.pk]))
    text = page.content.decode()
    assert next_step_text(application) in text
    assert "第十四条第（四）项" in next_step_text(application)
    assert acting_now(application) == "第三方评审机构" and "第三方评审机构" in text
    assert str(state_badge(application)) == (
        f'<span class="badge {state_badge_class(S.IN_REVIEW)}">专家评审</span>'
    )


@pytest.mark.django_db
def test_a_draft_the_call_closed_on_says_so_instead_of_asking_to_submit():
    from tests.applications.factories import World, let_deadline_pass

    world = World()
    draft = world.application_in(S.DRAFT)
    assert "在申报截止时间前提交" in next_step_text(draft)
    let_deadline_pass(world.cycle)
    draft.refresh_from_db()
    assert next_step_text(draft).startswith("本届申报已截止，草稿不能再提交（第十四条第（二）项）")
    assert acting_now(draft) == ""
