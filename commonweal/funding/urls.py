"""Funding's routes, one module per area of work, all under the `funding` namespace."""

from . import urls_apply, urls_assess, urls_awards, urls_open, urls_setup, urls_sources

app_name = "funding"

urlpatterns = [
    *urls_setup.urlpatterns,
    *urls_apply.urlpatterns,
    *urls_assess.urlpatterns,
    *urls_awards.urlpatterns,
    *urls_sources.urlpatterns,
    *urls_open.urlpatterns,
]
