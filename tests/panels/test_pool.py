"""The pool: residents volunteer (one per household, with consent), officers import lists all or nothing, and
details are erased when the retention period ends."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from commonweal.panels.errors import PanelError
from commonweal.panels.models import Selection, SelectionMember, Volunteer
from commonweal.panels.pool import services
from tests.panels import factories

pytestmark = pytest.mark.django_db


def _join(postcode: str, **fields: Any) -> Volunteer:
    values: dict[str, Any] = {
        "name": "Asha Patel",
        "email": "asha@example.com",
        "address_line": "Flat 2, 10 High Street",
        "postcode": postcode,
        "birth_year": timezone.localdate().year - 40,
        "sex": "Female",
        "ethnicity": "Indian",
        "tenure": "Social rented",
        "disability": "Not disabled under the Equality Act",
        "consent": True,
        "consent_text": "I agree to the council keeping my details.",
    }
    values.update(fields)
    return services.volunteer(**values)


@pytest.fixture
def postcode(merton: Any) -> Any:
    return factories.postcodes(factories.wards(1))[0]


def test_a_resident_joins_the_pool_and_is_emailed_their_status_link(
    postcode: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        joined = _join(postcode.postcode.lower().replace(" ", ""))
    assert joined.ward == postcode.ward
    assert joined.postcode == postcode.postcode
    assert joined.consent_wording.startswith("I agree")
    assert joined.erase_after.year in {timezone.localdate().year + 2}
    assert len(mail.outbox) == 1
    assert f"/panel/status/{joined.status_token}/" in mail.outbox[0].body


def test_a_second_volunteer_at_the_same_address_is_refused_with_the_reason(postcode: Any) -> None:
    _join(postcode.postcode)
    with pytest.raises(PanelError) as refused:
        _join(postcode.postcode, name="Ravi Patel", email="ravi@example.com", address_line="flat 2 10 high street.")
    assert refused.value.message_dict["address_line"] == [services.HOUSEHOLD_TAKEN]
    assert Volunteer.objects.count() == 1


def test_joining_without_consent_under_16_or_outside_the_borough_is_refused_beside_each_field(postcode: Any) -> None:
    with pytest.raises(PanelError) as refused:
        _join("ZZ1 1ZZ", consent=False, birth_year=timezone.localdate().year - 10, sex="", name=" ")
    problems = refused.value.message_dict
    assert set(problems) == {"postcode", "consent", "birth_year", "sex", "name"}
    assert "16 or over" in problems["birth_year"][0]
    assert not Volunteer.objects.exists()


def test_a_volunteer_may_prefer_not_to_say(postcode: Any) -> None:
    joined = _join(postcode.postcode, ethnicity="Prefer not to say", disability="Prefer not to say")
    assert joined.ethnicity == "Prefer not to say"


HEADER = "name,email,address_line,postcode,birth_year,sex,ethnicity,tenure,disability\n"


def _row(n: int, postcode: str, **changes: str) -> str:
    values = {
        "name": f"Person {n}",
        "email": f"p{n}@example.com",
        "address_line": f"{n} Park Lane",
        "postcode": postcode,
        "birth_year": "1970",
        "sex": "male",
        "ethnicity": "White",
        "tenure": "Owned (outright, with a mortgage or shared ownership)",
        "disability": "Not disabled under the Equality Act",
    }
    values.update(changes)
    return ",".join(f'"{v}"' for v in values.values()) + "\n"


def test_an_officer_imports_a_pool_from_csv(postcode: Any, make_user: Any) -> None:
    text = HEADER + "".join(_row(n, postcode.postcode) for n in range(1, 6))
    report = services.import_pool(data=text.encode(), by=make_user("officer"))
    assert report.ok and report.added == 5
    made = Volunteer.objects.get(email="p1@example.com")
    assert made.sex == "Male" and made.source == Volunteer.Source.IMPORTED and made.ward == postcode.ward
    assert LogEntry.objects.get_for_objects(Volunteer.objects.all()).count() == 5


def test_a_pool_file_missing_a_feature_is_refused_naming_the_column(postcode: Any, make_user: Any) -> None:
    text = (
        "name,email,address_line,postcode,birth_year,sex,tenure,disability\n"
        "A,a@example.com,1 Road,SW19 0ZZ,1970,Male,Social rented,Prefer not to say\n"
    )
    with pytest.raises(PanelError) as refused:
        services.import_pool(data=text, by=make_user("officer"))
    assert "'ethnicity'" in refused.value.message_dict["file"][0]


def test_a_bad_row_or_a_second_person_in_a_household_refuses_the_whole_file_line_by_line(
    postcode: Any, make_user: Any
) -> None:
    _join(postcode.postcode, address_line="9 Park Lane")
    text = (
        HEADER
        + _row(1, postcode.postcode)
        + _row(2, postcode.postcode, sex="Fem")
        + _row(3, postcode.postcode, address_line="1 PARK LANE")
        + _row(4, postcode.postcode, ethnicity="")
        + _row(5, "SW1A 1AA")
        + _row(9, postcode.postcode)
    )
    report = services.import_pool(data=text, by=make_user("officer"))
    assert not report.ok and report.added == 0
    assert report.errors[0].startswith("Line 3: 'Fem' is not a sex we know: use Female, Male, Prefer not to say")
    assert report.errors[1].startswith("Line 4: 1 PARK LANE, SW19 0ZZ is the same household as line 2")
    assert "Line 5: the ethnic group is missing" in report.errors[2]
    assert report.errors[3] == "Line 6: SW1A 1AA is not a postcode in the council's area."
    assert "Line 7: someone at 9 Park Lane" in report.errors[4]
    assert Volunteer.objects.count() == 1


def test_volunteers_past_the_retention_period_are_erased_and_selections_keep_only_numbers(merton: Any) -> None:
    rng = random.Random(3)  # noqa: S311 - a repeatable sequence, not a secret
    code = factories.postcodes(factories.wards(1))[0]
    old = factories.volunteer(code, 1, rng, erase_after=timezone.localdate() - timedelta(days=1))
    kept = factories.volunteer(code, 2, rng, erase_after=timezone.localdate() + timedelta(days=1))
    selection = Selection.objects.create(slug="s", title="S", k=1, status=Selection.Status.DRAWN)
    SelectionMember.objects.create(selection=selection, number=1, volunteer=old, probability=0.5, selected=True)
    assert services.erase_expired_volunteers() == 1
    assert list(Volunteer.objects.all()) == [kept]
    member = SelectionMember.objects.get()
    assert member.volunteer is None and member.probability == 0.5 and member.selected
    assert not LogEntry.objects.filter(object_pk=str(old.pk), content_type__model="volunteer").exists()


def test_the_daily_task_erases_as_of_the_day_given(merton: Any) -> None:
    from commonweal.panels.tasks import erase_expired_volunteers

    code = factories.postcodes(factories.wards(1))[0]
    agreed = datetime(2028, 1, 1, 12, tzinfo=UTC)
    factories.volunteer(code, 1, random.Random(1), erase_after=date(2030, 1, 1), consent_at=agreed)  # noqa: S311
    assert erase_expired_volunteers.call("2029-12-31") == 0
    assert erase_expired_volunteers.call("2030-01-02") == 1


def test_the_panel_period_is_set_with_the_councils_other_periods_and_a_shorter_one_applies_to_everyone(
    client: Any, make_user: Any, postcode: Any, mfa_exempt: None
) -> None:
    from commonweal.core.models import RetentionPeriod

    client.force_login(make_user("admin"))
    kind = RetentionPeriod.Kind.PANEL_VOLUNTEERS
    page = client.get(reverse("home:retention")).content.decode()
    assert "Citizens&#x27; panel volunteers&#x27; details" in page
    assert reverse("home:retention_edit", args=[kind]) in page
    joined = _join(postcode.postcode)
    assert "erased 24 months after I volunteer" in client.get(reverse("panels:join")).content.decode()
    agreed = joined.consent_at.date()
    assert joined.erase_after == date(agreed.year + 2, agreed.month, agreed.day)

    response = client.post(reverse("home:retention_edit", args=[kind]), {"months": "6"})
    assert response.status_code == 302
    assert "erased 6 months after I volunteer" in client.get(reverse("panels:join")).content.decode()
    privacy = client.get(reverse("home:privacy")).content.decode()
    assert "Citizens&#x27; panel volunteers&#x27; details" in privacy and "6 months" in privacy
    # Asha agreed to 24 months; the council now keeps details 6: she goes once 6 months have run, not 24.
    assert services.erase_expired_volunteers(today=agreed + timedelta(days=150)) == 0
    assert services.erase_expired_volunteers(today=agreed + timedelta(days=200)) == 1
    assert not Volunteer.objects.exists()


def test_a_longer_period_set_later_is_for_new_volunteers_only(postcode: Any) -> None:
    from commonweal.core.models import RetentionPeriod

    before = _join(postcode.postcode)
    RetentionPeriod.objects.filter(kind=RetentionPeriod.Kind.PANEL_VOLUNTEERS).update(months=36)
    after = _join(postcode.postcode, address_line="11 High Street", email="ben@example.com")
    assert after.erase_after > before.erase_after
    assert services.erase_expired_volunteers(today=before.erase_after) == 0
    assert services.erase_expired_volunteers(today=before.erase_after + timedelta(days=1)) == 1
    assert list(Volunteer.objects.all()) == [after]


def test_erasing_an_account_erases_its_volunteer_record(postcode: Any, make_user: Any) -> None:
    from commonweal.accounts.services import erase_person

    person = make_user("resident", email="asha@example.com")
    _join(postcode.postcode, user=person)
    erase_person(person, by=None)
    assert not Volunteer.objects.exists()
