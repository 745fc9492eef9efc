"""The directory's routes, one module per area of work, all under the `directory` namespace."""

from . import urls_exports, urls_gaps, urls_manage, urls_public
from .imports import urls as imports_urls
from .vocabulary import urls as vocabulary_urls

app_name = "directory"

urlpatterns = [
    *urls_public.urlpatterns,
    *urls_manage.urlpatterns,
    *imports_urls.urlpatterns,
    *vocabulary_urls.urlpatterns,
    *urls_gaps.urlpatterns,
    *urls_exports.urlpatterns,
]
