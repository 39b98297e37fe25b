"""Exceptions the services raise; views turn them into a message on the page."""

from django.core.exceptions import ValidationError

from award.fsm import TransitionRefused


class ApplicationTransitionRefused(TransitionRefused):
    """The step cannot be taken from the application's state or in the cycle's phase."""


class ApplicationNotEligible(ValidationError):
    """Eligibility failed; `problems` lists each unmet rule with its article."""

    def __init__(self, problems):
        self.problems = list(problems)
        super().__init__([p.message for p in self.problems], code="not_eligible")
