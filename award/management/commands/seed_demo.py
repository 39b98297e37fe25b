"""manage.py seed_demo: build the demo world (idempotent) and print one login per role."""

from django.core.management.base import BaseCommand

from award.demo import seed_demo


class Command(BaseCommand):
    help = "创建演示数据（可重复运行），并打印每个角色的演示账号。"

    def handle(self, *args, **options):
        rows = seed_demo()
        self.stdout.write(
            self.style.SUCCESS("演示数据已就绪。演示账号（仅供演示，切勿用于生产）：")
        )
        width = max(len(role) for role, _, _ in rows)
        for role, username, password in rows:
            self.stdout.write(f"  {role.ljust(width)}  用户名 {username:<16} 密码 {password}")
        self.stdout.write("打开 http://127.0.0.1:8000 登录。")
