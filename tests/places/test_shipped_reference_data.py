"""A clone stands alone: the five seed councils' reference data ships in the package, with no ../shared beside it."""

from __future__ import annotations

import runpy
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings

import commonweal.places
from commonweal.places.models import Lsoa
from commonweal.settings import base

SHIPPED = Path(commonweal.places.__file__).parent / "reference"


def _reference_dir(monkeypatch: pytest.MonkeyPatch, override: str | None) -> Path:
    """REFERENCE_DATA_DIR as the settings compute it from this environment."""
    if override is None:
        monkeypatch.delenv("COMMONWEAL_SHARED_DATA", raising=False)
    else:
        monkeypatch.setenv("COMMONWEAL_SHARED_DATA", override)
    return Path(runpy.run_path(base.__file__)["REFERENCE_DATA_DIR"])


def test_a_council_loads_from_the_shipped_copy_when_no_override_is_set(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    reference = _reference_dir(monkeypatch, None)
    assert reference == SHIPPED
    out = StringIO()
    with override_settings(REFERENCE_DATA_DIR=reference):
        call_command("load_council_area", "E06000034", stdout=out)
    assert "Loaded Thurrock Council: 20 wards." in out.getvalue()
    lsoas = Lsoa.objects.filter(ward__council__gss_code="E06000034")
    assert lsoas.count() == 98
    assert all(lsoa.imd_decile and lsoa.population > 0 for lsoa in lsoas)


def test_commonweal_shared_data_still_points_elsewhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert _reference_dir(monkeypatch, str(tmp_path)) == tmp_path
    assert _reference_dir(monkeypatch, "") == SHIPPED  # set but empty is no override


def test_the_package_data_names_every_shipped_file() -> None:
    """A wheel carries only files the package-data patterns match; a file they miss would be lost on install."""
    import fnmatch
    import tomllib

    patterns = tomllib.loads((Path(base.BASE_DIR) / "pyproject.toml").read_text())["tool"]["setuptools"][
        "package-data"
    ]["*"]
    places = SHIPPED.parent
    shipped = [path.relative_to(places).as_posix() for path in SHIPPED.rglob("*") if path.is_file()]
    assert len(shipped) >= 22
    missed = [name for name in shipped if not any(fnmatch.fnmatch(name, pattern) for pattern in patterns)]
    assert missed == []
