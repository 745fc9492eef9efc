from django.urls import path

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("organisations/<slug:slug>/", views.organisation_detail, name="organisation"),
    path("organisations/<slug:slug>/edit/", views.organisation_edit, name="organisation_edit"),
    path("your-data/", views.download_data, name="download_data"),
    path("erase/", views.erase_account, name="erase"),
    path("confirm-email/", views.send_confirmation_link, name="send_confirmation_link"),
    path("audit/", views.audit_log, name="audit_log"),
    path("audit/audit-log.csv", views.audit_log_csv, name="audit_log_csv"),
    path("jobs/failed/", views.failed_jobs, name="failed_jobs"),
    path("jobs/<uuid:task_id>/retry", views.retry_job, name="retry_job"),
]
