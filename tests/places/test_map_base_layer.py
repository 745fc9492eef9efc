"""Every map draws the council's boundary and its wards from one compact GeoJSON document that browsers keep."""

from __future__ import annotations

import gzip
import json
from typing import Any

from django.test import Client
from django.urls import reverse
from shapely.geometry import Point, shape

from commonweal.places.models import Ward

ABBEY = "E05013810"


def test_the_base_layer_holds_the_council_outline_and_every_ward(client: Client, merton: Any) -> None:
    response = client.get(reverse("places:boundaries"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    assert "max-age=86400" in response["Cache-Control"] and "public" in response["Cache-Control"]
    data = json.loads(response.content)
    kinds = [feature["properties"]["kind"] for feature in data["features"]]
    assert kinds == ["council"] + ["ward"] * 20
    assert {f["properties"]["code"] for f in data["features"][1:]} == set(Ward.objects.values_list("code", flat=True))
    # The outline is the wards joined: a point inside any ward is inside the council, one in the Thames is not.
    council = shape(data["features"][0]["geometry"])
    abbey = Ward.objects.get(code=ABBEY)
    assert council.contains(Point(abbey.centroid_lon, abbey.centroid_lat))
    assert not council.contains(Point(-0.1, 51.507))


def test_the_base_layer_is_compact_and_an_unchanged_one_costs_a_304(client: Client, merton: Any) -> None:
    first = client.get(reverse("places:boundaries"), HTTP_ACCEPT_ENCODING="gzip")
    assert first["Content-Encoding"] == "gzip"
    body = gzip.decompress(first.content)
    assert b", " not in body and b": " not in body  # no padding between values
    coordinates = json.loads(body)["features"][1]["geometry"]["coordinates"]
    assert all(len(str(value).split(".")[-1]) <= 5 for ring in coordinates for point in ring for value in point)
    again = client.get(reverse("places:boundaries"), HTTP_IF_NONE_MATCH=first["ETag"], HTTP_ACCEPT_ENCODING="gzip")
    assert again.status_code == 304
    assert again.content == b""


def test_a_redrawn_ward_changes_the_base_layer(client: Client, merton: Any) -> None:
    before = client.get(reverse("places:boundaries"))
    abbey = Ward.objects.get(code=ABBEY)
    ring = [[-0.2, 51.41], [-0.19, 51.41], [-0.19, 51.42], [-0.2, 51.41]]
    abbey.boundary = {"type": "Polygon", "coordinates": [ring]}
    abbey.min_lat, abbey.max_lat = 51.41, 51.42
    abbey.save()
    after = client.get(reverse("places:boundaries"), HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    ward = next(f for f in json.loads(after.content)["features"] if f["properties"].get("code") == ABBEY)
    assert ward["geometry"]["coordinates"][0][1] == [-0.19, 51.41]
