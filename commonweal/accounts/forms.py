from django import forms


class AuditFilterForm(forms.Form):
    record_type = forms.ChoiceField(label="Type of record", required=False)
    actor = forms.CharField(label="Changed by (email)", required=False, max_length=254)
