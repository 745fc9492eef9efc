"""The demo borough's 'we asked, you said, we did': the closed consultation `green-spaces-strategy` (made by the
consultations area's demo, its responses by responding's) is decided through the same services an officer uses,
with an assessment after the responses that differs from the launch one in a couple of rows. Its hear-back
emails go through the background task: `make demo` serves with a worker, which sends them (to the console).
"""

from __future__ import annotations

from django.utils import timezone

from commonweal.accounts.models import User
from commonweal.accounts.roles import Role
from commonweal.core.demo import DEMO_EMAIL_DOMAIN
from commonweal.places.models import CouncilArea

from ..models import Characteristic, Consultation, ImpactAssessment
from . import queries, services

SLUG = "green-spaces-strategy"

YOU_SAID_MORE = (
    "Most people who answered wanted the parks' opening hours kept as they are, and many asked for more "
    "benches and better lighting on the paths. Parents and carers told us about the paddling pools and "
    "toilets; disabled residents and older people told us the paths in two parks are hard to use."
)
DECISION = (
    "Cabinet agreed the green spaces strategy on the recommendation of the Environment and Regeneration team. "
    "Opening hours stay as they are; every park gets a maintenance plan written with its friends group."
)
HOW_CHANGED = (
    "Because of what people said we dropped the proposal to close two paddling pools, brought forward new "
    "benches and lighting on the main paths, and added step-free path repairs in the two parks residents "
    "named. The plan for community growing spaces went ahead as proposed: most responses supported it."
)
PAPER_URL = "https://democracy.example.gov.uk/documents/green-spaces-strategy-cabinet-report.pdf"
# Where the responses changed the assessment: (impact, evidence, mitigations).
CHANGED = {
    Characteristic.DISABILITY: (
        ImpactAssessment.Impact.NEGATIVE,
        "Disabled residents told us uneven paths in two parks stop them using them.",
        "Step-free path repairs in both parks this year, checked with the borough's disability forum.",
    ),
    Characteristic.AGE: (
        ImpactAssessment.Impact.POSITIVE,
        "Older people and parents of young children asked for benches, toilets and the paddling pools to stay.",
        "",
    ),
}


def _officer(consultation: Consultation) -> User | None:
    """Someone who may close it: a steward of the demo, else any steward or an officer of its department."""
    return (
        User.objects.filter(email=f"steward@{DEMO_EMAIL_DOMAIN}", memberships__role=Role.STEWARD).first()
        or User.objects.filter(memberships__role=Role.STEWARD).order_by("pk").first()
        or User.objects.filter(
            memberships__role=Role.OFFICER, memberships__organisation=consultation.department
        ).first()
    )


def _assessment_after(consultation: Consultation) -> dict[str, services.ImpactDraft]:
    """The launch assessment carried over, but for the rows the responses changed; complete, whatever the launch
    one left out, so publishing it never stops `make demo`."""
    launch = queries.impacts(consultation)["launch"]
    impacts = {}
    for value in Characteristic.values:
        if value in CHANGED:
            impacts[value] = services.ImpactDraft(*CHANGED[Characteristic(value)])
            continue
        row = launch.get(value)
        impact = row.impact if row and row.impact in ImpactAssessment.Impact.values else ImpactAssessment.Impact.NEUTRAL
        evidence = (row.evidence if row else "") or "No response raised a particular effect on this group."
        mitigations = (row.mitigations if row else "") or (
            "The service will watch for this effect and report it to the stewards."
            if impact == ImpactAssessment.Impact.NEGATIVE
            else ""
        )
        impacts[value] = services.ImpactDraft(impact, evidence, mitigations)
    return impacts


def load(council: CouncilArea) -> dict[str, int]:
    """Decide the demo's closed consultation with its 'we did' (once); returns how many 'we did' pages there are."""
    consultation = Consultation.objects.filter(slug=SLUG).first()
    today = timezone.localdate()
    if consultation is not None and consultation.status == Consultation.Status.PUBLISHED:
        if consultation.phase(today) == Consultation.Phase.CLOSED and (by := _officer(consultation)):
            impacts = _assessment_after(consultation)
            you_said = f"{queries.draft_you_said(consultation)}\n\n{YOU_SAID_MORE}"
            services.save_we_did(
                consultation=consultation,
                by=by,
                you_said=you_said,
                decision=DECISION,
                how_changed=HOW_CHANGED,
                decision_paper_url=PAPER_URL,
                impacts=impacts,
                today=today,
            )
            services.publish_we_did(consultation=consultation, by=by, today=today)
    return {"'we did' pages": Consultation.objects.filter(status=Consultation.Status.DECIDED).count()}
