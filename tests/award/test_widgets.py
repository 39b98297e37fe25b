"""FilterSelect writes what forms.Select's templates write."""

import pytest
from django import forms

from award.forms.widgets import FilterSelect
from award.models import County

CHOICES = [
    ("", "（全部）"),
    ("a", "甲 <b>&</b>"),
    ("b", "乙"),
    ("分组", [("c", "丙"), ("d", '丁 "引号"')]),
    (7, "七"),
]


@pytest.mark.parametrize("value", [None, "", "a", "d", 7, ["a", "c"]])
@pytest.mark.parametrize(
    "attrs",
    [None, {"class": "form-select", "id": "id_x"}, {"required": True, "disabled": False}],
)
def test_the_same_markup_as_select(value, attrs):
    ours = FilterSelect(choices=CHOICES).render("x", value, attrs=attrs)
    django = forms.Select(choices=CHOICES).render("x", value, attrs=attrs)
    assert ours == django


@pytest.mark.django_db
def test_the_same_markup_for_model_choices():
    chosen = County.objects.order_by("pk").last()

    class Filters(forms.Form):
        county = forms.ModelChoiceField(County.objects.order_by("pk"), required=False)

    form = Filters({"county": chosen.pk})
    field = form.fields["county"]
    django = field.widget.render("county", chosen.pk, attrs={"id": "id_county"})
    field.widget = FilterSelect(choices=field.choices)
    ours = field.widget.render("county", chosen.pk, attrs={"id": "id_county"})
    assert ours == django
    assert f'<option value="{chosen.pk}" selected>' in ours
