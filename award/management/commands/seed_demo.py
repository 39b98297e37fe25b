"""manage.py seed_demo: build the demo world (idempotent) and print one login per role."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from award.demo import UNTIL_PHASES, seed_demo


class Command(BaseCommand):
    help = "创建演示数据（可重复运行），并打印每个角色的演示账号。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--until",
            choices=[str(phase) for phase in UNTIL_PHASES],
            help="把第二届推进到该阶段（默认停在申报阶段），使各角色都有待办工作。",
        )

    def handle(self, *args, **options):
        self.stdout.write(_("正在生成演示数据，约需半分钟……"))
        rows = seed_demo(
            progress=lambda text: self.stdout.write(f"  {text}"), until=options["until"]
        )
        self.stdout.write(
            self.style.SUCCESS(_("演示数据已就绪。演示账号（仅供演示，切勿用于生产）："))
        )
        width = max(len(role) for role, _, _ in rows)
        for role, username, password in rows:
            self.stdout.write(
                "  "
                + _("%(role)s  用户名 %(username)s 密码 %(password)s")
                % {"role": role.ljust(width), "username": f"{username:<16}", "password": password}
            )
        self.stdout.write(_("打开 http://127.0.0.1:8000 登录。"))
