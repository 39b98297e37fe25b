"""`make run` output stays readable: no SQLite-only index warning, no WeasyPrint step log."""

from tests.award.test_settings import run, show

DEV = {"DJANGO_SETTINGS_MODULE": "award.settings.dev"}


def test_sqlite_silences_the_covering_index_warning_and_nothing_else(tmp_path):
    sqlite = {**DEV, "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}"}
    # --database runs the checks that migrate and runserver run, W040 among them.
    result = run(["manage.py", "check", "--database", "default"], **sqlite)
    assert result.returncode == 0, result.stderr
    assert "W040" not in result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout
    assert show("settings.SILENCED_SYSTEM_CHECKS", **sqlite) == "['models.W040']"


def test_postgresql_silences_no_check():
    postgres = {**DEV, "DATABASE_URL": "postgres://award@db.example.org:5432/award"}
    assert show("settings.SILENCED_SYSTEM_CHECKS", **postgres) == "[]"


def test_rendering_a_pdf_logs_no_steps_at_info_level():
    code = (
        "import logging, django; django.setup(); from weasyprint import HTML; "
        "HTML(string='<p>临沂市市长质量奖申报表</p>').write_pdf(); "
        "logging.getLogger('award').info('INFO is still shown')"
    )
    result = run(["-c", code], **DEV, LOG_LEVEL="INFO")
    assert result.returncode == 0, result.stderr
    assert "INFO is still shown" in result.stderr
    assert "Step " not in result.stderr
