"""Files with an application: checked by their real content and size, each problem beside its field, and
downloaded only by the group, officers and assessors without a conflict."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from commonweal.accounts.models import User
from commonweal.core.uploads import check_upload
from commonweal.funding.errors import FundingError
from commonweal.funding.models import Application, Assignment, Attachment, Question
from tests.funding.apply.conftest import PDF

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 200 + b"PE\x00\x00"


def file_question(application: Application) -> Question:
    return application.round.questions.get(kind=Question.Kind.ATTACHMENT)


def upload(client: Client, application: Application, name: str, content: bytes) -> Any:
    field = f"question_{file_question(application).pk}"
    return client.post(
        f"/funding/applications/{application.uuid}/edit/",
        {"present": "title", "title": "Typed before the upload", field: SimpleUploadedFile(name, content)},
    )


def test_a_real_pdf_is_stored_under_a_random_name(member_client: Client, draft: Application, settings: Any) -> None:
    response = upload(member_client, draft, "accounts 2025.pdf", PDF)
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert attachment.original_name == "accounts 2025.pdf"
    assert attachment.content_type == "application/pdf"
    assert attachment.size == len(PDF)
    assert "accounts" not in attachment.file.name
    assert attachment.file.path.startswith(str(settings.MEDIA_ROOT))


def test_an_executable_renamed_pdf_is_refused_beside_its_field(member_client: Client, draft: Application) -> None:
    response = upload(member_client, draft, "accounts.pdf", EXE)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This file is not a PDF." in page
    assert f'id="id_question_{file_question(draft).pk}-error"' in page
    assert not Attachment.objects.exists()
    draft.refresh_from_db()
    assert draft.title == "Typed before the upload"


def test_an_empty_file_is_refused(member_client: Client, draft: Application) -> None:
    page = upload(member_client, draft, "accounts.pdf", b"").content.decode()
    assert "The selected file is empty." in page
    assert not Attachment.objects.exists()


class Unreadable:
    """A file that is huge on paper and fails if anything reads it: the size alone must decide."""

    name = "accounts.pdf"
    size = 50 * 1024 * 1024

    def read(self, *args: Any) -> bytes:
        raise AssertionError("the file was read")

    def seek(self, *args: Any) -> None:
        raise AssertionError("the file was read")


def test_a_file_over_the_size_limit_is_refused_before_it_is_read() -> None:
    with pytest.raises(FundingError, match="The selected file must be smaller than 1MB."):
        check_upload(Unreadable(), file_types=["pdf"], max_file_mb=1, error=FundingError)


def test_an_oversized_upload_is_refused_beside_its_field(member_client: Client, draft: Application) -> None:
    page = upload(member_client, draft, "accounts.pdf", PDF + b"0" * (1024 * 1024)).content.decode()
    assert "The selected file must be smaller than 1MB." in page
    assert not Attachment.objects.exists()


def test_a_file_of_a_type_the_question_does_not_take_is_refused(member_client: Client, draft: Application) -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    page = upload(member_client, draft, "photo.png", png).content.decode()
    assert "The selected file must be a PDF." in page


def test_word_and_spreadsheet_files_are_recognised_by_content() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    docx = SimpleUploadedFile("plan.docx", buffer.getvalue())
    assert check_upload(docx, file_types=["pdf", "docx"], max_file_mb=5).extension == "docx"
    odt = io.BytesIO()
    with zipfile.ZipFile(odt, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<document/>")
    assert (
        check_upload(SimpleUploadedFile("plan.odt", odt.getvalue()), file_types=["odt"], max_file_mb=5).extension
        == "odt"
    )
    with pytest.raises(FundingError, match="This file is not an Excel spreadsheet"):
        check_upload(
            SimpleUploadedFile("budget.xlsx", buffer.getvalue()), file_types=["xlsx"], max_file_mb=5, error=FundingError
        )


# --- who may download -----------------------------------------------------------------------------------


@pytest.fixture
def stored(member_client: Client, draft: Application) -> Attachment:
    upload(member_client, draft, "accounts.pdf", PDF)
    return Attachment.objects.get()


def download(client: Client, attachment: Attachment) -> Any:
    return client.get(f"/funding/applications/{attachment.application.uuid}/files/{attachment.pk}/")


def test_the_group_downloads_its_file_as_an_attachment(member_client: Client, stored: Attachment) -> None:
    response = download(member_client, stored)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "accounts.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == PDF


def test_an_officer_may_download_it(client: Client, stored: Attachment, officer: User) -> None:
    client.force_login(officer)
    assert download(client, stored).status_code == 200


def test_a_conflicted_assessor_is_refused_with_the_reason(
    client: Client, stored: Attachment, make_user: Any, mfa_exempt: None
) -> None:
    assessor = make_user("resident")
    Assignment.objects.create(application=stored.application, assessor=assessor, status=Assignment.Status.CONFLICTED)
    client.force_login(assessor)
    response = download(client, stored)
    assert response.status_code == 403
    assert "You declared a conflict of interest in this application" in response.content.decode()
    page = client.get(f"/funding/applications/{stored.application.uuid}/")
    assert page.status_code == 403


def test_an_assessor_without_a_conflict_may_download(
    client: Client, stored: Attachment, make_user: Any, mfa_exempt: None
) -> None:
    assessor = make_user("resident")
    Assignment.objects.create(application=stored.application, assessor=assessor, status=Assignment.Status.CLEAR)
    client.force_login(assessor)
    assert download(client, stored).status_code == 200


def test_an_assessor_yet_to_declare_is_told_to_declare_first(
    client: Client, stored: Attachment, make_user: Any, mfa_exempt: None
) -> None:
    assessor = make_user("resident")
    Assignment.objects.create(application=stored.application, assessor=assessor)
    client.force_login(assessor)
    response = download(client, stored)
    assert response.status_code == 403
    assert "Declare whether you have a conflict of interest" in response.content.decode()


def test_a_conflicted_officer_is_refused_too(client: Client, stored: Attachment, officer: User) -> None:
    Assignment.objects.create(application=stored.application, assessor=officer, status=Assignment.Status.CONFLICTED)
    client.force_login(officer)
    assert download(client, stored).status_code == 403
    page = client.get(f"/funding/applications/{stored.application.uuid}/")
    assert page.status_code == 403
    assert "conflict of interest" in page.content.decode()


def test_another_group_and_an_administrator_are_refused(
    client: Client, stored: Attachment, make_user: Any, mfa_exempt: None
) -> None:
    for role in ("group_member", "admin", "resident"):
        client.force_login(make_user(role))
        assert download(client, stored).status_code == 403, role


def test_a_file_of_another_application_is_not_found_through_this_one(
    member_client: Client, stored: Attachment, draft: Application, group: Any, make_user: Any
) -> None:
    other = Application.objects.create(
        reference="OTHER-1", round=draft.round, organisation=group, created_by=draft.created_by
    )
    response = member_client.get(f"/funding/applications/{other.uuid}/files/{stored.pk}/")
    assert response.status_code == 404


def test_a_member_removes_a_file_without_losing_other_answers(
    member_client: Client, stored: Attachment, draft: Application
) -> None:
    member_client.post(
        f"/funding/applications/{draft.uuid}/edit/",
        {"present": "summary", "summary": "Still here", "remove_file": str(stored.pk)},
    )
    assert not Attachment.objects.exists()
    draft.refresh_from_db()
    assert draft.summary == "Still here"
