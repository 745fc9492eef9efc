"""Emails to the group behind an application, each saying what happened, its reference and what happens next.

Each is sent to the group's members once the write that caused it commits (core.notify.email_on_commit), so a
write that fails sends nothing. The words are in templates/funding/emails/.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from commonweal.accounts.queries import addresses_of_members
from commonweal.core import notify

from .models import Application, Decision, Grant, MonitoringReport


def _tell_group(application: Application, *, subject: str, template: str, context: dict[str, Any]) -> None:
    notify.email_on_commit(
        to=addresses_of_members(application.organisation),
        subject=subject,
        template=template,
        context={"application": application, "round": application.round, **context},
    )


def application_submitted(application: Application, *, closes: str) -> None:
    _tell_group(
        application,
        subject=f"Application submitted: {application.reference}",
        template="funding/emails/application_submitted.txt",
        context={
            "closes": closes,
            "link": notify.site_url(reverse("funding:application", args=[application.uuid])),
        },
    )


def decision_recorded(decision: Decision) -> None:
    application = decision.application
    funded = decision.outcome == Decision.Outcome.APPROVED
    _tell_group(
        application,
        subject=f"{'Your application is funded' if funded else 'Your application is not funded'}: "
        f"{application.reference}",
        template="funding/emails/decision_recorded.txt",
        context={
            "decision": decision,
            "funded": funded,
            "link": notify.site_url(reverse("funding:application", args=[application.uuid])),
        },
    )


def grant_offered(grant: Grant) -> None:
    _tell_group(
        grant.application,
        subject=f"Your grant offer: {grant.reference}",
        template="funding/emails/grant_offered.txt",
        context={"grant": grant, "link": notify.site_url(reverse("funding:grant", args=[grant.reference]))},
    )


def report_received(report: MonitoringReport) -> None:
    grant = report.grant
    _tell_group(
        grant.application,
        subject=f"Monitoring report received: {grant.reference}",
        template="funding/emails/report_received.txt",
        context={
            "grant": grant,
            "report": report,
            "link": notify.site_url(reverse("funding:report", args=[grant.reference, report.pk])),
        },
    )
