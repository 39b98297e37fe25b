"""Seed the default criteria sets (GB/T 19580 for units, 第十二条 for individuals) and the
expert specialities (domain.md §1–2); review/reference_data.py keeps them after a flush."""

from django.db import migrations


def seed(apps, schema_editor):
    from review.reference_data import ensure_review_reference_data

    ensure_review_reference_data(
        criteria_set_model=apps.get_model("review", "CriteriaSet"),
        criterion_model=apps.get_model("review", "Criterion"),
        speciality_model=apps.get_model("review", "Speciality"),
    )


class Migration(migrations.Migration):
    dependencies = [("review", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
