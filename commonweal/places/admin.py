"""The places data in Django's admin: boundaries are shown, never edited by hand (reload them instead)."""

from django.contrib import admin

from .models import CouncilArea, Locality, Lsoa, Postcode, Ward


@admin.register(CouncilArea)
class CouncilAreaAdmin(admin.ModelAdmin):
    list_display = ["name", "gss_code", "area_name", "org_id"]


@admin.register(Ward)
class WardAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "council", "population"]
    search_fields = ["name", "code"]
    readonly_fields = [
        "boundary",
        "min_lat",
        "min_lon",
        "max_lat",
        "max_lon",
        "centroid_lat",
        "centroid_lon",
        "population",
    ]


@admin.register(Locality)
class LocalityAdmin(admin.ModelAdmin):
    list_display = ["name", "council", "is_demo"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["wards"]


@admin.register(Lsoa)
class LsoaAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "ward", "imd_decile", "imd_rank", "population"]
    list_filter = ["imd_decile"]
    search_fields = ["code", "name"]
    readonly_fields = ["boundary"]


@admin.register(Postcode)
class PostcodeAdmin(admin.ModelAdmin):
    list_display = ["postcode", "ward", "lsoa_code", "is_demo"]
    list_filter = ["is_demo"]
    search_fields = ["postcode"]
    list_select_related = ["ward"]
