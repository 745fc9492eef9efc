from django import forms

from .models import Organisation


class OrganisationForm(forms.ModelForm):
    website = forms.URLField(label="Website", required=False, assume_scheme="https", max_length=200)

    class Meta:
        model = Organisation
        fields = ["name", "description", "email", "website"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class AuditFilterForm(forms.Form):
    record_type = forms.ChoiceField(label="Type of record", required=False)
    actor = forms.CharField(label="Changed by (email)", required=False, max_length=254)
