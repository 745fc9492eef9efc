from typing import Any

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.test import Client

from commonweal.accounts.models import Organisation
from commonweal.accounts.services import create_organisation, grant_membership
from commonweal.core.audit import acting

pytestmark = pytest.mark.django_db


def test_changing_details_goes_to_the_moderated_directory_edit(client: Client, make_user: Any) -> None:
    member = make_user("group_member")
    group = Organisation.objects.get(memberships__user=member)
    client.force_login(member)
    page = client.get(f"/account/organisations/{group.slug}/")
    assert f'href="/directory/manage/organisations/{group.slug}/edit/"'.encode() in page.content
    for method in (client.get, client.post):
        response = method(f"/account/organisations/{group.slug}/edit/")
        assert response.status_code == 302
        assert response["Location"] == f"/directory/manage/organisations/{group.slug}/edit/"
    group.refresh_from_db()
    assert group.name != ""


def test_group_member_cannot_open_another_groups_records_by_crafted_url(client: Client, make_user: Any) -> None:
    member = make_user("group_member")
    other = create_organisation(name="Someone Else's Group", kind=Organisation.Kind.INFORMAL_GROUP)
    client.force_login(member)
    for url in (f"/account/organisations/{other.slug}/", f"/account/organisations/{other.slug}/edit/"):
        response = client.get(url)
        assert response.status_code == 403
        assert b"You are not a member of Someone Else&#x27;s Group." in response.content
    response = client.post(f"/account/organisations/{other.slug}/edit/", {"name": "Hijacked"})
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.name == "Someone Else's Group"


def test_officer_acts_only_for_their_own_department(client: Client, make_user: Any, settings: Any) -> None:
    settings.COMMONWEAL_DEMO_MFA_EXEMPT = True
    officer = make_user("officer")
    own = Organisation.objects.get(memberships__user=officer)
    other = create_organisation(name="Public Health", kind=Organisation.Kind.COUNCIL_DEPARTMENT)
    client.force_login(officer)
    assert client.get(f"/account/organisations/{own.slug}/").status_code == 200
    assert client.get(f"/account/organisations/{other.slug}/").status_code == 403


def test_unknown_organisation_is_not_found(client: Client, make_user: Any) -> None:
    client.force_login(make_user("group_member"))
    assert client.get("/account/organisations/no-such-group/").status_code == 404


def test_a_group_member_must_belong_to_an_organisation(make_user: Any) -> None:
    user = make_user("resident")
    with pytest.raises(ValidationError, match="must belong to an organisation"):
        grant_membership(user=user, role="group_member")


def test_an_officer_belongs_to_a_council_department(make_user: Any) -> None:
    user = make_user("resident")
    charity = create_organisation(name="A Charity", kind=Organisation.Kind.REGISTERED_CHARITY)
    with pytest.raises(ValidationError, match="is not one"):
        grant_membership(user=user, role="officer", organisation=charity)


def test_every_change_is_audited_with_who_made_it(client: Client, make_user: Any, settings: Any) -> None:
    member = make_user("group_member")
    group = Organisation.objects.get(memberships__user=member)
    with acting(member):
        group.description = "New words"
        group.save()
    entry = LogEntry.objects.get_for_object(group).filter(action=LogEntry.Action.UPDATE).latest("timestamp")
    assert entry.actor == member
    assert entry.changes_dict["description"][1] == "New words"

    settings.COMMONWEAL_DEMO_MFA_EXEMPT = True
    admin = make_user("admin")
    client.force_login(admin)
    page = client.get("/account/audit/")
    assert page.status_code == 200
    assert b"New words" in page.content
    assert member.email.encode() in page.content


def test_only_admins_read_the_audit_log(client: Client, make_user: Any, settings: Any) -> None:
    settings.COMMONWEAL_DEMO_MFA_EXEMPT = True
    client.force_login(make_user("steward"))
    response = client.get("/account/audit/")
    assert response.status_code == 403
    assert b"Only platform administrators can see the audit log." in response.content


def test_an_administrator_who_is_not_a_member_does_not_act_for_the_group(
    client: Client, make_user: Any, settings: Any
) -> None:
    """An administrator runs the platform; the group's own pages are for its members."""
    settings.COMMONWEAL_DEMO_MFA_EXEMPT = True
    member = make_user("group_member")
    group = Organisation.objects.get(memberships__user=member)
    admin = make_user("admin")
    client.force_login(admin)
    for url in (f"/account/organisations/{group.slug}/", f"/account/organisations/{group.slug}/edit/"):
        response = client.get(url)
        assert response.status_code == 403
        assert f"You are not a member of {group.name}.".encode() in response.content
    # Made a member, the same administrator acts for it like any member.
    grant_membership(user=admin, role="group_member", organisation=group)
    client.force_login(admin)
    assert client.get(f"/account/organisations/{group.slug}/").status_code == 200
