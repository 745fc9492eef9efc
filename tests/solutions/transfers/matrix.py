"""Permission-matrix rows for community asset transfer (see tests/test_permission_matrix.py).

The matrix's group member belongs to the transfers' group; its champion holds the role but is not the one named
on these transfers (so sees them, as every champion does, but cannot move them on); its officer's department
signs none of them. Crafted POSTs are empty: people who may use a form get it back with its errors (200).
"""

from __future__ import annotations

from typing import Any

from commonweal.accounts.models import Organisation, User
from commonweal.accounts.services import confirm_email, grant_membership
from commonweal.solutions.models import AssetTransfer
from tests.conftest import ROLES
from tests.matrix import SIGNED_IN, Row, only
from tests.solutions.transfers.factories import People, at_stage

T = AssetTransfer.Status
NOT_ALLOWED = dict.fromkeys(ROLES, 405)
COUNCIL_LIST = only("officer", "champion", "steward")
# Those who may see a transfer: its group, every champion, the stewards.
SEERS = only("group_member", "champion", "steward")
STEWARDS = only("steward")
GROUP_AND_STEWARDS = only("group_member", "steward")
# A sign-off is given by an officer of its own department only: nobody in the matrix.
NOBODY = only()


def _person(email: str, role: str, organisation: Organisation | None = None) -> User:
    user = User.objects.create_user(email, "a long matrix password", full_name=email.split("@")[0])
    confirm_email(user)
    grant_membership(user=user, role=role, organisation=organisation)
    return user


def _make_user(role: str, *, organisation: Organisation | None = None) -> User:
    from commonweal.accounts.services import create_organisation

    count = User.objects.count()
    if role == "officer" and organisation is None:
        organisation = create_organisation(name=f"Transfers matrix {count}", kind=Organisation.Kind.COUNCIL_DEPARTMENT)
    return _person(f"transfers-{role}-{count}@example.org", role, organisation)


def add_targets(targets: dict[str, Any]) -> None:
    """A transfer of targets['group'] at each stage a page acts on: transfers_<stage>."""
    people = People(_make_user, group=targets["group"])
    from tests.solutions.transfers.factories import council_space

    for stage in (T.INTEREST, T.BUSINESS_CASE, T.SIGN_OFFS, T.DECISION, T.LEASE):
        targets[f"transfers_{stage}"] = at_stage(people, stage, asset=council_space(f"Matrix hall {stage}"))
    targets["transfers_document"] = targets[f"transfers_{T.BUSINESS_CASE}"].documents.get()


def _at(stage: str) -> Any:
    return lambda t: [t[f"transfers_{stage}"].uuid]


ROWS: list[Row] = [
    # The council's list: officers (their own and those they sign off), champions and stewards.
    ("solutions:transfers", lambda t: [], "GET", COUNCIL_LIST),
    ("solutions:transfers", lambda t: [], "POST", NOT_ALLOWED),
    # A person's own groups' transfers: anyone signed in (empty for those in no group).
    ("solutions:transfers_mine", lambda t: [], "GET", SIGNED_IN),
    ("solutions:transfers_mine", lambda t: [], "POST", NOT_ALLOWED),
    # Expressing an interest: group members, for their own group.
    ("solutions:transfer_interest", lambda t: [], "GET", only("group_member")),
    ("solutions:transfer_interest", lambda t: [], "POST", only("group_member")),
    ("solutions:transfer", _at(T.INTEREST), "GET", SEERS),
    ("solutions:transfer", _at(T.INTEREST), "POST", NOT_ALLOWED),
    # The champion's steps: the named champion (not the matrix's) and the stewards.
    ("solutions:transfer_support", _at(T.INTEREST), "GET", STEWARDS),
    ("solutions:transfer_support", _at(T.INTEREST), "POST", STEWARDS),
    ("solutions:transfer_business_case", _at(T.INTEREST), "GET", STEWARDS),
    # The note is optional: a steward's empty POST takes the step.
    ("solutions:transfer_business_case", _at(T.INTEREST), "POST", {**STEWARDS, "steward": 302}),
    ("solutions:transfer_sign_offs", _at(T.BUSINESS_CASE), "GET", STEWARDS),
    ("solutions:transfer_sign_offs", _at(T.BUSINESS_CASE), "POST", STEWARDS),
    ("solutions:transfer_sign_off", lambda t: [t[f"transfers_{T.SIGN_OFFS}"].uuid, "estates"], "GET", NOBODY),
    ("solutions:transfer_sign_off", lambda t: [t[f"transfers_{T.SIGN_OFFS}"].uuid, "estates"], "POST", NOBODY),
    ("solutions:transfer_decision", _at(T.DECISION), "GET", STEWARDS),
    ("solutions:transfer_decision", _at(T.DECISION), "POST", STEWARDS),
    ("solutions:transfer_lease", _at(T.LEASE), "GET", STEWARDS),
    ("solutions:transfer_lease", _at(T.LEASE), "POST", STEWARDS),
    ("solutions:transfer_champion", _at(T.INTEREST), "GET", STEWARDS),
    ("solutions:transfer_champion", _at(T.INTEREST), "POST", STEWARDS),
    # The group withdraws, or the council does.
    ("solutions:transfer_withdraw", _at(T.INTEREST), "GET", GROUP_AND_STEWARDS),
    ("solutions:transfer_withdraw", _at(T.INTEREST), "POST", GROUP_AND_STEWARDS),
    # Documents: attached by the group, its support body, the champion and the stewards; read by all who see it.
    ("solutions:transfer_documents", _at(T.BUSINESS_CASE), "GET", GROUP_AND_STEWARDS),
    ("solutions:transfer_documents", _at(T.BUSINESS_CASE), "POST", GROUP_AND_STEWARDS),
    (
        "solutions:transfer_document",
        lambda t: [t[f"transfers_{T.BUSINESS_CASE}"].uuid, t["transfers_document"].pk],
        "GET",
        SEERS,
    ),
    (
        "solutions:transfer_document",
        lambda t: [t[f"transfers_{T.BUSINESS_CASE}"].uuid, t["transfers_document"].pk],
        "POST",
        NOT_ALLOWED,
    ),
]
