"""`commonweal panels select`: the selection engine on the Sortition Foundation's CSV files, with no database."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from commonweal.panels.sortition import (
    Distribution,
    Instance,
    PoolError,
    draw,
    lottery,
    lottery_digest,
    probability_levels,
    read_categories_csv,
    read_people_csv,
    select,
)
from commonweal.panels.sortition.lottery import canonical_text


def _read(path: str, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8-sig")
    except FileNotFoundError as error:
        raise CommandError(f"The {what} file {path} does not exist.") from error
    except UnicodeDecodeError as error:
        raise CommandError(f"The {what} file {path} is not UTF-8 text (save it as CSV UTF-8).") from error
    except OSError as error:
        raise CommandError(f"The {what} file {path} cannot be read: {error.strerror}.") from error


class Command(BaseCommand):
    help = (
        "The citizens' panel selection engine. 'panels select' reads a people file (an id column and one column "
        "a feature) and a categories file (feature, value, min, max), finds the LEXIMIN distribution over panels "
        "that meet every quota (or maximin, or the older greedy method) and prints each volunteer's probability, "
        "the minimum with its proven upper bound, and the panels with their weights. It uses no database."
    )
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="action", required=True, metavar="select")
        chooser = commands.add_parser("select", help="Compute a selection distribution from CSV files.")
        chooser.add_argument("--people", required=True, help="The people CSV file.")
        chooser.add_argument("--categories", required=True, help="The categories (quotas) CSV file.")
        chooser.add_argument("--k", type=int, required=True, help="How many people to select.")
        chooser.add_argument("--method", choices=["leximin", "maximin", "legacy"], default="leximin")
        chooser.add_argument("--id-column", default=None, help="The people file's id column (default 'id').")
        chooser.add_argument(
            "--household-columns",
            default="",
            help="Comma-separated columns that together identify a household, e.g. address1,postcode: "
            "at most one person a household is selected.",
        )
        chooser.add_argument("--seed", type=int, default=0, help="The seed for legacy sampling and the lottery.")
        chooser.add_argument("--time-limit", type=float, default=None, help="Seconds before leximin stops early.")
        chooser.add_argument("--lottery", type=int, default=None, metavar="M", help="Round to a lottery of M panels.")
        chooser.add_argument(
            "--random-number", default=None, help="With --lottery: the published random number; prints the panel drawn."
        )
        chooser.add_argument("--json", action="store_true", help="Print JSON instead of a report.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            self.select(options)
        except PoolError as error:
            raise CommandError("\n".join(error.messages)) from error

    def select(self, options: dict[str, Any]) -> None:
        if options["random_number"] is not None and options["lottery"] is None:
            raise CommandError("--random-number draws from a lottery: give --lottery M as well.")
        households = [name.strip() for name in options["household_columns"].split(",") if name.strip()]
        quotas = read_categories_csv(_read(options["categories"], "categories"))
        people = read_people_csv(
            _read(options["people"], "people"),
            id_column=options["id_column"],
            household_columns=households,
            features={quota.feature for quota in quotas},
        )
        instance = Instance(people=people, quotas=tuple(quotas), k=options["k"])
        progress = None if options["json"] or options["verbosity"] < 2 else self.stderr.write
        distribution = select(
            instance,
            method=options["method"],
            seed=options["seed"],
            time_limit=options["time_limit"],
            progress=progress,
        )
        result: dict[str, Any] = {
            "method": distribution.method,
            "k": instance.k,
            "n": len(instance.people),
            "probabilities": distribution.probabilities,
            "min_probability": distribution.min_probability,
            "upper_bound": distribution.upper_bound,
            "gap": distribution.gap,
            "excluded": list(distribution.excluded),
            "panels": [{"members": sorted(members), "weight": weight} for members, weight in distribution.panels],
            "seconds": round(distribution.seconds, 3),
            "complete": distribution.complete,
        }
        if options["lottery"] is not None:
            panels = lottery(distribution, m=options["lottery"], seed=options["seed"])
            result["lottery"] = {
                "m": len(panels),
                "seed": options["seed"],
                "sha256": lottery_digest(panels),
                "panels": [sorted(panel) for panel in panels],
            }
            if options["random_number"] is not None:
                number = draw(panels, options["random_number"])
                result["lottery"]["random_number"] = options["random_number"]
                result["lottery"]["drawn"] = {"number": number, "members": sorted(panels[number])}
        if options["json"]:
            self.stdout.write(json.dumps(result, indent=1))
            return
        self.stdout.write(self.report(distribution, result, canonical_text(panels) if options["lottery"] else ""))

    def report(self, distribution: Distribution, result: dict[str, Any], lottery_text: str) -> str:
        levels = probability_levels(
            [p for pid, p in distribution.probabilities.items() if pid not in distribution.excluded]
        )
        lines = [
            f"{result['method'].upper()}: {result['k']} of {result['n']} volunteers, {len(result['panels'])} panels "
            f"in {result['seconds']} s.",
            f"Lowest probability: {distribution.min_probability:.6f} (proven at most {distribution.upper_bound:.6f}; "
            f"gap {distribution.gap:.2e}).",
        ]
        if len(levels) > 1:
            lines.append(f"Second-lowest level: {levels[1]:.6f}; highest: {levels[-1]:.6f}.")
        if distribution.excluded:
            lines.append(f"In no panel that meets the quotas (probability 0): {', '.join(distribution.excluded)}.")
        if not distribution.complete:
            lines.append("Stopped at the time limit: the levels above the lowest may not be the fairest.")
        lines.append("")
        lines.append("Probability of selection, lowest first:")
        for pid, chance in sorted(distribution.probabilities.items(), key=lambda item: (item[1], item[0])):
            lines.append(f"  {pid}: {chance:.6f}")
        if "lottery" in result:
            lottery_result = result["lottery"]
            lines += ["", f"Lottery of {lottery_result['m']} panels, SHA-256 {lottery_result['sha256']}:", lottery_text]
            if "drawn" in lottery_result:
                drawn = lottery_result["drawn"]
                lines.append(
                    f"Random number {lottery_result['random_number']} draws panel {drawn['number']} "
                    f"(the number mod {lottery_result['m']}): {', '.join(drawn['members'])}"
                )
        return "\n".join(lines)
