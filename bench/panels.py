"""Citizens' panel selection benchmark: our LEXIMIN beside the Sortition Foundation's sortition-algorithms.

Pools of volunteers are generated (fixed seed) with six features skewed the way real volunteer pools are (older,
more owner-occupiers, more White, more disabled people than the borough, some wards keener than others), and
quotas are set as practitioners set them: each value's share of the borough's population times k, give or take
a tolerance; where the pool cannot meet them, the engine's own smallest relaxation is applied first (as an
officer would after the quota check). The paper's three instance shapes are imitated too (same n, k and number of
features; its pools themselves are not public in this form).

For each instance, in the same run: our LEXIMIN (commonweal.panels.sortition) - seconds, the minimum probability,
the second-lowest level, the certified upper bound - and sortition-algorithms' maximin and nash (HiGHS backend;
nash also uses cvxpy), each in a subprocess of its own with a time limit, on the same CSV files. Ratios are theirs
over ours. The paper's LEXIMIN times (Gurobi, 2021 laptop) are printed beside the instances of its shapes.

Run: .venv/bin/python bench/panels.py [--full] [--timeout SECONDS] [--no-peer]
sortition-algorithms (GPL-3.0) is only a measuring peer: `pip install -e .[bench]`; it is never imported by
commonweal/.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import math
import random
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commonweal.panels.sortition import (  # noqa: E402 - after the path above, so the bench runs from a checkout
    Instance,
    Person,
    Quota,
    check_quotas,
    probability_levels,
    select,
)

SEED = 2026
LEVEL_TOLERANCE = 1e-6

# (borough share, pool share) for each value: pools are older, own more, are whiter and keener in some wards
FEATURES: dict[str, dict[str, tuple[float, float]]] = {
    "ward": {
        "Abbey": (0.16, 0.22),
        "Cannon Hill": (0.14, 0.18),
        "Colliers Wood": (0.13, 0.10),
        "Figge's Marsh": (0.13, 0.07),
        "Lavender Fields": (0.12, 0.09),
        "Merton Park": (0.11, 0.15),
        "Pollards Hill": (0.11, 0.08),
        "Village": (0.10, 0.11),
    },
    "age": {
        "16 to 29": (0.24, 0.10),
        "30 to 44": (0.28, 0.20),
        "45 to 59": (0.24, 0.27),
        "60 to 74": (0.16, 0.28),
        "75 and over": (0.08, 0.15),
    },
    "sex": {"Female": (0.51, 0.56), "Male": (0.49, 0.44)},
    "ethnicity": {
        "White": (0.48, 0.68),
        "Asian": (0.20, 0.13),
        "Black": (0.13, 0.09),
        "Mixed": (0.06, 0.05),
        "Other": (0.13, 0.05),
    },
    "tenure": {"Owns": (0.45, 0.66), "Private rent": (0.30, 0.20), "Social rent": (0.25, 0.14)},
    "disability": {"Disabled": (0.14, 0.20), "Not disabled": (0.86, 0.80)},
}

PAPER_SECONDS = {"paper A": 1161.8, "paper B": 433.5, "paper C": 4011.6}


@dataclass
class Case:
    name: str
    n: int
    k: int
    features: int
    tolerance: float
    note: str = ""


QUICK = [Case("borough", 200, 20, 6, 0.2)]
FULL = [
    Case("borough", 500, 30, 6, 0.2),
    Case("borough", 2000, 110, 6, 0.15),
    Case("borough", 2000, 200, 6, 0.15),
    Case("borough", 10000, 200, 6, 0.15),
    Case("paper A", 2000, 200, 2, 0.0, "synthetic: n=2000, k=200, 2 features"),
    Case("paper B", 825, 75, 4, 0.1, "like cca_75: n=825, k=75, 4 features"),
    Case("paper C", 1727, 110, 7, 0.1, "like sf_e_110: n=1727, k=110, 7 features"),
]


def feature_table(count: int) -> dict[str, dict[str, tuple[float, float]]]:
    """The first `count` features (a seventh: a made-up 'work' feature, for the paper's seven)."""
    table = dict(list(FEATURES.items())[:count])
    if count > len(FEATURES):
        table["work"] = {"Employed": (0.6, 0.5), "Retired": (0.18, 0.32), "Other": (0.22, 0.18)}
    return table


def make_instance(case: Case) -> Instance:
    """A skewed pool and proportional quotas +- tolerance, relaxed to what the pool can meet if need be."""
    rng = random.Random(f"{SEED}-{case.name}-{case.n}-{case.k}")  # noqa: S311 - reproducible data
    table = feature_table(case.features)
    people = []
    for i in range(case.n):
        values = {
            feature: rng.choices(list(options), weights=[pool for _, pool in options.values()])[0]
            for feature, options in table.items()
        }
        people.append(Person(id=f"p{i:05d}", features=values))
    quotas = []
    for feature, options in table.items():
        for value, (borough, _pool) in options.items():
            if case.tolerance == 0.0:  # the paper's synthetic shape: quotas the pool itself meets
                share = sum(1 for p in people if p.features[feature] == value) / case.n
                quotas.append(Quota(feature, value, math.floor(share * case.k), math.ceil(share * case.k)))
                continue
            target = borough * case.k
            quotas.append(
                Quota(
                    feature,
                    value,
                    max(0, math.floor(target * (1 - case.tolerance))),
                    math.ceil(target * (1 + case.tolerance)),
                )
            )
    instance = Instance(people=tuple(people), quotas=tuple(quotas), k=case.k)
    check = check_quotas(instance)
    if not check.feasible:
        relaxed = {(r.feature, r.value, r.bound): r.suggested for r in check.relaxations}
        quotas = [
            Quota(
                q.feature,
                q.value,
                relaxed.get((q.feature, q.value, "min"), q.min),
                relaxed.get((q.feature, q.value, "max"), q.max),
            )
            for q in quotas
        ]
        instance = Instance(people=tuple(people), quotas=tuple(quotas), k=case.k)
    return instance


def write_csvs(instance: Instance, folder: Path) -> tuple[Path, Path]:
    features = list(dict.fromkeys(q.feature for q in instance.quotas))
    people_file, categories_file = folder / "people.csv", folder / "categories.csv"
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["id", *features])
    for p in instance.people:
        writer.writerow([p.id, *(p.features[f] for f in features)])
    people_file.write_text(out.getvalue(), encoding="utf-8")
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["feature", "value", "min", "max"])
    for q in instance.quotas:
        writer.writerow([q.feature, q.value, q.min, q.max])
    categories_file.write_text(out.getvalue(), encoding="utf-8")
    return people_file, categories_file


def peer(method: str, people_file: str, categories_file: str, k: int) -> None:
    """In a subprocess: sortition-algorithms' distribution on the CSV files; prints JSON."""
    from sortition_algorithms import Settings
    from sortition_algorithms.committee_generation import find_distribution_maximin, find_distribution_nash
    from sortition_algorithms.features import read_in_features
    from sortition_algorithms.people import read_in_people

    def rows(path: str) -> tuple[list[str], list[dict[str, str]]]:
        with open(path, encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            body = list(reader)
            return list(reader.fieldnames or []), body

    head, body = rows(categories_file)
    features, _, _ = read_in_features(head, body, k)
    head, body = rows(people_file)
    settings = Settings(id_column="id", columns_to_keep=[])
    people, _ = read_in_people(head, body, features, settings)
    started, cpu = time.perf_counter(), time.process_time()
    finder = find_distribution_maximin if method == "maximin" else find_distribution_nash
    committees, weights, _ = finder(features, people, k, [], "highspy")
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    chances = dict.fromkeys((row["id"] for row in body), 0.0)
    for committee, weight in zip(committees, weights, strict=True):
        for person in committee:
            chances[person] += weight
    print(json.dumps({"seconds": seconds, "cpu": cpu, "probabilities": chances, "panels": len(committees)}))


def run_peer(method: str, people_file: Path, categories_file: Path, k: int, timeout: float) -> dict | str:
    command = [sys.executable, __file__, "--peer", method, str(people_file), str(categories_file), str(k)]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired:
        return f"did not finish in {timeout:.0f} s"
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines()
        return "failed: " + (lines[-1] if lines else f"exit {done.returncode}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def levels_of(chances: dict[str, float]) -> tuple[float, float | None]:
    levels = probability_levels([p for p in chances.values() if p > 0], tolerance=LEVEL_TOLERANCE)
    return levels[0], (levels[1] if len(levels) > 1 else None)


def fmt(value: float | None, digits: int = 6) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="Every size (about an hour with the peer).")
    parser.add_argument("--timeout", type=float, default=None, help="Seconds for each peer run (60; --full 600).")
    parser.add_argument("--no-peer", action="store_true", help="Only our engine.")
    parser.add_argument("--only", default=None, help="Only the instances whose label contains this, e.g. n=2000.")
    parser.add_argument(
        "--time-limit", type=float, default=None, help="Seconds before our leximin stops early (none by default)."
    )
    parser.add_argument("--peer", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        method, people_file, categories_file, k = args.peer
        peer(method, people_file, categories_file, int(k))
        return
    cases = FULL if args.full else QUICK
    timeout = args.timeout or (600.0 if args.full else 40.0)
    try:
        import sortition_algorithms  # noqa: F401 - only to say whether the peer can run

        have_peer = not args.no_peer
    except ImportError:
        have_peer = False
        print("sortition-algorithms is not installed (pip install -e .[bench]): our engine alone.")
    print(
        "\nPanel selection: LEXIMIN (ours, HiGHS) beside sortition-algorithms maximin and nash (HiGHS), "
        f"{timeout:.0f} s limit each"
    )
    header = (
        f"{'instance':<24}{'method':<22}{'seconds':>9}{'min prob':>11}{'2nd level':>11}{'bound':>10}{'x ours (s)':>11}"
    )
    print(header)
    for case in cases:
        label = f"{case.name} n={case.n} k={case.k} f={case.features}"
        if args.only and args.only not in label:
            continue
        instance = make_instance(case)
        cpu = time.process_time()
        ours = select(instance, method="leximin", time_limit=args.time_limit)
        cpu = time.process_time() - cpu
        low, second = levels_of(ours.probabilities)
        print(
            f"{label:<24}{'leximin (ours)':<22}{ours.seconds:>9.1f}{fmt(low):>11}{fmt(second):>11}"
            f"{fmt(ours.upper_bound):>10}{1.0:>11.2f}"
            + f"   {cpu:.1f} s of CPU; {len(ours.group_panels)} panels of groups, {len(ours.panels)} of people"
            + ("" if ours.complete else "; stopped at the time limit: levels above the minimum not final")
        )
        sys.stdout.flush()
        if case.name in PAPER_SECONDS:
            paper = PAPER_SECONDS[case.name]
            print(
                f"{'':<24}{'paper leximin (Gurobi)':<22}{paper:>9.1f}{'':>11}{'':>11}{'':>10}"
                f"{paper / ours.seconds:>11.1f}   {case.note}"
            )
        if not have_peer:
            continue
        with tempfile.TemporaryDirectory() as folder:
            people_file, categories_file = write_csvs(instance, Path(folder))
            for method in ("maximin", "nash"):
                result = run_peer(method, people_file, categories_file, case.k, timeout)
                name = f"{method} (s-a, highspy)"
                if isinstance(result, str):
                    print(f"{'':<24}{name:<22}  {result}")
                    continue
                their_low, their_second = levels_of(result["probabilities"])
                print(
                    f"{'':<24}{name:<22}{result['seconds']:>9.1f}{fmt(their_low):>11}{fmt(their_second):>11}"
                    f"{'':>10}{result['seconds'] / ours.seconds:>11.2f}"
                    f"   min - ours: {their_low - low:+.1e}; {result['cpu']:.1f} s of CPU"
                )
    print(
        "\n'2nd level' is the second-lowest distinct probability (within 1e-6); 'bound' the certified upper bound on "
        "the minimum; 'x ours' their seconds over ours."
    )


if __name__ == "__main__":
    main()
