from typing import Any, cast

from django.contrib import admin, messages
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse

from .models import Membership, Organisation, User
from .services import erase_person


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["organisation"]


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ["email", "full_name", "is_active", "is_demo"]
    search_fields = ["email", "full_name"]
    exclude = ["password", "user_permissions", "groups"]
    inlines = [MembershipInline]
    actions = ["erase_people"]

    @admin.action(description="Erase the selected people (anonymise their accounts)")
    def erase_people(self, request: HttpRequest, queryset: QuerySet[User]) -> HttpResponse | None:
        """UK GDPR erasure from the admin: a confirmation page first, then erase_person for each."""
        people = list(queryset.exclude(pk=cast(User, request.user).pk))
        if request.POST.get("confirm") == "yes":
            for person in people:
                erase_person(person, by=request.user)  # type: ignore[arg-type]
            self.message_user(
                request, f"Erased {len(people)} account{'s' if len(people) != 1 else ''}.", messages.SUCCESS
            )
            return None
        context: dict[str, Any] = {
            **self.admin_site.each_context(request),
            "title": "Erase these people?",
            "people": people,
            "opts": self.model._meta,
            "action_checkbox_name": ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/accounts/user/erase_confirm.html", context)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "org_id", "is_demo"]
    list_filter = ["kind", "is_demo"]
    search_fields = ["name", "org_id"]
    prepopulated_fields = {"slug": ["name"]}
