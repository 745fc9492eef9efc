"""Template helpers that put GOV.UK classes and ARIA links on Django's own widgets."""

from __future__ import annotations

from django import template
from django.forms import BoundField
from django.utils.safestring import SafeString

from commonweal.core.fields import date_faults

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
    if field.widget_type == "dateboxes":  # the boxes carry their own classes; only those at fault show it
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
    if field.widget_type == "dateboxes":
        return f"{field.auto_id}_{(date_faults(field) or ['day'])[0]}"
    return str(field.auto_id)
