"""The directory's routes, one module per area of work, all under the `directory` namespace."""

from . import urls_exports, urls_gaps, urls_imports, urls_manage, urls_public

app_name = "directory"

urlpatterns = [
    *urls_public.urlpatterns,
    *urls_manage.urlpatterns,
    *urls_imports.urlpatterns,
    *urls_gaps.urlpatterns,
    *urls_exports.urlpatterns,
]
