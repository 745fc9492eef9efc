"""Which of the borough profile's margins a wave's responses can be weighted to (pure: no Django).

weighting.rake() collapses a profile category nobody is in and leaves a respondent who did not answer a margin
out of that margin's adjustment; what it cannot do is weight to a margin the profile has no figures for, or one
that no respondent answered. Those margins are left out here, each with the reason in words, so a wave with a
margin nobody answered is still weighted by the others and the page says which was left out and why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


@dataclass
class Usable:
    """The margins to rake to: each one's category per response (None: not answered in the profile's
    categories), its targets, and the margins left out with why."""

    sample: dict[str, list[str | None]] = field(default_factory=dict)
    targets: dict[str, dict[str, float]] = field(default_factory=dict)
    dropped: dict[str, str] = field(default_factory=dict)

    def without(self, margin: str, reason: str) -> Usable:
        """The same with one more margin left out (when raking to every margin at once fails)."""
        return Usable(
            sample={k: v for k, v in self.sample.items() if k != margin},
            targets={k: v for k, v in self.targets.items() if k != margin},
            dropped={**self.dropped, margin: reason},
        )


def usable(
    sample: Mapping[str, Sequence[str | None]],
    targets: Mapping[str, Mapping[str, float]],
    *,
    names: Mapping[str, str],
    order: Sequence[str],
) -> Usable:
    """The margins in `order` that can be weighted to; `names` gives each margin's name as a page says it."""
    found = Usable()
    for margin in order:
        name = names.get(margin, margin).lower()
        population = {category: float(n) for category, n in (targets.get(margin) or {}).items() if n > 0}
        if not population:
            found.dropped[margin] = (
                f"The borough profile has no figures for {name}, so the figures are not weighted by it."
            )
            continue
        values = [value if value in population else None for value in sample.get(margin) or []]
        if not any(values):
            found.dropped[margin] = (
                f"No respondent answered the {name} question, so the figures could not be weighted by {name}: "
                "they are weighted by the other margins only."
            )
            continue
        found.sample[margin] = values
        found.targets[margin] = population
    return found
