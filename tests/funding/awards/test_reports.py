"""The group fills in its monitoring reports: drafts, rows of outputs and outcomes against the framework's
outcomes, submission; officers accept them or ask for changes; late and missing reports are flagged."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.framework.models import Element
from commonweal.funding.awards.queries import report_is_missing
from commonweal.funding.awards.services import accept_report, request_report_changes, save_report_draft, submit_report
from commonweal.funding.errors import FundingError, WorkflowError
from commonweal.funding.models import Grant, MonitoringReport, ReportResult
from tests.funding.awards.conftest import HOSTILE

OUTPUT = {"kind": "output", "description": "Lunch club sessions", "quantity": Decimal("40"), "unit": "sessions"}


def first_report(grant: Grant) -> MonitoringReport:
    return grant.reports.order_by("due_on").first()


def outcome_row(outcome: Element | None) -> dict[str, Any]:
    return {
        "kind": "outcome",
        "description": "People feel less alone",
        "quantity": 25,
        "unit": "people",
        "outcome": outcome.pk if outcome else None,
    }


def test_a_draft_keeps_what_was_written_without_needing_everything(
    accepted_grant: Grant, member: User, outcomes: list[Element]
) -> None:
    report = save_report_draft(
        report=first_report(accepted_grant), narrative="Half done.", spent=None, results=[], by=member
    )
    assert report.status == MonitoringReport.Status.DUE
    assert report.narrative == "Half done."


def test_submitting_needs_what_happened_the_money_spent_and_a_result(
    accepted_grant: Grant, member: User, outcomes: list[Element]
) -> None:
    with pytest.raises(FundingError) as caught:
        submit_report(report=first_report(accepted_grant), narrative="", spent=None, results=[], by=member)
    assert caught.value.message_dict == {
        "narrative": ["Say what happened: what you did with the grant and how it went."],
        "spent": ["Enter how much of the grant you have spent so far, in pounds."],
        "results": ["Add at least one output or outcome: what you did or what changed."],
    }
    assert first_report(accepted_grant).status == MonitoringReport.Status.DUE


def test_an_outcome_is_counted_against_one_of_the_frameworks_outcomes(
    accepted_grant: Grant, member: User, outcomes: list[Element]
) -> None:
    report = submit_report(
        report=first_report(accepted_grant),
        narrative="Forty sessions.",
        spent=Decimal("800"),
        results=[OUTPUT, outcome_row(outcomes[0])],
        by=member,
    )
    assert report.status == MonitoringReport.Status.SUBMITTED
    assert report.submitted_by == member
    assert [(r.kind, r.outcome) for r in report.results.all()] == [("output", None), ("outcome", outcomes[0])]


def test_an_outcome_without_a_framework_outcome_cannot_be_submitted(
    accepted_grant: Grant, member: User, outcomes: list[Element]
) -> None:
    with pytest.raises(FundingError) as caught:
        submit_report(
            report=first_report(accepted_grant),
            narrative="x",
            spent=Decimal("1"),
            results=[outcome_row(None)],
            by=member,
        )
    assert caught.value.message_dict["results"] == ["Choose which of the framework's outcomes result 1 is about."]


def test_a_theme_is_not_an_outcome(accepted_grant: Grant, member: User, outcomes: list[Element]) -> None:
    theme = Element.objects.get(kind=Element.Kind.THEME, name="A theme")
    with pytest.raises(FundingError) as caught:
        save_report_draft(
            report=first_report(accepted_grant), narrative="", spent=None, results=[outcome_row(theme)], by=member
        )
    assert caught.value.message_dict["results"] == ["Choose result 1's outcome from the council's framework."]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ({"kind": "", "description": "x"}, "Choose whether result 1 is an output or an outcome."),
        ({"kind": "output", "description": " "}, "Describe result 1."),
        ({"kind": "output", "description": "x" * 301}, "Result 1's description must be 300 characters or fewer."),
        ({"kind": "output", "description": "x", "quantity": Decimal("-1")}, "Result 1's number cannot be less than 0."),
    ],
)
def test_each_result_row_must_make_sense(
    accepted_grant: Grant, member: User, outcomes: list[Element], row: dict[str, Any], message: str
) -> None:
    with pytest.raises(FundingError) as caught:
        save_report_draft(report=first_report(accepted_grant), narrative="", spent=None, results=[row], by=member)
    assert caught.value.message_dict["results"] == [message]


def test_reports_cannot_be_filled_before_the_offer_is_accepted(
    grant: Grant, member: User, outcomes: list[Element]
) -> None:
    with pytest.raises(WorkflowError, match="This grant is offered, so its reports cannot be changed."):
        save_report_draft(report=first_report(grant), narrative="x", spent=None, results=[], by=member)


def test_an_officer_asks_for_changes_with_a_reason_and_the_group_sends_it_again(
    accepted_grant: Grant, member: User, officer: User, outcomes: list[Element]
) -> None:
    report = submit_report(
        report=first_report(accepted_grant), narrative="Done.", spent=Decimal("900"), results=[OUTPUT], by=member
    )
    with pytest.raises(WorkflowError):
        request_report_changes(report=report, reason="", by=officer)
    report = request_report_changes(report=report, reason="Say how many people came.", by=officer)
    assert report.status == MonitoringReport.Status.CHANGES_REQUESTED
    assert report.review_note == "Say how many people came."
    report = submit_report(
        report=report, narrative="Done; 30 people came.", spent=Decimal("900"), results=[OUTPUT], by=member
    )
    assert accept_report(report=report, by=officer).status == MonitoringReport.Status.ACCEPTED
    with pytest.raises(WorkflowError, match="already been accepted"):
        accept_report(report=report, by=officer)


def test_a_submitted_report_cannot_be_changed_by_the_group(
    accepted_grant: Grant, member: User, outcomes: list[Element]
) -> None:
    report = submit_report(
        report=first_report(accepted_grant), narrative="Done.", spent=Decimal("900"), results=[OUTPUT], by=member
    )
    with pytest.raises(WorkflowError, match="This report is submitted, so it cannot be changed now."):
        save_report_draft(report=report, narrative="Changed", spent=None, results=[], by=member)


def test_a_report_is_late_once_its_due_date_passes_and_missing_after_thirty_days(accepted_grant: Grant) -> None:
    report = first_report(accepted_grant)
    today = timezone.localdate()
    report.due_on = today
    assert not report.is_late
    report.due_on = today - timedelta(days=1)
    assert report.is_late and not report_is_missing(report)
    report.due_on = today - timedelta(days=30)
    assert not report_is_missing(report)
    report.due_on = today - timedelta(days=31)
    assert report_is_missing(report)
    report.status = MonitoringReport.Status.SUBMITTED
    assert not report.is_late and not report_is_missing(report)


# --- through the page ---------------------------------------------------------------------------------


def _post(outcome: Element | None = None, **extra: str) -> dict[str, str]:
    data = {
        "narrative": "Forty sessions.",
        "spent": "£800",
        "result-rows": "3",
        "result-1-kind": "output",
        "result-1-description": "Lunch club sessions",
        "result-1-quantity": "40",
        "result-1-unit": "sessions",
        "result-2-kind": "outcome",
        "result-2-description": "People feel less alone",
        "result-2-quantity": "25",
        "result-2-unit": "people",
        "result-2-outcome": str(outcome.pk) if outcome else "",
        "action": "submit",
    }
    data.update(extra)
    return data


def test_the_report_page_offers_the_frameworks_outcomes_only(
    client: Client, member: User, accepted_grant: Grant, outcomes: list[Element]
) -> None:
    client.force_login(member)
    html = client.get(
        f"/funding/grants/{accepted_grant.reference}/reports/{first_report(accepted_grant).pk}/"
    ).content.decode()
    assert "People are less lonely" in html
    assert "Neighbourhoods are cleaner" in html
    assert "A theme" not in html
    assert html.count('name="result-') >= 15  # three blank rows of five fields


def test_add_another_result_keeps_what_was_typed(
    client: Client, member: User, accepted_grant: Grant, outcomes: list[Element]
) -> None:
    client.force_login(member)
    url = f"/funding/grants/{accepted_grant.reference}/reports/{first_report(accepted_grant).pk}/"
    response = client.post(url, _post(outcomes[0], action="add_result"))
    html = response.content.decode()
    assert 'name="result-4-description"' in html
    assert 'value="Lunch club sessions"' in html
    assert first_report(accepted_grant).status == MonitoringReport.Status.DUE
    assert not ReportResult.objects.exists()


def test_a_row_with_a_description_but_no_kind_is_shown_beside_the_row(
    client: Client, member: User, accepted_grant: Grant, outcomes: list[Element]
) -> None:
    client.force_login(member)
    url = f"/funding/grants/{accepted_grant.reference}/reports/{first_report(accepted_grant).pk}/"
    response = client.post(
        url, _post(outcomes[0], **{"result-3-description": "Something", "result-3-quantity": "many"})
    )
    html = response.content.decode()
    assert "Choose whether result 3 is an output or an outcome." in html
    assert "Enter how many as a number, like 12." in html
    assert first_report(accepted_grant).status == MonitoringReport.Status.DUE


def test_the_group_submits_and_the_officer_accepts_through_the_pages(
    client: Client, member: User, officer: User, accepted_grant: Grant, outcomes: list[Element]
) -> None:
    client.force_login(member)
    report = first_report(accepted_grant)
    url = f"/funding/grants/{accepted_grant.reference}/reports/{report.pk}/"
    response = client.post(url, _post(outcomes[1]), follow=True)
    page = response.content.decode()
    assert "Monitoring report sent" in page and accepted_grant.reference in page and "What happens next" in page
    report.refresh_from_db()
    assert report.status == MonitoringReport.Status.SUBMITTED
    assert report.spent == Decimal("800")

    client.force_login(officer)
    html = client.get(url).content.decode()
    assert "Neighbourhoods are cleaner" in html
    response = client.post(f"/funding/manage/reports/{report.pk}/review/", {"review-decision": "changes"})
    assert "Say why, so the people affected know the reason." in response.content.decode()
    response = client.post(f"/funding/manage/reports/{report.pk}/review/", {"review-decision": "accept"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == MonitoringReport.Status.ACCEPTED


def test_hostile_text_in_a_report_is_shown_as_text(
    client: Client, member: User, officer: User, accepted_grant: Grant, outcomes: list[Element]
) -> None:
    report = first_report(accepted_grant)
    submit_report(
        report=report,
        narrative=HOSTILE + "y" * 9000,
        spent=Decimal("1"),
        results=[{"kind": "output", "description": HOSTILE, "unit": HOSTILE}],
        by=member,
    )
    client.force_login(officer)
    html = client.get(f"/funding/grants/{accepted_grant.reference}/reports/{report.pk}/").content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "<bdi>&lt;script&gt;" in html


def test_ticking_remove_drops_a_result_from_the_draft(
    client: Client, member: User, accepted_grant: Grant, outcomes: list[Element]
) -> None:
    client.force_login(member)
    report = first_report(accepted_grant)
    url = f"/funding/grants/{accepted_grant.reference}/reports/{report.pk}/"
    client.post(url, _post(outcomes[0], action="save"))
    assert report.results.count() == 2
    html = client.get(url).content.decode()
    assert "Remove result 1" in html
    assert "Remove result 3" not in html  # a blank row has nothing to remove
    response = client.post(
        url, _post(outcomes[0], action="save", **{"result-1-remove": "on", "result-1-quantity": "not a number"})
    )
    assert response.status_code == 302
    assert [r.description for r in report.results.all()] == ["People feel less alone"]


def test_officers_do_not_see_a_draft_before_it_is_sent(
    client: Client, member: User, officer: User, accepted_grant: Grant, outcomes: list[Element]
) -> None:
    report = first_report(accepted_grant)
    save_report_draft(report=report, narrative="Our private first thoughts.", spent=None, results=[], by=member)
    client.force_login(officer)
    html = client.get(f"/funding/grants/{accepted_grant.reference}/reports/{report.pk}/").content.decode()
    assert "This report has not been sent yet." in html
    assert "Our private first thoughts." not in html
