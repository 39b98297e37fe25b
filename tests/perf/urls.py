"""The portal's URLs plus bare Django views, the baselines the benchmarks compare against."""

from django.http import Http404, HttpResponse
from django.template import engines
from django.urls import path

from applications.models import Application
from award.urls import urlpatterns as portal_urlpatterns

# What each bare list renders: key -> (model, pks in the page's order, columns). The list
# benchmark fills it from the page it measures (same process: the Django test client).
BARE_ROWS: dict[str, tuple] = {}

BARE_TEMPLATE = engines["django"].from_string(
    "<!doctype html><title>rows</title><table>"
    "{% for row in rows %}<tr>{% for value in row %}<td>{{ value }}</td>{% endfor %}</tr>"
    "{% endfor %}</table>"
)


def bare_view(request):
    """One query and a plain response: what any Django page costs at least."""
    return HttpResponse(str(Application.objects.count()), content_type="text/plain")


def bare_rows_view(request, key):
    """The same rows as a list page (one query, the same columns' values) in a template that
    extends nothing: what a list of those rows costs at least."""
    if key not in BARE_ROWS:
        raise Http404
    model, pks, columns = BARE_ROWS[key]
    by_pk = {
        row[0]: row[1:]
        for row in model._default_manager.filter(pk__in=pks).values_list("pk", *columns)
    }
    rows = [by_pk[pk] for pk in pks if pk in by_pk]
    return HttpResponse(BARE_TEMPLATE.render({"rows": rows}, request))


urlpatterns = [
    path("__bench__/bare/", bare_view, name="bench_bare"),
    path("__bench__/rows/<str:key>/", bare_rows_view, name="bench_bare_rows"),
    *portal_urlpatterns,
]
