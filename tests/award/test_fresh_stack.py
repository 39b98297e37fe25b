"""award.fresh_stack: every request runs on a fresh CPython data-stack chunk (CPython
gh-142183; the cost it avoids is measured by tests/perf/bench_fresh_stack.py)."""

import sys

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from award import fresh_stack
from award.middleware import FreshStackMiddleware


def frames_of_the_trampoline() -> int:
    frame, found = sys._getframe(), 0
    while frame is not None:
        found += frame.f_code is fresh_stack._run.__code__
        frame = frame.f_back
    return found


def test_the_call_gets_its_arguments_and_gives_its_result_and_its_errors():
    assert fresh_stack.run_on_fresh_stack(divmod, 17, 5) == (3, 2)
    assert fresh_stack.run_on_fresh_stack(dict, a=1) == {"a": 1}
    with pytest.raises(ZeroDivisionError):
        fresh_stack.run_on_fresh_stack(divmod, 1, 0)


def test_the_trampoline_frame_never_fits_a_chunk_and_leaves_half_of_the_new_one():
    # 16 KiB chunks double until the frame fits: just over 64 KiB of slots → a 128 KiB chunk.
    slots = fresh_stack._run.__code__.co_nlocals
    assert slots * 8 > fresh_stack.FRAME_BYTES >= 4 * 16 * 1024
    assert slots * 8 < fresh_stack.FRAME_BYTES + 4096


@pytest.mark.skipif(not fresh_stack.NEEDED, reason="CPython ≥ 3.13 keeps an emptied chunk")
def test_each_request_runs_below_the_trampoline_from_the_outermost_middleware():
    assert settings.MIDDLEWARE[0] == "award.middleware.FreshStackMiddleware"
    seen = []

    def view(request):
        seen.append(frames_of_the_trampoline())
        return HttpResponse("ok")

    response = FreshStackMiddleware(view)(RequestFactory().get("/"))
    assert response.content == b"ok"
    assert seen == [1]
    assert frames_of_the_trampoline() == 0
