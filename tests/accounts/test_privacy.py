"""A person's own data: the download holds everything that refers to them, and erasure leaves nothing of them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.contrib.admin.models import CHANGE
from django.contrib.admin.models import LogEntry as AdminEntry
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from commonweal.accounts.models import Membership, User
from commonweal.accounts.queries import personal_data_of, relations_to_user
from commonweal.accounts.services import erase_person, erased_email, grant_membership
from commonweal.directory.models import Claim, ImportRun, Report
from commonweal.engagement.models import AlternativeFormatRequest, Cancellation, Consultation, Event, Response, Signup
from commonweal.funding.models import Application, Attachment, Question
from commonweal.solutions.models import Blockage, Document, Supporter
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db

EMAIL = "zebedee.quartermain@example.org"
NAME = "Zebedee Quartermain"


def _give_every_relation(user: User) -> dict[str, int]:
    """Point one row of every model that refers to a person at `user`: {"app.Model.field": row pk}.

    Rows come from the demo borough where it has one; the few kinds it lacks are made here. A model added
    later with a relation to people and no row to point at fails here, so it cannot slip past the download.
    """
    EmailAddress.objects.create(user=user, email=EMAIL, verified=True, primary=True)
    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={"secret": "TOPSECRETSEED"})
    grant_membership(user=user, role="steward")
    AdminEntry.objects.create(
        user=user,
        content_type=ContentType.objects.get_for_model(User),
        object_id=str(user.pk),
        object_repr=str(user),
        action_flag=CHANGE,
        change_message=f"Changed {NAME}",
    )
    ImportRun.objects.create(kind=ImportRun.Kind.GROUPS_CSV, filename="groups.csv", started_by=user)
    application = Application.objects.order_by("pk").first()
    assert application is not None
    question = Question.objects.filter(round=application.round).first()
    assert question is not None
    Attachment.objects.create(
        application=application,
        question=question,
        file="funding/attachments/x/y",
        original_name="accounts.pdf",
        content_type="application/pdf",
        size=10,
        uploaded_by=user,
    )
    blockage = Blockage.objects.order_by("pk").first()
    assert blockage is not None
    Supporter.objects.create(blockage=blockage, user=user)
    Document.objects.create(
        blockage=blockage,
        file="solutions/documents/x/y",
        original_name="photo.png",
        content_type="image/png",
        size=10,
        uploaded_by=user,
    )
    consultation = Consultation.objects.order_by("pk").first()
    assert consultation is not None
    AlternativeFormatRequest.objects.create(
        consultation=consultation, need="large_print", name=NAME, email=EMAIL, requested_by=user
    )
    event = Event.objects.filter(cancellation__isnull=True).order_by("pk").first()
    assert event is not None
    Cancellation.objects.create(event=event, reason="The hall flooded.", cancelled_at=timezone.now(), cancelled_by=user)
    given: dict[str, int] = {}
    missing = []
    for model, name in relations_to_user():
        key = f"{model._meta.label}.{name}"
        field = model._meta.get_field(name)
        if field.many_to_many:
            row = model._default_manager.order_by("pk").first()
            if row is not None:
                getattr(row, name).add(user)
        else:
            row = model._default_manager.filter(**{name: user}).first() or model._default_manager.order_by("pk").first()
            if row is not None:
                model._default_manager.filter(pk=row.pk).update(**{name: user})
        if row is None:
            missing.append(key)
        else:
            given[key] = row.pk
    assert not missing, f"No row to give the person in: {missing}; make one in this test"
    return given


@pytest.fixture
def person(demo_borough: Any) -> User:
    return User.objects.create_user(EMAIL, PASSWORD, full_name=NAME)


def test_the_download_holds_every_row_of_every_model_that_refers_to_the_person(person: User) -> None:
    given = _give_every_relation(person)
    data = personal_data_of(person)
    assert data["account"]["email"] == EMAIL
    for key, pk in given.items():
        assert key in data["records"], f"{key} is missing from the download"
        assert pk in [row["id"] for row in data["records"][key]], f"{key} row {pk} is missing from the download"
    # Every relation to people that exists anywhere is in the download, third-party apps' too.
    assert {"account.EmailAddress.user", "mfa.Authenticator.user", "auditlog.LogEntry.actor"} <= set(given)
    assert set(given) <= set(data["records"])
    # The audit log's entries about the account (it was created) are in it too.
    assert data["records"]["auditlog.LogEntry.about_this_account"]


def test_the_download_leaves_out_secrets(person: User) -> None:
    _give_every_relation(person)
    text = json.dumps(personal_data_of(person), cls=DjangoJSONEncoder)
    assert "TOPSECRETSEED" not in text
    assert person.password not in text


def test_a_person_downloads_their_own_data_as_a_json_file(person: User) -> None:
    client = Client()
    client.force_login(person)
    response = client.get(reverse("accounts:download_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    assert json.loads(response.content)["account"]["email"] == EMAIL


def _text_columns() -> list[tuple[type[models.Model], str]]:
    kinds = (models.CharField, models.TextField, models.JSONField)
    return [
        (model, field.name)
        for model in apps.get_models()
        if model._meta.managed and not model._meta.proxy
        for field in model._meta.concrete_fields
        if isinstance(field, kinds)
    ]


def _where_found(*needles: str) -> list[str]:
    found = []
    for model, name in _text_columns():
        for needle in needles:
            if model._default_manager.filter(**{f"{name}__icontains": needle}).exists():
                found.append(f"{model._meta.label}.{name} holds {needle!r}")
    return found


def test_erasure_leaves_no_trace_of_the_person_and_keeps_what_refers_to_them(person: User) -> None:
    given = _give_every_relation(person)
    claim = Claim.objects.filter(user=person).get()
    Claim.objects.filter(pk=claim.pk).update(message=f"I am {NAME}, call me on 07700 900123")
    report = Report.objects.filter(reported_by=person).get()
    Report.objects.filter(pk=report.pk).update(reporter_email=EMAIL)
    # Left without signing in, under another case of their address: a response and a place at an event.
    consultation = Consultation.objects.order_by("pk").first()
    Response.objects.create(consultation=consultation, name=NAME, email=EMAIL.upper())
    Signup.objects.create(event=Event.objects.order_by("pk").first(), name=NAME, email=EMAIL, access_needs="A ramp")
    person.full_name = f"{NAME} Junior"  # an audited change, with the old and new names in the log
    person.save()
    person.full_name = NAME
    person.save()
    session_client = Client()
    session_client.force_login(person)
    admin = User.objects.create_user("erasing.admin@example.org", PASSWORD, full_name="Ada Admin")
    before = {
        key: apps.get_model(key.rsplit(".", 1)[0])._default_manager.filter(pk=pk).count() for key, pk in given.items()
    }
    assert _where_found(EMAIL, NAME)  # the search can find them beforehand

    erase_person(person, by=admin)

    assert _where_found(EMAIL, NAME, "07700 900123") == []
    person.refresh_from_db()
    assert person.email == erased_email(person)
    assert person.full_name == ""
    assert not person.is_active
    assert not person.has_usable_password()
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert not Membership.objects.filter(user=person).exists()
    # Their session no longer signs them in.
    assert session_client.get(reverse("accounts:dashboard")).status_code == 302
    # Grants, applications, decisions and the audit log still hold their rows, and they still load.
    # A citizens' panel volunteer record is the person's own personal data: erasing them erases it whole.
    deleted = {
        "account.EmailAddress.user",
        "mfa.Authenticator.user",
        "accounts.Membership.user",
        "panels.Volunteer.user",
    }
    before = {key: count for key, count in before.items() if key not in deleted}
    given = {key: pk for key, pk in given.items() if key not in deleted}
    after = {
        key: apps.get_model(key.rsplit(".", 1)[0])._default_manager.filter(pk=pk).count() for key, pk in given.items()
    }
    assert after == before
    for key, pk in given.items():
        str(apps.get_model(key.rsplit(".", 1)[0])._default_manager.get(pk=pk))
    # The audit log says it was erased, and by whom.
    from auditlog.models import LogEntry

    last = LogEntry.objects.get_for_object(person).order_by("-pk").first()
    assert last is not None and last.actor == admin


def test_erasure_is_all_or_nothing(person: User, monkeypatch: pytest.MonkeyPatch) -> None:
    from commonweal.accounts import services

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "_scrub", broken)
    with pytest.raises(RuntimeError):
        erase_person(person, by=None)
    person.refresh_from_db()
    assert person.email == EMAIL
    assert person.full_name == NAME


def test_a_person_must_confirm_before_their_account_is_erased(make_user: Any) -> None:
    user = make_user("resident", email=EMAIL)
    client = Client()
    client.force_login(user)
    response = client.post(reverse("accounts:erase"), {})
    assert response.status_code == 200
    assert "Tick the box to confirm you want your account and details erased" in response.content.decode()
    user.refresh_from_db()
    assert user.email == EMAIL and user.is_active


def test_a_person_erases_their_own_account_after_entering_their_password_again(make_user: Any) -> None:
    user = make_user("group_member", email=EMAIL)
    client = Client()
    client.force_login(user)
    asked = client.post(reverse("accounts:erase"), {"confirm": "on"})
    # A session left open is not enough: the password is asked for, and nothing is erased yet.
    assert asked.status_code == 302 and asked["Location"].startswith(reverse("account_reauthenticate"))
    user.refresh_from_db()
    assert user.email == EMAIL and user.is_active
    wrong = client.post(asked["Location"], {"password": "not-the-password"})
    assert wrong.status_code == 200 and "password" in wrong.content.decode().lower()
    user.refresh_from_db()
    assert user.email == EMAIL and user.is_active
    # The right password carries out the erasure they asked for, without asking them to tick the box again.
    response = client.post(asked["Location"], {"password": PASSWORD}, follow=True)
    assert "Your account is closed and your details have been erased." in response.content.decode()
    user.refresh_from_db()
    assert user.email == erased_email(user) and not user.is_active
    assert client.get(reverse("accounts:dashboard")).status_code == 302
    assert not Client().login(email=EMAIL, password=PASSWORD)


def test_the_only_administrator_cannot_erase_their_own_account(make_user: Any, mfa_exempt: None) -> None:
    admin = make_user("admin", email=EMAIL)
    User.objects.exclude(pk=admin.pk).filter(memberships__role="admin").update(is_active=False)
    client = Client()
    assert client.login(email=EMAIL, password=PASSWORD)
    asked = client.post(reverse("accounts:erase"), {"confirm": "on"})
    response = client.post(asked["Location"], {"password": PASSWORD}, follow=True)
    assert "the platform&#x27;s only administrator" in response.content.decode()
    admin.refresh_from_db()
    assert admin.email == EMAIL and admin.is_active
    # With a second administrator, the first may go.
    make_user("admin")
    erase_person(admin, by=admin)
    admin.refresh_from_db()
    assert not admin.is_active


def test_an_admin_erases_someone_from_the_admin_after_confirming(make_user: Any, mfa_exempt: None) -> None:
    admin = make_user("admin")
    user = make_user("resident", email=EMAIL)
    client = Client()
    client.force_login(admin)
    changelist = reverse("admin:accounts_user_changelist")
    asked = client.post(changelist, {"action": "erase_people", "_selected_action": [user.pk]})
    assert asked.status_code == 200 and "Yes, erase them" in asked.content.decode()
    user.refresh_from_db()
    assert user.email == EMAIL  # nothing happens until they confirm
    client.post(changelist, {"action": "erase_people", "_selected_action": [user.pk], "confirm": "yes"})
    user.refresh_from_db()
    assert user.email == erased_email(user) and not user.is_active


def test_the_download_leaves_out_other_peoples_details_on_records_the_person_dealt_with(
    demo_borough: Any, person: User
) -> None:
    """An officer who resolved someone's report gets the report, not the reporter's email address."""
    report = Report.objects.exclude(reported_by=person).first()
    assert report is not None
    Report.objects.filter(pk=report.pk).update(resolved_by=person, reporter_email="someone.else@example.org")
    text = json.dumps(personal_data_of(person), cls=DjangoJSONEncoder)
    assert f'"id": {report.pk}' in text
    assert "someone.else@example.org" not in text
