"""Permission-matrix rows for funding's apply routes (see tests/test_permission_matrix.py).

Crafted POSTs are empty. The group's member gets each form back or is sent on (302); everyone else is refused.
Officers read applications and their files but never change a group's application; administrators are treated
like residents in funding.
"""

from __future__ import annotations

from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from tests.matrix import ALL, LOGIN, SIGNED_IN, Row, only

MEMBER = only("group_member")
READERS = only("group_member", "officer")
OFFICERS = only("officer")
MEMBER_SENT_ON = {**MEMBER, "group_member": 302}
# A route for one method answers the other with 405 once the person is let in at all.
SIGNED_IN_405 = {role: (LOGIN if want == LOGIN else 405) for role, want in SIGNED_IN.items()}
OFFICERS_405 = {**OFFICERS, "officer": 405}

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _app(t: dict[str, Any], name: str = "apply_application") -> list[Any]:
    return [t[name].uuid]


ROWS: list[Row] = [
    # Anyone may check eligibility; an empty check is shown again with what to answer.
    ("funding:eligibility", lambda t: [t["setup_round"].slug], "GET", ALL),
    ("funding:eligibility", lambda t: [t["setup_round"].slug], "POST", ALL),
    # Only a group's member starts an application; without answers they are sent back to the checker.
    ("funding:application_start", lambda t: [t["setup_round"].slug], "GET", SIGNED_IN_405),
    ("funding:application_start", lambda t: [t["setup_round"].slug], "POST", MEMBER_SENT_ON),
    ("funding:my_applications", lambda t: [], "GET", SIGNED_IN),
    ("funding:my_applications", lambda t: [], "POST", SIGNED_IN_405),
    # The group and officers read an application and download its files.
    ("funding:application", _app, "GET", READERS),
    ("funding:application", _app, "POST", SIGNED_IN_405),
    (
        "funding:attachment",
        lambda t: [*_app(t), t["apply_attachment"].pk],
        "GET",
        READERS,
    ),
    # Only the group changes its draft: an empty save changes nothing and goes to the status page.
    ("funding:application_edit", lambda t: _app(t, "apply_draft"), "GET", MEMBER),
    ("funding:application_edit", lambda t: _app(t, "apply_draft"), "POST", MEMBER_SENT_ON),
    ("funding:application_autosave", lambda t: _app(t, "apply_draft"), "GET", SIGNED_IN_405),
    ("funding:application_autosave", lambda t: _app(t, "apply_draft"), "POST", MEMBER),
    # 'Check your answers' is the group's: an unfinished draft is sent back to the form to finish it.
    ("funding:application_check", lambda t: _app(t, "apply_draft"), "GET", MEMBER_SENT_ON),
    ("funding:application_check", lambda t: _app(t, "apply_draft"), "POST", SIGNED_IN_405),
    # The confirmation of a submitted application is the group's too.
    ("funding:application_submitted", _app, "GET", MEMBER),
    ("funding:application_submitted", _app, "POST", SIGNED_IN_405),
    # Submitting the submitted application again says so and shows its status page.
    ("funding:application_submit", _app, "GET", SIGNED_IN_405),
    ("funding:application_submit", _app, "POST", MEMBER_SENT_ON),
    ("funding:application_withdraw", lambda t: _app(t, "apply_withdrawable"), "GET", MEMBER),
    ("funding:application_withdraw", lambda t: _app(t, "apply_withdrawable"), "POST", MEMBER_SENT_ON),
    # Officers list a round's applications.
    (
        "funding:round_applications",
        lambda t: [t["setup_round"].slug],
        "GET",
        OFFICERS,
    ),
    (
        "funding:round_applications",
        lambda t: [t["setup_round"].slug],
        "POST",
        OFFICERS_405,
    ),
]


def add_targets(targets: dict[str, Any]) -> None:
    """targets['apply_application']: a SUBMITTED application of targets['group'] to targets['setup_round'], with
    a PDF in targets['apply_attachment'] (under MEDIA_ROOT, which the matrix points at a temporary folder);
    targets['apply_draft'] and targets['apply_withdrawable']: the group's drafts in a round of the same fund that
    takes more than one application per group."""
    from commonweal.accounts.models import User
    from commonweal.funding.models import Application, ApplicationEvent, Attachment, Question, Round
    from tests.funding.factories import ApplicationFactory, RoundFactory

    group = targets["group"]
    applicant = User.objects.create_user("apply.matrix.applicant@example.org", None, full_name="Apply applicant")
    setup_round = targets["setup_round"]
    pot = setup_round.fund.pots.first()
    submitted = ApplicationFactory(
        reference="MATRIX-APPLY-0001",
        round=setup_round,
        organisation=group,
        created_by=applicant,
        pot=pot,
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now(),
    )
    submitted.themes.add(targets["theme"])
    submitted.wards.add(targets["ward"])
    for transition, before, after in (("start", "", "draft"), ("submit", "draft", "submitted")):
        ApplicationEvent.objects.create(
            application=submitted, transition=transition, from_status=before, to_status=after, by=applicant
        )
    question = setup_round.questions.filter(kind=Question.Kind.ATTACHMENT).first()
    if question is None:
        question = Question.objects.create(
            round=setup_round, label="Your accounts", kind=Question.Kind.ATTACHMENT, required=False, file_types=["pdf"]
        )
    attachment = Attachment(
        application=submitted,
        question=question,
        original_name="accounts.pdf",
        content_type="application/pdf",
        size=len(PDF),
        uploaded_by=applicant,
    )
    attachment.file.save("accounts.pdf", ContentFile(PDF), save=False)
    attachment.save()
    several = RoundFactory(
        fund=setup_round.fund, name="Apply matrix round", slug="apply-matrix-round", one_per_organisation=False
    )
    targets["apply_application"] = submitted
    targets["apply_attachment"] = attachment
    targets["apply_round"] = several
    targets["apply_draft"] = ApplicationFactory(
        reference="MATRIX-APPLY-0002", round=several, organisation=group, created_by=applicant, pot=pot
    )
    targets["apply_withdrawable"] = ApplicationFactory(
        reference="MATRIX-APPLY-0003", round=several, organisation=group, created_by=applicant, pot=pot
    )
    assert isinstance(several, Round)
