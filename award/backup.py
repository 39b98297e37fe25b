"""Backing up and restoring the portal: the PostgreSQL database and the private uploads.

A backup is one folder, `award-backup-<UTC time>/`, holding
    database.dump   pg_dump --format=custom of the configured database
    media/          a copy of every file under the private media storage
    manifest.json   SHA-256 and size of the dump and of every upload, the time, the applied
                    migrations and the audit chain's head as they are in the dump
The dump, the manifest's audit head and migrations are read from one exported snapshot, so
they describe the same moment. The folder is written as `<name>.partial` and renamed when
complete, so a backup cut short never looks like a finished one.
"""

import datetime
import hashlib
import json
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.core.files.storage import FileSystemStorage, storages
from django.db import connections
from django.db.migrations.executor import MigrationExecutor
from django.utils.translation import gettext as _

from award.models import AuditChainHead, AuditEntry

MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
FORMAT = 1
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A refusal the commands print as it is."""


@dataclass(frozen=True)
class Problem:
    path: str
    problem: str


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def copy_with_digest(source: Path, target: Path) -> tuple[str, int]:
    """Copy `source` to `target` and return the SHA-256 and size of what was written."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    size = 0
    with source.open("rb") as reader, target.open("wb") as writer:
        while chunk := reader.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
            writer.write(chunk)
    shutil.copystat(source, target)
    return digest.hexdigest(), size


def media_root() -> Path:
    storage = storages["default"]
    if not isinstance(storage, FileSystemStorage):
        raise BackupError(_("上传文件不在本地文件夹中，无法备份或恢复。"))
    return Path(storage.location)


def media_files(root: Path) -> list[str]:
    """Every regular file under `root`, as sorted POSIX paths relative to it."""
    if not root.is_dir():
        return []
    found = []
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in files:
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                found.append(path.relative_to(root).as_posix())
    return sorted(found)


# The database -----------------------------------------------------------------------------


def database(alias: str = "default"):
    """The configured connection; refuse anything but PostgreSQL with pg_dump on PATH."""
    connection = connections[alias]
    if connection.vendor != "postgresql":
        raise BackupError(
            _(
                "备份和恢复只支持 PostgreSQL 数据库，当前数据库是 %(vendor)s。"
                "请将 DATABASE_URL 指向 PostgreSQL。"
            )
            % {"vendor": connection.vendor}
        )
    return connection


def client(program: str) -> str:
    path = shutil.which(program)
    if path is None:
        raise BackupError(
            _("找不到 %(program)s：请安装与数据库版本相符的 PostgreSQL 客户端并将其加入 PATH。")
            % {"program": program}
        )
    return path


def client_env(settings_dict: dict) -> dict:
    """libpq environment for pg_dump/pg_restore: the password never appears on a command line."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        env.pop(variable, None)
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for key in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        if options.get(key):
            env[f"PG{key.upper()}"] = str(options[key])
    return env


def run_client(command: list[str], env: dict) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s 失败（退出码 %(code)s）：%(error)s")
            % {
                "program": Path(command[0]).name,
                "code": result.returncode,
                "error": result.stderr.strip(),
            }
        )


def _state(cursor, connection) -> dict:
    """The applied migrations and the audit chain's head, read by `cursor`."""
    quote = connection.ops.quote_name
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    migrations = {}
    for app, name in cursor.fetchall():
        migrations.setdefault(app, []).append(name)
    cursor.execute(f"SELECT count(*), max(id) FROM {quote(AuditEntry._meta.db_table)}")
    entries, last_id = cursor.fetchone()
    cursor.execute(f"SELECT last_hash FROM {quote(AuditChainHead._meta.db_table)} WHERE id = 1")
    row = cursor.fetchone()
    return {
        "migrations": migrations,
        "audit": {"entries": entries, "last_entry_id": last_id, "head": row[0] if row else None},
    }


# Backup -----------------------------------------------------------------------------------


def backup(output: Path, *, progress=lambda text: None) -> Path:
    """Write one backup folder under `output` and return its path."""
    connection = database()
    pg_dump = client("pg_dump")
    root = media_root()
    now = datetime.datetime.now(datetime.UTC)
    folder = output / f"award-backup-{now:%Y%m%dT%H%M%SZ}"
    partial = folder.with_name(folder.name + ".partial")
    if folder.exists() or partial.exists():
        raise BackupError(_("备份文件夹 %(path)s 已存在。") % {"path": folder})
    output.mkdir(parents=True, exist_ok=True)
    partial.mkdir(mode=0o700)
    settings_dict = connection.settings_dict
    # One snapshot for the dump and what the manifest says about it: the exporting
    # transaction stays open until pg_dump has finished.
    raw = connection.get_new_connection(connection.get_connection_params())
    try:
        raw.autocommit = True
        with raw.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
            snapshot, server_version = cursor.fetchone()
            state = _state(cursor, connection)
            progress(_("正在导出数据库 %(name)s……") % {"name": settings_dict["NAME"]})
            run_client(
                [
                    pg_dump,
                    "--format=custom",
                    f"--snapshot={snapshot}",
                    f"--file={partial / DUMP}",
                ],
                client_env(settings_dict),
            )
            cursor.execute("COMMIT")
    finally:
        raw.close()
    progress(_("正在复制上传文件……"))
    files = []
    for name in media_files(root):
        digest, size = copy_with_digest(root / name, partial / MEDIA / name)
        files.append({"path": name, "sha256": digest, "size": size})
    dump = partial / DUMP
    manifest = {
        "format": FORMAT,
        "created_at": now.isoformat(),
        "database": {
            "name": settings_dict["NAME"],
            "server_version": server_version,
            "file": DUMP,
            "sha256": sha256_of(dump),
            "size": dump.stat().st_size,
        },
        "migrations": state["migrations"],
        "audit": state["audit"],
        "media": {"folder": MEDIA, "count": len(files), "files": files},
    }
    (partial / MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    partial.rename(folder)
    return folder


# Restore ----------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    path = folder / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise BackupError(
            _("%(path)s 不是完整的备份：缺少 %(file)s。") % {"path": folder, "file": MANIFEST}
        ) from None
    except (ValueError, UnicodeDecodeError) as error:
        raise BackupError(
            _("备份清单 %(path)s 无法读取：%(error)s") % {"path": path, "error": error}
        ) from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(_("备份清单 %(path)s 的格式无法识别。") % {"path": path})
    return manifest


def _check(path: Path, label: str, sha256: str, size: int) -> Problem | None:
    if not path.is_file():
        return Problem(label, _("文件缺失"))
    if path.stat().st_size != size:
        return Problem(
            label,
            _("大小不符（清单 %(expected)s 字节，实际 %(actual)s 字节）")
            % {"expected": size, "actual": path.stat().st_size},
        )
    if sha256_of(path) != sha256:
        return Problem(label, _("SHA-256 校验值与清单不符（文件被改动）"))
    return None


def verify(folder: Path, manifest: dict) -> list[Problem]:
    """Every file of the backup against the manifest; files the manifest lacks count too."""
    problems = []
    db = manifest["database"]
    problem = _check(folder / db["file"], db["file"], db["sha256"], db["size"])
    if problem:
        problems.append(problem)
    media = folder / manifest["media"]["folder"]
    listed = set()
    for entry in manifest["media"]["files"]:
        name = entry["path"]
        listed.add(name)
        label = f"{manifest['media']['folder']}/{name}"
        problem = _check(media / name, label, entry["sha256"], entry["size"])
        if problem:
            problems.append(problem)
    for name in media_files(media):
        if name not in listed:
            problems.append(
                Problem(f"{manifest['media']['folder']}/{name}", _("不在清单中（多出的文件）"))
            )
    return problems


def database_is_empty(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') "
            "AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'"
        )
        return cursor.fetchone()[0] == 0


def restore(folder: Path, *, force: bool = False, progress=lambda text: None) -> dict:
    """Check the backup, load the dump into the configured database and copy the uploads.

    Refuses, before changing anything, a backup whose files do not match its manifest, and
    (without `force`) a database or media folder that is not empty. With `force`, the dump's
    objects are dropped and recreated and uploads of the same name are overwritten."""
    connection = database()
    pg_restore = client("pg_restore")
    root = media_root()
    manifest = read_manifest(folder)
    progress(_("正在按清单校验备份文件……"))
    problems = verify(folder, manifest)
    if problems:
        raise BackupError(
            _("备份未通过校验，未做任何恢复：")
            + "".join(f"\n  {problem.path}: {problem.problem}" for problem in problems)
        )
    name = connection.settings_dict["NAME"]
    if not force:
        if not database_is_empty(connection):
            raise BackupError(
                _(
                    "数据库 %(name)s 不是空的。"
                    "请恢复到新建的空数据库，或加 --force 覆盖其中的同名对象。"
                )
                % {"name": name}
            )
        if media_files(root):
            raise BackupError(
                _("上传文件夹 %(path)s 不是空的。请恢复到新的空文件夹，或加 --force 覆盖同名文件。")
                % {"path": root}
            )
    connection.close()
    progress(_("正在恢复数据库 %(name)s……") % {"name": name})
    command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", f"--dbname={name}"]
    if force:
        command += ["--clean", "--if-exists"]
    run_client(
        [*command, str(folder / manifest["database"]["file"])], client_env(connection.settings_dict)
    )
    progress(_("正在复制上传文件到 %(path)s……") % {"path": root})
    media = folder / manifest["media"]["folder"]
    for entry in manifest["media"]["files"]:
        digest, _size = copy_with_digest(media / entry["path"], root / entry["path"])
        if digest != entry["sha256"] or sha256_of(root / entry["path"]) != entry["sha256"]:
            raise BackupError(
                _("复制后 %(path)s 的校验值与清单不符。") % {"path": root / entry["path"]}
            )
    with connection.cursor() as cursor:
        restored = _state(cursor, connection)
    if restored["audit"] != manifest["audit"] or restored["migrations"] != manifest["migrations"]:
        raise BackupError(_("恢复后的审计链头或迁移状态与备份清单不符。"))
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return {"manifest": manifest, "pending_migrations": len(pending)}
