"""GOV.UK Design System markup for Django forms, through Django 5's field templates."""

from __future__ import annotations

from django.forms.renderers import DjangoTemplates


class GovukFormRenderer(DjangoTemplates):
    """Render `{{ form }}` and `{{ field.as_field_group }}` as GOV.UK form groups."""

    form_template_name = "govuk/form.html"
    field_template_name = "govuk/field.html"
