"""Run a call at the start of a fresh, roomy CPython data-stack chunk.

CPython keeps Python frames on a per-thread stack made of 16 KiB chunks. Up to 3.12 a chunk
emptied by a returning call is unmapped at once, so a loop that calls functions exactly at a
chunk's end maps and unmaps a chunk on every call (CPython gh-142183, fixed in 3.13 and 3.14
by caching a chunk). Measured on this portal's Python 3.11: the candidates page rendered its
130 rows in 11 ms at most stack depths and in 30–54 ms at a band of depths a few frames wide,
and which pages fall in that band changes with any middleware or template added.

`run_on_fresh_stack(call, *args)` calls through a function whose frame is just over
FRAME_BYTES: it never fits in the current chunk, so CPython maps a new chunk twice that size
for it and everything below it runs in the other half, about 450 frames deep before the next
boundary. The chunk is mapped once per call; the cost is a few page faults.
"""

import sys

# Python ≥ 3.13 caches the emptied chunk (gh-142183); before that the chunk is unmapped.
NEEDED = sys.version_info < (3, 13)
FRAME_BYTES = 64 * 1024
_SLOTS = FRAME_BYTES // 8 + 64  # pointers; a little over, so the chunk doubles to 128 KiB


def _roomy_trampoline():
    """A function whose frame holds _SLOTS local variables (never assigned at run time)."""
    names = " = ".join(f"_{n}" for n in range(_SLOTS))
    source = (
        "def run(call, args, kwargs):\n"
        "    if call is None:\n"
        f"        {names} = None\n"
        "    return call(*args, **kwargs)\n"
    )
    namespace = {}
    exec(compile(source, "<award.fresh_stack>", "exec"), namespace)
    return namespace["run"]


_run = _roomy_trampoline()


def run_on_fresh_stack(call, *args, **kwargs):
    """call(*args, **kwargs), on a fresh data-stack chunk where CPython needs one."""
    if not NEEDED:
        return call(*args, **kwargs)
    return _run(call, args, kwargs)
