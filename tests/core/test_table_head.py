"""One GOV.UK table heading row: column headings, numbers right-aligned, hidden headings still read out."""

from __future__ import annotations

from django.template import Context, Template


def render(source: str, **context: object) -> str:
    return Template("{% load i18n govuk %}" + source).render(Context(context)).strip()


def test_headings_are_column_headers_in_order() -> None:
    assert render('{% table_head _("Name") _("Status") %}') == (
        '<thead class="govuk-table__head"><tr class="govuk-table__row">'
        '<th scope="col" class="govuk-table__header">Name</th>'
        '<th scope="col" class="govuk-table__header">Status</th></tr></thead>'
    )


def test_numeric_columns_align_right_and_hidden_headings_are_for_screen_readers() -> None:
    shown = render('{% table_head _("Fund") _("Amount") _("Actions") numeric="2" hidden="3" %}')
    assert '<th scope="col" class="govuk-table__header govuk-table__header--numeric">Amount</th>' in shown
    hidden = '<th scope="col" class="govuk-table__header"><span class="govuk-visually-hidden">Actions</span></th>'
    assert hidden in shown
    assert '<th scope="col" class="govuk-table__header">Fund</th>' in shown


def test_a_heading_that_is_not_set_leaves_its_column_out_and_the_others_keep_their_place() -> None:
    shown = render('{% table_head _("Due") extra _("Amount") numeric="3" %}')
    assert shown.count("<th ") == 2
    assert 'govuk-table__header--numeric">Amount' in shown


def test_a_heading_from_a_variable_is_escaped() -> None:
    assert "&lt;b&gt;Ward" in render("{% table_head heading %}", heading="<b>Ward")
