"""A wide table's scrolling box: a region named by the table's own caption, which a keyboard can reach."""

from __future__ import annotations

import pytest
from django.template import Context, Template, TemplateSyntaxError

TABLE = '<table class="govuk-table"><caption class="govuk-table__caption">{{ name }}</caption></table>'


def render(source: str, **context: object) -> str:
    return Template("{% load govuk %}" + source).render(Context(context))


def test_the_box_is_a_focusable_region_named_by_the_caption() -> None:
    shown = render("{% scrolling_table %}" + TABLE + "{% endscrolling_table %}", name="Rounds")
    assert shown.startswith(
        '<div class="app-table-scroll" role="region" aria-labelledby="table-1-caption" tabindex="0">'
    )
    assert '<caption class="govuk-table__caption" id="table-1-caption">Rounds</caption>' in shown


def test_two_tables_on_one_page_are_named_apart_and_a_caption_keeps_its_own_id() -> None:
    own = '<table><caption id="claims">Claims</caption></table>'
    shown = render(
        ("{% scrolling_table %}" + TABLE + "{% endscrolling_table %}") * 2
        + "{% scrolling_table %}"
        + own
        + "{% endscrolling_table %}",
        name="x",
    )
    assert shown.count('aria-labelledby="table-1-caption"') == 1
    assert shown.count('aria-labelledby="table-2-caption"') == 1
    assert 'aria-labelledby="claims"' in shown
    assert shown.count(' id="') == 3


def test_the_table_is_escaped_as_its_template_escapes_it() -> None:
    shown = render("{% scrolling_table %}" + TABLE + "{% endscrolling_table %}", name="<script>alert(1)</script>")
    assert "&lt;script&gt;" in shown and "<script>" not in shown


def test_a_table_without_a_caption_is_refused_when_the_page_is_written() -> None:
    with pytest.raises(TemplateSyntaxError, match="caption"):
        render("{% scrolling_table %}<table></table>{% endscrolling_table %}")
    with pytest.raises(TemplateSyntaxError, match="takes nothing"):
        render('{% scrolling_table "x" %}<table></table>{% endscrolling_table %}')
