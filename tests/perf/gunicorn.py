"""A gunicorn serving the test database, and a fixed-time load against it: requests/s."""

import http.client
import os
import subprocess
import tempfile
import threading
import time
from contextlib import contextmanager

from django.conf import settings
from django.db import connection

from tests.worker import _stop_group, free_port, wait_for

GUNICORN = settings.BASE_DIR / ".venv" / "bin" / "gunicorn"


@contextmanager
def gunicorn(
    workers: int = 2,
    *,
    settings_module: str = "tests.perf.settings",
    extra_env: dict | None = None,
    ready_path: str = "/__bench__/bare/",
):
    """gunicorn on 127.0.0.1 with `settings_module` (by default the benchmark URLs) and this
    test database (committed data)."""
    port = free_port()
    db = connection.settings_dict
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": settings_module,
        "DATABASE_URL": f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}",
        **(extra_env or {}),
    }
    log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in the finally below)
    process = subprocess.Popen(
        [
            str(GUNICORN),
            "award.wsgi",
            "-w",
            str(workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=log,
    )

    def answers():
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", ready_path)
            return conn.getresponse().status == 200
        except OSError:
            return False

    try:
        try:
            wait_for(answers, timeout=60, what="gunicorn to answer")
        except AssertionError:
            log.seek(0)
            raise AssertionError(log.read().decode(errors="replace")[-3000:]) from None
        yield port
    finally:
        _stop_group(process)
        log.close()


def throughput(
    port: int, path: str, *, seconds: float = 5.0, clients: int = 4, headers=None
) -> dict:
    """Requests per second and errors for `clients` keep-alive clients hitting `path`;
    `headers(client, n)`, when given, returns the headers of the client's n-th request."""
    stop_at = time.monotonic() + seconds
    done, errors = [0] * clients, [0] * clients

    def client(index: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        sent = 0
        while time.monotonic() < stop_at:
            conn.request("GET", path, headers=headers(index, sent) if headers else {})
            sent += 1
            response = conn.getresponse()
            response.read()
            if response.status == 200:
                done[index] += 1
            else:
                errors[index] += 1

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    return {
        "rps": sum(done) / elapsed,
        "errors": sum(errors),
        "requests": sum(done),
        "seconds": elapsed,
    }
