"""The starter vocabulary of service categories, written for community services, and its loader."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import transaction

from commonweal.directory.models import Taxonomy, TaxonomyTerm

STARTER_CSV = Path(__file__).with_name("starter.csv")
STARTER_NAME = "Commonweal community services"
STARTER_DESCRIPTION = (
    "A starter vocabulary for community services: what people come for, in plain words. "
    "Administrators can edit it or import another."
)


def starter_rows() -> list[dict[str, str]]:
    with STARTER_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_starter_vocabulary() -> Taxonomy:
    """Create or refresh the starter vocabulary; terms are matched on code, so loading twice changes nothing."""
    taxonomy, _ = Taxonomy.objects.get_or_create(
        name=STARTER_NAME, defaults={"description": STARTER_DESCRIPTION, "version": "1"}
    )
    by_code: dict[str, TaxonomyTerm] = {}
    for position, row in enumerate(starter_rows()):
        parent = by_code.get(row["parent_code"]) if row["parent_code"] else None
        term, _ = TaxonomyTerm.objects.update_or_create(
            taxonomy=taxonomy,
            code=row["code"],
            defaults={"name": row["name"], "description": row["description"], "parent": parent, "position": position},
        )
        by_code[term.code] = term
    return taxonomy
