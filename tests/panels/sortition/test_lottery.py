"""The verifiable lottery: m equally likely panels close to the distribution, a digest, and the public draw."""

from __future__ import annotations

from collections import Counter

import pytest

from commonweal.panels.sortition import PoolError, draw, lottery, lottery_digest, select
from commonweal.panels.sortition.lottery import canonical_text
from tests.panels.sortition.helpers import meets_quotas, random_instance


@pytest.mark.parametrize(("seed", "m"), [(1, 1000), (4, 50), (6, 7)])
def test_lottery_has_m_panels_each_person_within_k_over_m(seed: int, m: int) -> None:
    instance = random_instance(seed, n=40, k=8)
    distribution = select(instance)
    panels = lottery(distribution, m=m, seed=seed)
    assert len(panels) == m
    assert all(meets_quotas(instance, panel) for panel in panels)
    seats = Counter(pid for panel in panels for pid in panel)
    for pid, chance in distribution.probabilities.items():
        assert abs(seats[pid] / m - chance) <= instance.k / m + 1e-9
    assert list(panels) == sorted(panels, key=sorted)


def test_lottery_is_deterministic_and_the_seed_matters() -> None:
    distribution = select(random_instance(3, n=40, k=8))
    first = lottery(distribution, m=100, seed=5)
    assert lottery(distribution, m=100, seed=5) == first
    assert lottery_digest(first) == lottery_digest(lottery(distribution, m=100, seed=5))
    assert len(lottery_digest(first)) == 64


def test_a_legacy_distribution_can_be_rounded_too() -> None:
    instance = random_instance(2, n=20, k=5)
    distribution = select(instance, method="legacy", samples=100)
    panels = lottery(distribution, m=20)
    seats = Counter(pid for panel in panels for pid in panel)
    for pid, chance in distribution.probabilities.items():
        assert abs(seats[pid] / 20 - chance) <= 5 / 20 + 1e-9


def test_the_digest_is_of_the_published_text() -> None:
    panels = (frozenset({"b", "a"}), frozenset({"c", "a"}))
    assert canonical_text(panels) == "0: a,b\n1: a,c\n"
    import hashlib

    assert lottery_digest(panels) == hashlib.sha256(b"0: a,b\n1: a,c\n").hexdigest()


def test_the_draw_rule() -> None:
    panels = tuple(frozenset({str(i)}) for i in range(7))
    assert draw(panels, "0012") == 12 % 7
    assert draw(panels, "12 345") == 12345 % 7
    assert draw(panels, 20) == 6
    for bad in ("12a", "", "-3", "1.5", "١٢"):
        with pytest.raises(PoolError):
            draw(panels, bad)
    with pytest.raises(PoolError):
        draw(panels, -1)
    with pytest.raises(PoolError):
        draw((), "1")


def test_bad_lottery_size() -> None:
    distribution = select(random_instance(1, n=12, k=3))
    with pytest.raises(PoolError):
        lottery(distribution, m=0)
