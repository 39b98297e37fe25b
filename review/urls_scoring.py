"""URLs of the expert's and the group leader's pages, included by review/urls.py."""

from review.views import expert, leader

urlpatterns = expert.urlpatterns + leader.urlpatterns
