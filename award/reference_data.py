"""Reference data every installation needs: roles, Linyi's counties, the 2024 rulebook.

Migration 0002 seeds it; a post_migrate handler keeps it present after a database flush
(as Django does for content types), so tests that flush never lose it.
"""

import datetime

from django.contrib.auth.models import Group, Permission

from award.enums import Role

ROLE_PERMISSIONS = {Role.OFFICE: ["manage_cycle", "publish_notice"]}

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

RULEBOOK_2024 = {
    "document_number": "临政发〔2024〕8号",
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
}


def ensure_reference_data(
    *, group_model=Group, permission_model=Permission, county_model=None, rulebook_model=None
) -> None:
    """Create what is missing; never overwrite what the office has changed."""
    if county_model is None or rulebook_model is None:
        from award.models import County, Rulebook

        county_model, rulebook_model = County, Rulebook
    for role in Role:
        group, _ = group_model.objects.get_or_create(name=role.value)
        codenames = ROLE_PERMISSIONS.get(role, [])
        if codenames:
            group.permissions.add(
                *permission_model.objects.filter(
                    content_type__app_label="award", codename__in=codenames
                )
            )
    if not county_model.objects.exists():
        for order, (code, name) in enumerate(COUNTIES, start=1):
            county_model.objects.create(code=code, name=name, sort_order=order)
    fields = dict(RULEBOOK_2024)
    rulebook_model.objects.get_or_create(
        document_number=fields.pop("document_number"), defaults=fields
    )


def on_post_migrate(sender, **kwargs) -> None:
    if sender.name == "award":
        ensure_reference_data()
