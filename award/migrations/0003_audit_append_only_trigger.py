"""On PostgreSQL, refuse UPDATE and DELETE of audit entries in the database itself."""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION award_auditentry_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'award_auditentry is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER award_auditentry_append_only
    BEFORE UPDATE OR DELETE ON award_auditentry
    FOR EACH ROW EXECUTE FUNCTION award_auditentry_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS award_auditentry_append_only ON award_auditentry;
DROP FUNCTION IF EXISTS award_auditentry_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("award", "0002_seed_roles_counties_rulebook")]

    operations = [migrations.RunPython(create, drop)]
