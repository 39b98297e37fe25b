"""manage.py restore: check a backup against its manifest, then load it into this server."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from award.backup import BackupError, restore, sha256_of


class Command(BaseCommand):
    help = "按清单校验备份后，将数据库恢复到当前配置的数据库，并把上传文件复制到上传文件夹。"

    def add_arguments(self, parser):
        parser.add_argument("backup", help=("manage.py backup 写出的备份文件夹。"))
        parser.add_argument(
            "--force",
            action="store_true",
            help=("数据库或上传文件夹不为空时仍恢复：删除并重建备份中的同名对象和文件。"),
        )

    def handle(self, *args, **options):
        folder = Path(options["backup"])
        try:
            result = restore(
                folder,
                force=options["force"],
                progress=lambda text: self.stdout.write(f"  {text}"),
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = result["manifest"]
        self.stdout.write(
            _("清单的 SHA-256：%(digest)s") % {"digest": sha256_of(folder / "manifest.json")}
        )
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "恢复完成：备份时间 %(time)s，%(files)s个上传文件，%(entries)s条审计记录。"
                    "请运行 manage.py verify_audit 校验审计链。"
                )
                % {
                    "time": manifest["created_at"],
                    "files": manifest["media"]["count"],
                    "entries": manifest["audit"]["entries"],
                }
            )
        )
        if result["pending_migrations"]:
            self.stdout.write(
                self.style.WARNING(
                    _("当前代码还有%(count)s个迁移未应用于恢复的数据库：请运行 manage.py migrate。")
                    % {"count": result["pending_migrations"]}
                )
            )
