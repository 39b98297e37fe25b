"""PostgreSQL restarted under load: while it is down every page answers the portal's own
error page (not a traceback, not a dropped connection); once it is back the same gunicorn
serves normally, without a restart (issue 13, item 7)."""

import threading
import time

import pytest
from django.urls import reverse

from tests.faults.postgres import PostgresServer, get, gunicorn

ERROR_PAGE = "系统暂时出现故障"
CLIENTS = 4
DOWN_SECONDS = 2
WORKERS = 2


@pytest.fixture
def private_postgres(db):
    """A private cluster holding a copy of the test database (`db`: only inside a database
    test does the connection name the test database rather than the configured one)."""
    server = PostgresServer()
    try:
        server.init()
        server.start()
        server.copy_database("award")
        yield server
    finally:
        server.remove()


class Load:
    """CLIENTS threads sending GETs one after another until stopped; each result is kept
    with when it was sent and answered."""

    def __init__(self, port: int, paths: list[str]):
        self.port, self.paths = port, paths
        self.results = []  # (sent, answered, status, body)
        self._stop = threading.Event()
        self._threads = [threading.Thread(target=self._client, args=(i,)) for i in range(CLIENTS)]

    def _client(self, index: int) -> None:
        n = index
        while not self._stop.is_set():
            sent = time.monotonic()
            status, body = get(self.port, self.paths[n % len(self.paths)])
            self.results.append((sent, time.monotonic(), status, body))
            n += 1

    def __enter__(self):
        for thread in self._threads:
            thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)

    def between(self, start: float, end: float) -> list:
        """Results sent after `start` and answered before `end`."""
        return [r for r in self.results if r[0] >= start and r[1] <= end]


def clean_error(status: int, body: str) -> bool:
    return status == 500 and ERROR_PAGE in body and "Traceback" not in body


def test_pages_answer_the_error_page_while_postgres_is_down_and_recover_after(
    private_postgres, tmp_path
):
    server = private_postgres
    paths = [reverse("award:home"), reverse("award:notice_list")]
    # Persistent connections, as production keeps them: each worker holds one to the server
    # that is about to go away.
    url = server.url("award") + "&conn_max_age=600"
    log_path = tmp_path / "gunicorn.log"
    with gunicorn(url, workers=WORKERS, log_path=log_path) as (port, process):
        with Load(port, paths) as load:
            time.sleep(1)
            server.stop()
            down_from = time.monotonic()
            time.sleep(DOWN_SECONDS)
            down_until = time.monotonic()
            server.start()
            up_from = time.monotonic()
            time.sleep(1)
        # Restarted again while nobody asks: each worker still holds a connection to the
        # server that went away, and must not fail the next visitor with it.
        server.stop()
        server.start()
        quiet_restart = [get(port, paths[n % len(paths)]) for n in range(2 * WORKERS)]
        master_alive = process.poll() is None

    results = load.results
    down = load.between(down_from, down_until)
    after = [r for r in results if r[0] >= up_from]
    unclean = [r for r in results if r[2] != 200 and not clean_error(r[2], r[3])]
    errors_down = [r for r in down if clean_error(r[2], r[3])]
    errors_after = [r for r in after if r[2] != 200]
    print(
        f"\npostgres restarted under load ({CLIENTS} clients, {WORKERS} gunicorn workers, "
        f"{DOWN_SECONDS}s down): {len(results)} requests sent, {len(down)} while down, "
        f"{len(errors_down)} answered with the error page, {len(unclean)} unclean answers "
        f"(traceback, dropped connection), {len(after)} after the restart with "
        f"{len(errors_after)} errors; restarted while idle: "
        f"{sum(status != 200 for status, _ in quiet_restart)}/{len(quiet_restart)} errors; "
        f"gunicorn restarted: {'no' if master_alive else 'yes'}"
    )
    detail = log_path.read_text(errors="replace")[-3000:] + server.tail()
    assert down, "no request was answered while PostgreSQL was down"
    assert len(errors_down) == len(down), detail  # every page: the portal's error page
    assert not unclean, (unclean[:1], detail)
    assert after, "no request was answered after the restart"
    assert not errors_after, (errors_after[:1], detail)
    assert [status for status, _ in quiet_restart] == [200] * len(quiet_restart), detail
    assert master_alive
