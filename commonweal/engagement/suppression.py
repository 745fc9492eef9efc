"""Small-number suppression for consultation results: never show a group, or a count, of fewer than ten people,
and never let one be worked out by adding up, subtracting, or comparing filtered views. Pure: no Django.

Three steps, each a function here:

1. Groups (`pool`): a ward or monitoring answer with 1 to 9 respondents is not offered on its own. Such values are
   pooled into 'Other (combined)'; if the pool is itself 1 to 9, the next smallest value joins it until it is 10
   or more (or holds everything). Pooled groups partition everyone, so 'everyone minus the groups shown' is
   always 0 or 10 or more.
2. Combinations (`combinable_wards`): ward x monitoring answer is offered only for wards whose every cell (each
   answer to the question, 'not answered' included) is 0 or 10 or more, and only while, for each answer, what is
   left over in the wards not offered is 0 or 10 or more (the smallest offered ward is withdrawn until it is).
3. Counts (`suppress`): within every line (a total and its parts: a group's answers, a ward split by answers,
   everyone split by ward...), a count of 1 to 9 is hidden (primary suppression); then, while any line whose
   total is shown has hidden parts adding up to 1 to 9, or has exactly one hidden part (which would be its total
   minus the parts shown), the smallest shown part of that line is hidden too (secondary suppression); and a line
   whose total is hidden must hide at least one part, or the total is their sum. Repeated until nothing changes.

Suppression runs top-down in two passes that agree: first everything a single filter can show (everyone, each
ward group, each answer group of every monitoring question), then, for the one combination asked for, its cells
with the first pass's results held fixed. So a count reads the same (or is hidden) whichever view shows it, and
the combined cells can always be protected by hiding more of themselves.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

MINIMUM = 10
OTHER = "other"  # the key of the pooled 'Other (combined)' group


def small(n: int) -> bool:
    """A count that may never be shown: 1 to 9."""
    return 0 < n < MINIMUM


# --- 1. groups ---------------------------------------------------------------------------------------------------


def pool(sizes: Mapping[str, int], *, minimum: int = MINIMUM) -> dict[str, str]:
    """Which group each value with respondents falls in: itself, or OTHER when it is too small to show alone.

    Values with no respondents are left out (nothing to show). Ties are broken by the value's key, so the same
    sizes always pool the same way."""
    present = {key: n for key, n in sizes.items() if n > 0}
    pooled = sorted((key for key, n in present.items() if n < minimum), key=lambda k: (present[k], k))
    if not pooled:
        return {key: key for key in present}
    total = sum(present[k] for k in pooled)
    rest = sorted((key for key, n in present.items() if n >= minimum), key=lambda k: (present[k], k))
    while total < minimum and rest:
        joining = rest.pop(0)
        pooled.append(joining)
        total += present[joining]
    groups = dict(zip(rest, rest, strict=True))
    groups.update(dict.fromkeys(pooled, OTHER))
    return groups


def group_sizes(sizes: Mapping[str, int], groups: Mapping[str, str]) -> dict[str, int]:
    """Respondents per group, from respondents per value."""
    found: dict[str, int] = defaultdict(int)
    for key, group in groups.items():
        found[group] += sizes.get(key, 0)
    return dict(found)


@dataclass(frozen=True)
class Combination:
    """Which ward groups may be combined with a monitoring question, and why any may not."""

    wards: frozenset[str]
    # Ward groups left out, with the reason in plain words ('small' cell, or withdrawn for a 'remainder').
    refused: dict[str, str] = field(default_factory=dict)


def combinable_wards(
    cells: Mapping[tuple[str, str], int], ward_groups: Iterable[str], value_groups: Iterable[str]
) -> Combination:
    """The ward groups that may be shown split by a monitoring question's answer groups.

    `cells` holds respondents per (ward group, answer group) (missing means 0). A ward is offered when every one
    of its cells is 0 or 10+, and while every answer's remainder (its total less the cells of the wards offered)
    is 0 or 10+; the smallest offered ward is withdrawn until every remainder is."""
    wards = sorted(set(ward_groups))
    values = sorted(set(value_groups))
    refused: dict[str, str] = {}
    offered = []
    for ward in wards:
        if any(small(cells.get((ward, value), 0)) for value in values):
            refused[ward] = "small"
        else:
            offered.append(ward)
    totals = {value: sum(cells.get((ward, value), 0) for ward in wards) for value in values}

    def size(ward: str) -> int:
        return sum(cells.get((ward, value), 0) for value in values)

    while offered:
        remainders = [totals[v] - sum(cells.get((w, v), 0) for w in offered) for v in values]
        if not any(small(r) for r in remainders):
            break
        smallest = min(offered, key=lambda w: (size(w), w))
        offered.remove(smallest)
        refused[smallest] = "remainder"
    return Combination(wards=frozenset(offered), refused=refused)


# --- 3. counts -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """An additive fact anyone can read off the page: `total` equals the sum of `parts`."""

    total: Hashable
    parts: tuple[Hashable, ...]


@dataclass
class Suppression:
    """The cells hidden, and which of them are hidden only because they are 1 to 9 (shown as 'fewer than 10')."""

    hidden: set[Hashable]
    primary: set[Hashable]

    def shows(self, cell: Hashable) -> bool:
        return cell not in self.hidden


def suppress(
    values: Mapping[Hashable, int],
    lines: Sequence[Line],
    *,
    fixed: Mapping[Hashable, bool] | None = None,
    always_hidden: Iterable[Hashable] = (),
) -> Suppression:
    """Which cells to hide so that no count of 1 to 9 is shown or can be worked out from a line.

    `values` has every cell (a missing cell counts as 0). `fixed` cells are decided already (True: shown, False:
    hidden) and are never changed: group sizes, or a first pass's results. `always_hidden` cells are never shown
    (a remainder nobody can ask for) but count towards their lines' hidden sums."""
    fixed = dict(fixed or {})
    remainders = set(always_hidden)
    hidden: set[Hashable] = {cell for cell, shown in fixed.items() if not shown} | remainders
    primary: set[Hashable] = set()
    for cell, n in values.items():
        if cell not in fixed and cell not in remainders and small(n):
            hidden.add(cell)
            primary.add(cell)

    def value(cell: Hashable) -> int:
        return values.get(cell, 0)

    def changeable(cell: Hashable) -> bool:
        return cell not in fixed and cell not in remainders and cell not in hidden

    by_cell: dict[Hashable, list[int]] = defaultdict(list)
    for index, line in enumerate(lines):
        by_cell[line.total].append(index)
        for part in line.parts:
            by_cell[part].append(index)

    def next_to_hide(line: Line) -> Hashable | None:
        shown = [p for p in line.parts if changeable(p)]
        if not shown:
            return None
        nonzero = [p for p in shown if value(p) > 0]
        # The first smallest in the line's own order (lines are built in a fixed order, so this is repeatable).
        return min(nonzero or shown, key=value)

    def fix(line: Line) -> Hashable | None:
        """The cell this line needs hidden next, or None if it is safe (or nothing more can be done)."""
        hidden_parts = [p for p in line.parts if p in hidden]
        if line.total in hidden:
            if hidden_parts or line.total in remainders:
                return None
            return next_to_hide(line)
        hidden_sum = sum(value(p) for p in hidden_parts)
        alone = len(hidden_parts) == 1 and hidden_parts[0] not in remainders and hidden_sum > 0
        if not (small(hidden_sum) or alone):
            return None
        cell = next_to_hide(line)
        if cell is None and changeable(line.total):
            cell = line.total
        return cell

    pending = list(range(len(lines)))
    queued = set(pending)
    while pending:
        index = pending.pop()
        queued.discard(index)
        cell = fix(lines[index])
        if cell is None:
            continue
        hidden.add(cell)
        for other in by_cell[cell]:
            if other not in queued:
                queued.add(other)
                pending.append(other)
        if index not in queued:  # the same line may need another cell hidden
            queued.add(index)
            pending.append(index)
    return Suppression(hidden=hidden, primary=primary)


# --- the results of a consultation, as views a person may ask for ----------------------------------------------

ANSWERED = "answered"
SKIPPED = "skipped"  # group size less those who answered
SIZE = "size"
NOT_CHOSEN = "not"  # ("not", option row): answered less those who chose it (a multiple-choice line)
REMAINDER = "rem"

# A group: (ward group or "", monitoring field or "", answer group or ""). ("", "", "") is everyone.
Group = tuple[str, str, str]
EVERYONE: Group = ("", "", "")
# A question's row: an option, a scale point, (option, rank) for a ranking, a pin's ward, or ANSWERED.
Row = Hashable
Cell = tuple[Hashable, Row, Group]


@dataclass(frozen=True)
class Shape:
    """What a question's table looks like: its rows (ANSWERED among them) and the lines within one group
    (a total row and the rows adding up to it). `multiple`: each option row also gets its 'did not choose it'
    row, and the line ANSWERED = chose + did not choose."""

    key: Hashable
    rows: tuple[Row, ...]
    lines: tuple[tuple[Row, tuple[Row, ...]], ...] = ()
    multiple: bool = False

    def all_rows(self) -> tuple[Row, ...]:
        extra: tuple[Row, ...] = (SKIPPED,)
        if self.multiple:
            extra += tuple((NOT_CHOSEN, r) for r in self.rows if r != ANSWERED)
        return self.rows + extra

    def group_lines(self) -> list[tuple[Row, tuple[Row, ...]]]:
        found = list(self.lines)
        if self.multiple:
            found += [(ANSWERED, (r, (NOT_CHOSEN, r))) for r in self.rows if r != ANSWERED]
        return found


@dataclass(frozen=True)
class Shown:
    """One number as a page may show it: `value` is None when it is hidden; `small` when hidden as 1 to 9."""

    value: int | None
    small: bool = False

    @property
    def hidden(self) -> bool:
        return self.value is None


class Refused(Exception):
    """A view that may not be shown, with the reason in plain words."""


class Analysis:
    """Every view of one consultation's results a person may ask for, each count suppressed consistently.

    `sizes`: respondents per raw group (ward key or "", field or "", value or ""), where a raw ward key is a
    ward's id as text or "none" (not known) and a raw value "" under a field means 'not answered'.
    `counts`: (question key, row, raw group) -> count, for the rows of each shape (derived rows are worked out).
    Raw groups may be everyone, a ward, a field's value, or a ward x a field's value."""

    def __init__(
        self,
        shapes: Sequence[Shape],
        sizes: Mapping[Group, int],
        counts: Mapping[tuple[Hashable, Row, Group], int],
        fields: Sequence[str],
    ) -> None:
        self.shapes = list(shapes)
        self.fields = list(fields)
        self.ward_groups = pool({w: n for (w, f, v), n in sizes.items() if w and not f})
        self.value_groups = {
            field: pool({v: n for (w, f, v), n in sizes.items() if not w and f == field}) for field in self.fields
        }
        self.values: dict[Hashable, int] = defaultdict(int)
        for raw, n in sizes.items():
            group = self._group(raw)
            if group is not None:
                self.values[(SIZE, group)] += n
        for (question, row, raw), n in counts.items():
            group = self._group(raw)
            if group is not None:
                self.values[(question, row, group)] += n
        self._derive(self.top_groups())
        self.top = suppress(self.values, self._top_lines())
        self._combined: dict[str, tuple[Combination, Suppression]] = {}

    # groups

    def _group(self, raw: Group) -> Group | None:
        ward, field, value = raw
        ward_group = self.ward_groups.get(ward) if ward else ""
        if field:
            if field not in self.value_groups:
                return None
            value_group = self.value_groups[field].get(value)
        else:
            value_group = ""
        if ward_group is None or value_group is None:
            return None
        return (ward_group, field, value_group)

    def ward_group_keys(self) -> list[str]:
        return sorted(set(self.ward_groups.values()))

    def value_group_keys(self, field: str) -> list[str]:
        return sorted(set(self.value_groups.get(field, {}).values()))

    def top_groups(self) -> list[Group]:
        groups = [EVERYONE] + [(w, "", "") for w in self.ward_group_keys()]
        for name in self.fields:
            groups += [("", name, v) for v in self.value_group_keys(name)]
        return groups

    def size(self, group: Group) -> int:
        return self.values.get((SIZE, group), 0)

    def _derive(self, groups: Iterable[Group]) -> None:
        for group in groups:
            size = self.values.get((SIZE, group), 0)
            for shape in self.shapes:
                answered = self.values.get((shape.key, ANSWERED, group), 0)
                self.values[(shape.key, SKIPPED, group)] = size - answered
                if shape.multiple:
                    for row in shape.rows:
                        if row != ANSWERED:
                            chose = self.values.get((shape.key, row, group), 0)
                            self.values[(shape.key, (NOT_CHOSEN, row), group)] = answered - chose

    def _group_lines(self, groups: Iterable[Group]) -> list[Line]:
        lines = []
        for group in groups:
            for shape in self.shapes:
                q = shape.key
                lines.append(Line((SIZE, group), ((q, ANSWERED, group), (q, SKIPPED, group))))
                for total, parts in shape.group_lines():
                    lines.append(Line((q, total, group), tuple((q, p, group) for p in parts)))
        return lines

    def _rows(self) -> list[tuple[Hashable, Row]]:
        """Every (question, row) that adds up across groups, the group size among them."""
        found: list[tuple[Hashable, Row]] = [(SIZE, None)]
        for shape in self.shapes:
            found += [(shape.key, row) for row in shape.all_rows()]
        return found

    @staticmethod
    def _cell(question: Hashable, row: Row, group: Group) -> Hashable:
        return (SIZE, group) if question == SIZE else (question, row, group)

    def _top_lines(self) -> list[Line]:
        lines = self._group_lines(self.top_groups())
        wards = self.ward_group_keys()
        for question, row in self._rows():
            lines.append(
                Line(self._cell(question, row, EVERYONE), tuple(self._cell(question, row, (w, "", "")) for w in wards))
            )
            for name in self.fields:
                lines.append(
                    Line(
                        self._cell(question, row, EVERYONE),
                        tuple(self._cell(question, row, ("", name, v)) for v in self.value_group_keys(name)),
                    )
                )
        return lines

    # combinations

    def combination(self, field: str) -> tuple[Combination, Suppression]:
        """Which ward groups may be split by `field`, and the suppression of those cells (worked out once)."""
        if field in self._combined:
            return self._combined[field]
        values = self.value_group_keys(field)
        wards = self.ward_group_keys()
        cells = {(w, v): self.size((w, field, v)) for w in wards for v in values}
        combination = combinable_wards(cells, wards, values)
        groups = [(w, field, v) for w in sorted(combination.wards) for v in values]
        self._derive(groups)
        lines = self._group_lines(groups)
        fixed: dict[Hashable, bool] = {}
        always_hidden = []
        for question, row in self._rows():
            for ward in sorted(combination.wards):
                total = self._cell(question, row, (ward, "", ""))
                fixed[total] = self.top.shows(total)
                lines.append(Line(total, tuple(self._cell(question, row, (ward, field, v)) for v in values)))
            if not combination.wards:
                continue
            for value in values:
                total = self._cell(question, row, ("", field, value))
                fixed[total] = self.top.shows(total)
                parts = tuple(self._cell(question, row, (w, field, value)) for w in sorted(combination.wards))
                rest = self._cell(question, row, (REMAINDER, field, value))
                self.values[rest] = self.values.get(total, 0) - sum(self.values.get(p, 0) for p in parts)
                always_hidden.append(rest)
                lines.append(Line(total, (*parts, rest)))
            # Everyone less one combined cell must be safe too, when the ward or answer between them is hidden:
            # everyone's line through each path, with the one group split into its combined cells.
            everyone = self._cell(question, row, EVERYONE)
            by_ward = {w: self._cell(question, row, (w, "", "")) for w in wards}
            by_value = {v: self._cell(question, row, ("", field, v)) for v in values}
            for cell in (everyone, *by_ward.values(), *by_value.values()):
                fixed[cell] = self.top.shows(cell)
            for ward in sorted(combination.wards):
                split = [self._cell(question, row, (ward, field, v)) for v in values]
                lines.append(Line(everyone, (*split, *(c for w, c in by_ward.items() if w != ward))))
            for value in values:
                split = [self._cell(question, row, (w, field, value)) for w in sorted(combination.wards)]
                rest = self._cell(question, row, (REMAINDER, field, value))
                lines.append(Line(everyone, (*split, rest, *(c for v, c in by_value.items() if v != value))))
        found = (combination, suppress(self.values, lines, fixed=fixed, always_hidden=always_hidden))
        self._combined[field] = found
        return found

    def check(self, group: Group) -> None:
        """Raise Refused, saying why, unless `group` is a view a person may ask for."""
        ward, field, value = group
        if ward and ward not in set(self.ward_groups.values()):
            raise Refused("There are no results to show for that ward on its own.")
        if field and field not in self.value_groups:
            raise Refused("That is not one of the equality monitoring questions.")
        if field and value not in set(self.value_groups[field].values()):
            raise Refused("There are no results to show for that answer on its own.")
        if ward and field:
            combination, _found = self.combination(field)
            if ward not in combination.wards:
                if combination.refused.get(ward) == "remainder":
                    raise Refused(
                        "That ward cannot be shown split by this question: together with the other wards shown, "
                        "it would let a group of fewer than 10 people be worked out."
                    )
                raise Refused(
                    "That ward cannot be shown split by this question: some of its answers were given by fewer "
                    "than 10 people."
                )

    def shown(self, question: Hashable, row: Row, group: Group) -> Shown:
        """The number for one cell as any view shows it (call `check(group)` first)."""
        cell = self._cell(question, row, group)
        ward, field, _value = group
        suppression = self.combination(field)[1] if ward and field else self.top
        if cell in suppression.hidden:
            return Shown(None, small=cell in suppression.primary)
        return Shown(self.values.get(cell, 0))


def raw_groups(ward: str, monitoring: Mapping[str, str], fields: Iterable[str]) -> list[Group]:
    """The raw groups one respondent is counted in: everyone, their ward, each monitoring answer (or 'not
    answered'), and their ward with each monitoring answer. `ward` is a ward id as text, or "none"."""
    found: list[Group] = [EVERYONE, (ward, "", "")]
    for field_name in fields:
        value = monitoring.get(field_name, "")
        found += [("", field_name, value), (ward, field_name, value)]
    return found
