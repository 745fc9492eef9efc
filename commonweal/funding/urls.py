"""Funding's routes, one module per area of work, all under the `funding` namespace."""

from .apply import urls as apply_urls
from .assess import urls as assess_urls
from .awards import urls as awards_urls
from .opendata import urls as opendata_urls
from .setup import urls as setup_urls
from .sources import urls as sources_urls

app_name = "funding"

urlpatterns = [
    *setup_urls.urlpatterns,
    *apply_urls.urlpatterns,
    *assess_urls.urlpatterns,
    *awards_urls.urlpatterns,
    *sources_urls.urlpatterns,
    *opendata_urls.urlpatterns,
]
