"""A private PostgreSQL cluster (Unix socket only, in its own folder), stoppable and
restartable, and a gunicorn serving the portal from it on a spare port of 127.0.0.1."""

import glob
import http.client
import os
import shutil
import subprocess
import tempfile
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.db import connection

from tests.worker import _stop_group, free_port, wait_for

GUNICORN = Path(settings.BASE_DIR) / ".venv" / "bin" / "gunicorn"


def _server_bin(name: str) -> str:
    """The newest installed PostgreSQL's server tool (initdb, pg_ctl are not on PATH)."""
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_major)
    if found:
        return found[-1]
    on_path = shutil.which(name)
    if on_path is None:
        raise AssertionError(f"{name} not found: install PostgreSQL's server package")
    return on_path


def _major(path: str) -> int:
    return int(Path(path).parts[4]) if Path(path).parts[4].isdigit() else 0


class PostgresServer:
    """initdb + pg_ctl in a fresh folder; as root, run as the postgres user (initdb refuses
    root), in a folder outside pytest's root-only temporary tree."""

    def __init__(self):
        self.port = free_port()
        self.root = Path(tempfile.mkdtemp(prefix="award-pg-"))
        self.data = self.root / "data"
        self.log_path = self.root / "server.log"
        self.as_root = os.geteuid() == 0
        if self.as_root:
            shutil.chown(self.root, user="postgres")

    def _run(self, *command: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        result = subprocess.run(
            [*prefix, *command], capture_output=True, text=True, timeout=120, check=False
        )
        if result.returncode:
            raise AssertionError(f"{command[0]} failed\n{result.stdout}{result.stderr}")

    def init(self) -> None:
        self._run(
            _server_bin("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust",
            "-E", "UTF8", "--no-locale", "--no-sync",
        )  # fmt: skip

    def start(self) -> None:
        # Only a Unix socket, in this private folder: no other process on the machine can hold
        # or answer on it (a TCP port can be taken by someone else between choosing and binding).
        options = (
            f"-p {self.port} -k {self.root} -c listen_addresses='' "
            "-c fsync=off -c full_page_writes=off"
        )
        self._run(
            _server_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.log_path), "-w",
            "-t", "60", "-o", options, "start",
        )  # fmt: skip

    def stop(self) -> None:
        """A fast shutdown: every session is cut off, as in a restart by the administrator."""
        self._run(_server_bin("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def remove(self) -> None:
        if (self.data / "postmaster.pid").exists():
            with suppress(AssertionError):
                self._run(_server_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def url(self, database: str) -> str:
        """DATABASE_URL of `database` here (the socket folder as libpq's host option)."""
        return f"postgres://postgres@/{database}?host={quote(str(self.root))}&port={self.port}"

    def copy_database(self, name: str) -> None:
        """Create `name` here as a copy of this test session's (migrated) database: faster
        than migrating from scratch."""
        db = connection.settings_dict
        source = ["-h", db["HOST"] or "127.0.0.1", "-p", str(db["PORT"] or 5432), "-U", db["USER"]]
        env = {**os.environ, "PGPASSWORD": db.get("PASSWORD") or ""}
        target = ["-h", str(self.root), "-p", str(self.port), "-U", "postgres"]
        subprocess.run(["createdb", *target, name], check=True, env=env, timeout=60)
        dump = subprocess.Popen(
            ["pg_dump", "--no-owner", "--no-privileges", *source, db["NAME"]],
            stdout=subprocess.PIPE,
            env=env,
        )
        restore = subprocess.run(
            ["psql", "-q", "-v", "ON_ERROR_STOP=1", *target, "-d", name],
            stdin=dump.stdout,
            capture_output=True,
            env=env,
            timeout=120,
            check=False,
        )
        dump.stdout.close()
        assert dump.wait(timeout=60) == 0, "pg_dump failed"
        assert restore.returncode == 0, restore.stderr.decode(errors="replace")[-2000:]

    def tail(self, lines: int = 40) -> str:
        text = self.log_path.read_text(errors="replace") if self.log_path.exists() else ""
        return f"--- postgres {self.port} log ---\n" + "\n".join(text.splitlines()[-lines:])


def get(port: int, path: str, timeout: float = 10) -> tuple[int, str]:
    """One GET on a fresh connection: (status, body); (0, error) if no HTTP answer came."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode(errors="replace")
    except OSError as exc:
        return 0, repr(exc)
    finally:
        conn.close()


class _Log:
    def __init__(self, path: Path):
        self.path = path

    def tail(self, lines: int = 60) -> str:
        text = self.path.read_text(errors="replace") if self.path.exists() else ""
        return "--- gunicorn log ---\n" + "\n".join(text.splitlines()[-lines:])


@contextmanager
def gunicorn(database_url: str, *, workers: int, log_path: Path):
    """gunicorn with the test settings (DEBUG off) on `database_url`; yields (port, process)."""
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "award.settings.test",
        "DATABASE_URL": database_url,
        "DEBUG": "False",
    }
    log = log_path.open("ab")
    process = subprocess.Popen(
        [str(GUNICORN), "award.wsgi", "-w", str(workers), "-b", f"127.0.0.1:{port}"],
        cwd=settings.BASE_DIR,
        env=env,
        start_new_session=True,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    try:
        wait_for(
            lambda: get(port, "/", timeout=5)[0] == 200,
            timeout=90,
            what="gunicorn",
            logs=[_Log(log_path)],
        )
        yield port, process
    finally:
        _stop_group(process)
