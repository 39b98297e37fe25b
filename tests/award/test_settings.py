"""Settings per environment: production passes Django's deploy checks, dev falls back to SQLite."""

import os
import secrets
import subprocess
import sys

from django.conf import settings

# Variables that would leak this test run's own configuration into the subprocess.
CONFIG_VARS = (
    "DJANGO_SETTINGS_MODULE",
    "DATABASE_URL",
    "CACHE_URL",
    "CELERY_BROKER_URL",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DEBUG",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_PRELOAD",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)
PROD_ENV = {
    "DJANGO_SETTINGS_MODULE": "award.settings.prod",
    "ALLOWED_HOSTS": "award.example.org",
    "DATABASE_URL": "postgres://award@db.example.org:5432/award",
}


def run(args, **env):
    base = {key: value for key, value in os.environ.items() if key not in CONFIG_VARS}
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def show(expression, **env):
    """Print one expression evaluated against the configured settings in a fresh interpreter."""
    code = f"import django; django.setup(); from django.conf import settings; print({expression})"
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def check_deploy(**env):
    return run(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], **env)


def test_production_settings_pass_the_deploy_checklist():
    result = check_deploy(**PROD_ENV, SECRET_KEY=secrets.token_urlsafe(50))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_deploy_checklist_catches_a_weakened_production_setting():
    result = check_deploy(
        **PROD_ENV, SECRET_KEY=secrets.token_urlsafe(50), SECURE_SSL_REDIRECT="false"
    )
    assert result.returncode == 1
    assert "security.W008" in result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    result = check_deploy(**PROD_ENV)
    assert result.returncode == 1
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_production_runs_without_debug_and_behind_https():
    env = {**PROD_ENV, "SECRET_KEY": secrets.token_urlsafe(50)}
    assert show("settings.DEBUG", **env) == "False"
    assert show("settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE", **env) == (
        "True True"
    )
    assert show("settings.DATABASES['default']['ENGINE']", **env) == (
        "django.db.backends.postgresql"
    )


def test_development_uses_sqlite_when_no_database_url_is_set():
    env = {"DJANGO_SETTINGS_MODULE": "award.settings.dev"}
    assert show("settings.DATABASES['default']['ENGINE']", **env) == "django.db.backends.sqlite3"
    assert show("settings.DATABASES['default']['NAME']", **env) == str(
        settings.BASE_DIR / "db.sqlite3"
    )


def test_development_uses_the_database_url_when_set():
    env = {
        "DJANGO_SETTINGS_MODULE": "award.settings.dev",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/award_demo",
    }
    assert show("settings.DATABASES['default']['ENGINE']", **env) == (
        "django.db.backends.postgresql"
    )
    assert show("settings.DATABASES['default']['NAME']", **env) == "award_demo"


def test_celery_runs_tasks_in_process_without_a_broker():
    env = {"DJANGO_SETTINGS_MODULE": "award.settings.dev"}
    assert show("settings.CELERY_TASK_ALWAYS_EAGER", **env) == "True"
    # The Celery app itself, not only the setting, runs a task in-process and returns its value.
    code = """
import django
django.setup()
from award.celery import app

@app.task(name="probe.double")
def double(x):
    return x * 2

result = double.delay(21)
print(app.conf.task_always_eager, type(result).__name__, result.get())
"""
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True EagerResult 42"
    assert "No hostname" not in result.stderr  # no broker is looked for


def test_celery_queues_tasks_when_a_broker_is_configured():
    env = {
        "DJANGO_SETTINGS_MODULE": "award.settings.dev",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    }
    assert show("settings.CELERY_TASK_ALWAYS_EAGER", **env) == "False"
    assert show("__import__('award.celery').celery.app.conf.task_always_eager", **env) == "False"


def test_sqlite_waits_for_the_write_lock_and_journals_ahead(tmp_path):
    """The demo's concurrent requests queue for SQLite's one writer instead of failing."""
    env = {
        "DJANGO_SETTINGS_MODULE": "award.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
    }
    code = """
import django
django.setup()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("PRAGMA journal_mode")
    journal = cursor.fetchone()[0]
    cursor.execute("PRAGMA busy_timeout")
    busy = cursor.fetchone()[0]
print(journal, busy, connection.transaction_mode)
"""
    result = run(["-c", code], **env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "wal 20000 IMMEDIATE"


def test_postgresql_gets_no_sqlite_options():
    env = {
        "DJANGO_SETTINGS_MODULE": "award.settings.dev",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/award_demo",
    }
    assert show("settings.DATABASES['default'].get('OPTIONS', {})", **env) == "{}"


def test_development_runs_without_debug_unless_asked():
    env = {"DJANGO_SETTINGS_MODULE": "award.settings.dev"}
    assert show("settings.DEBUG", **env) == "False"
    assert show("settings.DEBUG", **env, DEBUG="1") == "True"


def test_without_debug_the_demo_still_serves_its_static_files():
    """No collectstatic: `make run` serves CSS and JS through whitenoise with DEBUG off."""
    code = """
import re
import django
django.setup()
from django.conf import settings
from django.template import loader
from django.test import Client
page = loader.get_template("500.html").render()
urls = re.findall(r'(?:href|src)="(/static/[^"]+)"', page)
client = Client()
print(settings.DEBUG, sorted((url, client.get(url).status_code) for url in urls))
"""
    result = run(["-c", code], DJANGO_SETTINGS_MODULE="award.settings.dev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "False [('/static/bootstrap/css/bootstrap.min.css', 200), "
        "('/static/bootstrap/js/bootstrap.bundle.min.js', 200), "
        "('/static/css/portal.css', 200), "
        "('/static/django_htmx/htmx-2.min.js', 200), "
        "('/static/img/favicon.svg', 200), "
        "('/static/js/portal.js', 200)]"
    )
