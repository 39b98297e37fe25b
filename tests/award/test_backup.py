"""manage.py backup and restore: a backup restored into a fresh database and folder passes
verify_audit with every upload intact; a tampered or partial backup is refused by name."""

import hashlib
import io
import json
import secrets
import shutil
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection
from psycopg import sql

from applications.models import ApplicationDocument as Document
from award.enums import Role
from award.models import AuditChainHead, AuditEntry
from tests.applications.factories import (
    announced_cycle,
    complete_application,
    individual_applicant,
    unit_applicant,
)
from tests.award.test_settings import run
from tests.factories import make_user


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def tree(root: Path) -> dict[str, str]:
    """Every file under `root` with its SHA-256, computed here, not taken from the manifest."""
    return {
        path.relative_to(root).as_posix(): sha256(path)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def server(dbname="postgres"):
    params = connection.settings_dict
    return psycopg.connect(
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        dbname=dbname,
        autocommit=True,
    )


def database_url(name: str) -> str:
    params = connection.settings_dict
    password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
    return (
        f"postgres://{params['USER']}{password}@{params['HOST'] or '127.0.0.1'}:"
        f"{params['PORT'] or 5432}/{name}"
    )


@pytest.fixture
def fresh_database():
    """A throwaway empty database on the test server, dropped afterwards."""
    name = f"award_restore_{secrets.token_hex(4)}"
    with server() as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    yield name
    with server() as admin:
        admin.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


@pytest.fixture
def world():
    """Two applications with real uploads (PDF, PNG), written through the services, which
    leave their audit entries."""
    office = make_user(Role.OFFICE)
    cycle = announced_cycle(office=office)
    complete_application(unit_applicant(), cycle)
    complete_application(individual_applicant(), cycle)
    return Path(settings.STORAGES["default"]["OPTIONS"]["location"])


def make_backup(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    (folder,) = (tmp_path / "backups").iterdir()
    assert f"备份完成：{folder}" in out.getvalue()
    return folder


def restore_env(name: str, media: Path) -> dict:
    return {
        "DJANGO_SETTINGS_MODULE": "award.settings.test",
        "DATABASE_URL": database_url(name),
        "PRIVATE_MEDIA_ROOT": str(media),
    }


@pytest.mark.django_db(transaction=True)
def test_a_backup_restored_into_a_fresh_database_and_folder_passes_verify_audit(
    world, tmp_path, fresh_database
):
    media = world
    originals = tree(media)
    assert len(originals) == 3  # two self-assessment PDFs, one photo
    entries = AuditEntry.objects.count()
    assert entries > 0

    folder = make_backup(tmp_path)

    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    listed = {entry["path"]: entry["sha256"] for entry in manifest["media"]["files"]}
    assert listed == originals
    assert tree(folder / "media") == originals
    dump = folder / "database.dump"
    assert manifest["database"]["sha256"] == sha256(dump)
    assert manifest["database"]["size"] == dump.stat().st_size
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format
    assert manifest["audit"] == {
        "entries": entries,
        "last_entry_id": AuditEntry.objects.order_by("pk").last().pk,
        "head": AuditChainHead.objects.get(pk=1).last_hash,
    }
    assert "0001_initial" in manifest["migrations"]["applications"]
    assert (folder.stat().st_mode & 0o777) == 0o700

    restored_media = tmp_path / "restored-media"
    env = restore_env(fresh_database, restored_media)
    result = run(["manage.py", "restore", str(folder)], **env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"{entries}条审计记录" in result.stdout

    verified = run(["manage.py", "verify_audit"], **env)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert f"审计链完整：已校验{entries}条记录。" in verified.stdout

    # Every upload is back, byte for byte, where the restored rows point.
    assert tree(restored_media) == originals == listed
    with server(fresh_database) as restored:
        names = {
            row[0] for row in restored.execute("SELECT file FROM applications_applicationdocument")
        }
    assert names == set(Document.objects.values_list("file", flat=True))
    assert names <= set(originals)

    # Onto a filled database (refused without it: see the test below) --force replaces it.
    forced = run(["manage.py", "restore", "--force", str(folder)], **env)
    assert forced.returncode == 0, forced.stdout + forced.stderr
    verified = run(["manage.py", "verify_audit"], **env)
    assert f"审计链完整：已校验{entries}条记录。" in verified.stdout
    assert tree(restored_media) == originals


def tamper_flip_a_byte(folder, upload):
    path = folder / "media" / upload
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0xFF
    path.write_bytes(bytes(data))
    return f"media/{upload}: SHA-256 校验值与清单不符"


def tamper_delete_an_upload(folder, upload):
    (folder / "media" / upload).unlink()
    return f"media/{upload}: 文件缺失"


def tamper_truncate_the_dump(folder, upload):
    path = folder / "database.dump"
    size = path.stat().st_size
    path.write_bytes(path.read_bytes()[: size // 2])
    return f"database.dump: 大小不符（清单 {size} 字节，实际 {size // 2} 字节）"


def tamper_add_a_file(folder, upload):
    (folder / "media" / "applications" / "planted.pdf").write_bytes(b"%PDF-1.4 planted")
    return "media/applications/planted.pdf: 不在清单中"


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_tampered_or_partial_backup_naming_the_file(world, tmp_path):
    intact = make_backup(tmp_path)
    upload = next(iter(tree(intact / "media")))
    documents = Document.objects.count()
    for tamper in (
        tamper_flip_a_byte,
        tamper_delete_an_upload,
        tamper_truncate_the_dump,
        tamper_add_a_file,
    ):
        folder = tmp_path / tamper.__name__
        shutil.copytree(intact, folder)
        expected = tamper(folder, upload)
        with pytest.raises(CommandError) as refused:
            call_command("restore", "--force", str(folder))
        message = str(refused.value)
        assert message.startswith("备份未通过校验，未做任何恢复："), tamper.__name__
        assert expected in message, message
    (tmp_path / "no-manifest").mkdir()
    with pytest.raises(CommandError, match=r"缺少 manifest\.json"):
        call_command("restore", str(tmp_path / "no-manifest"))
    # Nothing was restored over the configured database.
    assert Document.objects.count() == documents
    # The intact backup passes the checks and is refused only because the database is in use.
    with pytest.raises(CommandError, match=f"数据库 {connection.settings_dict['NAME']} 不是空的"):
        call_command("restore", str(intact))


def test_backup_refuses_a_database_that_is_not_postgresql(tmp_path):
    env = {
        "DJANGO_SETTINGS_MODULE": "award.settings.dev",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "PRIVATE_MEDIA_ROOT": str(tmp_path / "media"),
    }
    # Both commands in one interpreter (one Django start-up), each refusal printed.
    code = "\n".join(
        [
            "import sys, django",
            "django.setup()",
            "from django.core.management import CommandError, call_command",
            "for name, path in (('backup', sys.argv[1]), ('restore', sys.argv[2])):",
            "    try:",
            "        call_command(name, path)",
            "    except CommandError as error:",
            "        print(name, error)",
        ]
    )
    result = run(["-c", code, str(tmp_path / "backups"), str(tmp_path)], **env)
    refusal = "备份和恢复只支持 PostgreSQL 数据库，当前数据库是 sqlite。"
    assert f"backup {refusal}" in result.stdout, result.stdout + result.stderr
    assert f"restore {refusal}" in result.stdout
    assert not (tmp_path / "backups").exists()


def test_backup_refuses_when_pg_dump_is_not_on_path(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="找不到 pg_dump"):
        call_command("backup", str(tmp_path / "backups"))
    assert not (tmp_path / "backups").exists()
