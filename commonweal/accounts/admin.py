from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .errors import AccountsError
from .models import Membership, Organisation, User
from .queries import email_verified
from .services import UNVERIFIED_FOR_ROLE, erase_person


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
    actions = ["erase_people"]

    @admin.action(description="Erase the selected people (anonymise their accounts)")
    def erase_people(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        """UK GDPR erasure from the admin: a confirmation page first, then erase_person for each."""
        people = list(queryset.exclude(pk=cast(User, request.user).pk))
        if request.POST.get("confirm") == "yes":
            erased = 0
            for person in people:
                try:
                    erase_person(person, by=request.user)  # type: ignore[arg-type]
                except AccountsError as refusal:
                    self.message_user(request, " ".join(refusal.messages), messages.ERROR)
                else:
                    erased += 1
            self.message_user(request, f"Erased {erased} account{'s' if erased != 1 else ''}.", messages.SUCCESS)
            return None
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": "Erase these people?",
            "people": people,
            "opts": self.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/accounts/user/erase_confirm.html", context)

    @admin.display(boolean=True, description="Email verified")
    def email_confirmed(self, user: User) -> bool:
        return email_verified(user)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_id", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "org_id"]
    prepopulated_fields = {"slug": ["name"]}
