"""The selection problem's data: volunteers, quotas, an instance, and the checks that make an instance sound.

Pure: no Django. Values and feature names are matched case-insensitively with surrounding spaces trimmed, as the
Sortition Foundation's files are typed by hand; the quotas' spelling is the one kept.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field


class PoolError(ValueError):
    """Bad input: the pool, the quotas or the number to select. `messages` are plain English, one per problem."""

    def __init__(self, messages: list[str] | str) -> None:
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


@dataclass(frozen=True)
class Person:
    """One volunteer: an id, a value for each feature, and optionally a household key (at most one selected)."""

    id: str
    features: Mapping[str, str]
    household: str | None = None


@dataclass(frozen=True)
class Quota:
    """At least `min` and at most `max` of the panel have `value` for `feature`."""

    feature: str
    value: str
    min: int
    max: int


def fold(text: str) -> str:
    """The key two spellings of one name or value share: case-insensitive, surrounding spaces trimmed."""
    return " ".join(str(text).split()).casefold()


@dataclass(frozen=True)
class Instance:
    """k people to choose from `people` meeting every quota. Checked on construction: a bad one raises PoolError."""

    people: tuple[Person, ...]
    quotas: tuple[Quota, ...]
    k: int
    compiled: Compiled = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "people", tuple(self.people))
        object.__setattr__(self, "quotas", tuple(self.quotas))
        object.__setattr__(self, "compiled", compile_instance(self))


@dataclass(frozen=True)
class Unit:
    """People the programs treat as one: interchangeable volunteers (same values, no housemate in the pool), or a
    single volunteer who shares a household with another."""

    members: tuple[int, ...]  # indices into Instance.people
    values: tuple[int, ...]  # for each feature of the quotas, the index of its value
    household: int | None  # the index of its household row, for members of shared households


@dataclass(frozen=True)
class Compiled:
    """The instance in the form the programs use: features, values, units and the rows they sit in."""

    features: tuple[str, ...]  # the quotas' spelling
    values: tuple[tuple[str, ...], ...]  # per feature, its values (the quotas' spelling)
    quotas: tuple[Quota, ...]  # in the order of `quota_of`
    quota_of: tuple[tuple[int, int], ...]  # (feature index, value index) of each quota
    person_values: tuple[tuple[int, ...], ...]  # per person, the value index of each feature
    units: tuple[Unit, ...]
    households: tuple[tuple[int, ...], ...]  # shared households (two or more in the pool): their people
    k: int

    @property
    def n(self) -> int:
        return len(self.person_values)

    def quota_index(self, feature: int, value: int) -> int:
        return self.quota_of.index((feature, value))


def compile_instance(instance: Instance) -> Compiled:
    """Check the instance and put it in the programs' form; every problem found is reported at once."""
    problems: list[str] = []
    k, people, quotas = instance.k, instance.people, instance.quotas
    if not isinstance(k, int) or isinstance(k, bool):
        raise PoolError(f"The number to select must be a whole number, not {k!r}.")
    if k < 1:
        problems.append(f"The number to select must be at least 1 (it is {k}).")
    if not quotas:
        problems.append("There are no quotas: give at least one feature with its values and their minimum and maximum.")

    features: list[str] = []
    feature_index: dict[str, int] = {}
    values: list[list[str]] = []
    value_index: list[dict[str, int]] = []
    quota_of: list[tuple[int, int]] = []
    for quota in quotas:
        fkey, vkey = fold(quota.feature), fold(quota.value)
        if not fkey or not vkey:
            problems.append(f"A quota has no feature or no value ({quota.feature!r}, {quota.value!r}).")
            continue
        if fkey not in feature_index:
            feature_index[fkey] = len(features)
            features.append(quota.feature.strip())
            values.append([])
            value_index.append({})
        f = feature_index[fkey]
        if vkey in value_index[f]:
            problems.append(f"The value '{quota.value}' of {quota.feature} has two quotas.")
            continue
        for bound in (quota.min, quota.max):
            if not isinstance(bound, int) or isinstance(bound, bool):
                problems.append(f"The quota for {quota.feature} '{quota.value}' must be whole numbers ({bound!r}).")
                break
        else:
            if quota.min < 0 or quota.max < 0:
                problems.append(
                    f"The quota for {quota.feature} '{quota.value}' has a negative number "
                    f"(minimum {quota.min}, maximum {quota.max})."
                )
            elif quota.min > quota.max:
                problems.append(
                    f"The minimum for {quota.feature} '{quota.value}' ({quota.min}) is more than its maximum "
                    f"({quota.max})."
                )
        value_index[f][vkey] = len(values[f])
        values[f].append(quota.value.strip())
        quota_of.append((f, value_index[f][vkey]))

    seen: Counter[str] = Counter(person.id for person in people)
    duplicates = sorted(pid for pid, count in seen.items() if count > 1)
    if duplicates:
        shown = ", ".join(duplicates[:10]) + (f" and {len(duplicates) - 10} more" if len(duplicates) > 10 else "")
        problems.append(f"These ids are used by more than one volunteer: {shown}.")

    person_values: list[tuple[int, ...]] = []
    for person in people:
        if not str(person.id).strip():
            problems.append("A volunteer has no id.")
        folded = {fold(name): value for name, value in person.features.items()}
        row: list[int] = []
        for f, name in enumerate(features):
            raw = folded.get(fold(name))
            if raw is None or not str(raw).strip():
                problems.append(f"Volunteer {person.id} has no value for {name}.")
                row.append(0)
                continue
            index = value_index[f].get(fold(raw))
            if index is None:
                known = ", ".join(f"'{value}'" for value in values[f])
                problems.append(
                    f"Volunteer {person.id} has {name} '{raw}', which is not one of the values the quotas give "
                    f"({known})."
                )
                row.append(0)
                continue
            row.append(index)
        person_values.append(tuple(row))
        if len(problems) > 200:
            problems.append("There are more problems; correct these first.")
            raise PoolError(problems)

    by_household: dict[str, list[int]] = defaultdict(list)
    for i, person in enumerate(people):
        if person.household is not None and str(person.household).strip():
            by_household[fold(person.household)].append(i)
    shared = [tuple(members) for members in by_household.values() if len(members) > 1]
    in_shared = {i for members in shared for i in members}
    capacity = len(people) - len(in_shared) + len(shared)  # at most one a household
    if isinstance(k, int) and k > len(people):
        problems.append(f"There are only {len(people)} volunteers, fewer than the {k} people to select.")
    elif isinstance(k, int) and k > capacity:
        problems.append(
            f"The {len(people)} volunteers live in only {capacity} different households, and at most one a household "
            f"may be selected: fewer than the {k} people to select."
        )
    if problems:
        raise PoolError(problems)

    units: list[Unit] = []
    by_profile: dict[tuple[int, ...], list[int]] = defaultdict(list)
    for i, profile in enumerate(person_values):
        if i not in in_shared:
            by_profile[profile].append(i)
    for profile in sorted(by_profile):
        units.append(Unit(members=tuple(by_profile[profile]), values=profile, household=None))
    for h, members in enumerate(shared):
        for i in members:
            units.append(Unit(members=(i,), values=person_values[i], household=h))
    return Compiled(
        features=tuple(features),
        values=tuple(tuple(v) for v in values),
        quotas=tuple(quotas),
        quota_of=tuple(quota_of),
        person_values=tuple(person_values),
        units=tuple(units),
        households=tuple(shared),
        k=k,
    )
