"""manage.py backup: the PostgreSQL database, the uploads and a manifest of checksums."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from award.backup import BackupError, backup, sha256_of


class Command(BaseCommand):
    help = "备份数据库（pg_dump 自定义格式）和全部上传文件，并写出含 SHA-256 校验值的清单。"

    def add_arguments(self, parser):
        parser.add_argument(
            "output",
            help=("存放备份的文件夹；备份写入其中新建的 award-backup-<时间> 文件夹。"),
        )

    def handle(self, *args, **options):
        try:
            folder = backup(
                Path(options["output"]), progress=lambda text: self.stdout.write(f"  {text}")
            )
        except BackupError as error:
            raise CommandError(str(error)) from None
        manifest = folder / "manifest.json"
        self.stdout.write(self.style.SUCCESS(_("备份完成：%(path)s") % {"path": folder}))
        self.stdout.write(
            _("清单的 SHA-256：%(digest)s（请另行记下，恢复前可据此核对清单本身）")
            % {"digest": sha256_of(manifest)}
        )
