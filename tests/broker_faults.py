"""Local stand-ins for a broken broker: one that drops every packet, one that never answers.

Both listen on 127.0.0.1 only, so no traffic leaves the machine.
"""

import select
import socket
from contextlib import ExitStack, contextmanager

import pytest

# tests.worker is also loaded as a plugin (pytest_plugins); registered before this import, it
# is rewritten like one, and pytest does not warn that it was imported first.
pytest.register_assert_rewrite("tests.worker")

from tests.worker import RedisServer, free_port, publishing_to  # noqa: E402

__all__ = [
    "RedisServer",
    "blackhole_broker",
    "free_port",
    "mute_broker",
    "publish_worst_case",
    "publishing_to",
]

# How long a connection attempt may stay unanswered before the queue counts as full.
_SILENT_FOR = 0.3


def _connect_pending(port: int) -> tuple[socket.socket, bool]:
    """Start a connection; return the socket and whether the handshake completed."""
    client = socket.socket()
    client.setblocking(False)
    client.connect_ex(("127.0.0.1", port))
    _, writable, _ = select.select([], [client], [], _SILENT_FOR)
    connected = bool(writable) and client.getsockopt(socket.SOL_SOCKET, socket.SO_ERROR) == 0
    return client, connected


@contextmanager
def blackhole_broker():
    """A Redis URL whose host drops every SYN, like a firewalled or vanished broker host.

    A listening socket that never accepts, with its accept queue filled: the kernel then
    drops further SYNs silently, so a connect waits until its own timeout.
    """
    with ExitStack() as stack:
        server = stack.enter_context(socket.socket())
        server.bind(("127.0.0.1", 0))
        server.listen(0)
        port = server.getsockname()[1]
        for _ in range(32):
            client, connected = _connect_pending(port)
            stack.enter_context(client)
            if not connected:
                break
        else:
            raise AssertionError("the accept queue never filled: no blackhole on this kernel")
        yield f"redis://127.0.0.1:{port}/0"


@contextmanager
def mute_broker():
    """A Redis URL whose host completes the TCP handshake and then never answers."""
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(128)
        yield f"redis://127.0.0.1:{server.getsockname()[1]}/0"


def publish_worst_case(*, answers: bool) -> float:
    """How long one publish may take under the configured broker timeouts, plus 1 s of slack.

    `answers`: whether the host completes the TCP handshake (then the read timeout applies).
    """
    from django.conf import settings

    options = settings.CELERY_BROKER_TRANSPORT_OPTIONS
    wait = options["socket_timeout"] if answers else options["socket_connect_timeout"]
    policy = settings.CELERY_TASK_PUBLISH_RETRY_POLICY
    return (policy["max_retries"] + 1) * wait + policy["max_retries"] * policy["interval_max"] + 1
