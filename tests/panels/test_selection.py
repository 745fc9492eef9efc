"""A selection: quotas proposed from the profile, checked and explained, run in the background, its lottery
published before a public draw, and replacements drawn the same way."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.core import mail

from commonweal.panels.errors import PanelError
from commonweal.panels.models import Selection, SelectionQuota, Volunteer
from commonweal.panels.selection import queries, services
from commonweal.places.categories import AGE, SEX, WARD
from tests.panels import factories

pytestmark = pytest.mark.django_db
S = Selection.Status


@pytest.fixture
def pool(merton: Any) -> list[Volunteer]:
    return factories.pool(size=60, n_wards=3)


@pytest.fixture
def officer(make_user: Any) -> Any:
    return make_user("officer")


def _quota(selection: Selection, feature: str, value: str) -> SelectionQuota:
    return selection.quotas.get(feature=feature, value=value)


def test_quotas_are_proposed_from_the_profile_for_adults_only(pool: Any, officer: Any) -> None:
    selection = services.create_selection(title="Climate assembly", k=10, by=officer)
    assert selection.status == S.DRAFT
    female = _quota(selection, SEX, "Female")
    assert female.target == pytest.approx(5.1)
    assert (female.min, female.max) == (4, 7)  # 5.1 give or take 1, rounded outwards
    ages = list(selection.quotas.filter(feature=AGE).values_list("value", flat=True))
    assert ages == ["16 to 34", "35 to 64", "65 and over"]  # no quota for children
    assert selection.quotas.filter(feature=WARD).count() == 3


def test_a_panel_larger_than_the_pool_is_refused_in_words(pool: Any, officer: Any) -> None:
    with pytest.raises(PanelError) as refused:
        services.create_selection(title="Too big", k=61, by=officer)
    assert refused.value.message_dict["k"] == ["The pool has 60 volunteers: a panel of 61 needs more."]


def test_quotas_whose_fewest_add_up_past_k_are_explained(pool: Any, officer: Any) -> None:
    selection = services.create_selection(title="Jury", k=10, by=officer)
    values = {q.pk: (q.min, q.max) for q in selection.quotas.all()}
    values[_quota(selection, SEX, "Female").pk] = (7, 8)
    values[_quota(selection, SEX, "Male").pk] = (6, 8)
    services.set_quotas(selection=selection, values=values, by=officer)
    found = services.check(selection=selection)
    assert not found.feasible
    assert "Sex: the fewest people add up to 13, more than the panel's 10. Lower some of them." in found.problems
    with pytest.raises(PanelError) as refused:
        services.start_run(selection=selection, method="leximin", by=officer)
    assert "The quotas cannot be met" in refused.value.messages[0]


def test_a_fewest_above_the_most_or_not_a_number_is_refused_beside_its_row(pool: Any, officer: Any) -> None:
    selection = services.create_selection(title="Jury", k=10, by=officer)
    female, male = _quota(selection, SEX, "Female"), _quota(selection, SEX, "Male")
    with pytest.raises(PanelError) as refused:
        services.set_quotas(selection=selection, values={female.pk: (6, 3), male.pk: ("three", 4)}, by=officer)
    assert refused.value.message_dict == {
        f"quota-{female.pk}": ["Female: the fewest (6) is more than the most (3)."],
        f"quota-{male.pk}": ["Male: enter the fewest and most as whole numbers, like 3 and 6."],
    }


def _run(selection: Selection, officer: Any, capture: Any, method: str = "leximin") -> Selection:
    services.set_quotas(selection=selection, values={}, by=officer)
    with capture(execute=True):
        services.start_run(selection=selection, method=method, by=officer)
    selection.refresh_from_db()
    return selection


def test_a_selection_is_run_published_and_drawn_in_public(
    pool: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    selection = _run(
        services.create_selection(title="Assembly", k=10, by=officer), officer, django_capture_on_commit_callbacks
    )
    assert selection.status == S.READY, selection.run_error
    chances = list(selection.members.values_list("probability", flat=True))
    assert len(chances) == 60 and sum(chances) == pytest.approx(10)
    assert selection.min_probability == pytest.approx(min(p for p in chances if p > 0))
    assert selection.pool["features"][0] == WARD and len(selection.pool["people"]) == 60

    selection = services.publish_lottery(selection=selection, by=officer)
    assert selection.status == S.PUBLISHED and selection.m == 1000 and len(selection.lottery_digest) == 64
    # Anyone re-running the engine on the published inputs gets the same lottery as the kept distribution gave.
    sortition = services.engine()
    again = sortition.select(services.instance_of(selection.pool, selection.quotas.all(), selection.k))
    assert sortition.lottery_digest(sortition.lottery(again, m=1000, seed=0)) == selection.lottery_digest

    with pytest.raises(PanelError) as refused:
        services.record_draw(selection=selection, random_number="12a", by=officer)
    assert refused.value.message_dict["random_number"] == ["Enter the random number as digits only, like 4821."]
    with django_capture_on_commit_callbacks(execute=True):
        selection = services.record_draw(selection=selection, random_number="1 234 567", by=officer)
    assert selection.drawn_index == 1234567 % 1000 and selection.random_number == "1234567"
    chosen = set(selection.lottery[selection.drawn_index])
    assert set(selection.members.filter(selected=True).values_list("number", flat=True)) == chosen
    assert Volunteer.objects.filter(status=Volunteer.Status.SELECTED).count() == 10
    assert len([m for m in mail.outbox if "You have been selected" in m.subject]) == 10

    rows = list(queries.lottery_rows(selection))
    assert len(rows) == 1000 and rows[selection.drawn_index][1] == " ".join(map(str, sorted(chosen)))
    header, people = queries.people_rows(selection)
    assert header[:3] == ["id", "household", WARD] and len(list(people)) == 60
    assert len(list(queries.category_rows(selection))) == selection.quotas.count()


def test_changing_the_quotas_after_a_run_discards_it(
    pool: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    selection = _run(
        services.create_selection(title="Assembly", k=10, by=officer), officer, django_capture_on_commit_callbacks
    )
    services.set_quotas(selection=selection, values={}, by=officer)
    selection.refresh_from_db()
    assert (
        selection.status == S.QUOTAS_SET
        and selection.panels == {}
        and selection.panel_count == 0
        and selection.min_probability is None
    )


def test_a_run_that_fails_goes_back_to_its_quotas_with_the_reason(
    pool: Any, officer: Any, django_capture_on_commit_callbacks: Any, monkeypatch: Any
) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the solver stopped")

    monkeypatch.setattr(services.engine(), "select", broken)
    selection = _run(
        services.create_selection(title="Assembly", k=10, by=officer), officer, django_capture_on_commit_callbacks
    )
    assert selection.status == S.QUOTAS_SET
    assert selection.run_error == "The selection could not be run: the solver stopped"


def test_drop_outs_are_replaced_by_a_selection_of_their_own(
    pool: Any, officer: Any, django_capture_on_commit_callbacks: Any
) -> None:
    selection = _run(
        services.create_selection(title="Assembly", k=10, by=officer), officer, django_capture_on_commit_callbacks
    )
    services.publish_lottery(selection=selection, by=officer)
    selection = services.record_draw(selection=selection, random_number="7", by=officer)
    drawn = sorted(selection.members.filter(selected=True).values_list("number", flat=True))
    with pytest.raises(PanelError):
        services.replace(selection=selection, dropped=[n for n in range(1, 61) if n not in drawn][:1], by=officer)
    replacement = services.replace(selection=selection, dropped=drawn[:2], by=officer)
    assert replacement.replaces == selection and replacement.k == 2 and replacement.status == S.QUOTAS_SET
    numbers = {row[0] for row in replacement.pool["people"]}
    assert numbers and not numbers & set(drawn)
    assert selection.members.filter(dropped_out=True).count() == 2
    with django_capture_on_commit_callbacks(execute=True):
        services.start_run(selection=replacement, method="leximin", by=officer)
    replacement.refresh_from_db()
    assert replacement.status == S.READY, replacement.run_error
    services.publish_lottery(selection=replacement, by=officer)
    replacement = services.record_draw(selection=replacement, random_number="42", by=officer)
    assert replacement.members.filter(selected=True).count() == 2


def test_without_a_profile_quotas_come_from_the_pool_itself(pool: Any, officer: Any) -> None:
    from commonweal.places.models import ProfileCount

    ProfileCount.objects.all().delete()
    selection = services.create_selection(title="Jury", k=10, by=officer)
    female = Volunteer.objects.filter(sex="Female").count()
    assert _quota(selection, SEX, "Female").target == pytest.approx(round(female / 60 * 10, 2))


def test_a_drawn_volunteer_who_leaves_is_named_as_left_and_ticked_on_the_replacements_page(
    pool: Any, officer: Any, django_capture_on_commit_callbacks: Any, client: Any, mfa_exempt: None
) -> None:
    from django.urls import reverse

    from commonweal.accounts.models import User
    from commonweal.panels.pool.services import erase_expired_volunteers, withdraw
    from commonweal.panels.privacy import erase

    selection = _run(
        services.create_selection(title="Assembly", k=10, by=officer), officer, django_capture_on_commit_callbacks
    )
    services.publish_lottery(selection=selection, by=officer)
    selection = services.record_draw(selection=selection, random_number="7", by=officer)
    drawn = selection.members.filter(selected=True).select_related("volunteer").order_by("number")
    leaver, expired, asker, stayer = drawn[:4]
    withdraw(volunteer=leaver.volunteer)
    # One whose retention period has run out, and one who had their account and details erased.
    Volunteer.objects.filter(pk=expired.volunteer.pk).update(erase_after=date(2000, 1, 1))
    assert erase_expired_volunteers() == 1
    account = asker.volunteer.user or User.objects.create_user(asker.volunteer.email, None, full_name="Asker")
    erase(account, frozenset({asker.volunteer.email}))
    client.force_login(officer)
    page = client.get(reverse("panels:replace", args=[selection.slug])).content.decode()
    assert f"Volunteer number {leaver.number}: details erased (left the panel)" in page
    assert (
        f"Volunteer number {expired.number}: details erased "
        "(the council&#x27;s retention period for volunteers&#x27; details ended)"
    ) in page
    assert f"Volunteer number {asker.number}: details erased (asked for their details to be erased)" in page
    ticked = re.findall(r'<input[^>]*value="(\d+)"[^>]*checked', page)
    assert ticked == sorted([str(leaver.number), str(expired.number), str(asker.number)], key=int)
    assert f"{stayer.volunteer.name} (volunteer number {stayer.number})" in page
    # The panel's own page says the same of each.
    manage = client.get(reverse("panels:manage_selection", args=[selection.slug])).content.decode()
    assert "(details erased: left the panel)" in manage
    assert "(details erased: asked for their details to be erased)" in manage
