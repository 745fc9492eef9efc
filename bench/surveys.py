"""Survey results benchmark: what working out a wave's figures costs, off the request, at growing sizes.

A wave of N invented responses (fixed seed; older, more owners, some wards answering more) over 20 wards is
weighted to a profile by raking on six margins with the 5x cap (commonweal.engagement.weighting), then every
figure the results page shows is worked out: eight questions, each for everyone and for each of the 20 wards,
with Wilson intervals on the effective base (commonweal.engagement.surveys.figures). Printed for each N: the median
milliseconds of RUNS runs for raking alone and for raking plus the figures, and the ratio of the two. The page
itself reads the kept result (one cache read) once a wave's figures are worked out.

Run: .venv/bin/python bench/surveys.py [--responses 1500,5000,20000]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from commonweal.engagement import weighting  # noqa: E402
from commonweal.engagement.surveys import figures, questions  # noqa: E402
from commonweal.places import categories  # noqa: E402

SEED = 20261206
RUNS = 5
WARDS = [f"Ward {n:02d}" for n in range(1, 21)]
PROFILE = {
    "ward": dict.fromkeys(WARDS, 10_000),
    "age": {"16 to 34": 35, "35 to 59": 40, "60 and over": 25},
    "sex": {"Female": 51, "Male": 49},
    "ethnicity": dict(zip(categories.ETHNIC_GROUPS, (17, 11, 6, 62, 4), strict=True)),
    "tenure": dict(zip(categories.TENURES, (55, 15, 30), strict=True)),
    "disability": dict(zip(categories.DISABILITIES, (14, 86), strict=True)),
}
LEAN = {
    "age": (0.2, 0.35, 0.45),
    "sex": (0.56, 0.44),
    "ethnicity": (0.1, 0.06, 0.04, 0.76, 0.04),
    "tenure": (0.7, 0.12, 0.18),
    "disability": (0.2, 0.8),
}


def wave(n: int) -> tuple[dict[str, list[str | None]], list[dict[str, int]], list[str]]:
    rng = random.Random(SEED + n)  # noqa: S311 - invented benchmark data
    sample: dict[str, list[str | None]] = {"ward": []}
    weights = [1 + (i % 4) for i in range(len(WARDS))]
    sample["ward"] = rng.choices(WARDS, weights=weights, k=n)
    for margin, shares in LEAN.items():
        values = list(PROFILE[margin])
        picked: list[str | None] = list(rng.choices(values, weights=shares, k=n))
        sample[margin] = [None if rng.random() < 0.03 else value for value in picked]
    answers = [{q.key: rng.randrange(len(q.options)) for q in questions.STANDARD} for _ in range(n)]
    return sample, answers, [w or "" for w in sample["ward"]]


def median_ms(run: object, repeat: int = RUNS) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - started)
    return 1000 * statistics.median(times)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", default="1500,5000,20000")
    sizes = [int(part) for part in parser.parse_args(argv).responses.split(",")]
    asked = [figures.Asked(q.key, q.headline, len(q.options), q.positive, q.excluded) for q in questions.STANDARD]
    print(f"{'responses':>10} {'raking ms':>10} {'+ figures ms':>13} {'ratio':>6} {'deff':>5} {'n_eff':>7}")  # noqa: T201
    for n in sizes:
        sample, answers, wards = wave(n)

        def rake(sample: dict[str, list[str | None]] = sample) -> weighting.Raking:
            return weighting.rake(sample, PROFILE, cap=5.0, tolerance=1e-10)

        def everything(answers: list[dict[str, int]] = answers, wards: list[str] = wards) -> None:
            raked = rake()
            figures.question_figures(asked, answers, wards, np.asarray(raked.weights), ward_names=WARDS)

        raked = rake()
        alone, whole = median_ms(rake), median_ms(everything)
        print(  # noqa: T201
            f"{n:>10,} {alone:>10.1f} {whole:>13.1f} {whole / alone:>6.1f} {raked.design_effect:>5.2f} "
            f"{raked.effective_sample_size:>7,.0f}"
        )


if __name__ == "__main__":
    main()
