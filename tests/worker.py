"""Fixtures running a real Celery worker (with beat) and, for outages, a private Redis."""

import email
import email.policy
import os
import signal
import socket
import subprocess
import time
from contextlib import contextmanager, suppress
from pathlib import Path

import pytest
import redis
from django.conf import settings
from kombu import pools as kombu_pools

from award import celery_app

BASE_DIR = Path(settings.BASE_DIR)
CELERY = BASE_DIR / ".venv" / "bin" / "celery"
# One Redis database per xdist worker (gw0 → 9, gw1 → 10, …), so parallel runs never take
# each other's tasks.
_XDIST_INDEX = int(os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw") or 0)
SHARED_BROKER_URL = f"redis://127.0.0.1:6379/{9 + _XDIST_INDEX}"
READY_TIMEOUT = 60

# Workers sharing the test database; the outage fixture pauses them so only its own worker
# can deliver what it is watching.
_shared_workers = []


def wait_for(predicate, *, timeout: float, what: str, logs=()):
    """Poll `predicate` until it returns something truthy; fail with the workers' logs."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            details = "\n".join(log.tail() for log in logs)
            raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{details}")
        time.sleep(0.25)


@contextmanager
def environment(monkeypatch, **variables):
    """Set environment variables for the block: a worker started inside it (or restarted while
    it lasts) reads its settings from them."""
    with monkeypatch.context() as patch:
        for name, value in variables.items():
            patch.setenv(name, value)
        yield


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _stop_group(process: subprocess.Popen, timeout: float = 15) -> None:
    """Stop a process started in its own session, then anything it left in its group."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=timeout)
        except ProcessLookupError:
            pass
    with suppress(ProcessLookupError):  # the embedded beat is a child in the same group
        os.killpg(process.pid, signal.SIGKILL)


class RedisServer:
    """A private redis-server without persistence, stoppable and restartable on one port."""

    def __init__(self, port: int, log_path: Path):
        self.port = port
        self.log_path = log_path
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        client = redis.Redis(port=self.port, socket_connect_timeout=0.5)
        wait_for(self._answers(client), timeout=15, what=f"redis on {self.port}", logs=[self])

    def _answers(self, client):
        def ping():
            if self.process.poll() is not None:
                raise AssertionError(f"redis-server exited\n{self.tail()}")
            try:
                return client.ping()
            except redis.ConnectionError:
                return False

        return ping

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process)
            self.process = None

    def tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"--- redis {self.port} log ---\n" + "\n".join(text.splitlines()[-lines:])


class CeleryWorker:
    """`celery -A award worker -B` against one broker and the pytest-django test database."""

    def __init__(
        self, *, name: str, broker_url: str, database_url: str, workdir: Path, concurrency=None
    ):
        self.name = name
        # None: one solo process (the tests' default); a number: prefork with that many
        # processes, as docker-compose.yml runs the worker.
        self.pool_args = (
            ["--pool=solo", "--concurrency=1"]
            if concurrency is None
            else ["--pool=prefork", f"--concurrency={concurrency}"]
        )
        self.broker_url = broker_url
        self.database_url = database_url
        self.mail_dir = workdir / "mail"
        self.mail_dir.mkdir(parents=True, exist_ok=True)
        self.log_path = workdir / "worker.log"
        self.schedule_path = workdir / "beat-schedule"
        self.process = None
        self.redis = None  # the private broker, when the worker has one

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "award.settings.test",
            "DATABASE_URL": self.database_url,
            "CELERY_BROKER_URL": self.broker_url,
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "EMAIL_FILE_PATH": str(self.mail_dir),
            "EMAIL_SWEEP_SECONDS": "1",
            "EMAIL_RESEND_AFTER_SECONDS": "2",
            "PYTHONUNBUFFERED": "1",
        }
        offset = self.log_path.stat().st_size if self.log_path.exists() else 0
        log = self.log_path.open("ab")
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "award",
                "worker",
                *self.pool_args,
                "-B",
                f"--schedule={self.schedule_path}",
                f"--hostname={self.name}@%h",
                "--loglevel=INFO",
            ],
            cwd=BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        try:
            wait_for(
                lambda: self._ready_since(offset),
                timeout=READY_TIMEOUT,
                what=f"worker {self.name} to be ready",
                logs=[self],
            )
        except BaseException:
            self.stop()
            raise

    def _ready_since(self, offset: int) -> bool:
        if self.process.poll() is not None:
            raise AssertionError(f"worker {self.name} exited early\n{self.tail()}")
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return b" ready." in log.read()

    def stop(self) -> None:
        if self.process is not None:
            _stop_group(self.process)
            self.process = None

    def tail(self, lines: int = 80) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        log = f"--- worker {self.name} log ---\n" + "\n".join(text.splitlines()[-lines:])
        return log if self.redis is None else f"{log}\n{self.redis.tail()}"

    def wait_for(self, predicate, *, timeout: float, what: str):
        """Poll until `predicate` holds; on timeout fail with this worker's log."""
        return wait_for(predicate, timeout=timeout, what=what, logs=[self])

    def log_since(self, offset: int) -> str:
        with self.log_path.open("rb") as log:
            log.seek(offset)
            return log.read().decode(errors="replace")

    def emails_to(self, address: str) -> list:
        """Emails the worker wrote to its file backend for `address`, parsed."""
        found = []
        for path in sorted(self.mail_dir.glob("*.log")):
            # The file backend separates messages with a line of 79 dashes.
            for chunk in path.read_bytes().split(b"\n" + b"-" * 79 + b"\n"):
                if chunk.strip():
                    parsed = email.message_from_bytes(chunk.strip(), policy=email.policy.default)
                    if address in str(parsed["To"]):
                        found.append(parsed)
        return found


def _database_url() -> str:
    db = settings.DATABASES["default"]
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@contextmanager
def _logs_on_failure(request, *sources):
    """Write the logs to the terminal when the test using the fixture failed."""
    failed_before = request.session.testsfailed
    yield
    if request.session.testsfailed > failed_before:
        reporter = request.config.pluginmanager.get_plugin("terminalreporter")
        for source in sources:
            reporter.write_line(source.tail(200))


def _reset_broker_pools():
    # kombu keeps pools in a process-wide registry keyed by broker URL: a pool closed here would
    # be handed to a later test whose broker got the same port ("Acquire on closed pool").
    kombu_pools.reset()
    celery_app._pool = None
    if "amqp" in celery_app.__dict__:
        celery_app.amqp._producer_pool = None


@contextmanager
def publishing_to(broker_url: str):
    """Make this test process publish tasks to `broker_url` instead of running them eagerly."""
    saved = celery_app.conf.broker_url, celery_app.conf.task_always_eager
    old_settings = settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER
    settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER = broker_url, False
    celery_app.conf.broker_url, celery_app.conf.task_always_eager = broker_url, False
    _reset_broker_pools()
    try:
        yield
    finally:
        pool = celery_app._pool
        if pool is not None:
            pool.force_close_all()
        celery_app.conf.broker_url, celery_app.conf.task_always_eager = saved
        settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER = old_settings
        _reset_broker_pools()


@pytest.fixture(scope="session")
def celery_worker(django_db_setup, tmp_path_factory):
    """One real worker with beat on the machine's Redis (db 9), on the test database."""
    # django_db_setup has run: NAME is now the test database.
    worker = CeleryWorker(
        name="trl-shared",
        broker_url=SHARED_BROKER_URL,
        database_url=_database_url(),
        workdir=tmp_path_factory.mktemp("celery-worker"),
    )
    worker.start()
    _shared_workers.append(worker)
    try:
        yield worker
    finally:
        _shared_workers.remove(worker)
        worker.stop()


@pytest.fixture
def shared_worker(celery_worker, request):
    """The shared worker, with this test process publishing to its broker."""
    with publishing_to(celery_worker.broker_url), _logs_on_failure(request, celery_worker):
        yield celery_worker


@pytest.fixture
def outage_worker(django_db_setup, tmp_path, request):
    """A private Redis on a spare port and a worker of its own; the test may stop that Redis.

    Shared workers are paused meanwhile, so what gets delivered is delivered by this worker.
    """
    paused = [worker for worker in _shared_workers if worker.running]
    for worker in paused:
        worker.stop()
    server = RedisServer(free_port(), tmp_path / "redis.log")
    worker = CeleryWorker(
        name="trl-outage",
        broker_url=server.url,
        database_url=_database_url(),
        workdir=tmp_path / "worker",
    )
    worker.redis = server
    try:
        server.start()
        worker.start()
        with publishing_to(server.url), _logs_on_failure(request, worker):
            yield worker
    finally:
        worker.stop()
        server.stop()
        for shared in paused:
            shared.start()
