"""Every route of the platform: each app owns its own urls.py under a namespace."""

from django.contrib import admin
from django.urls import include, path

from commonweal.accounts.admin_site import restrict_admin_to_admins

restrict_admin_to_admins(admin.site)

urlpatterns = [
    path("", include("commonweal.home.urls")),
    path("", include("commonweal.core.urls")),
    path("framework/", include("commonweal.framework.urls")),
    path("places/", include("commonweal.places.urls")),
    path("directory/", include("commonweal.directory.urls")),
    # Before the directory's /api/: its last route answers every other address under /api/ with a 404.
    path("api/solutions/", include("commonweal.solutions.public.urls_api")),
    path("api/engagement/", include("commonweal.engagement.consultations.urls_api")),
    path("api/", include("commonweal.directory.urls_api")),
    path("funding/", include("commonweal.funding.urls")),
    path("solutions/", include("commonweal.solutions.urls")),
    path("engagement/", include("commonweal.engagement.urls")),
    path("panel/", include("commonweal.panels.urls")),
    path("account/", include("commonweal.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("django-admin/", admin.site.urls),
]

handler400 = "commonweal.core.views.bad_request"
handler403 = "commonweal.core.views.permission_denied"
handler404 = "commonweal.core.views.page_not_found"
handler500 = "commonweal.core.views.server_error"
handler429 = "commonweal.accounts.views.too_many_attempts"  # allauth looks for it here
