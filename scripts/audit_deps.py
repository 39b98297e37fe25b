"""Audit the installed dependencies (what `make .venv` installs from pyproject.toml) against
known vulnerabilities with pip-audit, and say plainly which of three things happened:

- vulnerabilities found: list them, exit 1;
- audited clean: say how many packages were checked, exit 0;
- not audited (no vulnerability database reachable, or every package skipped): print 「未审计」
  and pip-audit's reason, exit 0 (2 with --strict). Never "no known vulnerabilities" then.

Usage: python scripts/audit_deps.py [--strict] [extra pip-audit options, e.g. --cache-dir DIR]
"""

import json
import os
import subprocess
import sys

PIP_AUDIT = [
    sys.executable,
    "-m",
    "pip_audit",
    "--local",
    "--skip-editable",  # the portal itself is not on PyPI
    "--format",
    "json",
    "--progress-spinner",
    "off",
    "--timeout",
    "10",
]
NOT_AUDITED = "未审计"
# pip-audit asks about one package after another: a network that drops packets would cost
# --timeout for each of them, so the whole audit gets this many seconds.
TOTAL_SECONDS = int(os.environ.get("AUDIT_DEPS_TIMEOUT", "180"))


def verdict(returncode: int, stdout: str, stderr: str) -> tuple[int, list[str]]:
    """The exit status (2 meaning not audited) and the lines to print for one pip-audit run."""
    try:
        report = json.loads(stdout)
    except ValueError:
        return 2, [f"{NOT_AUDITED}：pip-audit 未能完成审计（退出码 {returncode}）。", why(stderr)]
    # The portal itself (editable) is skipped on purpose, not for want of a database.
    dependencies = [
        d for d in report.get("dependencies", []) if "editable" not in d.get("skip_reason", "")
    ]
    audited = [d for d in dependencies if "skip_reason" not in d]
    skipped = [d for d in dependencies if "skip_reason" in d]
    vulnerable = [d for d in audited if d.get("vulns")]
    if vulnerable:
        lines = [f"发现已知漏洞：{len(vulnerable)} 个依赖包（共审计 {len(audited)} 个）。"]
        for dep in vulnerable:
            for vuln in dep["vulns"]:
                fixes = ", ".join(vuln.get("fix_versions") or []) or "暂无"
                lines.append(f"  {dep['name']} {dep['version']}: {vuln['id']}（修复版本：{fixes}）")
        return 1, lines
    if not audited:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in skipped}) or ["没有可审计的包"]
        return 2, [
            f"{NOT_AUDITED}：{len(skipped)} 个依赖包均未能审计，结果不代表没有漏洞。",
            f"原因：{'；'.join(reasons)}（漏洞数据库可能无法访问）。",
        ]
    lines = [f"已审计 {len(audited)} 个依赖包，未发现已知漏洞。"]
    if skipped:
        names = ", ".join(d["name"] for d in skipped)
        lines.append(f"另有 {len(skipped)} 个依赖包{NOT_AUDITED}：{names}")
    return 0, lines


def why(stderr: str) -> str:
    """pip-audit's own last word: the exception or error line at the end of its output."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    return f"原因：{lines[-1] if lines else '无输出'}"


def main(argv: list[str]) -> int:
    strict = "--strict" in argv
    extra = [arg for arg in argv if arg != "--strict"]
    try:
        run = subprocess.run(
            [*PIP_AUDIT, *extra],
            capture_output=True,
            text=True,
            check=False,
            timeout=TOTAL_SECONDS,
        )
    except subprocess.TimeoutExpired:
        status, lines = (
            2,
            [f"{NOT_AUDITED}：pip-audit 在{TOTAL_SECONDS}秒内未完成（漏洞数据库无响应）。"],
        )
    else:
        status, lines = verdict(run.returncode, run.stdout, run.stderr)
    sys.stdout.write("\n".join(lines) + "\n")
    if status == 2:
        return 2 if strict else 0
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
