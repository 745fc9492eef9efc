"""The panel's pages as a browser without JavaScript sees them: joining, the officers' steps, bad input answered
in words (never a 500), and the public page of a draw with its files."""

from __future__ import annotations

import html
import io
import json
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.panels.models import Selection, Volunteer
from commonweal.places.categories import SEX
from tests.panels import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client: Client, make_user: Any, mfa_exempt: None) -> Client:
    client.force_login(make_user("officer"))
    return client


def _join_form(postcode: str, **changes: str) -> dict[str, str]:
    values = {
        "name": "Sam Jones",
        "email": "sam@example.com",
        "address_line": "4 Elm Close",
        "postcode": postcode,
        "birth_year": str(timezone.localdate().year - 30),
        "sex": "Male",
        "ethnicity": "Caribbean",
        "tenure": "Private rented or lives rent free",
        "disability": "Prefer not to say",
        "consent": "on",
    }
    values.update(changes)
    return values


def test_a_resident_joins_and_a_second_person_at_their_address_is_told_why_not(client: Client, merton: Any) -> None:
    code = factories.postcodes(factories.wards(1))[0]
    page = client.get(reverse("panels:join"))
    assert b"cannot be chosen for a panel until you have answered them all" in page.content
    joined = client.post(reverse("panels:join"), _join_form(code.postcode))
    assert joined.status_code == 302 and joined["Location"] == reverse("panels:joined")
    volunteer = Volunteer.objects.get()
    assert "Sam Jones" not in volunteer.consent_wording and "24 months" in volunteer.consent_wording
    again = client.post(reverse("panels:join"), _join_form(code.postcode, name="Alex Jones", email="alex@example.com"))
    assert again.status_code == 200
    assert "Someone at this address has already volunteered" in again.content.decode()
    status = client.get(reverse("panels:status_link", args=[volunteer.status_token]))
    assert "No panel has been drawn from it since you joined" in status.content.decode()


def test_a_pool_file_with_problems_is_listed_line_by_line_and_nothing_is_added(
    officer_client: Client, merton: Any
) -> None:
    code = factories.postcodes(factories.wards(1))[0]
    text = (
        "name,email,address_line,postcode,age,sex,ethnicity,tenure,disability\n"
        f"A,a@example.com,1 Road,{code.postcode},40,Male,Irish,Social rented,Prefer not to say\n"
        f"B,b@example.com,1 Road,{code.postcode},41,Female,Irish,Social rented,Prefer not to say\n"
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    page = officer_client.post(
        reverse("panels:pool_import"), {"file": SimpleUploadedFile("pool.csv", text.encode(), "text/csv")}
    )
    assert page.status_code == 200
    assert "Line 3: 1 Road, " in page.content.decode() and "same household as line 2" in page.content.decode()
    assert not Volunteer.objects.exists()
    broken = officer_client.post(
        reverse("panels:pool_import"), {"file": SimpleUploadedFile("pool.csv", b"\xff\xfe\x00bad", "text/csv")}
    )
    assert broken.status_code == 200 and b"CSV UTF-8" in broken.content


def test_an_officer_is_told_which_quotas_conflict_and_can_take_the_fix(officer_client: Client, merton: Any) -> None:
    factories.pool(size=40, n_wards=2)
    made = officer_client.post(reverse("panels:selection_new"), {"title": "Town jury", "k": "8"})
    selection = Selection.objects.get()
    assert made["Location"] == reverse("panels:quotas", args=[selection.slug])
    posted = {f"min-{q.pk}": str(q.min) for q in selection.quotas.all()} | {
        f"max-{q.pk}": str(q.max) for q in selection.quotas.all()
    }
    female = selection.quotas.get(feature=SEX, value="Female")
    posted[f"min-{female.pk}"] = "8"
    posted[f"max-{female.pk}"] = "8"
    male = selection.quotas.get(feature=SEX, value="Male")
    posted[f"min-{male.pk}"] = "3"
    saved = officer_client.post(reverse("panels:quotas", args=[selection.slug]), posted, follow=True)
    text = saved.content.decode()
    assert "These quotas cannot all be met." in text
    assert "Sex: the fewest people add up to 11, more than the panel&#x27;s 8. Lower some of them." in text
    wrong = officer_client.post(reverse("panels:quotas", args=[selection.slug]), {**posted, f"max-{male.pk}": "x"})
    assert wrong.status_code == 200 and "Male: enter the fewest and most as whole numbers" in wrong.content.decode()
    run = officer_client.post(reverse("panels:run", args=[selection.slug]), {"method": "leximin"})
    assert run.status_code == 200 and "The quotas cannot be met" in run.content.decode()


def test_a_panel_bigger_than_the_pool_is_refused_beside_its_size(officer_client: Client, merton: Any) -> None:
    factories.pool(size=5, n_wards=1)
    page = officer_client.post(reverse("panels:selection_new"), {"title": "Big", "k": "50"})
    assert page.status_code == 200 and "The pool has 5 volunteers: a panel of 50 needs more." in page.content.decode()


def test_a_running_selection_shows_it_is_running_and_refreshes_itself(officer_client: Client, merton: Any) -> None:
    selection = Selection.objects.create(
        slug="busy", title="Busy", k=5, status=Selection.Status.RUNNING, progress="Level 2"
    )
    page = officer_client.get(reverse("panels:manage_selection", args=[selection.slug]))
    assert page.status_code == 202 and page["Refresh"] == "15"
    assert "Level 2" in page.content.decode()


def test_the_whole_journey_ends_on_a_public_page_anyone_can_check(
    officer_client: Client, merton: Any, django_capture_on_commit_callbacks: Any, tmp_path: Any
) -> None:
    factories.pool(size=40, n_wards=2)
    officer_client.post(reverse("panels:selection_new"), {"title": "Town jury", "k": "8"})
    selection = Selection.objects.get()
    posted = {f"min-{q.pk}": str(q.min) for q in selection.quotas.all()} | {
        f"max-{q.pk}": str(q.max) for q in selection.quotas.all()
    }
    officer_client.post(reverse("panels:quotas", args=[selection.slug]), posted)
    with django_capture_on_commit_callbacks(execute=True):
        officer_client.post(reverse("panels:run", args=[selection.slug]), {"method": "leximin"})
    results = officer_client.get(reverse("panels:manage_selection", args=[selection.slug])).content.decode()
    assert 'data-testid="min-probability"' in results and "<svg" in results
    hidden = Client().get(reverse("panels:selection", args=[selection.slug]))
    assert hidden.status_code == 404
    officer_client.post(reverse("panels:publish", args=[selection.slug]))
    officer_client.post(reverse("panels:draw", args=[selection.slug]), {"random_number": "31415"})
    selection.refresh_from_db()
    public = Client().get(reverse("panels:selection", args=[selection.slug])).content.decode()
    assert selection.lottery_digest in public and "31415" in public and ">415<" in public
    assert selection.gap < 1e-6 and "gap: none: the lowest chance is the best possible" in public
    lottery = Client().get(reverse("panels:lottery_csv", args=[selection.slug]))
    lines = b"".join(lottery.streaming_content).decode().splitlines()
    assert lines[0] == "panel,volunteers" and len(lines) == 1001
    assert lines[1 + 415].split(",")[1] == " ".join(map(str, selection.lottery[415]))
    people = b"".join(Client().get(reverse("panels:people_csv", args=[selection.slug])).streaming_content).decode()
    assert people.splitlines()[0] == "id,household,ward,age,sex,ethnicity,tenure,disability"
    assert "@" not in people

    # Anyone re-runs it from the two published files with the command the page gives, and gets the same draw.
    categories = Client().get(reverse("panels:categories_csv", args=[selection.slug]))
    (tmp_path / "people.csv").write_text(people)
    (tmp_path / "categories.csv").write_bytes(b"".join(categories.streaming_content))
    assert "--household-columns household --lottery 1000 --random-number 31415" in public
    out = io.StringIO()
    call_command(
        "panels",
        "select",
        *("--people", str(tmp_path / "people.csv"), "--categories", str(tmp_path / "categories.csv")),
        *("--k", "8", "--household-columns", "household", "--lottery", "1000", "--random-number", "31415", "--json"),
        stdout=out,
    )
    again = json.loads(out.getvalue())["lottery"]
    assert again["sha256"] == selection.lottery_digest
    assert again["drawn"]["members"] == sorted(str(n) for n in selection.drawn_panel)


def test_a_volunteer_leaves_through_their_emailed_link_and_is_erased_and_told_so(
    client: Client, merton: Any, mailoutbox: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    import random

    from auditlog.models import LogEntry

    code = factories.postcodes(factories.wards(1))[0]
    volunteer = factories.volunteer(code, 1, random.Random(1), status_token="leaving-token-0123456789")  # noqa: S311
    status = client.get(reverse("panels:status_link", args=[volunteer.status_token]))
    leave_url = reverse("panels:leave_link", args=[volunteer.status_token])
    assert leave_url in status.content.decode()
    asked = client.get(leave_url).content.decode()
    assert "This cannot be undone" in asked and "Leave and erase my details" in asked
    assert Volunteer.objects.filter(pk=volunteer.pk).exists()  # asking changes nothing
    with django_capture_on_commit_callbacks(execute=True):
        left = client.post(leave_url)
    assert left.status_code == 302 and left["Location"] == reverse("panels:left")
    assert not Volunteer.objects.filter(pk=volunteer.pk).exists()
    assert not LogEntry.objects.filter(content_type__model="volunteer", object_pk=str(volunteer.pk)).exists()
    said = html.unescape(client.get(left["Location"]).content.decode())
    assert "You have left the citizens' panel" in said and "Your details have been erased" in said
    assert [m.to for m in mailoutbox] == [["volunteer1@example.com"]]
    assert "your details have been erased" in mailoutbox[0].body
    assert client.get(reverse("panels:status_link", args=["leaving-token-0123456789"])).status_code == 404
    assert client.post(leave_url).status_code == 404  # a second go finds nothing to erase
    again = client.get(reverse("panels:left")).content.decode()
    assert "Your details have been erased" not in again and "use the link in the email" in again


def test_a_signed_in_volunteer_leaves_from_their_status_and_nobody_else_can_leave_for_them(
    client: Client, merton: Any, make_user: Any
) -> None:
    import random

    code = factories.postcodes(factories.wards(1))[0]
    resident = make_user("resident", email="volunteer1@example.com")
    mine = factories.volunteer(code, 1, random.Random(1))  # noqa: S311 - found by the account's email address
    theirs = factories.volunteer(code, 2, random.Random(2))  # noqa: S311
    client.force_login(resident)
    status = client.get(reverse("panels:your_status")).content.decode()
    assert reverse("panels:leave", args=[mine.pk]) in status
    assert client.post(reverse("panels:leave", args=[theirs.pk])).status_code == 404
    assert Volunteer.objects.filter(pk=theirs.pk).exists()
    assert client.post(reverse("panels:leave", args=[mine.pk])).status_code == 302
    assert list(Volunteer.objects.values_list("pk", flat=True)) == [theirs.pk]
    after = html.unescape(client.get(reverse("panels:your_status")).content.decode())
    assert "You have not volunteered for the citizens' panel" in after


def test_a_gap_reads_in_words_when_it_is_within_the_solvers_tolerance_and_as_a_chance_otherwise() -> None:
    from commonweal.panels.templatetags.panels import gap

    assert gap(9.84e-10) == "none: the lowest chance is the best possible"
    assert gap(0.0) == "none: the lowest chance is the best possible"
    assert gap(0.0166) == "1.66%"
    assert gap(None) == "–"
