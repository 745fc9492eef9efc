"""Issue 10: adding or removing an authenticator app or recovery codes is in the audit log, naming who, and the
secrets themselves (the TOTP key, the recovery codes' seed) never are."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType

from commonweal.core.audit import acting

pytestmark = pytest.mark.django_db


def entries() -> list[LogEntry]:
    return list(LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Authenticator)).order_by("pk"))


def test_an_authenticator_added_and_removed_is_logged_without_its_secret(make_user: Any) -> None:
    officer = make_user("officer")
    secret = generate_totp_secret()
    with acting(officer):
        totp = TOTP.activate(officer, secret).instance
        codes = RecoveryCodes.activate(officer).instance
        seed = codes.data["seed"]
        totp.delete()
    added_app, added_codes, removed = entries()
    assert (added_app.action, added_codes.action, removed.action) == (
        LogEntry.Action.CREATE,
        LogEntry.Action.CREATE,
        LogEntry.Action.DELETE,
    )
    assert {added_app.actor, added_codes.actor, removed.actor} == {officer}
    assert added_app.changes_dict["type"][1] == Authenticator.Type.TOTP
    for entry in (added_app, added_codes, removed):
        written = json.dumps([entry.changes, entry.serialized_data, entry.additional_data])
        assert "data" not in entry.changes_dict
        assert secret not in written and seed not in written


def test_signing_in_with_an_authenticator_writes_nothing_to_the_log(make_user: Any) -> None:
    officer = make_user("officer")
    totp = TOTP.activate(officer, generate_totp_secret()).instance
    before = len(entries())
    totp.record_usage()
    assert len(entries()) == before
