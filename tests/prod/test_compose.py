"""docker-compose.yml keeps the production shape, and `docker compose config` accepts it."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

pytestmark = pytest.mark.prod

BASE_DIR = Path(settings.BASE_DIR)
MADE_UP_ENV = {
    "SECRET_KEY": "made-up-0123456789abcdefghijklmnopqrstuvwxyz0123456789",
    "ALLOWED_HOSTS": "award.example.org",
    "CSRF_TRUSTED_ORIGINS": "https://award.example.org",
    "SITE_URL": "https://award.example.org",
    "POSTGRES_PASSWORD": "madeup",
    "EMAIL_URL": "smtp+tls://user:secret@smtp.example.org:587",
    "DEFAULT_FROM_EMAIL": "临沂市市长质量奖 <noreply@example.org>",
    "TLS_CERT_DIR": "/etc/award/certs",
}


def compose_command() -> list[str]:
    """The Compose v2 plugin when the machine has it, else Debian's docker-compose."""
    docker = shutil.which("docker")
    if (
        docker
        and subprocess.run([docker, "compose", "version"], capture_output=True).returncode == 0
    ):
        return [docker, "compose"]
    legacy = shutil.which("docker-compose")
    assert legacy, "neither `docker compose` nor docker-compose: run scripts/system-deps.sh test"
    return [legacy]


def config(tmp_path, values: dict) -> subprocess.CompletedProcess:
    env_file = tmp_path / "made-up.env"
    env_file.write_text("".join(f"{k}={v}\n" for k, v in values.items()), encoding="utf-8")
    return subprocess.run(
        [
            *compose_command(),
            "--env-file",
            str(env_file),
            "-f",
            str(BASE_DIR / "docker-compose.yml"),
            "config",
        ],
        cwd=tmp_path,
        # Only the made-up file: nothing from the machine's environment or the repository's .env.
        env={"PATH": os.environ["PATH"], "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=60,
    )


def services(rendered: str) -> dict[str, str]:
    """Each service's block of the rendered YAML, by name."""
    body = rendered.split("\nservices:\n", 1)[1]
    body = re.split(r"\n(?=\S)", body, maxsplit=1)[0]
    parts = re.split(r"^  ([a-z]+):\n", body, flags=re.M)
    return dict(zip(parts[1::2], parts[2::2], strict=True))


def test_compose_config_passes_with_a_made_up_env_and_keeps_the_shape(tmp_path):
    done = config(tmp_path, MADE_UP_ENV)
    assert done.returncode == 0, done.stderr
    found = services("\n" + done.stdout)
    assert set(found) == {"release", "web", "worker", "beat", "nginx", "db", "redis"}
    for name in ("web", "nginx", "db", "redis"):
        assert "    healthcheck:" in found[name], f"{name} has no health check"
    assert "DJANGO_SETTINGS_MODULE: award.settings.prod" in found["web"]
    assert "PRIVATE_MEDIA_ACCEL_PREFIX: /_protected/" in found["web"]
    # nginx fills in the same site template README's server section uses, and reads uploads.
    assert f"{BASE_DIR / 'deploy' / 'nginx-site.conf'}" in found["nginx"]
    assert "/etc/nginx/templates/default.conf.template" in found["nginx"]
    assert "target: /srv/award/media" in found["nginx"] or "/srv/award/media:ro" in found["nginx"]


def test_compose_config_refuses_an_env_without_the_secret_key(tmp_path):
    done = config(tmp_path, {k: v for k, v in MADE_UP_ENV.items() if k != "SECRET_KEY"})
    assert done.returncode != 0
    assert "set SECRET_KEY in .env" in done.stderr
