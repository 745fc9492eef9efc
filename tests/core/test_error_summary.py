"""The one error summary: every problem on the page, each linking to the box to put right."""

from __future__ import annotations

from typing import Any

from django import forms
from django.template.loader import render_to_string

from commonweal.core.fields import DateField, MoneyField


class Offer(forms.Form):
    amount = MoneyField(label="Amount (£)", what="the amount", required=True)
    kind = forms.ChoiceField(label="Kind", choices=[("a", "A"), ("b", "B")], widget=forms.RadioSelect)
    due_on = DateField(label="Due", what="the due date")


class Rows:
    """Numbered rows as the awards pages have them: a problem of the whole set, and row forms."""

    def __init__(self, problem: str, *row_forms: forms.Form) -> None:
        self.name, self.problem, self.forms = "tranche", problem, list(row_forms)


def summary(**context: Any) -> str:
    return render_to_string("govuk/error_summary.html", context)


def test_nothing_is_shown_when_nothing_is_wrong() -> None:
    assert summary(form=Offer({"amount": "5", "kind": "a"})).strip() == ""
    assert summary(summary_errors=[]).strip() == ""


def test_each_problem_links_to_its_field_and_the_first_box_of_a_list_or_date() -> None:
    html = summary(form=Offer({"amount": "", "kind": "", "due_on_day": "1", "due_on_year": "2027"}))
    assert "There is a problem" in html
    assert '<a href="#id_amount">Enter the amount</a>' in html
    assert '<a href="#id_kind_0">' in html
    assert '<a href="#id_due_on_month">The due date must include a month</a>' in html


def test_messages_with_no_field_forms_and_rows_share_one_summary() -> None:
    row = Offer({"tranche-1-amount": "-1", "tranche-1-kind": "a"}, prefix="tranche-1")
    other = Offer({"other-amount": "x", "other-kind": "a"}, prefix="other")
    html = summary(
        summary_errors="The round has closed.",
        summary_forms=[other],
        summary_rows=[Rows("The payments add up to £900.", row)],
        summary_testid="refusals",
    )
    assert html.count('class="govuk-error-summary"') == 1 and 'data-testid="refusals"' in html
    assert "<li>The round has closed.</li>" in html
    assert '<a href="#id_other-amount">The amount must be an amount of money' in html
    assert '<a href="#tranche-rows-error">The payments add up to £900.</a>' in html
    assert '<a href="#id_tranche-1-amount">The amount must be £0 or more</a>' in html


def test_a_page_can_give_its_own_title() -> None:
    html = summary(summary_errors="The file is empty.", summary_title="The import failed, so nothing was changed")
    assert "The import failed, so nothing was changed" in html and "There is a problem" not in html
