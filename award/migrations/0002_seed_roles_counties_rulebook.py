"""Seed the roles (DESIGN.md §1), Linyi's counties (domain.md §5) and the 2024 rulebook (DESIGN.md §3)."""

import datetime

from django.contrib.auth.management import create_permissions
from django.db import migrations

ROLES = ["applicant", "county", "office", "agency", "expert", "leader", "auditor"]
ROLE_PERMISSIONS = {"office": ["manage_cycle", "publish_notice"]}

COUNTIES = [
    ("371302", "兰山区"),
    ("371311", "罗庄区"),
    ("371312", "河东区"),
    ("371321", "沂南县"),
    ("371322", "郯城县"),
    ("371323", "沂水县"),
    ("371324", "兰陵县"),
    ("371325", "费县"),
    ("371326", "平邑县"),
    ("371327", "莒南县"),
    ("371328", "蒙阴县"),
    ("371329", "临沭县"),
    ("371371", "临沂高新技术产业开发区"),
    ("371372", "临沂经济技术开发区"),
    ("371373", "临沂临港经济开发区"),
]


def seed(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role in ROLES:
        group, _ = Group.objects.get_or_create(name=role)
        codenames = ROLE_PERMISSIONS.get(role, [])
        if codenames:
            group.permissions.add(
                *Permission.objects.filter(content_type__app_label="award", codename__in=codenames)
            )

    County = apps.get_model("award", "County")
    for order, (code, name) in enumerate(COUNTIES, start=1):
        County.objects.get_or_create(code=code, defaults={"name": name, "sort_order": order})

    Rulebook = apps.get_model("award", "Rulebook")
    Rulebook.objects.get_or_create(
        document_number="临政发〔2024〕8号",
        defaults={
            "name": "临沂市市长质量奖评定办法",
            "effective_from": datetime.date(2024, 9, 25),
            "effective_to": datetime.date(2028, 9, 24),
            "cycle_years": 2,
            "categories": ["award", "nomination"],
            "max_winners_per_category": 8,
            "unit_min_years": 5,
            "unit_min_years_new_field": 3,
            "lookback_years": 3,
            "individual_min_quality_years": 10,
            "publicity_working_days": 5,
            "max_unit_reward_yuan": 300000,
            "charges_fees": False,
        },
    )


class Migration(migrations.Migration):
    dependencies = [
        ("award", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
