"""The shared form fields: what a person may type, what they are told when it cannot be read, and that what
they typed comes back to them on the page."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django import forms
from django.template.loader import render_to_string
from django.utils import timezone

from commonweal.core.fields import DateField, DateTimeField, MoneyField, text_field, time_of_day, written_date
from commonweal.core.forms import GovukFormRenderer
from tests.dates import date_boxes, moment_boxes


class Example(forms.Form):
    default_renderer = GovukFormRenderer()

    name = text_field("Name of the group", what="the name of the group", max_length=10, required=True)
    amount = MoneyField(label="Amount (£)", what="the amount")
    starts_on = DateField(label="When does it start?", what="the start date")
    closes_at = DateTimeField(label="When does it close?", what="the closing date and time")


def bound(**data: str) -> Example:
    return Example({"name": "Friends", **data})


# --- text ------------------------------------------------------------------------------------------------


def test_text_is_stripped_and_its_messages_name_the_field() -> None:
    form = bound(name="  Friends of the park  ")
    assert not form.is_valid()
    assert form.errors["name"] == ["The name of the group must be 10 characters or fewer"]
    form = bound(name="  Friends ")
    assert form.is_valid() and form.cleaned_data["name"] == "Friends"
    form = Example({"name": "   "})
    assert form.errors["name"] == ["Enter the name of the group"]


# --- money -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "amount"),
    [("1234", Decimal("1234")), ("£1,234.50", Decimal("1234.50")), (" 0 ", Decimal("0")), ("", None)],
)
def test_money_is_read_as_people_type_it(typed: str, amount: Decimal | None) -> None:
    form = bound(amount=typed)
    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == amount


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-5", "The amount must be £0 or more"),
        ("12.345", "The amount must be pounds and pence, with no more than 2 decimal places"),
        ("twelve", "The amount must be an amount of money, like 1500 or 1,500.50"),
        ("NaN", "The amount must be an amount of money, like 1500 or 1,500.50"),
        ("£12,000,000,000", "The amount must be £9,999,999,999.99 or less"),
    ],
)
def test_money_that_cannot_be_an_amount_is_explained_and_kept(typed: str, message: str) -> None:
    form = bound(amount=typed)
    assert form.errors["amount"] == [message]
    assert f'value="{typed}"' in str(form["amount"])


def test_money_shows_a_saved_amount_without_needless_pence() -> None:
    form = Example(initial={"amount": Decimal("2500.00")})
    assert 'value="2500"' in str(form["amount"])
    assert bound(amount="2,500").is_valid()


# --- the date input --------------------------------------------------------------------------------------


def test_a_date_round_trips_through_the_three_boxes() -> None:
    html = str(Example(initial={"starts_on": date(2027, 3, 31)})["starts_on"].as_field_group())
    for part, value in (("day", "31"), ("month", "3"), ("year", "2027")):
        assert f'name="starts_on_{part}" value="{value}"' in html
    form = bound(**date_boxes("starts_on", "31/3/2027"))
    assert form.is_valid() and form.cleaned_data["starts_on"] == date(2027, 3, 31)


def test_an_empty_date_is_none_unless_it_is_needed() -> None:
    form = bound(**date_boxes("starts_on", ""))
    assert form.is_valid() and form.cleaned_data["starts_on"] is None
    field = DateField(label="When?", what="the date", required=True)
    with pytest.raises(forms.ValidationError) as refused:
        field.clean(["", "", ""])
    assert refused.value.messages == ["Enter the date"]


@pytest.mark.parametrize(
    ("typed", "message", "at_fault"),
    [
        ("31//2027", "The start date must include a month", ["month"]),
        ("31//", "The start date must include a month and year", ["month", "year"]),
        ("/3/2027", "The start date must include a day", ["day"]),
        ("31/2/2027", "The start date must be a real date", ["day", "month", "year"]),
        ("32/3/2027", "The start date must be a real date", ["day"]),
        ("1/13/2027", "The start date must be a real date", ["month"]),
        ("first/Smarch/2027", "The start date must be a real date", ["day", "month"]),
        ("1 Aprill 2027//", "The start date must include a month and year", ["month", "year"]),
        ("1/3/27", "Year must include 4 numbers", ["year"]),
    ],
)
def test_a_date_that_is_not_real_says_why_and_marks_only_the_boxes_at_fault(
    typed: str, message: str, at_fault: list[str]
) -> None:
    form = bound(**date_boxes("starts_on", typed))
    assert form.errors["starts_on"] == [message]
    html = str(form["starts_on"].as_field_group())
    typed_parts = dict(zip(("day", "month", "year"), [*typed.split("/"), "", ""], strict=False))
    for part in ("day", "month", "year"):
        box = html.split(f'name="starts_on_{part}"')[1].split(">")[0]
        assert ("govuk-input--error" in box) == (part in at_fault), part
        if typed_parts[part]:
            assert f'value="{typed_parts[part]}"' in box  # what they typed is kept
    assert f'<a href="#id_starts_on_{at_fault[0]}">' in _summary(form)


def test_the_date_input_is_govuk_markup_with_one_legend_hint_and_error() -> None:
    form = bound(**date_boxes("starts_on", "31//2027"))
    html = str(form["starts_on"].as_field_group())
    assert html.count("<legend") == 1 and "When does it start?" in html
    assert 'aria-describedby="id_starts_on-hint id_starts_on-error"' in html
    assert html.count('class="govuk-hint"') == 1 and html.count("govuk-error-message") == 1
    assert 'class="govuk-date-input" id="id_starts_on"' in html
    for part, label, width in (("day", "Day", 2), ("month", "Month", 2), ("year", "Year", 4)):
        assert f'<label class="govuk-label govuk-date-input__label" for="id_starts_on_{part}">{label}</label>' in html
        box = html.split(f'name="starts_on_{part}"')[1].split(">")[0]
        assert f"govuk-input--width-{width}" in box and 'inputmode="numeric"' in box
        assert f'id="id_starts_on_{part}"' in box


def test_the_error_summary_links_the_day_box_when_the_whole_date_is_wrong() -> None:
    form = bound(**date_boxes("starts_on", "30/2/2027"), amount="x")
    summary = _summary(form)
    assert '<a href="#id_starts_on_day">The start date must be a real date</a>' in summary
    assert '<a href="#id_amount">' in summary


def _summary(form: forms.Form) -> str:
    return render_to_string("govuk/error_summary.html", {"form": form})


# --- dates as people write them ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "typed",
    [
        "1/April/2027",
        "1/apr/2027",
        "01/Apr./2027",
        "1 April 2027//",
        "//1 April 2027",
        "1st april 2027//",
        "1/4/2027//",
    ],
)
def test_a_month_by_name_or_the_whole_date_in_one_box_is_read_as_meant(typed: str) -> None:
    form = bound(**date_boxes("starts_on", typed))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["starts_on"] == date(2027, 4, 1)


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("1 April 2027", date(2027, 4, 1)),
        ("1st Apr 2027", date(2027, 4, 1)),
        ("  31   December 2026 ", date(2026, 12, 31)),
        ("1/4/2027", date(2027, 4, 1)),
        ("1.4.2027", date(2027, 4, 1)),
        ("2027-04-01", date(2027, 4, 1)),
        ("30 February 2027", None),
        ("1 Aprill 2027", None),
        ("April 2027", None),
        ("", None),
    ],
)
def test_a_written_date_is_read_only_when_it_is_a_real_date(typed: str, found: date | None) -> None:
    assert written_date(typed) == found


@pytest.mark.parametrize(
    ("typed", "found"),
    [
        ("17:00", time(17, 0)),
        ("9.30", time(9, 30)),
        ("5pm", time(17, 0)),
        ("5:30 pm", time(17, 30)),
        ("12am", time(0, 0)),
        ("12pm", time(12, 0)),
        ("midday", time(12, 0)),
        ("0930", time(9, 30)),
        ("930pm", time(21, 30)),
        ("5", None),
        ("25:00", None),
        ("13pm", None),
        ("teatime", None),
    ],
)
def test_a_time_is_read_as_people_type_it(typed: str, found: time | None) -> None:
    assert time_of_day(typed) == found


def test_a_bare_hour_is_a_time_only_where_the_context_says_which() -> None:
    assert time_of_day("9") is None
    assert time_of_day("9", bare_hour=True) == time(9, 0)
    assert time_of_day("12am", bare_hour=True) == time(0, 0)


def test_a_date_and_time_round_trips_through_the_four_boxes_in_the_councils_time_zone(settings: object) -> None:
    form = bound(**moment_boxes("closes_at", "30/6/2027 5pm"))
    assert form.is_valid(), form.errors
    closes = form.cleaned_data["closes_at"]
    assert closes == datetime(2027, 6, 30, 17, 0, tzinfo=timezone.get_current_timezone())
    shown = str(Example(initial={"closes_at": closes})["closes_at"].as_field_group())
    for part, typed in (("day", "30"), ("month", "6"), ("year", "2027"), ("time", "17:00")):
        assert f'value="{typed}"' in shown.split(f'name="closes_at_{part}"')[1].split(">")[0]
    assert '<label class="govuk-label govuk-date-input__label" for="id_closes_at_time">Time</label>' in shown


@pytest.mark.parametrize(
    ("typed", "message", "at_fault"),
    [
        ("30/6/2027 ", "The closing date and time must include a time, like 17:00 or 5pm", ["time"]),
        ("30/6/2027 half five", "The closing date and time must be a real time, like 17:00 or 5pm", ["time"]),
        ("31/6/2027 17:00", "The closing date and time must be a real date", ["day", "month", "year"]),
        ("// 17:00", "The closing date and time must include a day, month and year", ["day", "month", "year"]),
    ],
)
def test_a_date_and_time_that_is_not_real_says_why_and_marks_the_box_at_fault(
    typed: str, message: str, at_fault: list[str]
) -> None:
    form = bound(**moment_boxes("closes_at", typed))
    assert form.errors["closes_at"] == [message]
    html = str(form["closes_at"].as_field_group())
    for part in ("day", "month", "year", "time"):
        box = html.split(f'name="closes_at_{part}"')[1].split(">")[0]
        assert ("govuk-input--error" in box) == (part in at_fault), part
    assert f'<a href="#id_closes_at_{at_fault[0]}">' in _summary(form)
