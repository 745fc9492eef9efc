"""An officer searches a round's applications and downloads them as a CSV file and a PDF panel pack with the
scores and comments; an officer with a conflict of interest gets neither the scores nor the comments of that
application, in either."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from pypdf import PdfReader

from commonweal.accounts.models import User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import grant_membership
from commonweal.framework.models import Element
from commonweal.funding.models import Application, Assignment, Criterion, Round, Score
from commonweal.places.models import Ward
from tests.funding.factories import ApplicantFactory

from .conftest import assign

pytestmark = pytest.mark.django_db


@pytest.fixture
def scored_round(
    scoring_round: Round,
    criteria: list[Criterion],
    assessors: list[User],
    submit: Callable[..., Application],
    merton: Any,
) -> dict[str, Any]:
    """Two scored applications: the lunch club's in Abbey ward, and a garden's that is in no ward."""
    wards = list(Ward.objects.order_by("name")[:2])
    lunch = submit(scoring_round, organisation=ApplicantFactory(name="Abbey Lunch Club"), title="Hot lunches")
    lunch.wards.set([wards[0]])
    garden = submit(scoring_round, organisation=ApplicantFactory(name="=Hostile Gardeners"), title="Raised beds")
    for application, score, comment in ((lunch, 5, "Clear need shown."), (garden, 2, "Thin evidence of need.")):
        assignment = assign(application, assessors[0], status=Assignment.Status.SCORED)
        for criterion in criteria:
            Score.objects.create(assignment=assignment, criterion=criterion, score=score, comment=comment)
    return {"lunch": lunch, "garden": garden, "ward": wards[0]}


def pdf_text(response: Any) -> str:
    """The words of a downloaded PDF, as a reader would copy them out of it."""
    content = b"".join(response.streaming_content)
    assert content.startswith(b"%PDF-")
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_officer_finds_applications_by_name_reference_status_and_ward(
    officer: User, scoring_round: Round, scored_round: dict[str, Any]
) -> None:
    client = _signed_in(officer)
    url = f"/funding/manage/rounds/{scoring_round.slug}/applications/"
    assert "Hot lunches" in (page := client.get(url, {"words": "lunch club"}).content.decode())
    assert "Raised beds" not in page
    by_reference = client.get(url, {"words": scored_round["garden"].reference}).content.decode()
    assert "Raised beds" in by_reference and "Hot lunches" not in by_reference
    in_ward = client.get(url, {"ward": scored_round["ward"].pk}).content.decode()
    assert "Hot lunches" in in_ward and "Raised beds" not in in_ward
    nothing = client.get(url, {"status": "approved"}).content.decode()
    assert "No applications match your search." in nothing
    wrong = client.get(url, {"ward": "not-a-ward"}).content.decode()
    assert "Choose a ward from the list." in wrong and "Hot lunches" in wrong


def test_the_csv_has_a_row_for_each_application_found_with_its_scores_and_cells_made_safe(
    officer: User, scoring_round: Round, scored_round: dict[str, Any]
) -> None:
    response = _signed_in(officer).get(f"/funding/manage/rounds/{scoring_round.slug}/applications.csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    by_project = {row["Project"]: row for row in rows}
    assert by_project["Hot lunches"]["Mean weighted score (0 to 100)"] == "100.0"
    assert by_project["Raised beds"]["Mean weighted score (0 to 100)"] == "40.0"
    assert by_project["Raised beds"]["Organisation"] == "'=Hostile Gardeners"  # not run as a formula
    assert by_project["Hot lunches"]["Wards"] == scored_round["ward"].name


def test_the_panel_pack_is_a_pdf_with_every_application_its_scores_and_comments(
    officer: User, scoring_round: Round, scored_round: dict[str, Any]
) -> None:
    response = _signed_in(officer).get(f"/funding/manage/rounds/{scoring_round.slug}/panel-pack.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response)
    for expected in ("Hot lunches", "Abbey Lunch Club", "Raised beds", "Clear need shown.", "Thin evidence of need."):
        assert expected in text


def test_a_conflicted_officer_gets_neither_the_scores_nor_the_comments_of_that_application(
    make_user: Callable[..., User], scoring_round: Round, scored_round: dict[str, Any]
) -> None:
    officer = make_user("officer")
    grant_membership(user=officer, role=Role.GROUP_MEMBER, organisation=scored_round["lunch"].organisation)
    client = _signed_in(officer)
    response = client.get(f"/funding/manage/rounds/{scoring_round.slug}/applications.csv")
    rows = {r["Project"]: r for r in csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))}
    assert rows["Hot lunches"]["Assessors scored"] == "Not shown: you have a conflict of interest"
    assert rows["Hot lunches"]["Mean weighted score (0 to 100)"] == ""
    assert rows["Raised beds"]["Mean weighted score (0 to 100)"] == "40.0"
    text = pdf_text(client.get(f"/funding/manage/rounds/{scoring_round.slug}/panel-pack.pdf"))
    assert "Hot lunches" in text and "you have a conflict of interest in this application" in text
    assert "Clear need shown." not in text
    assert "Thin evidence of need." in text


def test_only_officers_download_the_exports(
    make_user: Callable[..., User], scoring_round: Round, scored_round: dict[str, Any]
) -> None:
    client = _signed_in(make_user("steward"))
    assert client.get(f"/funding/manage/rounds/{scoring_round.slug}/applications.csv").status_code == 403
    assert client.get(f"/funding/manage/rounds/{scoring_round.slug}/panel-pack.pdf").status_code == 403


def test_the_search_by_theme_finds_applications_under_it(
    officer: User, scoring_round: Round, scored_round: dict[str, Any]
) -> None:
    theme = Element.objects.filter(kind="theme").first()
    assert theme is not None  # Merton's framework has its themes
    scoring_round.fund.themes.add(theme)
    scored_round["garden"].themes.set([theme])
    page = (
        _signed_in(officer)
        .get(f"/funding/manage/rounds/{scoring_round.slug}/applications/", {"theme": theme.pk})
        .content.decode()
    )
    assert "Raised beds" in page and "Hot lunches" not in page


def test_while_the_worker_builds_the_pack_the_page_says_so_and_looks_again(
    officer: User, scoring_round: Round, scored_round: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    from types import SimpleNamespace

    from commonweal.funding import tasks

    asked: list[tuple[Any, ...]] = []
    # A worker that has not got to it yet: the build is queued, nothing is on disk.
    monkeypatch.setattr(
        tasks, "build_panel_pack", SimpleNamespace(enqueue=lambda *a: asked.append(a) or SimpleNamespace(id=""))
    )
    client = _signed_in(officer)
    url = f"/funding/manage/rounds/{scoring_round.slug}/panel-pack.pdf?words=lunch"
    first, second = client.get(url), client.get(url)
    assert first.status_code == second.status_code == 202
    assert first["Refresh"] == "15"
    page = first.content.decode()
    assert "The panel pack is being prepared" in page and "checks again every 15 seconds" in page
    assert "refresh=off" in page and "words=lunch" in page
    assert len(asked) == 1  # asking again waits for the same build
    assert asked[0][2]["words"] == "lunch"
