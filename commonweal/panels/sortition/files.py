"""Reading the Sortition Foundation's CSV layouts: a people file and a categories (quotas) file."""

from __future__ import annotations

import csv
import io
from collections.abc import Collection, Sequence

from commonweal.panels.sortition.model import Person, PoolError, Quota, fold

ID_COLUMNS = ("id", "person id", "person_id", "nationbuilder_id", "uid")
FEATURE_ALIASES = ("feature", "category")  # the old layout: category, name, min, max
VALUE_ALIASES = ("value", "name", "category value", "category_value", "category-value")


def _rows(text: str, what: str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header and the non-blank rows with their line numbers; a byte order mark is ignored."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as error:
        raise PoolError(f"The {what} file is not readable CSV: {error}.") from error
    rows = [(line, row) for line, row in rows if any(cell.strip() for cell in row)]
    if not rows:
        raise PoolError(f"The {what} file is empty.")
    header = [cell.strip() for cell in rows[0][1]]
    return header, rows[1:]


def _find(header: list[str], names: Sequence[str]) -> int | None:
    folded = [fold(cell) for cell in header]
    for name in names:
        if fold(name) in folded:
            return folded.index(fold(name))
    return None


def read_categories_csv(text: str) -> list[Quota]:
    """Quotas from a categories file: columns feature, value, min, max, or the old layout category, name, min,
    max, or the Nature paper's replication layout category, feature, min, max (category names the feature,
    feature the value); 'category value' is also read as value; min_flex and max_flex, where present, are
    ignored. Every bad row is reported with its line number."""
    header, rows = _rows(text, "categories")
    feature, value = _find(header, FEATURE_ALIASES), _find(header, VALUE_ALIASES)
    if value is None and _find(header, ["category"]) is not None and _find(header, ["feature"]) is not None:
        # The Nature paper's replication files: category (the feature's name), feature (its value), min, max.
        feature, value = _find(header, ["category"]), _find(header, ["feature"])
    columns = {
        "feature": feature,
        "value": value,
        "min": _find(header, ("min", "minimum")),
        "max": _find(header, ("max", "maximum")),
    }
    missing = [name for name, index in columns.items() if index is None]
    if missing:
        raise PoolError(
            "The categories file needs the columns feature, value, min and max; it has no "
            + " or ".join(missing)
            + f" column (its columns are: {', '.join(header)})."
        )
    problems: list[str] = []
    quotas: list[Quota] = []
    for line, row in rows:
        cells = {
            name: (row[index].strip() if index is not None and index < len(row) else "")
            for name, index in columns.items()
        }
        if not cells["feature"] or not cells["value"]:
            problems.append(f"Line {line}: the feature or the value is blank.")
            continue
        numbers: dict[str, int] = {}
        for bound in ("min", "max"):
            try:
                numbers[bound] = int(cells[bound])
            except ValueError:
                problems.append(
                    f"Line {line}: the {bound} for {cells['feature']} '{cells['value']}' must be a whole number, "
                    f"not '{cells[bound]}'."
                )
        if len(numbers) == 2:
            quotas.append(Quota(cells["feature"], cells["value"], numbers["min"], numbers["max"]))
    if problems:
        raise PoolError(problems)
    if not quotas:
        raise PoolError("The categories file has no quotas under its header.")
    return quotas


def read_people_csv(
    text: str,
    *,
    id_column: str | None = None,
    household_columns: Sequence[str] = (),
    features: Collection[str] = (),
) -> tuple[Person, ...]:
    """Volunteers from a people file: an id column (named, or 'id', or else the first column) and one column per
    feature. Every other column becomes a feature too (only those the quotas name are used). A file whose first
    column is one of `features` (the quotas' features) and that has no id column, as the Nature paper's
    replication files, numbers its people by row instead: the first person under the header is '1'. With
    household_columns, people whose values in those columns match (ignoring case and spaces) share a household."""
    header, rows = _rows(text, "people")
    id_index: int | None
    if id_column is not None:
        id_index = _find(header, [id_column])
        if id_index is None:
            raise PoolError(f"The people file has no column '{id_column}' (its columns are: {', '.join(header)}).")
    else:
        id_index = _find(header, ID_COLUMNS)
        if id_index is None:
            by_row = header and fold(header[0]) in {fold(name) for name in features}
            id_index = None if by_row else 0
    household_indices: list[int] = []
    for name in household_columns:
        index = _find(header, [name])
        if index is None:
            raise PoolError(f"The people file has no column '{name}' (its columns are: {', '.join(header)}).")
        household_indices.append(index)
    problems: list[str] = []
    people: list[Person] = []
    for number, (line, row) in enumerate(rows, start=1):
        if len(row) > len(header):
            problems.append(f"Line {line}: it has {len(row)} cells but the header has {len(header)}.")
            continue
        row = row + [""] * (len(header) - len(row))
        person_id = str(number) if id_index is None else row[id_index].strip()
        if not person_id:
            problems.append(f"Line {line}: the id is blank.")
            continue
        features = {
            name: row[index].strip()
            for index, name in enumerate(header)
            if index != id_index and index not in household_indices and name
        }
        household = None
        if household_indices:
            parts = [fold(row[index]) for index in household_indices]
            household = "|".join(parts) if any(parts) else None
        people.append(Person(id=person_id, features=features, household=household))
    if problems:
        raise PoolError(problems)
    if not people:
        raise PoolError("The people file has no volunteers under its header.")
    return tuple(people)
