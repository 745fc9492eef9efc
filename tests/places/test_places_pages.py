"""Residents and officers read the places pages; all of them are public."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from commonweal.places.models import Ward
from commonweal.places.services import create_locality, update_locality

ABBEY = "E05013810"


def test_before_anything_is_loaded_the_places_page_says_so(client: Client, db: None) -> None:
    response = client.get(reverse("places:index"))
    assert response.status_code == 200
    assert b"have not been loaded yet" in response.content


def test_the_places_page_lists_every_ward_with_its_figures(client: Client, merton: Any) -> None:
    response = client.get(reverse("places:index"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "20 wards in Merton" in page
    abbey = Ward.objects.get(code=ABBEY)
    assert f'href="/places/wards/{ABBEY}/"' in page
    assert f"{abbey.population:,}" in page
    assert 'id="places-map-data"' in page
    assert 'role="region"' in page
    assert "style=" not in page  # the strict CSP forbids inline styles


def test_a_ward_page_shows_its_figures_and_deprivation(client: Client, merton: Any) -> None:
    response = client.get(reverse("places:ward", args=[ABBEY]))
    assert response.status_code == 200
    page = response.content.decode()
    ward = response.context["ward"]
    assert "Abbey ward" in page
    assert "London Borough of Merton" in page
    assert f"{ward.population:,}" in page
    assert sum(count for _, count in response.context["decile_counts"]) == ward.lsoas.count()
    most_deprived = response.context["most_deprived"]
    assert most_deprived.imd_rank == min(ward.lsoas.values_list("imd_rank", flat=True))
    assert most_deprived.code in page
    assert "This ward is not part of any locality." in page


def test_an_unknown_ward_is_not_found(client: Client, merton: Any) -> None:
    assert client.get(reverse("places:ward", args=["E05999999"])).status_code == 404
    assert client.get("/places/localities/nowhere/").status_code == 404


def test_a_postcode_takes_the_resident_to_their_ward(client: Client, abbey_postcode: Any) -> None:
    response = client.get(reverse("places:postcode"), {"postcode": "sw19 2hl"})
    assert response.status_code == 302
    assert response["Location"] == f"/places/wards/{ABBEY}/?postcode=SW19+2HL"
    page = client.get(response["Location"]).content.decode()
    assert "SW19 2HL is in Abbey ward." in page


def test_a_postcode_claimed_for_the_wrong_ward_is_not_announced(client: Client, abbey_postcode: Any) -> None:
    other = Ward.objects.exclude(code=ABBEY).first()
    assert other is not None
    page = client.get(reverse("places:ward", args=[other.code]), {"postcode": "SW19 2HL"}).content.decode()
    assert "SW19 2HL is in" not in page


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "Enter a postcode."),
        ("SW19", "Enter a real postcode, like SW19 2HL."),
        ("sw19 1zz", "SW19 1ZZ is not a postcode in Merton."),
    ],
)
def test_postcode_errors_appear_in_the_summary_and_beside_the_field(
    client: Client, merton: Any, typed: str, message: str
) -> None:
    response = client.get(reverse("places:postcode"), {"postcode": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert f'<a href="#id_postcode">{message}</a>' in page
    beside_field = '<p id="id_postcode-error" class="govuk-error-message">'
    assert f'{beside_field}<span class="govuk-visually-hidden">Error:</span> {message}</p>' in page
    assert f'value="{typed}"' in page or typed == ""


@pytest.mark.parametrize("typed", ["<script>alert('x')</script>", "x" * 5000, "\x00\x01", "🏠 SW19", "'; DROP TABLE"])
def test_hostile_or_odd_input_is_shown_back_safely(client: Client, merton: Any, typed: str) -> None:
    response = client.get(reverse("places:postcode"), {"postcode": typed})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<script>alert" not in page
    assert "Enter a real postcode, like SW19 2HL." in page or "Enter a postcode." in page


def test_the_script_tag_is_kept_in_the_field_but_escaped(client: Client, merton: Any) -> None:
    page = client.get(reverse("places:postcode"), {"postcode": "<script>x</script>"}).content.decode()
    assert 'value="&lt;script&gt;x&lt;/script&gt;"' in page


def test_the_postcode_page_without_a_postcode_shows_the_form(client: Client, merton: Any) -> None:
    response = client.get(reverse("places:postcode"))
    assert response.status_code == 200
    assert b"There is a problem" not in response.content
    assert b"Find your ward" in response.content


def test_a_locality_shows_its_wards_and_their_combined_population(client: Client, merton: Any) -> None:
    wards = list(Ward.objects.filter(name__in=["Abbey", "Wimbledon Park"]))
    assert len(wards) == 2
    locality = create_locality(council=merton, name="Wimbledon town centre", wards=wards)
    response = client.get(reverse("places:locality", args=[locality.slug]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Wimbledon town centre" in page
    assert f"{sum(ward.population for ward in wards):,}" in page
    assert client.get(reverse("places:ward", args=[ABBEY])).content.decode().count("Wimbledon town centre") == 1
    assert "Wimbledon town centre" in client.get(reverse("places:index")).content.decode()


def test_renaming_a_locality_moves_its_address(client: Client, merton: Any) -> None:
    locality = create_locality(council=merton, name="Pilot area", wards=Ward.objects.all()[:2])
    update_locality(locality=locality, name="Mitcham pilot")
    assert locality.slug == "mitcham-pilot"
    assert client.get(reverse("places:locality", args=["mitcham-pilot"])).status_code == 200
