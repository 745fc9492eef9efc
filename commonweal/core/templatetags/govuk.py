"""Template helpers that put GOV.UK classes and ARIA links on Django's own widgets."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.db.models import Model
from django.forms import BoundField
from django.template import Context
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from commonweal.core import status
from commonweal.core.fields import date_faults

DATE_INPUTS = ("dateboxes", "datetimeboxes")  # GOV.UK's date input, and the same with a box for the time

register = template.Library()

_WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "nullbooleanselect": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "clearablefile": "govuk-file-upload",
    "file": "govuk-file-upload",
}


@register.filter
def govuk_widget(field: BoundField) -> SafeString:
    """Render the field's widget with its GOV.UK class, error state and described-by ids."""
    if field.widget_type in DATE_INPUTS:  # the boxes carry their own classes; only those at fault show it
        return field.as_widget(attrs={"data-faults": " ".join(date_faults(field))})
    base = _WIDGET_CLASSES.get(field.widget_type, "govuk-input")
    classes = [base]
    if field.errors and base != "govuk-checkboxes__input":
        classes.append(f"{base}--error")
    existing = field.field.widget.attrs.get("class")
    if existing:
        classes.append(existing)
    described = [f"{field.auto_id}-hint"] if field.help_text else []
    if field.errors:
        described.append(f"{field.auto_id}-error")
    attrs: dict[str, str | bool] = {"class": " ".join(classes)}
    if described:
        attrs["aria-describedby"] = " ".join(described)
    return field.as_widget(attrs=attrs)


@register.filter
def govuk_anchor(field: BoundField) -> str:
    """The id an error summary links to: the first option of a list, the first date box at fault."""
    if field.widget_type in ("radioselect", "checkboxselectmultiple"):
        return f"{field.auto_id}_0"
    if field.widget_type in DATE_INPUTS:
        return f"{field.auto_id}_{(date_faults(field) or ['day'])[0]}"
    return str(field.auto_id)


@register.simple_tag(takes_context=True)
def error_summary_items(context: Context) -> list[tuple[str, str]]:
    """Every problem an error summary lists, with the id its link goes to ('' for a message with no field).

    The page gives `form` (or `summary_forms`, a list), `summary_rows` (numbered rows: one set or a list),
    and `summary_errors` (messages that belong to no field: one or a list).
    """
    messages = context.get("summary_errors") or []
    items = [(str(message), "") for message in ([messages] if isinstance(messages, str) else messages) if message]
    forms = context.get("summary_forms")
    for form in [context.get("form")] if forms is None else forms:
        if form is not None and getattr(form, "errors", None):
            items += [(str(error), "") for error in form.non_field_errors()]
            items += [(str(error), govuk_anchor(field)) for field in form for error in field.errors]
    row_sets: Any = context.get("summary_rows") or []
    rows: Any
    for rows in [row_sets] if hasattr(row_sets, "forms") else row_sets:
        if getattr(rows, "problem", ""):
            items.append((str(rows.problem), f"{rows.name}-rows-error"))
        items += [(str(error), govuk_anchor(field)) for row in rows.forms for field in row for error in field.errors]
    return items


@register.inclusion_tag("govuk/status_tag.html")
def status_tag(record: Model, field: str = "status", value: Any = None, testid: str = "") -> dict[str, Any]:
    """`{% status_tag grant %}`, `{% status_tag round "prospectus_status" %}`: the status's label in its colour."""
    return {"tag": status.status_tag(record, field, value or None), "testid": testid}


@register.simple_tag
def table_head(*headers: str, numeric: str = "", hidden: str = "") -> SafeString:
    """`{% table_head _("Name") _("Amount") _("Actions") numeric="2" hidden="3" %}`: a GOV.UK table's heading row.

    `numeric` and `hidden` name columns by place (from 1, spaces between): numbers are right-aligned; a hidden
    heading is read out by screen readers but not shown. An empty heading (a variable that is not set) is left
    out, for a column only some people see.
    """
    numbers = {int(place) for place in numeric.split()}
    unseen = {int(place) for place in hidden.split()}
    cells = format_html_join(
        "",
        '<th scope="col" class="govuk-table__header{}">{}</th>',
        (
            (
                " govuk-table__header--numeric" if place in numbers else "",
                format_html('<span class="govuk-visually-hidden">{}</span>', header) if place in unseen else header,
            )
            for place, header in enumerate(headers, start=1)
            if header
        ),
    )
    return format_html('<thead class="govuk-table__head"><tr class="govuk-table__row">{}</tr></thead>', cells)


class ScrollingTableNode(template.Node):
    def __init__(self, nodelist: template.NodeList) -> None:
        self.nodelist = nodelist

    def render(self, context: Context) -> SafeString:
        table: str = str(self.nodelist.render(context))
        caption = _CAPTION.search(table)
        if caption is None:
            raise template.TemplateSyntaxError("{% scrolling_table %} names its box by the table's <caption>: add one.")
        named = _ID.search(caption.group(1))
        if named:
            caption_id = named.group(1)
        else:  # one page may hold several: number them in the order they are drawn
            page = context.dicts[0]
            page["_scrolling_tables"] = page.get("_scrolling_tables", 0) + 1
            caption_id = f"table-{page['_scrolling_tables']}-caption"
            table = f'{table[: caption.end(1)]} id="{caption_id}"{table[caption.end(1) :]}'
        return format_html(
            '<div class="app-table-scroll" role="region" aria-labelledby="{}" tabindex="0">{}</div>',
            caption_id,
            mark_safe(table),  # noqa: S308 - the table as its own template rendered and escaped it
        )


_CAPTION = re.compile(r"<caption\b([^>]*)>")
_ID = re.compile(r'\bid="([^"]+)"')


@register.tag
def scrolling_table(parser: template.base.Parser, token: template.base.Token) -> ScrollingTableNode:
    """`{% scrolling_table %}<table>…</table>{% endscrolling_table %}`: a wide table that scrolls in its own box on a
    phone, its first column staying in view (app-table-scroll in frontend/scss/app.scss), not the whole page.

    The box is a region named by the table's caption (given an id if it has none) and takes focus, so a keyboard
    can scroll it: WCAG 2.1.1, and axe's scrollable-region-focusable.
    """
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% scrolling_table %} takes nothing: the table's caption names it.")
    nodelist = parser.parse(("endscrolling_table",))
    parser.delete_first_token()
    return ScrollingTableNode(nodelist)
