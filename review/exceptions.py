"""Exceptions the review services raise; views turn them into a message or a 404."""

from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.http import Http404


class ReviewRefused(ValidationError):
    """The step is not allowed now (state, stage locked, missing scores…); says why."""


class NotAssigned(Http404, ObjectDoesNotExist):
    """The user is not a live expert (or leader) on this application: answer 404 so nothing
    leaks (DESIGN.md §5). An Http404, so a view that lets it through still answers 404."""
