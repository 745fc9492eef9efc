"""The demo borough's fund: a Civic Pride Fund (demo) modelled on Merton's, with a round in every state.

Merton rebuilt its VCS grants as the Civic Pride Fund: about £5m over three years, structured around its
framework's four themes, with small-grant pots for groups with a low income and a prospectus co-designed with
the sector. The demo fund follows that shape: theme budgets, three pots, eligibility questions, and
- a CLOSED round: about thirty applications from demo organisations, assessed by three assessors (with one
  declared conflict and one outlier score for moderation), decided with reasons and feedback, grants offered,
  accepted, paid in tranches and monitored (one report late), with match funding;
- an OPEN round: its prospectus published, a few drafts, one application submitted by the demo group member's
  own food share;
- a DRAFT round open for comment, with two comments, one answered;
and beyond the council: a register of external funding sources, community needs and suppliers' pledges.

Every record is written from a fixed seed, marked `is_demo`, named '(demo)' where a name is shown, and dated
from today so the open round is always open. A record that is already there is left alone, so loading twice
changes nothing. Statuses move only by the workflows' steps (workflows.take() and the services), taken by the
people who would take them, and are then dated back to when the story says they happened. The invented tables
(prospectus, pots, questions, criteria, funders) are in demo_data.py.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from commonweal.accounts.models import Membership, Organisation, User
from commonweal.accounts.roles import Role
from commonweal.accounts.services import confirm_email, create_organisation, grant_membership
from commonweal.core.demo import DEMO_EMAIL_DOMAIN, DEMO_PASSWORD
from commonweal.core.models import WorkflowEvent
from commonweal.framework.models import Element
from commonweal.places.models import CouncilArea, Ward

from .assess.totals import rebuild_totals
from .awards.services import complete_grant, decline_grant, pay_tranche
from .demo_data import (
    ANSWERS,
    APPLICANT_KINDS,
    CRITERIA,
    CVS,
    DESCRIPTORS,
    ELIGIBILITY,
    FOOD_SHARE,
    FUNDING_PEOPLE,
    LITTER_PICKERS,
    MATCH_FUNDERS,
    METHODOLOGY,
    POTS,
    PROJECTS,
    PROSPECTUS,
    QUESTIONS,
    RETIRED_ELIGIBILITY,
    SOURCES,
    SUPPLIERS,
)
from .models import (
    PLEDGE_CONSENT_WORDING,
    Application,
    ApplicationEvent,
    Assignment,
    CommunityNeed,
    Criterion,
    Decision,
    EligibilityQuestion,
    Fulfilment,
    Fund,
    FundingSource,
    Grant,
    HelpKind,
    MatchFunding,
    MonitoringReport,
    Pledge,
    Pot,
    ProspectusComment,
    Question,
    ReportResult,
    Round,
    Score,
    ThemeBudget,
    Tranche,
)
from .money import split_equally
from .sources.services import accept_pledge, deliver_pledge, record_fulfilment, verify_pledge
from .workflows import APPLICATION, GRANT, REPORT, Workflow, take

DEMO_SEED = 20264
FUND_SLUG = "civic-pride-fund-demo"
CLOSED_SLUG = "civic-pride-fund-demo-first-round"
OPEN_SLUG = "civic-pride-fund-demo-second-round"
DRAFT_SLUG = "civic-pride-fund-demo-third-round"
FUND_BUDGET = Decimal("5000000")
THEME_SHARES = (Decimal("0.28"), Decimal("0.26"), Decimal("0.24"), Decimal("0.22"))
CLOSED_APPLICATIONS = 30
FUNDED = 14
OPEN_DRAFTS = 4


class Clock:
    """Dates and times a number of days from the moment the demo loads, at a civilised hour."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self.today = timezone.localdate()

    def at(self, days: float, hour: int = 10) -> datetime:
        moment = self.now + timedelta(days=days)
        return moment.replace(hour=hour, minute=0, second=0, microsecond=0) if abs(days) >= 1 else moment

    def day(self, days: int) -> date:
        return self.today + timedelta(days=days)


def _person(email: str, name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=name, is_demo=True)
    return confirm_email(user)


def _organisation(name: str, kind: str, description: str = "") -> Organisation:
    found = Organisation.objects.filter(name=name).first()
    return found or create_organisation(name=name, kind=kind, description=description, is_demo=True)


@dataclass
class Cast:
    officer: User
    assessor: User
    vcs: User
    group: User
    informal: User
    supplier: User
    food_share: Organisation
    litter_pickers: Organisation
    cvs: Organisation
    suppliers: list[Organisation]


def _cast() -> Cast:
    for name, description in SUPPLIERS:
        _organisation(name, Organisation.Kind.BUSINESS, description)
    departments = {"Public Health", "Community and Housing"}
    for name in departments:
        _organisation(name, Organisation.Kind.COUNCIL_DEPARTMENT)
    for name, kind in ((FOOD_SHARE, Organisation.Kind.REGISTERED_CHARITY), (CVS, Organisation.Kind.REGISTERED_CHARITY)):
        _organisation(name, kind)
    _organisation(LITTER_PICKERS, Organisation.Kind.INFORMAL_GROUP)
    people = {}
    for person in FUNDING_PEOPLE:
        user = _person(person.email, person.name)
        grant_membership(user=user, role=person.role, organisation=Organisation.objects.get(name=person.organisation))
        people[person.email.split("@")[0]] = user
    # The platform's own demo accounts (home/demo.py), or stand-ins when the fund is loaded on its own.
    officer = _person(f"officer@{DEMO_EMAIL_DOMAIN}", "Demo officer")
    group = _person(f"group@{DEMO_EMAIL_DOMAIN}", "Demo group member")
    informal = _person(f"informal@{DEMO_EMAIL_DOMAIN}", "Demo group member")
    if not Membership.objects.filter(user=officer, role=Role.OFFICER).exists():
        grant_membership(
            user=officer, role=Role.OFFICER, organisation=Organisation.objects.get(name="Community and Housing")
        )
    food_share = Organisation.objects.get(name=FOOD_SHARE)
    litter_pickers = Organisation.objects.get(name=LITTER_PICKERS)
    if not Membership.objects.filter(user=group, role=Role.GROUP_MEMBER).exists():
        grant_membership(user=group, role=Role.GROUP_MEMBER, organisation=food_share)
    if not Membership.objects.filter(user=informal, role=Role.GROUP_MEMBER).exists():
        grant_membership(user=informal, role=Role.GROUP_MEMBER, organisation=litter_pickers)
    return Cast(
        officer=officer,
        assessor=people["assessor"],
        vcs=people["vcs"],
        group=group,
        informal=informal,
        supplier=people["supplier"],
        food_share=food_share,
        litter_pickers=litter_pickers,
        cvs=Organisation.objects.get(name=CVS),
        suppliers=[Organisation.objects.get(name=name) for name, _ in SUPPLIERS],
    )


@transaction.atomic
def load_demo_funding(council: CouncilArea) -> dict[str, int]:
    """Load the demo fund, its rounds, the funding register, needs and pledges, or add whatever is missing.

    Returns how many demo records of each kind funding now holds."""
    clock = Clock()
    cast = _cast()
    themes = list(Element.objects.filter(kind=Element.Kind.THEME).order_by("position", "pk")[:4])
    outcomes = list(Element.objects.filter(kind=Element.Kind.OUTCOME).order_by("position", "pk"))
    wards = list(Ward.objects.filter(council=council).order_by("code"))
    sources = _sources(clock, themes, cast.officer)
    fund, pots = _fund(clock, themes, cast.officer)
    assessors = [cast.officer, cast.assessor, cast.vcs]
    demo = Demo(clock, fund, pots, themes, outcomes, wards, cast, assessors, sources)
    demo.closed_round()
    demo.open_round()
    demo.draft_round()
    _needs_and_pledges(clock, cast, themes, wards)
    return demo_counts()


def _sources(clock: Clock, themes: list[Element], officer: User) -> dict[tuple[str, str], FundingSource]:
    """The register of external funding sources: real funders' programmes as examples, marked as demo."""
    found: dict[tuple[str, str], FundingSource] = {}
    for n, about in enumerate(SOURCES):
        name = f"{about['name']} (demo)"
        source = FundingSource.objects.filter(funder=about["funder"], name=name).first()
        if source is None:
            days = about["deadline"]
            source = FundingSource.objects.create(
                funder=about["funder"],
                name=name,
                what_they_fund=about["what"]
                + " Shown as an example in the demo: check the funder's own website for what is open.",
                eligibility=about["who"],
                min_amount=None if about["min"] is None else Decimal(about["min"]),
                max_amount=None if about["max"] is None else Decimal(about["max"]),
                deadline=None if days is None else clock.day(days),
                url=about["url"],
                is_active=about.get("active", True),
                is_demo=True,
                created_by=officer,
            )
            if themes:
                source.themes.set([themes[n % len(themes)], themes[(n * 3 + 1) % len(themes)]])
        found[(about["funder"], about["name"])] = source
    return found


def _fund(clock: Clock, themes: list[Element], officer: User) -> tuple[Fund, dict[str, Pot]]:
    """The fund itself: £5m over three years, four theme budgets, three pots and the eligibility questions."""
    fund = Fund.objects.filter(slug=FUND_SLUG).first()
    if fund is None:
        fund = Fund.objects.create(
            name="Civic Pride Fund (demo)",
            slug=FUND_SLUG,
            summary="About £5 million over three years for voluntary and community groups, structured around the "
            "four themes of the Working Better with Communities framework.",
            description=PROSPECTUS,
            total_budget=FUND_BUDGET,
            starts_on=clock.day(-300),
            ends_on=clock.day(-300) + timedelta(days=3 * 365),
            eligible_kinds=list(APPLICANT_KINDS),
            must_serve_area=True,
            is_demo=True,
            created_by=officer,
        )
        fund.themes.set(themes)
        for theme, share in zip(themes, THEME_SHARES, strict=False):
            ThemeBudget.objects.create(fund=fund, theme=theme, amount=FUND_BUDGET * share)
        for position, (name, description, smallest, largest, turnover) in enumerate(POTS, start=1):
            Pot.objects.create(
                fund=fund,
                name=name,
                description=description,
                min_amount=Decimal(smallest),
                max_amount=Decimal(largest),
                max_turnover=None if turnover is None else Decimal(turnover),
                position=position,
            )
        for position, (question, answer, reason) in enumerate(ELIGIBILITY, start=1):
            EligibilityQuestion.objects.create(
                fund=fund, question=question, required_answer=answer, reason=reason, position=position
            )
    EligibilityQuestion.objects.filter(fund=fund, question__in=RETIRED_ELIGIBILITY).delete()
    pots = {pot.name: pot for pot in fund.pots.all()}
    return fund, pots


class Demo:
    """Builds the fund's rounds; each round is made whole, or left alone when it is already there."""

    def __init__(
        self,
        clock: Clock,
        fund: Fund,
        pots: dict[str, Pot],
        themes: list[Element],
        outcomes: list[Element],
        wards: list[Ward],
        cast: Cast,
        assessors: list[User],
        sources: dict[tuple[str, str], FundingSource],
    ) -> None:
        self.clock = clock
        self.fund = fund
        self.pots = pots
        self.themes = themes
        self.outcomes = outcomes
        self.wards = wards
        self.cast = cast
        self.assessors = assessors
        self.sources = sources

    # --- shared pieces --------------------------------------------------------------------------------

    def _round(self, slug: str, **values: Any) -> Round | None:
        """Create a round with its questions and criteria; None when it is already there."""
        if Round.objects.filter(slug=slug).exists():
            return None
        round = Round.objects.create(fund=self.fund, slug=slug, is_demo=True, **values)
        for position, (label, hint, kind, limit) in enumerate(QUESTIONS, start=1):
            Question.objects.create(
                round=round,
                label=label,
                hint=hint,
                kind=kind,
                word_limit=limit,
                required=kind != Question.Kind.ATTACHMENT,
                file_types=["pdf", "xlsx", "docx", "odt", "ods"] if kind == Question.Kind.ATTACHMENT else [],
                max_file_mb=5,
                position=position,
            )
        for position, (name, weight, guidance, _) in enumerate(CRITERIA, start=1):
            Criterion.objects.create(
                round=round,
                name=name,
                weight=weight,
                guidance=guidance,
                descriptors=list(DESCRIPTORS.get(name, ())) if round.score_max == 5 else [],
                position=position,
            )
        round.assessors.set(self.assessors)
        return round

    def _applicants(self, rng: random.Random, count: int, *, exclude: set[int]) -> list[Organisation]:
        known = {FOOD_SHARE, LITTER_PICKERS, CVS}
        candidates = list(
            Organisation.objects.filter(is_demo=True, kind__in=APPLICANT_KINDS)
            .exclude(name__in=known)
            .exclude(pk__in=exclude)
            .order_by("uuid")[:400]
        )
        return rng.sample(candidates, k=min(count, len(candidates)))

    def _pot_for(self, rng: random.Random, pot: Pot) -> tuple[Decimal, Decimal]:
        """A plausible (yearly income, amount asked for) for an applicant to this pot."""
        if pot.max_turnover is not None and pot.max_amount <= 2500:
            return Decimal(rng.randrange(3000, 24000, 500)), Decimal(rng.randrange(800, 2501, 100))
        if pot.max_turnover is not None:
            return Decimal(rng.randrange(25000, 49500, 500)), Decimal(rng.randrange(4000, 10001, 250))
        return Decimal(rng.randrange(90000, 900000, 5000)), Decimal(rng.randrange(25000, 120001, 5000))

    def _application(
        self,
        rng: random.Random,
        round: Round,
        organisation: Organisation,
        reference: str,
        *,
        pot: Pot,
        by: User,
        created: datetime,
        complete: bool = True,
    ) -> Application:
        title, summary = rng.choice(PROJECTS)
        turnover, amount = self._pot_for(rng, pot)
        questions = list(round.questions.all())
        answers: dict[str, str] = {}
        for question, answer in zip(questions, ANSWERS, strict=False):
            answers[str(question.pk)] = answer
        counted = next((q for q in questions if q.kind == Question.Kind.NUMBER), None)
        if counted is not None:
            answers[str(counted.pk)] = str(rng.randrange(20, 400, 5))
        if not complete:
            answers = dict(list(answers.items())[:1])
        # As the eligibility checker keeps its answers (eligibility.Answers.as_json).
        eligibility = {
            "questions": {
                str(pk): answer for pk, answer in self.fund.eligibility_questions.values_list("pk", "required_answer")
            },
            "kind": organisation.kind,
            "income": str(turnover),
            "works_in_area": True,
        }
        starts = (created + timedelta(days=120)).date()
        application = Application.objects.create(
            reference=reference,
            round=round,
            organisation=organisation,
            created_by=by,
            pot=pot,
            title=f"{title} (demo)",
            summary=summary + " Invented for the demonstration fund.",
            amount_requested=amount if complete or rng.random() < 0.5 else None,
            turnover=turnover,
            starts_on=starts,
            ends_on=starts + timedelta(days=365),
            answers=answers,
            eligibility=eligibility,
        )
        if self.themes:
            application.themes.set(rng.sample(self.themes, k=rng.choice((1, 1, 2))))
        served = list(organisation.wards_served.all()[:3])
        application.wards.set(served or rng.sample(self.wards, k=min(len(self.wards), rng.choice((1, 2)))))
        Application.objects.filter(pk=application.pk).update(created_at=created, updated_at=created)
        application.created_at = created
        # Starting is no transition (nothing comes before a draft); recorded as apply.services.start_application does.
        ApplicationEvent.objects.create(
            application=application,
            transition="start",
            from_status="",
            to_status=Application.Status.DRAFT,
            by=by,
            at=created,
        )
        return application

    def _submit(self, application: Application, by: User, at: datetime) -> None:
        application.submitted_at = at
        _step(APPLICATION, application, "submit", by=by, at=at)

    # --- the closed round -----------------------------------------------------------------------------

    def closed_round(self) -> None:
        """Applications assessed, decided, offered, accepted, paid and monitored, with one conflict and one late
        report."""
        c = self.clock
        round = self._round(
            CLOSED_SLUG,
            name="First round (demo)",
            opens_at=c.at(-275, 9),
            closes_at=c.at(-215, 12),
            decisions_by=c.day(-175),
            prospectus_status=Round.Prospectus.PUBLISHED,
            prospectus=PROSPECTUS,
            methodology=METHODOLOGY,
            prospectus_published_at=c.at(-285),
            comments_close_at=c.at(-290),
            assessors_per_application=2,
            score_max=5,
        )
        if round is None:
            return
        rng = random.Random(f"{DEMO_SEED}-closed")  # noqa: S311 - invented data, not secrets
        officer = self.cast.officer
        organisations = [
            self.cast.food_share,
            self.cast.litter_pickers,
            *self._applicants(rng, CLOSED_APPLICATIONS - 2, exclude=set()),
        ]
        pot_names = ["Community grants", "Small grants"] + [
            ("Small grants", "Community grants", "Strategic partnership grants")[n % 3]
            for n in range(len(organisations) - 2)
        ]
        applications: list[Application] = []
        quality: dict[int, float] = {}
        for n, (organisation, pot_name) in enumerate(zip(organisations, pot_names, strict=True)):
            created = c.at(-274 + n * 2 % 50, 9 + n % 8)
            by = (
                self.cast.group
                if organisation == self.cast.food_share
                else self.cast.informal
                if organisation == self.cast.litter_pickers
                else officer
            )
            if by == officer:
                by = member_of(organisation)
            application = self._application(
                rng, round, organisation, f"DEMO-CPF1-{n + 1:03d}", pot=self.pots[pot_name], by=by, created=created
            )
            self._submit(application, by, created + timedelta(days=rng.randrange(1, 6)))
            applications.append(application)
            quality[application.pk] = 0.92 if n < 2 else rng.uniform(0.25, 0.95)

        withdrawn, ineligible, assessed = applications[-1], applications[-2], applications[:-2]
        at = c.at(-218)
        withdrawn.withdrawn_at = at
        _step(
            APPLICATION,
            withdrawn,
            "withdraw",
            by=withdrawn.created_by,
            at=at,
            reason="We found another funder for this work.",
        )

        reason = (
            "The group's work is for people outside the borough, so it is not eligible for this fund. We have sent "
            "details of other funders who could help."
        )
        decided_at = c.at(-175, 14)
        _decide(ineligible, by=officer, at=c.at(-212), reasons=reason, feedback="Thank you for applying. " + reason)

        sent = c.at(-213)
        for application in assessed:
            _step(APPLICATION, application, "assess", by=officer, at=sent)

        criteria = list(round.criteria.all())
        weighted = self._assess(rng, round, assessed, criteria, quality)
        ranked = sorted(assessed, key=lambda a: (-weighted[a.pk], a.reference))
        funded = {a.pk for a in ranked[:FUNDED]} | {assessed[0].pk, assessed[1].pk}
        cutoff = min(weighted[a.pk] for a in ranked[:FUNDED])
        grants: list[tuple[Application, Decision]] = []
        for application in assessed:
            comments = self._feedback(application, criteria)
            score = Decimal(str(round_half(weighted[application.pk])))
            if application.pk in funded:
                partial = application.pk not in {assessed[0].pk, assessed[1].pk} and rng.random() < 0.2
                amount = application.amount_requested or Decimal("0")
                if partial:
                    amount = (amount * Decimal("0.8")).quantize(Decimal("100"))
                reasons = (
                    f"Scored {score} out of 100, among the strongest in the round. The panel agreed it meets the "
                    "fund's priorities" + (" and funded most of the costs asked for." if partial else ".")
                )
                feedback = "Congratulations: the panel is pleased to fund your project.\n\n" + comments
                decision = _decide(
                    application,
                    by=officer,
                    at=decided_at,
                    reasons=reasons,
                    feedback=feedback,
                    score=score,
                    amount=amount,
                )
                grants.append((application, decision))
            else:
                reasons = (
                    f"Scored {score} out of 100. Within each theme's budget the panel could fund applications "
                    f"scoring {round_half(cutoff)} or more this round."
                )
                feedback = "Thank you for applying. We could not fund your project this time.\n\n" + comments
                _decide(application, by=officer, at=decided_at, reasons=reasons, feedback=feedback, score=score)
        self._awards(rng, grants)

    def _assess(
        self,
        rng: random.Random,
        the_round: Round,
        applications: list[Application],
        criteria: list[Criterion],
        quality: dict[int, float],
    ) -> dict[int, float]:
        """Two assessors an application, balanced; the VCS representative declares one conflict and is replaced;
        one assessor is far from the other on one application. Returns each application's mean weighted score."""
        pool = self.assessors
        conflicted_done = False
        outlier_done = False
        means: dict[int, float] = {}
        for n, application in enumerate(applications):
            pair = [pool[n % len(pool)], pool[(n + 1) % len(pool)]]
            assigned_at = self.clock.at(-212)
            declared = self.clock.at(-210 + n % 5)
            scorers: list[User] = []
            for assessor in pair:
                if assessor == self.cast.vcs and not conflicted_done and n >= 4:
                    conflicted_done = True
                    Assignment.objects.create(
                        application=application,
                        assessor=assessor,
                        status=Assignment.Status.CONFLICTED,
                        conflict_reason="I am a trustee of this organisation.",
                        declared_at=declared,
                    )
                    replacement = next(p for p in pool if p not in pair)
                    scorers.append(replacement)
                else:
                    scorers.append(assessor)
            values: list[float] = []
            for assessor in scorers:
                assignment = Assignment.objects.create(
                    application=application,
                    assessor=assessor,
                    status=Assignment.Status.SCORED,
                    declared_at=declared,
                    scored_at=declared + timedelta(days=rng.randrange(1, 8)),
                )
                harsh = not outlier_done and n >= 6 and assessor == scorers[-1]
                total = 0.0
                scores = []
                for criterion, (_, _, _, comments) in zip(criteria, CRITERIA, strict=True):
                    value = round(quality[application.pk] * the_round.score_max + rng.gauss(0, 0.6))
                    if harsh:
                        value = value - 3
                    value = max(0, min(the_round.score_max, value))
                    band = 0 if value <= 2 else 1 if value == 3 else 2
                    scores.append(
                        Score(assignment=assignment, criterion=criterion, score=value, comment=comments[band])
                    )
                    total += value / the_round.score_max * criterion.weight
                if harsh:
                    outlier_done = True
                Score.objects.bulk_create(scores)
                values.append(total)
            Assignment.objects.filter(application=application).update(assigned_at=assigned_at)
            means[application.pk] = sum(values) / len(values)
        rebuild_totals(the_round)
        return means

    def _feedback(self, application: Application, criteria: list[Criterion]) -> str:
        """Feedback to the applicant drawn from the assessors' comments, criterion by criterion."""
        lines = ["What the assessors said:"]
        scores = Score.objects.filter(assignment__application=application).select_related("criterion")
        by_criterion: dict[int, list[str]] = {}
        for score in scores:
            by_criterion.setdefault(score.criterion_id, [])
            if score.comment not in by_criterion[score.criterion_id]:
                by_criterion[score.criterion_id].append(score.comment)
        for criterion in criteria:
            for comment in by_criterion.get(criterion.pk, []):
                lines.append(f"- {criterion.name}: {comment}")
        return "\n".join(lines)

    def _awards(self, rng: random.Random, decided: list[tuple[Application, Decision]]) -> None:
        """Offers for the funded applications: most accepted and paid in part, one still offered, one declined,
        one completed; monitoring reports accepted, submitted and one late; match funding for several."""
        c = self.clock
        officer = self.cast.officer
        award_day = c.day(-174)
        starts = c.day(-150)
        late_done = submitted = 0
        others = [
            pair for pair in decided if pair[0].organisation not in (self.cast.food_share, self.cast.litter_pickers)
        ]
        declined = others[-1][0] if others else None
        completed = next((a for a, _ in others if a.pot and a.pot.name == "Small grants" and a != declined), None)
        for n, (application, decision) in enumerate(decided):
            amount = decision.amount or Decimal("0")
            offered_late = application.organisation == self.cast.litter_pickers
            status = Grant.Status.ACCEPTED
            if offered_late:
                status = Grant.Status.OFFERED
            elif application == declined:
                status = Grant.Status.DECLINED
            elif application == completed:
                status = Grant.Status.COMPLETED
            ends = starts + timedelta(days=90 if status == Grant.Status.COMPLETED else 365)
            grant = Grant.objects.create(
                application=application,
                reference=application.reference,
                status=Grant.Status.OFFERED,
                amount=amount,
                award_date=c.day(-5) if offered_late else award_day,
                conditions="Spend the grant on the project described in your application. Tell us at once if "
                "anything changes. Acknowledge the Civic Pride Fund (demo) in your publicity.",
                offered_by=officer,
                offered_at=c.at(-5) if offered_late else c.at(-173),
                starts_on=c.day(14) if offered_late else starts,
                ends_on=c.day(14) + timedelta(days=365) if offered_late else ends,
                is_demo=True,
            )
            if status in (Grant.Status.ACCEPTED, Grant.Status.COMPLETED):
                # Who and when first, as awards.services.accept_grant sets them before the step.
                grant.accepted_by, grant.accepted_at = application.created_by, c.at(-165 + n % 6)
                _step(GRANT, grant, "accept", by=application.created_by, at=grant.accepted_at)
            # Payments: one for a small grant, two for a community grant, quarterly for a strategic one.
            pot = application.pot.name if application.pot else "Small grants"
            count = 1 if pot == "Small grants" else 2 if pot == "Community grants" else 4
            first = grant.starts_on or starts
            for k, share in enumerate(split_equally(amount, list(range(count))).values()):
                due = first + timedelta(days=k * 365 // count)
                paid = status in (Grant.Status.ACCEPTED, Grant.Status.COMPLETED) and due <= c.today - timedelta(days=7)
                tranche = Tranche.objects.create(grant=grant, due_on=due, amount=share)
                if paid:
                    pay_tranche(
                        tranche=tranche,
                        paid_on=due + timedelta(days=3),
                        payment_reference=f"BACS-DEMO-{grant.pk:04d}-{k + 1}",
                        by=officer,
                    )
            if status == Grant.Status.DECLINED:
                # Through the service, which cancels the payments scheduled above, as a real decline would.
                decline_grant(
                    grant=grant,
                    by=application.created_by,
                    reason="Our hall closed for repairs, so we cannot run the project this year. We will apply "
                    "again next round.",
                )
                _dated(grant, c.at(-168))
                continue
            for title, due in self._report_dates(grant):
                report = MonitoringReport.objects.create(grant=grant, title=title, due_on=due)
                if status == Grant.Status.OFFERED or due > c.today:
                    continue
                if status == Grant.Status.ACCEPTED and application.organisation != self.cast.food_share:
                    if late_done == 0 and n >= 3:
                        late_done += 1  # one late report: due, not in, flagged
                        continue
                    if submitted < 2 and n >= 5:
                        submitted += 1
                        self._report(report, application.created_by, due, reviewed=False)
                        continue
                self._report(report, application.created_by, due, reviewed=True)
            if n % 2 == 0 or application.organisation == self.cast.food_share:
                self._match(rng, application, n)
            if status == Grant.Status.COMPLETED:
                # Last, as an officer would: once every payment is made and every report accepted.
                complete_grant(grant=grant, by=officer)

    def _report_dates(self, grant: Grant) -> list[tuple[str, date]]:
        starts = grant.starts_on or self.clock.today
        ends = grant.ends_on or starts + timedelta(days=365)
        planned = []
        n = 1
        while (due := starts + timedelta(days=91 * n)) < ends and n <= 2:
            planned.append((f"Progress report {n}", due))
            n += 1
        planned.append(("Final report", ends + timedelta(days=30)))
        return planned

    def _report(self, report: MonitoringReport, by: User, due: date, *, reviewed: bool) -> None:
        submitted = timezone.make_aware(datetime.combine(due - timedelta(days=3), datetime.min.time())) + timedelta(
            hours=11
        )
        report.narrative = (
            "Sessions ran every week as planned. Numbers grew after the library put up our poster, and two "
            "people who came as participants now help run it. (Demo report.)"
        )
        report.spent = sum((t.amount for t in report.grant.tranches.filter(status=Tranche.Status.PAID)), Decimal("0"))
        # Who and when first, as awards.services sets them before each step.
        report.submitted_at, report.submitted_by = submitted, by
        _step(REPORT, report, "submit", by=by, at=submitted)
        if reviewed:
            report.reviewed_by = self.cast.officer
            report.reviewed_at = submitted + timedelta(days=6)
            report.review_note = "Thank you: a clear report. Accepted."
            _step(REPORT, report, "accept", by=self.cast.officer, at=report.reviewed_at)
        ReportResult.objects.create(
            report=report,
            kind=ReportResult.Kind.OUTPUT,
            description="Sessions run",
            quantity=Decimal("12"),
            unit="sessions",
        )
        ReportResult.objects.create(
            report=report,
            kind=ReportResult.Kind.OUTCOME,
            outcome=self.outcomes[report.grant_id % len(self.outcomes)] if self.outcomes else None,
            description="People who say they know where to get help now",
            quantity=Decimal("34"),
            unit="people",
        )

    def _match(self, rng: random.Random, application: Application, n: int) -> None:
        funder, kind, programme = MATCH_FUNDERS[n % len(MATCH_FUNDERS)]
        source = next((s for (f, name), s in self.sources.items() if f == funder and name == programme), None)
        requested = application.amount_requested or Decimal("1000")
        MatchFunding.objects.create(
            application=application,
            kind=kind,
            status=MatchFunding.Status.SECURED if n % 4 else MatchFunding.Status.PENDING,
            funder=funder,
            source=source,
            amount=(requested * Decimal(str(rng.choice((0.25, 0.5, 0.8, 1.2))))).quantize(Decimal("1")),
            recorded_by=application.created_by,
            recorded_at=self.clock.at(-160),
        )

    # --- the open round -------------------------------------------------------------------------------

    def open_round(self) -> None:
        """Published and open now: a few drafts, and the food share's submitted application."""
        c = self.clock
        round = self._round(
            OPEN_SLUG,
            name="Second round (demo)",
            opens_at=c.at(-10, 9),
            closes_at=c.at(40, 12),
            decisions_by=c.day(90),
            prospectus_status=Round.Prospectus.PUBLISHED,
            prospectus=PROSPECTUS,
            methodology=METHODOLOGY,
            prospectus_published_at=c.at(-20),
            comments_close_at=c.at(-25),
        )
        if round is None:
            return
        rng = random.Random(f"{DEMO_SEED}-open")  # noqa: S311 - invented data, not secrets
        closed = set(Application.objects.filter(round__slug=CLOSED_SLUG).values_list("organisation_id", flat=True))
        for n, organisation in enumerate(self._applicants(rng, OPEN_DRAFTS, exclude=closed)):
            pot = list(self.pots.values())[n % len(self.pots)]
            self._application(
                rng,
                round,
                organisation,
                f"DEMO-CPF2-{n + 1:03d}",
                pot=pot,
                by=member_of(organisation),
                created=c.at(-8 + n),
                complete=n % 2 == 0,
            )
        application = self._application(
            rng,
            round,
            self.cast.food_share,
            f"DEMO-CPF2-{OPEN_DRAFTS + 1:03d}",
            pot=self.pots["Community grants"],
            by=self.cast.group,
            created=c.at(-6),
        )
        self._submit(application, self.cast.group, c.at(-2, 16))

    # --- the draft round ------------------------------------------------------------------------------

    def draft_round(self) -> None:
        """A prospectus open for comment, with one comment answered and one waiting."""
        c = self.clock
        round = self._round(
            DRAFT_SLUG,
            name="Third round (demo)",
            opens_at=c.at(75, 9),
            closes_at=c.at(135, 12),
            decisions_by=c.day(190),
            prospectus_status=Round.Prospectus.OPEN_FOR_COMMENT,
            prospectus="DRAFT FOR COMMENT. " + PROSPECTUS,
            methodology=METHODOLOGY,
            comments_close_at=c.at(14, 17),
        )
        if round is None:
            return
        answered = ProspectusComment.objects.create(
            round=round,
            author=self.cast.group,
            organisation=self.cast.food_share,
            body="Could the small grants pot pay for volunteers' travel? Several of our drivers are on low incomes.",
            answer="Yes: volunteers' reasonable expenses are an eligible cost in every pot. We have added a line "
            "to the prospectus to say so.",
            answered_by=self.cast.officer,
            answered_at=c.at(-1, 15),
        )
        ProspectusComment.objects.filter(pk=answered.pk).update(created_at=c.at(-4, 11))
        waiting = ProspectusComment.objects.create(
            round=round,
            author=self.cast.vcs,
            organisation=self.cast.cvs,
            body="Six weeks is short for informal groups to pull together a budget. Could the round stay open for "
            "eight weeks, with a bid-writing session in the second week?",
        )
        ProspectusComment.objects.filter(pk=waiting.pk).update(created_at=c.at(-1, 9))


def _step(workflow: Workflow, record: Any, name: str, *, by: User, at: datetime, reason: str = "") -> None:
    """Take a workflow's transition as the person in the story would, then date it when the story says they did
    (take() records the moment it runs; the demo's past happened months ago)."""
    take(workflow, record, name, by=by, reason=reason)
    _dated(record, at)


def _decide(
    application: Application,
    *,
    by: User,
    at: datetime,
    reasons: str,
    feedback: str,
    score: Decimal | None = None,
    amount: Decimal | None = None,
) -> Decision:
    """The panel's decision, as assess.services.record_decision writes it: funded when it gives an amount."""
    decision = Decision.objects.create(
        application=application,
        outcome=Decision.Outcome.REJECTED if amount is None else Decision.Outcome.APPROVED,
        amount=amount,
        reasons=reasons,
        feedback=feedback,
        weighted_score=score,
        decided_by=by,
        decided_at=at,
    )
    if amount is None:
        _step(APPLICATION, application, "reject", by=by, at=at, reason=reasons)
    else:
        _step(APPLICATION, application, "approve", by=by, at=at)
    return decision


def _dated(record: Any, at: datetime) -> None:
    """Date the step just taken on the record (by take() or a service) when the story says it was taken."""
    events = WorkflowEvent.objects.filter(content_type=ContentType.objects.get_for_model(record), object_id=record.pk)
    events.filter(pk=events.latest("pk").pk).update(at=at)
    if isinstance(record, Application):
        ApplicationEvent.objects.filter(pk=record.events.latest("pk").pk).update(at=at)
        Application.objects.filter(pk=record.pk).update(updated_at=at)


def round_half(value: float) -> float:
    return float(Decimal(str(value)).quantize(Decimal("0.01")))


# --- community needs and suppliers' pledges ---------------------------------------------------------------


def _needs_and_pledges(clock: Clock, cast: Cast, themes: list[Element], wards: list[Ward]) -> None:
    """Four needs posted by groups, and three suppliers' pledges at different stages with their fulfilments."""
    if CommunityNeed.objects.filter(is_demo=True).exists():
        return
    rng = random.Random(f"{DEMO_SEED}-needs")  # noqa: S311 - invented data, not secrets

    def theme(n: int) -> Element | None:
        return themes[n % len(themes)] if themes else None

    ward_named = {w.name: w for w in wards}
    youth = (
        Organisation.objects.filter(is_demo=True, kind__in=APPLICANT_KINDS)
        .exclude(name__in=[FOOD_SHARE, LITTER_PICKERS, CVS])
        .order_by("uuid")
        .first()
    ) or cast.cvs
    youth_member = cast.vcs if youth == cast.cvs else member_of(youth)

    def need(
        n: int,
        organisation: Organisation,
        by: User,
        title: str,
        description: str,
        kind: str,
        quantity: str,
        unit: str,
        ward: str,
    ) -> CommunityNeed:
        made = CommunityNeed.objects.create(
            organisation=organisation,
            title=f"{title} (demo)",
            description=description,
            kind=kind,
            quantity=Decimal(quantity),
            unit=unit,
            theme=theme(n),
            ward=ward_named.get(ward) or (rng.choice(wards) if wards else None),
            created_by=by,
            is_demo=True,
        )
        CommunityNeed.objects.filter(pk=made.pk).update(created_at=clock.at(-60 + n * 12))
        return made

    drivers = need(
        0,
        cast.food_share,
        cast.group,
        "Volunteer drivers for Saturday food collections",
        "We collect surplus food from six shops every Saturday morning. We need drivers with a van, or staff time "
        "to drive ours.",
        HelpKind.HOURS,
        "120",
        "hours",
        "Colliers Wood",
    )
    kit = need(
        1,
        cast.litter_pickers,
        cast.informal,
        "Litter-picking kit: grabbers, hoops and gloves",
        "Thirty sets of kit so that families can join our monthly litter pick on the common.",
        HelpKind.GOODS,
        "30",
        "sets",
        "Figge's Marsh",
    )
    need(
        2,
        cast.cvs,
        cast.vcs,
        "Laptops for a digital skills drop-in",
        "Ten refurbished laptops, wiped and with a current operating system, for a weekly drop-in.",
        HelpKind.GOODS,
        "10",
        "laptops",
        "Colliers Wood",
    )
    summer = need(
        3,
        youth,
        youth_member,
        "Money towards a summer holiday programme",
        "£3,000 towards coaches and lunches for a four-week summer programme for young people.",
        HelpKind.MONEY,
        "3000",
        "£",
        "Pollards Hill",
    )
    builder, facilities = cast.suppliers
    supplier = cast.supplier
    facilities_member = member_of(facilities)

    def pledge(
        n: int,
        on: CommunityNeed,
        by_org: Organisation,
        by: User,
        kind: str,
        quantity: str,
        unit: str,
        value: str,
        code: str,
    ) -> Pledge:
        return Pledge.objects.create(
            need=on,
            supplier=by_org,
            contract_reference=f"DEMO-CON-{2024 + n}-{n + 1:03d}",
            framework=Pledge.Framework.TOMS,
            framework_version="2024",
            measure_code=code,
            kind=kind,
            quantity=Decimal(quantity),
            unit=unit,
            value=Decimal(value),
            pledged_by=by,
            pledged_at=clock.at(-40 + n * 10),
            is_demo=True,
            # The demo's suppliers agreed to be named in public (the wording they saw is kept with it).
            consent_by=by,
            consent_at=clock.at(-40 + n * 10),
            consent_wording=PLEDGE_CONSENT_WORDING,
        )

    # Each pledge goes as far along its workflow as the people would have taken it: accepted by the group, part
    # delivered; accepted, delivered in full, marked delivered and verified (which meets the need); delivered.
    hours = pledge(0, drivers, builder, supplier, HelpKind.HOURS, "80", "hours", "1200", "NT15")
    accept_pledge(pledge=hours, by=cast.group)
    record_fulfilment(
        pledge=hours,
        delivered_on=clock.day(-12),
        quantity=Decimal("40"),
        note="Two drivers and a van on five Saturdays.",
        by=supplier,
    )
    goods = pledge(1, kit, facilities, facilities_member, HelpKind.GOODS, "30", "sets", "900", "NT29")
    accept_pledge(pledge=goods, by=cast.informal)
    for days, quantity, note in ((-30, "20", "First delivery."), (-20, "10", "The rest, with spare gloves.")):
        record_fulfilment(
            pledge=goods, delivered_on=clock.day(days), quantity=Decimal(quantity), note=note, by=facilities_member
        )
    deliver_pledge(pledge=goods, by=facilities_member)
    verify_pledge(pledge=goods, by=cast.informal)
    Fulfilment.objects.filter(pledge=goods).update(confirmed_at=clock.at(-19))  # when the group confirmed them
    money = pledge(2, summer, builder, supplier, HelpKind.MONEY, "3000", "£", "3000", "NT29")
    accept_pledge(pledge=money, by=youth_member)
    record_fulfilment(
        pledge=money, delivered_on=clock.day(-3), quantity=Decimal("3000"), note="Paid by bank transfer.", by=supplier
    )
    deliver_pledge(pledge=money, by=supplier)


def member_of(organisation: Organisation) -> User:
    """A group member of the organisation: its first, or a demo member made once (no password, so nobody
    signs in as them)."""
    membership = (
        Membership.objects.filter(organisation=organisation, role=Role.GROUP_MEMBER)
        .select_related("user")
        .order_by("pk")
        .first()
    )
    if membership is not None:
        return membership.user
    email = f"member-{organisation.slug[:40]}@{DEMO_EMAIL_DOMAIN}"
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, None, full_name=f"Demo member of {organisation.name}", is_demo=True)
    confirm_email(user)
    grant_membership(user=user, role=Role.GROUP_MEMBER, organisation=organisation)
    return user


def demo_counts() -> dict[str, int]:
    """How many demo funding records of each kind there are now."""
    demo_rounds = Round.objects.filter(is_demo=True)
    return {
        "funds": Fund.objects.filter(is_demo=True).count(),
        "rounds": demo_rounds.count(),
        "applications": Application.objects.filter(round__in=demo_rounds).count(),
        "grants": Grant.objects.filter(is_demo=True).count(),
        "payments made": Tranche.objects.filter(grant__is_demo=True, status=Tranche.Status.PAID).count(),
        "funding sources": FundingSource.objects.filter(is_demo=True).count(),
        "community needs": CommunityNeed.objects.filter(is_demo=True).count(),
        "pledges": Pledge.objects.filter(is_demo=True).count(),
    }
