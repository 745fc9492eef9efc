from django import forms


class RetentionPeriodForm(forms.Form):
    months = forms.IntegerField(
        label="How many months to keep it",
        min_value=0,
        max_value=1200,
        error_messages={
            "required": "Enter how many months to keep it",
            "invalid": "Enter the number of months as a whole number, like 24",
            "min_value": "Enter 0 months or more",
            "max_value": "Enter a period of 1200 months (100 years) or less",
        },
    )
