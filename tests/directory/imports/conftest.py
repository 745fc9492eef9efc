"""Helpers for the import tests: files written to a temporary folder, imported through the real runner."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from commonweal.accounts.models import Organisation
from commonweal.directory.imports import import_path
from commonweal.directory.models import ImportRun, Location, Schedule, Service, ServiceAtLocation, TaxonomyTerm
from commonweal.places.models import Postcode, Ward

CC_HEADER = (
    "registered_charity_number,linked_charity_number,charity_name,charity_registration_status,"
    "charity_contact_postcode,charity_contact_phone,charity_contact_email,charity_contact_web,"
    "charity_company_registration_number,latest_income,charity_is_cio,charity_activities"
)
GROUPS_HEADER = "name,description,contact_email,phone,postcode,website,wards,categories,what_they_do,when_they_meet"


@pytest.fixture
def settings_var(settings: Any, tmp_path: Path) -> Path:
    """Uploads are kept under a throwaway var directory."""
    settings.VAR_DIR = tmp_path / "var"
    return settings.VAR_DIR


@pytest.fixture
def run_import(tmp_path: Path, settings_var: Path) -> Callable[..., ImportRun]:
    """Write `content` to a file and import it as `kind`, the way the command line does."""
    counter = {"n": 0}

    def run(kind: str, content: str | bytes, *, suffix: str = ".csv", **options: Any) -> ImportRun:
        counter["n"] += 1
        path = tmp_path / f"upload-{counter['n']}{suffix}"
        if isinstance(content, str):
            path.write_text(content, encoding="utf-8")
        else:
            path.write_bytes(content)
        return import_path(kind=kind, path=path, **options)

    return run


@pytest.fixture
def abbey(merton: Any) -> Ward:
    """A Merton ward, with a real postcode inside it in our postcode table."""
    ward = Ward.objects.get(code="E05013810")
    Postcode.objects.create(
        postcode="SW19 2HL", latitude=ward.centroid_lat, longitude=ward.centroid_lon, ward=ward, is_demo=True
    )
    return ward


def counts() -> dict[str, int]:
    """How many of each record the directory holds: an import that changed nothing leaves these alone."""
    return {
        "organisations": Organisation.objects.count(),
        "services": Service.objects.count(),
        "locations": Location.objects.count(),
        "links": ServiceAtLocation.objects.count(),
        "schedules": Schedule.objects.count(),
        "terms": TaxonomyTerm.objects.count(),
        "term_links": Service.terms.through.objects.count(),
    }


def rejected(run: ImportRun) -> dict[int, str]:
    """The rejected rows of a run, line -> reason."""
    return {r["line"]: r["reason"] for r in run.rejections if not r.get("note")}


def notes(run: ImportRun) -> list[str]:
    return [r["reason"] for r in run.rejections if r.get("note")]
