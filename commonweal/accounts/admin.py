from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet

from .models import Membership, Organisation, User
from .queries import email_verified
from .services import UNVERIFIED_FOR_ROLE


class MembershipFormSet(BaseInlineFormSet):
    """The admin gives roles by this inline, not by grant_membership: the same rule, no role before a
    confirmed email address (a role already held may stay or go)."""

    def clean(self) -> None:
        super().clean()
        user = self.instance
        adding = any(
            form.has_changed() and not form.cleaned_data.get("DELETE") and form.instance.pk is None
            for form in self.forms
            if hasattr(form, "cleaned_data")
        )
        if adding and not email_verified(user):
            raise ValidationError(UNVERIFIED_FOR_ROLE.format(person=user, email=user.email))


class MembershipInline(admin.TabularInline):
    model = Membership
    formset = MembershipFormSet
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "email_confirmed", "is_active", "is_demo"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "user_permissions", "groups"]
    inlines = [MembershipInline]

    @admin.display(boolean=True, description="Email verified")
    def email_confirmed(self, user: User) -> bool:
        return email_verified(user)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_id", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "org_id"]
    prepopulated_fields = {"slug": ["name"]}
