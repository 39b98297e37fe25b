"""Scores and percentages are written with two decimals, one rule for every page."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.template.defaultfilters import floatformat
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from award.templatetags.portal_format import percent, score, two_decimals


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("55.1500000000000"), "55.15"),
        (Decimal("78.4900000000000"), "78.49"),
        (Decimal("694.5"), "694.50"),
        (80, "80.00"),
        (0, "0.00"),
        (None, "—"),
        ("", "—"),
    ],
)
def test_scores_have_two_decimals(value, shown):
    assert score(value) == shown


def test_percentages_have_two_decimals_and_a_sign():
    assert percent(Decimal("78.4900000000000")) == "78.49%"
    assert percent(None) == "—"


def test_the_filters_are_there_for_templates():
    rendered = Template("{% load portal_format %}{{ a|score }} {{ b|percent }}").render(
        Context({"a": Decimal("55.1500000000000"), "b": Decimal("12.5")})
    )
    assert rendered == "55.15 12.50%"


@pytest.mark.parametrize(
    "moment",
    [
        datetime.datetime(2026, 12, 3, 16, 5, 9, tzinfo=datetime.UTC),  # 4 December in Linyi
        datetime.datetime(2026, 1, 31, 23, 59, tzinfo=datetime.UTC),
        None,
        "",
    ],
)
def test_a_moment_to_the_minute_reads_as_the_date_filter_writes_it(moment):
    rendered = Template('{% load portal_format %}{{ m|minute }}|{{ m|date:"Y-m-d H:i" }}').render(
        Context({"m": moment})
    )
    mine, django = rendered.split("|")
    assert mine == django


def test_a_moment_to_the_minute_is_in_local_time():
    moment = datetime.datetime(2026, 12, 3, 16, 5, 9, tzinfo=datetime.UTC)
    rendered = Template("{% load portal_format %}{{ m|minute }}").render(Context({"m": moment}))
    assert rendered == "2026-12-04 00:05"


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.integers(0, 14).flatmap(
            lambda places: st.decimals(
                min_value=-(10**6), max_value=10**6, allow_nan=False, places=places
            )
        ),
        st.integers(min_value=-(10**7), max_value=10**7),
        st.sampled_from([Decimal("0.005"), Decimal("-0.005"), Decimal("-0.004"), Decimal("2.675")]),
    )
)
def test_two_decimals_write_what_floatformat_writes(value):
    with translation.override("zh-hans"):
        assert two_decimals(value) == floatformat(value, 2)
