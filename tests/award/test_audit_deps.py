"""`make audit-deps`: pip-audit on the installed dependencies never passes off an audit that
could not be made as a clean one (等保 2.0 level 3: components with known vulnerabilities)."""

import importlib.util
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

SCRIPT = settings.BASE_DIR / "scripts" / "audit_deps.py"
UNREACHABLE = "http://127.0.0.1:1"
spec = importlib.util.spec_from_file_location("audit_deps", SCRIPT)
audit_deps = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit_deps)


def run_offline(tmp_path, *args):
    env = {
        **os.environ,
        "HTTPS_PROXY": UNREACHABLE,
        "HTTP_PROXY": UNREACHABLE,
        "https_proxy": UNREACHABLE,
        "http_proxy": UNREACHABLE,
        "NO_PROXY": "",
        "no_proxy": "",
    }
    # A fresh cache: answers cached by an earlier, online run would be an audit after all.
    command = [sys.executable, str(SCRIPT), "--cache-dir", str(tmp_path / "cache"), *args]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize(("args", "status"), [((), 0), (("--strict",), 2)])
def test_without_a_vulnerability_database_it_says_not_audited_and_why(tmp_path, args, status):
    run = run_offline(tmp_path, *args)
    assert run.returncode == status, run.stdout + run.stderr
    assert run.stdout.startswith("未审计")
    assert "127.0.0.1" in run.stdout  # pip-audit's own reason: the connection it could not make
    assert "No known vulnerabilities" not in run.stdout + run.stderr
    assert "未发现已知漏洞" not in run.stdout


def dep(name, version="1.0", vulns=(), skip=None):
    if skip:
        return {"name": name, "skip_reason": skip}
    return {"name": name, "version": version, "vulns": list(vulns)}


def report(*deps) -> str:
    return json.dumps({"dependencies": list(deps), "fixes": []})


NOT_ON_PYPI = "Dependency not found on PyPI and could not be audited: x (1.0)"


def test_every_package_skipped_is_not_audited_although_pip_audit_says_no_vulnerabilities():
    # pip-audit exits 0 and prints "No known vulnerabilities found" for exactly this report.
    stdout = report(dep("django", skip=NOT_ON_PYPI), dep("celery", skip=NOT_ON_PYPI))
    status, lines = audit_deps.verdict(0, stdout, "No known vulnerabilities found\n")
    assert status == 2
    assert lines[0].startswith("未审计：2 个依赖包")
    assert "Dependency not found on PyPI" in lines[1]


def test_a_clean_audit_counts_the_packages_and_names_those_skipped():
    stdout = report(dep("django"), dep("celery"), dep("lonely", skip=NOT_ON_PYPI))
    status, lines = audit_deps.verdict(0, stdout, "")
    assert status == 0
    assert lines == ["已审计 2 个依赖包，未发现已知漏洞。", "另有 1 个依赖包未审计：lonely"]


def test_vulnerabilities_are_listed_and_fail():
    vuln = {"id": "PYSEC-2099-1", "fix_versions": ["5.2.99"], "aliases": [], "description": ""}
    stdout = report(dep("django", "5.2.0", vulns=[vuln]), dep("celery"))
    status, lines = audit_deps.verdict(1, stdout, "Found 1 known vulnerability in 1 package\n")
    assert status == 1
    assert lines == [
        "发现已知漏洞：1 个依赖包（共审计 2 个）。",
        "  django 5.2.0: PYSEC-2099-1（修复版本：5.2.99）",
    ]


def test_the_portal_itself_being_skipped_as_editable_is_no_reason():
    stdout = report(dep("django"), dep("linyi-award", skip="distribution marked as editable"))
    assert audit_deps.verdict(0, stdout, "") == (0, ["已审计 1 个依赖包，未发现已知漏洞。"])


def test_an_audit_that_does_not_finish_in_its_time_is_not_audited(tmp_path):
    env = {**os.environ, "AUDIT_DEPS_TIMEOUT": "0"}
    command = [sys.executable, str(SCRIPT), "--cache-dir", str(tmp_path / "cache")]
    run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0
    assert run.stdout == "未审计：pip-audit 在0秒内未完成（漏洞数据库无响应）。\n"
