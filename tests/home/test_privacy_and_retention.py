"""The council's retention periods: set on a page (never below the legal floor), applied daily, and shown in the
privacy notice."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.core.models import RetentionPeriod
from commonweal.directory.models import Report
from commonweal.funding.models import Application, Attachment
from commonweal.home.services import apply_retention, months_before
from tests.funding.factories import ApplicationFactory, QuestionFactory

pytestmark = pytest.mark.django_db

Kind = RetentionPeriod.Kind


def test_the_platform_starts_with_a_period_for_each_kind_of_record() -> None:
    periods = dict(RetentionPeriod.objects.values_list("kind", "months"))
    assert periods == {
        Kind.DECLINED_ATTACHMENTS: 24,
        Kind.REPORTER_EMAILS: 6,
        Kind.AUDIT_ENTRIES: 84,
        Kind.PANEL_VOLUNTEERS: 24,
    }


def test_months_before_counts_calendar_months() -> None:
    moment = timezone.now().replace(year=2026, month=3, day=31)
    assert months_before(moment, 1).date().isoformat() == "2026-02-28"
    assert months_before(moment, 15).date().isoformat() == "2024-12-31"


def test_an_admin_changes_a_period_and_the_privacy_notice_changes(
    client: Client, make_user: Any, mfa_exempt: None
) -> None:
    assert "6 months" in client.get(reverse("home:privacy")).content.decode()
    client.force_login(make_user("admin"))
    response = client.post(reverse("home:retention_edit", args=[Kind.REPORTER_EMAILS]), {"months": "3"})
    assert response.status_code == 302 and response["Location"] == reverse("home:retention")
    notice = Client().get(reverse("home:privacy")).content.decode()
    assert "3 months" in notice and "6 months" not in notice
    # The change is audited, with who made it.
    entry = LogEntry.objects.get_for_model(RetentionPeriod).latest("timestamp")
    assert entry.changes_dict["months"] == ["6", "3"]


def test_the_audit_log_cannot_be_kept_for_less_than_six_years(client: Client, make_user: Any, mfa_exempt: None) -> None:
    client.force_login(make_user("admin"))
    response = client.post(reverse("home:retention_edit", args=[Kind.AUDIT_ENTRIES]), {"months": "12"})
    assert response.status_code == 200
    assert "must be kept for at least 72 months" in response.content.decode()
    assert RetentionPeriod.objects.get(kind=Kind.AUDIT_ENTRIES).months == 84


@pytest.mark.parametrize("months", ["", "ten", "-1", "5000"])
def test_a_bad_period_gets_a_clear_message(client: Client, make_user: Any, months: str, mfa_exempt: None) -> None:
    client.force_login(make_user("admin"))
    response = client.post(reverse("home:retention_edit", args=[Kind.REPORTER_EMAILS]), {"months": months})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert RetentionPeriod.objects.get(kind=Kind.REPORTER_EMAILS).months == 6


def test_the_daily_task_removes_what_is_kept_too_long_and_reports_it(
    make_user: Any, settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    now = timezone.now()
    applicant = make_user("group_member")
    old = ApplicationFactory(
        created_by=applicant, status=Application.Status.WITHDRAWN, withdrawn_at=now - timedelta(days=800)
    )
    recent = ApplicationFactory(
        created_by=applicant, status=Application.Status.WITHDRAWN, withdrawn_at=now - timedelta(days=300)
    )
    live = ApplicationFactory(
        created_by=applicant, status=Application.Status.SUBMITTED, submitted_at=now - timedelta(days=800)
    )
    files = {}
    for application in (old, recent, live):
        attachment = Attachment(
            application=application,
            question=QuestionFactory(round=application.round),
            original_name="accounts.pdf",
            content_type="application/pdf",
            size=4,
            uploaded_by=applicant,
        )
        attachment.file.save("accounts.pdf", ContentFile(b"%PDF"), save=True)
        files[application.pk] = attachment
    ward_type = ContentType.objects.get_for_model(Application)
    old_report = Report.objects.create(
        content_type=ward_type,
        object_id=1,
        reason="other",
        reporter_email="old@example.org",
        status=Report.Status.RESOLVED,
        resolved_at=now - timedelta(days=200),
    )
    open_report = Report.objects.create(
        content_type=ward_type, object_id=1, reason="other", reporter_email="open@example.org"
    )
    entries = LogEntry.objects.order_by("pk")
    ancient, kept = entries[0], entries[1]
    LogEntry.objects.filter(pk=ancient.pk).update(timestamp=now - timedelta(days=31 * 85))
    LogEntry.objects.filter(pk=kept.pk).update(timestamp=now - timedelta(days=31 * 80))

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):  # files go once the rows are gone for good
        call_command("apply_retention", "--now", stdout=out)

    assert set(Attachment.objects.values_list("application_id", flat=True)) == {recent.pk, live.pk}
    assert not files[old.pk].file.storage.exists(files[old.pk].file.name)
    assert files[recent.pk].file.storage.exists(files[recent.pk].file.name)
    old_report.refresh_from_db()
    open_report.refresh_from_db()
    assert (old_report.reporter_email, open_report.reporter_email) == ("", "open@example.org")
    assert not LogEntry.objects.filter(pk=ancient.pk).exists()
    assert LogEntry.objects.filter(pk=kept.pk).exists()
    report = out.getvalue()
    assert "Files attached to funding applications not funded or withdrawn: 1 removed." in report
    assert "Email addresses left on reports about directory listings: 1 removed." in report
    assert "The audit log of changes to records: 1 removed." in report


def test_even_a_period_below_the_floor_in_the_database_keeps_six_years_of_audit(make_user: Any) -> None:
    make_user("resident")  # its creation is audited
    RetentionPeriod.objects.filter(kind=Kind.AUDIT_ENTRIES).update(months=1)
    entry = LogEntry.objects.order_by("pk").first()
    assert entry is not None
    LogEntry.objects.filter(pk=entry.pk).update(timestamp=timezone.now() - timedelta(days=31 * 12))
    apply_retention()
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_the_daily_command_queues_the_task() -> None:
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "Queued the retention task" in out.getvalue()


def test_a_file_is_kept_when_the_write_that_removed_its_row_is_rolled_back(
    settings: Any, tmp_path: Any, django_capture_on_commit_callbacks: Any
) -> None:
    from django.core.files.storage import default_storage
    from django.db import transaction

    from commonweal.core.files import delete_after_commit

    settings.MEDIA_ROOT = tmp_path
    name = default_storage.save("kept.pdf", ContentFile(b"%PDF"))
    file = Attachment._meta.get_field("file").attr_class(None, Attachment._meta.get_field("file"), name)
    with django_capture_on_commit_callbacks(execute=True):
        try:
            with transaction.atomic():
                delete_after_commit(file)
                raise RuntimeError("the write failed")
        except RuntimeError:
            pass
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        delete_after_commit(file)
    assert not default_storage.exists(name)
