"""Places fixtures: Merton's real wards with a handful of postcodes in known places."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from commonweal.places.models import Postcode, Ward

ABBEY = "E05013810"


@pytest.fixture
def abbey_postcode(merton: Any) -> Postcode:
    """SW19 2HL, placed at the centre of the Abbey ward's first LSOA so it is inside the ward."""
    ward = Ward.objects.get(code=ABBEY)
    lsoa = ward.lsoas.first()
    assert lsoa is not None
    return Postcode.objects.create(
        postcode="SW19 2HL", latitude=lsoa.centroid_lat, longitude=lsoa.centroid_lon, ward=ward, lsoa_code=lsoa.code
    )


@pytest.fixture
def write_csv(tmp_path: Path) -> Any:
    """Write a postcode file, as text or raw bytes, and return its path."""

    def write(content: str | bytes, name: str = "postcodes.csv") -> Path:
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    return write
