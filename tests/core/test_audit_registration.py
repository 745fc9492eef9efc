"""Every model of ours keeps an audit trail (django-auditlog) unless core.audit.NOT_AUDITED lists it with the
reason it need not: a new model fails this test until it is registered in its app's ready() or exempted on purpose."""

from __future__ import annotations

from auditlog.registry import auditlog
from django.apps import apps

from commonweal.core.audit import NOT_AUDITED

EXEMPT = NOT_AUDITED
# Other packages' apps whose models hold changes a person makes to their own security, so each must be audited
# too (allauth's MFA: an authenticator app or recovery codes added or removed).
AUDITED_PACKAGES = ("allauth.mfa.",)


def our_models() -> list[str]:
    return [
        model._meta.label
        for model in apps.get_models()
        if model.__module__.startswith(("commonweal.", *AUDITED_PACKAGES)) and not model._meta.auto_created
    ]


def test_every_model_is_audited_or_exempt_with_a_reason() -> None:
    labels = our_models()
    unaudited = [label for label in labels if not auditlog.contains(apps.get_model(label)) and label not in EXEMPT]
    assert not unaudited, (
        f"Register these with auditlog in their app's ready(), or exempt them with a reason: {unaudited}"
    )


def test_every_exemption_names_a_model_that_exists_is_unaudited_and_says_why() -> None:
    labels = set(our_models())
    for label, reason in EXEMPT.items():
        assert label in labels, f"{label} is exempt but no longer exists"
        assert not auditlog.contains(apps.get_model(label)), f"{label} is audited now: take it off the exempt list"
        assert reason.strip(), label


def test_the_funding_records_that_decide_money_are_audited() -> None:
    # Issue 10: scores, criteria, questions, pots, files, match funding, pledges fulfilled and report results
    # change what a group is paid or why, so each change is kept.
    for name in ("Score", "Criterion", "Question", "Pot", "Attachment", "MatchFunding", "Fulfilment", "ReportResult"):
        assert auditlog.contains(apps.get_model("funding", name)), name


def test_mfa_authenticators_are_audited_without_their_secrets() -> None:
    from allauth.mfa.models import Authenticator

    assert "mfa.Authenticator" in our_models()
    assert auditlog.contains(Authenticator)
    assert "data" in auditlog.get_model_fields(Authenticator)["exclude_fields"]
