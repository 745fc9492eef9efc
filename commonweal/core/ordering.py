"""Lists people put in order by hand (a framework's elements, a form's questions): moving one up or down."""

from __future__ import annotations

from typing import Any

from django.db import models

from .audit import acting


def move_in_order(record: models.Model, siblings: models.QuerySet[Any], direction: str, *, by: Any) -> bool:
    """Swap a record with its neighbour among `siblings` (ordered by `position`; 'up' is earlier); False when it is
    already first or last. The caller checks `direction` is 'up' or 'down' and says so in its own error."""
    ordered = list(siblings.select_for_update().order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == record.pk)
    other = index - 1 if direction == "up" else index + 1
    if not 0 <= other < len(ordered):
        return False
    ordered[index], ordered[other] = ordered[other], ordered[index]
    with acting(by):
        # Renumber the whole list: old data may share positions, and swapping equal numbers moves nothing.
        for position, sibling in enumerate(ordered):
            if sibling.position != position:
                sibling.position = position
                sibling.save(update_fields=["position"])
    return True
