"""The framework in the platform administrators' admin site; stewards use the editor at /framework/edit/."""

from __future__ import annotations

from django.contrib import admin

from .models import Element, Framework


class ElementInline(admin.TabularInline):
    model = Element
    fields = ["kind", "name", "position", "to_confirm", "source"]
    extra = 0
    ordering = ["kind", "position", "pk"]


@admin.register(Framework)
class FrameworkAdmin(admin.ModelAdmin):
    list_display = ["name", "preset", "updated_at"]
    search_fields = ["name", "vision"]
    inlines = [ElementInline]


@admin.register(Element)
class ElementAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "position", "to_confirm", "framework"]
    list_filter = ["kind", "to_confirm"]
    search_fields = ["name", "description"]
    ordering = ["kind", "position", "pk"]
