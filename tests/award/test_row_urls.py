"""{% row_url %} writes exactly what {% url %} writes, reversing each name once."""

from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from award.templatetags.row_urls import _pattern, row_url


def rendered(source, **context):
    return Template("{% load row_urls %}" + source).render(Context(context))


def test_rows_get_the_url_reverse_gives():
    for pk in (1, 42, 987654300, 10**12):
        assert row_url("applications:office_detail", pk) == reverse(
            "applications:office_detail", args=[pk]
        )
    assert row_url("review:expert_scoring", 7, "defence") == reverse(
        "review:expert_scoring", args=[7, "defence"]
    )


def test_the_pattern_is_reversed_once_per_name():
    _pattern.cache_clear()
    for pk in range(1, 51):
        row_url("applications:county_detail", pk)
    assert _pattern.cache_info().misses == 1
    assert _pattern.cache_info().hits == 49


def test_the_template_tag_escapes_like_url():
    source = (
        "{% row_url 'review:expert_scoring' pk stage %}|{% url 'review:expert_scoring' pk stage %}"
    )
    ours, django = rendered(source, pk=3, stage="site-visit").split("|")
    assert ours == django


def test_a_script_prefix_is_kept_apart():
    plain = row_url("applications:office_detail", 5)
    set_script_prefix("/portal/")
    try:
        assert row_url("applications:office_detail", 5) == "/portal" + plain
    finally:
        clear_script_prefix()
    assert row_url("applications:office_detail", 5) == plain


def test_arguments_that_are_not_ints_or_slugs_take_reverse():
    serial = "LY 2026"  # quoted by reverse()
    assert row_url("public_decisions:verify_serial", serial) == reverse(
        "public_decisions:verify_serial", args=[serial]
    )
    assert "%20" in row_url("public_decisions:verify_serial", serial)
