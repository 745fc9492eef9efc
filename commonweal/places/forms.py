from django import forms


class PostcodeForm(forms.Form):
    postcode = forms.CharField(label="Postcode", max_length=10, help_text="For example, SW19 2HL")
