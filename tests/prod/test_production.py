"""The production shape on this machine, built by README's "Production on a server" blocks.

nginx (TLS with a throwaway certificate) → gunicorn (award.settings.prod), a Celery worker and
beat, a fresh PostgreSQL database and a private Redis. An applicant logs in and submits over
HTTPS through nginx; the worker sends the email and renders the 申报表 PDF, which comes back
through nginx's X-Accel-Redirect after the portal's permission check, while the stored file
has no address of its own. Then everything stops on SIGTERM, leaving no process behind.

TLS rather than plain HTTP: the production settings mark the session and CSRF cookies Secure
and redirect http to https, and a client returns Secure cookies only over https; so the test
runs the site config as README ships it instead of switching those settings off.
"""

import grp
import hashlib
import json
import os
import re
import secrets
import shlex
import shutil
import signal
import ssl
import subprocess
import tempfile
import time
from contextlib import ExitStack, suppress
from http.client import HTTPConnection, HTTPSConnection
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

import psycopg
import pytest
from django.conf import settings
from django.urls import reverse

from applications.models import ApplicationDocument, ApplicationSnapshot
from tests.prod.readme_blocks import assert_local, blocks, substitute, with_settings
from tests.worker import RedisServer, free_port

pytestmark = pytest.mark.prod

BASE_DIR = Path(settings.BASE_DIR)
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STOP_TIMEOUT = 20
RUN_TIMEOUT = 300
TEMPLATE_PREFIX = "award_prod_template_"

# The seeded world: an open cycle and a unit applicant whose draft is ready to submit.
SEED = """
import json
from tests.applications.factories import World, complete_application
from tests.factories import PASSWORD
world = World()
application = complete_application(world.owner, world.cycle)
print(json.dumps({"username": world.owner.username, "password": PASSWORD,
                  "email": world.owner.email, "application": application.pk}))
"""


class Browser:
    """A client over HTTPS that keeps cookies and sends what a browser sends with a form."""

    def __init__(self, port: int, cafile: Path):
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.context = ssl.create_default_context(cafile=str(cafile))
        self.cookies = {}

    def request(self, method: str, path: str, data=None, referer=None, headers=None):
        connection = HTTPSConnection("127.0.0.1", self.port, context=self.context, timeout=30)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = self.origin
            headers["Referer"] = self.origin + (referer or path)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return response.status, response.headers, content

    def get(self, path, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path, data, referer=None):
        return self.request("POST", path, data, referer)


def hidden(html: bytes, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]+)"', html.decode())
    assert match, f"no hidden input {name} on the page"
    return match[1]


class Service:
    """One long-running process in its own session, stopped with SIGTERM and waited for."""

    def __init__(self, name: str, argv: list[str], *, cwd: Path, env: dict, log: Path):
        self.name, self.log = name, log
        with log.open("ab") as out:
            self.process = subprocess.Popen(
                argv, cwd=cwd, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
            )

    def check_running(self):
        if self.process.poll() is not None:
            raise AssertionError(
                f"{self.name} exited with {self.process.returncode}\n{self.tail()}"
            )

    def stop(self) -> tuple[int | None, bool]:
        """SIGTERM, wait; (exit code, whether the group was empty afterwards without SIGKILL)."""
        pgid = self.process.pid
        if self.process.poll() is None:
            with suppress(ProcessLookupError):
                os.killpg(pgid, signal.SIGTERM)
            try:
                self.process.wait(timeout=STOP_TIMEOUT)
            except subprocess.TimeoutExpired:
                os.killpg(pgid, signal.SIGKILL)
                self.process.wait(timeout=STOP_TIMEOUT)
                return None, False
        deadline = time.monotonic() + 5
        while time.monotonic() < deadline:  # children still winding down
            try:
                os.killpg(pgid, 0)
            except ProcessLookupError:
                return self.process.returncode, True
            time.sleep(0.1)
        with suppress(ProcessLookupError):
            os.killpg(pgid, signal.SIGKILL)
        return self.process.returncode, False

    def tail(self, lines: int = 60) -> str:
        text = self.log.read_text(errors="replace") if self.log.exists() else ""
        return f"--- {self.name} ---\n" + "\n".join(text.splitlines()[-lines:])


def run(script: str, *, cwd: Path, env: dict, what: str) -> str:
    """Run a bash script in its own session; on a timeout nothing it started is left running."""
    process = subprocess.Popen(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,
    )
    try:
        stdout, stderr = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        raise AssertionError(f"{what} took over {RUN_TIMEOUT} s:\n{stdout}\n{stderr}") from None
    assert process.returncode == 0, f"{what} failed:\n{stdout}\n{stderr}"
    return stdout


def wait_for(predicate, *, timeout: float, what: str, services=()):
    deadline = time.monotonic() + timeout
    while True:
        for service in services:
            service.check_running()
        result = predicate()
        if result:
            return result
        if time.monotonic() > deadline:
            logs = "\n".join(service.tail() for service in services)
            raise AssertionError(f"timed out after {timeout}s waiting for {what}\n{logs}")
        time.sleep(0.25)


def server_database():
    db = settings.DATABASES["default"]
    return {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db.get("PASSWORD") or None,
    }


def migrations_digest() -> str:
    digest = hashlib.sha256()
    for path in sorted(BASE_DIR.glob("*/migrations/*.py")):
        digest.update(str(path.relative_to(BASE_DIR)).encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def migrated_template(server: dict, base_env: dict, tmp: Path) -> str:
    """A database migrated to this checkout's migrations, to copy the fresh database from.

    Migrating from nothing takes 15-45 s on a busy 2-core machine; the copy takes a second, and
    README's `migrate` then runs on it all the same. Named by the migrations' digest, so a new
    migration builds a new template (and drops the old ones); built under a temporary name and
    renamed, so two runs never share a half-built one.
    """
    name = f"{TEMPLATE_PREFIX}{migrations_digest()}"
    with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
        existing = {
            row[0]
            for row in admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", [TEMPLATE_PREFIX + "%"]
            )
        }
        if name in existing:
            return name
        building = f"{name}_{secrets.token_hex(3)}"
        admin.execute(f'CREATE DATABASE "{building}"')
    auth = server["user"] + (f":{server['password']}" if server["password"] else "")
    url = f"postgres://{auth}@{server['host']}:{server['port']}/{building}"
    try:
        run(
            ".venv/bin/python manage.py migrate --noinput",
            cwd=BASE_DIR,
            env={
                **base_env,
                "DJANGO_SETTINGS_MODULE": "award.settings.dev",
                "DATABASE_URL": url,
                "PRIVATE_MEDIA_ROOT": str(tmp / "template-media"),
            },
            what="migrating the template database",
        )
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'ALTER DATABASE "{building}" RENAME TO "{name}"')
            for old in existing:
                with suppress(psycopg.Error):
                    admin.execute(f'DROP DATABASE IF EXISTS "{old}"')
    except psycopg.errors.DuplicateDatabase:
        pass  # another run built it meanwhile
    finally:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{building}" WITH (FORCE)')
    return name


def test_production_shape_serves_a_submission_through_nginx():
    started = time.monotonic()
    readme = blocks()
    assert set(readme) == {"env", "release", "processes", "nginx"}, sorted(readme)

    base_env = {
        "PATH": os.environ["PATH"],
        "LANG": "C.UTF-8",
        "PYTHONUNBUFFERED": "1",
    }
    server = server_database()
    database = f"award_prod_{secrets.token_hex(4)}"
    services: list[Service] = []
    with ExitStack() as cleanup:
        # Everything under one folder the nginx workers may enter (group of this process).
        tmp = Path(tempfile.mkdtemp(prefix="award-prod-"))
        cleanup.callback(shutil.rmtree, tmp, ignore_errors=True)
        tmp.chmod(0o750)
        # gunicorn keeps a control socket under $HOME: the service user's home, here the test's.
        base_env["HOME"] = str(tmp)
        srv, var, certs, mail, site_dir = (
            tmp / name for name in ("srv", "var", "certs", "mail", "nginx")
        )
        for folder in (srv / "media", srv / "static", var, certs, mail, site_dir):
            folder.mkdir(parents=True)
            folder.chmod(0o750)

        subprocess.run(
            [
                *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
                *("-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"),
                *("-keyout", certs / "privkey.pem", "-out", certs / "fullchain.pem"),
            ],
            check=True,
            capture_output=True,
        )
        redis_server = RedisServer(free_port(), tmp / "redis.log")
        cleanup.callback(redis_server.stop)
        redis_server.start()

        template = migrated_template(server, base_env, tmp)
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
            admin.execute(f'CREATE DATABASE "{database}" TEMPLATE "{template}"')

        def drop_database():
            with psycopg.connect(dbname="postgres", autocommit=True, **server) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')

        cleanup.callback(drop_database)

        web_port, http_port, https_port = free_port(), free_port(), free_port()
        origin = f"https://127.0.0.1:{https_port}"
        auth = server["user"] + (f":{server['password']}" if server["password"] else "")
        env_file = tmp / "env"
        env_file.write_text(
            assert_local(
                with_settings(
                    substitute(readme["env"], {"/srv/award": str(srv)}),
                    {
                        "SECRET_KEY": secrets.token_urlsafe(50),
                        "ALLOWED_HOSTS": "127.0.0.1",
                        "CSRF_TRUSTED_ORIGINS": origin,
                        "SITE_URL": origin,
                        "DATABASE_URL": f"postgres://{auth}@{server['host']}:{server['port']}/{database}",
                        "CELERY_BROKER_URL": f"redis://127.0.0.1:{redis_server.port}/0",
                        "CACHE_URL": f"redis://127.0.0.1:{redis_server.port}/1",
                        "EMAIL_URL": f"filemail:///{mail}",
                    },
                )
            ),
            encoding="utf-8",
        )
        with_env = f'set -a && . {shlex.quote(str(env_file))} && set +a && exec "$@"'

        # Release: migrate, collectstatic, check --deploy, word for word.
        release = substitute(
            readme["release"], {"/srv/award/app": str(BASE_DIR), "/etc/award/env": str(env_file)}
        )
        run(assert_local(release), cwd=tmp, env=base_env, what="README's release block")
        released = time.monotonic()

        # nginx's site from the template, then a main config standing in for Debian's (which
        # includes sites-enabled/*), with pid, logs and temporary files in the test's folder.
        nginx_lines = substitute(
            readme["nginx"],
            {
                "/srv/award/app": str(BASE_DIR),
                "AWARD_HTTP_LISTEN=80 ": f"AWARD_HTTP_LISTEN=127.0.0.1:{http_port} ",
                "AWARD_HTTPS_LISTEN=443": f"AWARD_HTTPS_LISTEN=127.0.0.1:{https_port}",
                "127.0.0.1:8000": f"127.0.0.1:{web_port}",
                "/srv/award": str(srv),
                "/etc/award/certs": str(certs),
                "/etc/nginx/sites-enabled/award.conf": str(site_dir / "award.conf"),
            },
        ).splitlines()
        assert nginx_lines[-2:] == ["nginx -t", "systemctl reload nginx"]
        run(
            assert_local("\n".join(nginx_lines[:-2])),
            cwd=tmp,
            env=base_env,
            what="README's nginx block",
        )
        main_conf = site_dir / "nginx.conf"
        temp_paths = "\n".join(
            f"    {kind}_temp_path {site_dir / kind};"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        # As root the master switches its workers to nobody, in this process's group: like
        # www-data in the award group, they read the 0640 uploads and nothing more.
        user = f"user nobody {grp.getgrgid(os.getegid()).gr_name};" if os.geteuid() == 0 else ""
        main_conf.write_text(
            f"""{user}
worker_processes 1;
pid {site_dir / "nginx.pid"};
error_log {site_dir / "error.log"} warn;
events {{ worker_connections 128; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log {site_dir / "access.log"};
{temp_paths}
    include {site_dir / "award.conf"};
}}
"""
        )
        nginx = [
            NGINX,
            "-p",
            str(site_dir),
            "-c",
            str(main_conf),
            "-e",
            str(site_dir / "error.log"),
        ]
        run(shlex.join([*nginx, "-t"]), cwd=tmp, env=base_env, what="nginx -t")

        # The three long-running processes, each as systemd would run it, and nginx.
        processes = substitute(
            readme["processes"],
            {"127.0.0.1:8000": f"127.0.0.1:{web_port}", "/var/lib/award": str(var)},
        ).splitlines()
        assert [line.split()[0:4] for line in processes] == [
            [".venv/bin/gunicorn", "award.wsgi:application", "--preload", "--bind"],
            [".venv/bin/celery", "-A", "award", "worker"],
            [".venv/bin/celery", "-A", "award", "beat"],
        ]

        def stop_all():
            for service in reversed(services):
                service.stop()

        cleanup.callback(stop_all)
        processes_started = time.monotonic()
        for name, line in zip(("gunicorn", "worker", "beat"), processes, strict=True):
            argv = ["bash", "-c", with_env, "_", *shlex.split(assert_local(line))]
            services.append(
                Service(name, argv, cwd=BASE_DIR, env=base_env, log=tmp / f"{name}.log")
            )
        services.append(
            Service(
                "nginx", [*nginx, "-g", "daemon off;"], cwd=tmp, env=base_env, log=tmp / "nginx.log"
            )
        )
        # The applicant's draft is written while the processes boot.
        seeded = run(
            f"bash -c {shlex.quote(with_env)} _ .venv/bin/python manage.py shell -c "
            + shlex.quote(SEED),
            cwd=BASE_DIR,
            env=base_env,
            what="seeding the applicant",
        )
        world = json.loads(seeded.strip().splitlines()[-1])
        browser = Browser(https_port, certs / "fullchain.pem")

        def home_answers():
            with suppress(OSError):
                return browser.get("/")[0] == 200

        wait_for(home_answers, timeout=45, what="the home page through nginx", services=services)
        first_response = time.monotonic() - processes_started

        # Static files come from nginx, hashed and immutable, gzipped for a client that asks.
        stylesheet = re.search(r'href="(/static/[^"]+\.css)"', browser.get("/")[2].decode())[1]
        status, headers, _css = browser.get(stylesheet, headers={"Accept-Encoding": "gzip"})
        assert status == 200
        assert headers["Content-Encoding"] == "gzip"
        assert "immutable" in headers["Cache-Control"]

        # Plain http is sent to https.
        plain = HTTPConnection("127.0.0.1", http_port, timeout=10)
        plain.request("GET", "/accounts/")
        redirect = plain.getresponse()
        assert redirect.status == 301
        assert redirect.headers["Location"] == "https://127.0.0.1/accounts/"
        plain.close()

        login = reverse("award:login")
        status, _headers, page = browser.get(login)
        assert status == 200
        status, headers, _body = browser.post(
            login,
            {
                "csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"),
                "username": world["username"],
                "password": world["password"],
            },
        )
        assert status == 302, _body.decode()[:2000]
        assert "sessionid" in browser.cookies

        pk = world["application"]
        confirm = reverse("applications:application_step", args=[pk, "confirm"])
        status, _headers, page = browser.get(confirm)
        assert status == 200
        status, headers, body = browser.post(
            confirm,
            {
                "csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"),
                "submission_token": hidden(page, "submission_token"),
            },
        )
        assert status == 302, body.decode()[:2000]
        assert headers["Location"] == reverse("applications:application_detail", args=[pk])
        submitted = time.monotonic()

        pdf_url = reverse("applications:snapshot_pdf", args=[pk, 1])
        status, headers, pdf = wait_for(
            lambda: (answer := browser.get(pdf_url))[0] == 200 and answer,
            timeout=45,
            what="the 申报表 PDF rendered by the worker",
            services=services,
        )
        pdf_seconds = time.monotonic() - submitted
        assert pdf.startswith(b"%PDF") and b"%%EOF" in pdf[-1024:]
        assert headers["Content-Type"] == "application/pdf"
        assert headers["Content-Disposition"].startswith("attachment; filename*=utf-8''")
        assert headers["Cache-Control"] == "private, no-store"
        assert "X-Accel-Redirect" not in headers  # nginx acted on it

        # The bytes are the stored file's, and the stored file has no address of its own.
        with psycopg.connect(dbname=database, **server) as connection:
            stored_pdf = connection.execute(
                f"SELECT pdf FROM {ApplicationSnapshot._meta.db_table} WHERE application_id = %s",
                [pk],
            ).fetchone()[0]
            document_pk, stored_document = connection.execute(
                f"SELECT id, file FROM {ApplicationDocument._meta.db_table} "
                "WHERE application_id = %s",
                [pk],
            ).fetchone()
        assert (srv / "media" / stored_pdf).read_bytes() == pdf
        for raw in (f"/_protected/{stored_pdf}", f"/media/{stored_pdf}", f"/{stored_pdf}"):
            assert browser.get(raw)[0] == 404, raw
        status, _headers, document = browser.get(
            reverse("applications:document_download", args=[document_pk])
        )
        assert status == 200
        assert document == (srv / "media" / stored_document).read_bytes()
        assert browser.get(f"/_protected/{stored_document}")[0] == 404

        # Someone who is not logged in is sent to the login page, not given the file.
        stranger = Browser(https_port, certs / "fullchain.pem")
        status, headers, body = stranger.get(pdf_url)
        assert status == 302 and headers["Location"].startswith(login)

        def applicant_emails():
            found = []
            for path in mail.glob("*.log"):
                text = path.read_text(encoding="utf-8", errors="replace")
                found += [chunk for chunk in text.split("-" * 79) if world["email"] in chunk]
            return found

        emails = wait_for(
            applicant_emails, timeout=30, what="the applicant's email", services=services
        )
        emails_seen = len(list(mail.glob("*.log")))

        # SIGTERM to each, nginx first; each exits cleanly and leaves no process behind.
        stopped = {service.name: service.stop() for service in reversed(services)}
        services.clear()
        for name, (code, group_empty) in stopped.items():
            assert group_empty, f"{name} left processes behind or needed SIGKILL"
            assert code == 0, f"{name} exited with {code}"

        print(
            f"\nproduction run: release (migrate, collectstatic, check) "
            f"{released - started:.1f} s; first response through nginx "
            f"{first_response:.2f} s after starting the processes; 申报表 PDF {len(pdf)} bytes, "
            f"{pdf_seconds:.1f} s after submitting; emails to the applicant {len(emails)}, "
            f"email files written {emails_seen}; total {time.monotonic() - started:.1f} s"
        )
