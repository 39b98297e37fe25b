"""The portal's URLs plus a bare Django view, the baseline the benchmarks compare against."""

from django.http import HttpResponse
from django.urls import path

from applications.models import Application
from award.urls import urlpatterns as portal_urlpatterns


def bare_view(request):
    """One query and a plain response: what any Django page costs at least."""
    return HttpResponse(str(Application.objects.count()), content_type="text/plain")


urlpatterns = [path("__bench__/bare/", bare_view, name="bench_bare"), *portal_urlpatterns]
