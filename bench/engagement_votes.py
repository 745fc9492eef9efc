"""Participatory budget benchmark: the count of 100,000 ballots over 30 projects, approval and cumulative.

Ballots are written in bulk (fixed seed) into a SQLite database of its own under var/bench/engagement_votes,
then the count the officer's 'Close voting and count' runs (budgets.services.run_count: one GROUP BY over the
ballots' choices, then the pure count.py) is timed, median of 5, beside two baselines taken in the same run:
a plain COUNT(*) over the same ballots' choices, and /healthz's server time. The issue's target: under 5 s.
The full step (count, write each project's votes, rank and funded, take the workflow step) is timed once.

Run: .venv/bin/python bench/engagement_votes.py [--ballots N] [--projects N]
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
VAR = ROOT / "var" / "bench" / "engagement_votes"
SEED = 2026
TARGET_S = 5.0
RUNS = 5


def timed(work: Callable[[], Any], runs: int = RUNS) -> tuple[float, Any]:
    """The median of `runs` wall-clock seconds, and the last result."""
    seconds = []
    result = None
    for _ in range(runs):
        start = time.perf_counter()
        result = work()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), result


def ballots_for(method: str, projects: list[int], count: int, rng: random.Random) -> list[dict[int, int]]:
    """Ballots as people cast them: some projects far more popular than others."""
    weights = [1 + (len(projects) - n) ** 2 for n in range(len(projects))]
    made: list[dict[int, int]] = []
    for _ in range(count):
        if method == "approval":
            made.append(dict.fromkeys(set(rng.choices(projects, weights=weights, k=rng.randint(1, 3))), 1))
        else:
            ballot: dict[int, int] = {}
            for project in rng.choices(projects, weights=weights, k=rng.randint(1, 4)):
                ballot[project] = min(5, ballot.get(project, 0) + rng.randint(1, 3))
            while sum(ballot.values()) > 10:
                biggest = max(ballot, key=lambda p: ballot[p])
                ballot[biggest] -= 1
            made.append({p: v for p, v in ballot.items() if v})
    return made


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--ballots", type=int, default=100_000)
    parser.add_argument("--projects", type=int, default=30)
    args = parser.parse_args(argv)
    folder = VAR / f"sqlite-{args.ballots}"
    if folder.exists():
        shutil.rmtree(folder)
    os.environ.pop("DATABASE_URL", None)
    os.environ["COMMONWEAL_VAR_DIR"] = str(folder)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "commonweal.settings.demo")
    os.environ.setdefault("COMMONWEAL_LOG_LEVEL", "ERROR")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from commonweal.accounts.models import Organisation, User
    from commonweal.accounts.services import confirm_email, create_organisation, grant_membership
    from commonweal.engagement.budgets import services
    from commonweal.engagement.models import BallotChoice, Budget, Proposal

    call_command("migrate", verbosity=0, interactive=False)
    department = create_organisation(name="Bench department", kind=Organisation.Kind.COUNCIL_DEPARTMENT)
    officer = User.objects.create_user("bench-officer@example.org", "bench-password-123", full_name="Bench officer")
    confirm_email(officer)
    grant_membership(user=officer, role="officer", organisation=department)
    rng = random.Random(SEED)  # noqa: S311 - invented ballots want repeatability, not secrecy
    client = Client(HTTP_HOST="127.0.0.1")
    client.get("/healthz")
    health, _ = timed(lambda: client.get("/healthz"), runs=20)
    print(f"\nParticipatory budget count: {args.ballots:,} ballots over {args.projects} projects, SQLite")
    print(f"/healthz (baseline): {health * 1000:.2f} ms median of 20")
    print(
        f"{'method':<12}{'write s':>9}{'choices':>10}{'COUNT(*) s':>12}{'count s':>9}{'x COUNT(*)':>11}"
        f"{'x healthz':>11}{'full step s':>13}"
    )
    for method in ("approval", "cumulative"):
        budget = Budget.objects.create(
            slug=f"bench-{method}",
            title=f"Bench {method}",
            summary="Benchmark.",
            amount=Decimal("250000"),
            department=department,
            method=method,
            max_choices=3,
            points=10,
            max_points_per_project=5,
            min_cost=Decimal("1000"),
            max_cost=Decimal("50000"),
            status=Budget.Status.VOTING,
        )
        projects = Proposal.objects.bulk_create(
            [
                Proposal(
                    budget=budget,
                    title=f"Project {n}",
                    description="Benchmark project.",
                    beneficiaries="Everyone.",
                    place="Somewhere",
                    cost=Decimal(rng.randrange(5_000, 50_000, 500)),
                    proposed_by=officer,
                    feasibility=Proposal.Feasibility.FEASIBLE,
                )
                for n in range(args.projects)
            ]
        )
        ballots = ballots_for(method, [p.pk for p in projects], args.ballots, rng)
        start = time.perf_counter()
        services.bulk_ballots(budget, ballots)
        written = time.perf_counter() - start
        choices = BallotChoice.objects.filter(ballot__budget=budget)
        baseline, counted = timed(choices.count)
        seconds, result = timed(lambda b=budget: services.run_count(b))
        start = time.perf_counter()
        services.count_votes(budget=budget, by=officer)
        full = time.perf_counter() - start
        assert len(result.places) == args.projects
        print(
            f"{method:<12}{written:>9.1f}{counted:>10,}{baseline:>12.3f}{seconds:>9.3f}{seconds / baseline:>11.1f}"
            f"{seconds / health:>11.0f}{full:>13.3f}"
        )
    print(f"Target: the count under {TARGET_S:.0f} s. Load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs.")


if __name__ == "__main__":
    main()
