"""{% cached_url %} writes exactly what {% url %} writes, reversing each name once."""

from django.template import Context, Template
from django.urls import clear_script_prefix, reverse, set_script_prefix

from award.templatetags.cached_urls import _pattern, cached_url


def rendered(source, **context):
    return Template("{% load cached_urls %}" + source).render(Context(context))


def test_rows_get_the_url_reverse_gives():
    for pk in (1, 42, 987654300, 10**12):
        assert cached_url("applications:office_detail", pk) == reverse(
            "applications:office_detail", args=[pk]
        )
    assert cached_url("review:expert_scoring", 7, "defence") == reverse(
        "review:expert_scoring", args=[7, "defence"]
    )


def test_the_pattern_is_reversed_once_per_name():
    _pattern.cache_clear()
    for pk in range(1, 51):
        cached_url("applications:county_detail", pk)
    assert _pattern.cache_info().misses == 1
    assert _pattern.cache_info().hits == 49


def test_the_template_tag_escapes_like_url():
    name = "'review:expert_scoring'"
    source = f"{{% cached_url {name} pk stage %}}|{{% url {name} pk stage %}}"
    ours, django = rendered(source, pk=3, stage="site-visit").split("|")
    assert ours == django


def test_a_script_prefix_is_kept_apart():
    plain = cached_url("applications:office_detail", 5)
    set_script_prefix("/portal/")
    try:
        assert cached_url("applications:office_detail", 5) == "/portal" + plain
    finally:
        clear_script_prefix()
    assert cached_url("applications:office_detail", 5) == plain


def test_arguments_that_are_not_ints_or_slugs_take_reverse():
    serial = "LY 2026"  # quoted by reverse()
    assert cached_url("public_decisions:verify_serial", serial) == reverse(
        "public_decisions:verify_serial", args=[serial]
    )
    assert "%20" in cached_url("public_decisions:verify_serial", serial)


def test_names_without_arguments_as_in_the_menus():
    assert cached_url("award:home") == reverse("award:home")
    assert rendered("{% cached_url 'award:audit_list' %}") == reverse("award:audit_list")
