"""Raking to the borough's margins, and confidence intervals of weighted figures (engagement.weighting)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from commonweal.engagement.weighting import (
    Estimate,
    WeightingError,
    difference_between_waves,
    rake,
    weighted_mean,
    weighted_proportion,
    wilson_interval,
)

Z95 = 1.959963984540054


def weighted_shares(values, weights) -> dict[str, float]:
    values = np.asarray(values)
    return {category: float(weights[values == category].sum() / weights.sum()) for category in np.unique(values)}


def test_one_margin_weights_are_the_target_over_the_sample_share():
    # Three women and one man, to a borough of half each: a woman counts 2/3, the man 2.
    result = rake({"sex": ["Female", "Female", "Female", "Male"]}, {"sex": {"Female": 50, "Male": 50}})

    assert result.weights.tolist() == pytest.approx([2 / 3, 2 / 3, 2 / 3, 2])
    assert result.converged and result.iterations == 1
    # Kish by hand: n * sum(w^2) / sum(w)^2 = 4 * (3 * 4/9 + 4) / 16 = 4/3; n_eff = 16 / (16/3) = 3.
    assert result.design_effect == pytest.approx(4 / 3)
    assert result.effective_sample_size == pytest.approx(3)
    assert (result.min_weight, result.max_weight) == pytest.approx((2 / 3, 2))


def test_two_margins_are_met_exactly_on_a_small_sample():
    sex = ["F", "F", "F", "M", "M", "M"]
    age = ["young", "old", "old", "young", "young", "old"]
    # Counts, not shares, and the two margins' totals differ (as perturbed Census tables do): each is rescaled.
    targets = {"sex": {"F": 600, "M": 400}, "age": {"young": 510, "old": 510}}

    result = rake({"sex": sex, "age": age}, targets, cap=None)

    assert result.converged and result.max_margin_error <= 1e-10
    assert result.weights.sum() == pytest.approx(6)
    assert weighted_shares(sex, result.weights) == pytest.approx({"F": 0.6, "M": 0.4}, abs=1e-10)
    assert weighted_shares(age, result.weights) == pytest.approx({"young": 0.5, "old": 0.5}, abs=1e-10)
    # Raking gives weights of the form (sex factor) x (age factor), so the cross ratio of the four cells is 1.
    w = {(s, a): weight for s, a, weight in zip(sex, age, result.weights, strict=True)}
    assert w["F", "young"] * w["M", "old"] == pytest.approx(w["F", "old"] * w["M", "young"])


def biased_sample(n: int, seed: int = 20240101) -> tuple[dict[str, np.ndarray], dict[str, dict[str, float]]]:
    """Older, more women, uneven wards, ethnic group depending on ward: like a real volunteer sample."""
    rng = np.random.default_rng(seed)
    ages = np.array(["16 to 24", "25 to 34", "35 to 49", "50 to 64", "65 and over"])
    age = rng.choice(5, size=n, p=[0.08, 0.14, 0.24, 0.28, 0.26])
    sex = np.where(rng.random(n) < 0.58, "Female", "Male")
    ward_weights = 1 + np.arange(20) / 10
    ward = rng.choice(20, size=n, p=ward_weights / ward_weights.sum())
    groups = np.array(["Asian", "Black", "Mixed", "White", "Other"])
    non_white = rng.random(n) < 0.2 + ward / 60
    ethnicity = np.where(non_white, rng.choice([0, 1, 2, 4], size=n, p=[0.45, 0.35, 0.12, 0.08]), 3)
    sample = {
        "age": ages[age],
        "sex": sex,
        "ward": np.array([f"Ward {i:02d}" for i in range(20)])[ward],
        "ethnicity": groups[ethnicity],
    }
    targets = {
        "age": dict(zip(ages.tolist(), [14.0, 20.0, 27.0, 22.0, 17.0], strict=True)),
        "sex": {"Female": 51.0, "Male": 49.0},
        "ward": {f"Ward {i:02d}": 5.0 for i in range(20)},
        "ethnicity": dict(zip(groups.tolist(), [18.0, 10.0, 5.0, 64.0, 3.0], strict=True)),
    }
    return sample, targets


def test_weights_agree_with_weightipy_on_a_biased_sample():
    pd = pytest.importorskip("pandas")
    weightipy = pytest.importorskip("weightipy")
    sample, targets = biased_sample(100_000)

    ours = rake(sample, targets, cap=None)
    theirs = weightipy.weight(pd.DataFrame(sample), weightipy.scheme_from_dict(targets)).to_numpy()

    assert ours.converged
    assert np.abs(ours.weights - theirs).max() <= 1e-6
    assert ours.design_effect > 1.05  # the sample really was biased


def test_the_cap_holds_and_the_margins_are_still_met():
    sample, targets = biased_sample(20_000)
    uncapped = rake(sample, targets, cap=None)

    capped = rake(sample, targets, cap=2.0)

    assert uncapped.max_weight > 2.0
    assert capped.converged
    assert capped.max_weight <= 2.0 * capped.weights.mean() + 1e-12
    assert capped.weights.mean() == pytest.approx(1)
    for margin, values in sample.items():
        total = sum(targets[margin].values())
        expected = {category: count / total for category, count in targets[margin].items()}
        assert weighted_shares(values, capped.weights) == pytest.approx(expected, abs=1e-9)
    # Trimming trades bias for precision: the design effect falls.
    assert capped.design_effect < uncapped.design_effect


def test_the_capped_weights_agree_with_weightipy_capping_inside_its_loop():
    pd = pytest.importorskip("pandas")
    weightipy = pytest.importorskip("weightipy")
    sample, targets = biased_sample(20_000, seed=7)

    ours = rake(sample, targets, cap=2.5)
    # weightipy allows 0.0001 above its cap (anesrake's correction), so it is given the cap less that.
    scheme = weightipy.scheme_from_dict(targets, rim_params={"cap": 2.5 - 0.0001})
    theirs = weightipy.weight(pd.DataFrame(sample), scheme).to_numpy()

    assert ours.converged and ours.max_weight == pytest.approx(2.5)
    assert np.abs(ours.weights - theirs).max() <= 1e-6


def test_a_cap_too_tight_for_the_margins_is_reported_not_hidden():
    sample, targets = biased_sample(5_000)

    result = rake(sample, targets, cap=1.3)

    assert not result.converged
    assert result.max_margin_error > 1e-3
    assert result.max_weight <= 1.3 + 1e-12
    assert result.notes == (
        f"The margins could not all be met with no weight above 1.3 times the mean: raise the cap or collapse small "
        f"categories (the largest margin error left is {result.max_margin_error:.1%}).",
    )


def test_margins_that_need_a_weight_of_zero_stop_with_positive_weights():
    # Every man is old, and only women can be young; the margins need the old women to weigh nothing.
    result = rake(
        {"sex": ["F", "F", "F", "M"], "age": ["young", "old", "old", "old"]},
        {"sex": {"F": 1, "M": 1}, "age": {"young": 1, "old": 1}},
        cap=None,
    )

    assert not result.converged
    assert result.min_weight > 0
    assert "some weights were falling towards zero" in result.notes[0]
    assert result.weights.sum() == pytest.approx(4)


def test_missing_answers_are_left_out_of_that_margin_only():
    sex = ["Female", "Female", "Male", None, "Prefer not to say", ""]
    age = ["old", "young", "old", "young", "old", "young"]

    result = rake({"sex": sex, "age": age}, {"sex": {"Female": 1, "Male": 1}, "age": {"old": 1, "young": 1}}, cap=None)

    assert result.converged
    answered = np.array([0, 1, 2])
    # Among those who answered, half women and half men; the age margin holds over everyone.
    assert weighted_shares(np.array(sex)[answered], result.weights[answered]) == pytest.approx(
        {"Female": 0.5, "Male": 0.5}
    )
    assert weighted_shares(age, result.weights) == pytest.approx({"old": 0.5, "young": 0.5})
    assert result.weights.sum() == pytest.approx(6)


def test_a_category_nobody_answered_is_dropped_and_the_rest_rescaled():
    result = rake(
        {"tenure": ["Owned", "Owned", "Social rented"]},
        {"tenure": {"Owned": 50, "Social rented": 25, "Private rented": 25}},
    )

    assert result.dropped == {"tenure": ["Private rented"]}
    assert "'Private rented' (tenure), 25.0% of the population" in result.notes[0]
    # Owned : social = 2 : 1 in the population; so 2 of the 3 weighted responses are owners.
    assert result.weights.tolist() == pytest.approx([1, 1, 1])


def test_a_margin_nobody_answered_is_a_clear_error():
    with pytest.raises(WeightingError) as error:
        rake(
            {"sex": ["Female", "Male"], "disability": [None, "Prefer not to say"]},
            {"sex": {"Female": 1, "Male": 1}, "disability": {"Disabled": 1, "Not disabled": 4}},
        )

    assert error.value.messages == [
        "Nobody answered the question for the margin 'disability', so the responses cannot be weighted to it; "
        "leave that margin out or collect the answers."
    ]


def test_every_problem_with_the_input_is_named():
    with pytest.raises(WeightingError) as error:
        rake({"sex": ["Female", "Male"], "ward": ["Abbey"]}, {"sex": {"Female": 1}, "age": {"16 to 59": 1}})

    assert error.value.messages == [
        "Every margin needs one answer a response; the margins have different lengths: sex 2, ward 1.",
        "There are no population figures for the margin 'ward'.",
        "No response has an answer for the margin 'age'.",
    ]
    with pytest.raises(WeightingError, match="give a sex the population figures do not have .*: 'Male'"):
        rake({"sex": ["Female", "Male"]}, {"sex": {"Female": 1, "Male": 0}})
    with pytest.raises(WeightingError, match="There are no responses to weight"):
        rake({"sex": []}, {"sex": {"Female": 1}})
    with pytest.raises(WeightingError, match="must not be negative: 'Male'"):
        rake({"sex": ["Female"]}, {"sex": {"Female": 1, "Male": -1}})
    with pytest.raises(WeightingError, match="cap must be more than 1"):
        rake({"sex": ["Female"]}, {"sex": {"Female": 1}}, cap=1)


def test_arrays_of_strings_lists_and_objects_give_the_same_weights():
    sample, targets = biased_sample(3_000)
    as_lists = {margin: values.tolist() for margin, values in sample.items()}
    # A label sharing its first characters with another still lands in its own category.
    sample["sex"] = np.where(sample["sex"] == "Female", "Fem", "Female")
    as_lists["sex"] = sample["sex"].tolist()
    targets["sex"] = {"Fem": 51, "Female": 49}

    from_arrays = rake(sample, targets)
    from_lists = rake(as_lists, targets)
    from_objects = rake({margin: np.array(values, dtype=object) for margin, values in as_lists.items()}, targets)

    assert np.array_equal(from_arrays.weights, from_lists.weights)
    assert np.array_equal(from_arrays.weights, from_objects.weights)
    with pytest.raises(WeightingError, match="'Femal'"):
        rake({**sample, "sex": np.array(["Femal", "Fem"])[np.arange(3_000) % 2]}, targets)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 3), st.integers(0, 2), st.integers(0, 4)), min_size=1, max_size=60),
    st.lists(st.integers(1, 1000), min_size=3 + 2 + 4, max_size=3 + 2 + 4),
    st.sampled_from([None, 3.0, 6.0]),
)
def test_weights_are_positive_and_meet_the_margins(rows, populations, cap):
    # Code 0 of the first margin stands for 'Prefer not to say'; a margin nobody answered is not weightable.
    first = ["Prefer not to say" if a == 0 else f"a{a}" for a, _, _ in rows]
    sample = {"first": first, "second": [f"b{b}" for _, b, _ in rows], "third": [f"c{c}" for _, _, c in rows]}
    targets = {
        "first": {f"a{i}": populations[i - 1] for i in (1, 2, 3)},
        "second": {f"b{i}": populations[3 + i] for i in (0, 1)} | {"b2": populations[5]},
        "third": {f"c{i}": populations[6 + i] for i in (0, 1, 2)} | {"c3": 7, "c4": 9},
    }
    if all(value == "Prefer not to say" for value in first):
        with pytest.raises(WeightingError, match="margin 'first'"):
            rake(sample, targets, cap=cap)
        return

    result = rake(sample, targets, cap=cap)

    assert np.all(result.weights > 0) and np.all(np.isfinite(result.weights))
    assert result.weights.mean() == pytest.approx(1)
    if cap is not None:
        assert result.max_weight <= cap + 1e-9
    if result.converged:
        for margin, values in sample.items():
            kept = {key: value for key, value in targets[margin].items() if key not in result.dropped.get(margin, [])}
            answered = np.array([value != "Prefer not to say" for value in values])
            shares = weighted_shares(np.array(values)[answered], result.weights[answered])
            assert shares == pytest.approx({key: value / sum(kept.values()) for key, value in kept.items()}, abs=1e-8)


def test_wilson_interval_matches_the_textbook_example():
    # Newcombe (1998), Statistics in Medicine 17, table I: 81 of 263 gives 0.2553 to 0.3662.
    assert wilson_interval(81 / 263, 263, Z95) == pytest.approx((0.2553, 0.3662), abs=5e-5)
    # None of 10: from 0 to 0.2775, and never below zero.
    assert wilson_interval(0, 10, Z95) == pytest.approx((0, 0.2775), abs=5e-5)


def test_weighted_proportion_uses_wilson_on_the_effective_base():
    # surveys.md section 4, ward W00: p = 0.5566 on Kish n_eff 2,846. R's logit interval is 0.5383 to 0.5748 and
    # statsmodels' Wilson with n_eff 0.53831 to 0.57479 (from the unrounded p); this checks Wilson, by hand here.
    n_eff, p = 2846, 0.5566
    half = Z95 * math.sqrt(p * (1 - p) / n_eff + Z95**2 / (4 * n_eff**2)) / (1 + Z95**2 / n_eff)
    centre = (p + Z95**2 / (2 * n_eff)) / (1 + Z95**2 / n_eff)
    assert wilson_interval(p, n_eff, Z95) == pytest.approx((centre - half, centre + half))
    assert wilson_interval(p, n_eff, Z95) == pytest.approx((0.53831, 0.57479), abs=1e-4)

    # Weights 1 and 3 alternately: n_eff = (2n)^2 / (5n) = 0.8 n.
    yes = np.arange(1000) % 4 == 0
    weights = np.where(np.arange(1000) % 2 == 0, 1.0, 3.0)
    estimate = weighted_proportion(yes, weights)
    assert estimate.base == 1000
    assert estimate.effective_base == pytest.approx(800)
    assert estimate.proportion == pytest.approx(250 / 2000)
    assert (estimate.low, estimate.high) == pytest.approx(wilson_interval(0.125, 800, Z95))


def test_weighted_mean_and_the_difference_between_two_waves():
    values = np.array([1.0, 2.0, 3.0, 4.0] * 50)
    estimate = weighted_mean(values, np.ones(200))
    assert estimate.mean == pytest.approx(2.5)
    sd = math.sqrt(np.var(values, ddof=1))
    assert (estimate.low, estimate.high) == pytest.approx((2.5 - Z95 * sd / math.sqrt(200), 2.5 + Z95 * sd / 200**0.5))

    before = Estimate(proportion=0.60, low=0, high=1, base=1000, effective_base=800, standard_error=0.017)
    after = Estimate(proportion=0.66, low=0, high=1, base=1000, effective_base=800, standard_error=0.0165)
    change = difference_between_waves(before, after)
    half = Z95 * math.sqrt(0.017**2 + 0.0165**2)
    assert change == pytest.approx((0.06, 0.06 - half, 0.06 + half, True))
    assert not difference_between_waves(before, before).significant


def test_an_empty_group_has_no_figure():
    with pytest.raises(WeightingError, match="no responses in this group"):
        weighted_proportion(np.array([], dtype=bool), np.array([]))
    with pytest.raises(WeightingError, match="one weight a response"):
        weighted_mean(np.array([1.0, 2.0]), np.array([1.0]))


def test_the_weighting_module_is_pure() -> None:
    import subprocess
    import sys

    code = "import sys, commonweal.engagement.weighting; print(any(m.startswith('django') for m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == "False"
