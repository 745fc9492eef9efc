from django import forms


class AuditFilterForm(forms.Form):
    record_type = forms.ChoiceField(label="Type of record", required=False)
    actor = forms.CharField(label="Changed by (email)", required=False, max_length=254)


class EraseConfirmForm(forms.Form):
    confirm = forms.BooleanField(
        label="I understand my account will be closed and my details removed, and that this cannot be undone",
        error_messages={"required": "Tick the box to confirm you want your account and details erased"},
    )
