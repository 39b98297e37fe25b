"""One action over many objects, each in its own transaction: a refusal stops only its own."""

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed


@dataclass(frozen=True)
class BatchResult:
    """What happened to one application of a batch: `ok`, or the message why not."""

    application: object
    ok: bool
    message: str = ""


def run_batch(items: Iterable, act: Callable) -> list[BatchResult]:
    """Call `act(item)` for each item in the order given (each service call is its own
    transaction, with its own audit entry and messages); collect what each one did."""
    results = []
    for item in items:
        try:
            done = act(item)
        except (PermissionDenied, ValidationError, TransitionNotAllowed, ConcurrentTransition) as e:
            messages = getattr(e, "messages", None) or [str(e) or _("操作未能完成。")]
            results.append(BatchResult(item, False, "；".join(map(str, messages))))
        except ObjectDoesNotExist:
            results.append(BatchResult(item, False, _("该申报不存在。")))
        else:
            results.append(BatchResult(done, True))
    return results
