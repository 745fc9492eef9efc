"""Participatory budgets: a pot of money residents decide on, the projects proposed for it, and the ballots cast.

A budget moves along workflows.BUDGET: draft, proposals open, checking feasibility, voting, counted (the
result published), closed (funded projects handed to the funding app as grants). A ballot keeps no more than
it needs: a keyed hash of the voter's email address (and of their account, if they were signed in) so nobody
votes twice, and the ward their postcode is in.
"""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from commonweal.accounts.models import Organisation
from commonweal.core.status import tag_colours
from commonweal.places.models import Ward

MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(Decimal("0"))]}


class Budget(models.Model):
    """A pot of money for an area (some wards, or the whole borough) or a framework theme, and its voting rules."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PROPOSALS = "proposals", _("Proposals open")
        CHECKING = "checking", _("Checking feasibility")
        VOTING = "voting", _("Voting")
        COUNTED = "counted", _("Result published")
        CLOSED = "closed", _("Closed")

    class Method(models.TextChoices):
        APPROVAL = "approval", _("Approval: choose up to a number of projects")
        CUMULATIVE = "cumulative", _("Cumulative: share out points between projects")

    slug = models.SlugField(max_length=120, unique=True)
    title = models.CharField(_("name"), max_length=140)
    summary = models.TextField(_("what it is for"), max_length=5000)
    amount = models.DecimalField(_("the pot (£)"), **MONEY)  # type: ignore[arg-type]
    department = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="budgets",
        limit_choices_to={"kind": Organisation.Kind.COUNCIL_DEPARTMENT},
        verbose_name=_("department running it"),
    )
    # The area voters must live in: these wards, or the whole borough when there are none.
    wards = models.ManyToManyField(Ward, blank=True, related_name="budgets", verbose_name=_("wards"))
    theme = models.ForeignKey(
        "framework.Element",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="budgets",
        limit_choices_to={"kind": "theme"},
        verbose_name=_("theme"),
    )
    method = models.CharField(_("how people vote"), max_length=12, choices=Method.choices, default=Method.APPROVAL)
    max_choices = models.PositiveSmallIntegerField(_("most projects a voter may choose"), default=3)
    points = models.PositiveSmallIntegerField(_("points each voter shares out"), default=10)
    max_points_per_project = models.PositiveSmallIntegerField(_("most points for one project"), default=5)
    min_cost = models.DecimalField(_("smallest project cost (£)"), default=Decimal("0"), **MONEY)  # type: ignore[arg-type]
    max_cost = models.DecimalField(_("largest project cost (£)"), **MONEY)  # type: ignore[arg-type]
    # The dates the council plans (shown publicly), and when each stage really began.
    proposals_close_on = models.DateField(_("proposals close"), null=True, blank=True)
    voting_opens_on = models.DateField(_("voting opens"), null=True, blank=True)
    voting_closes_on = models.DateField(_("voting closes"), null=True, blank=True)
    status = models.CharField(_("stage"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    proposals_opened_at = models.DateTimeField(null=True, blank=True)
    checking_at = models.DateTimeField(null=True, blank=True)
    voting_opened_at = models.DateTimeField(null=True, blank=True)
    counted_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # The count, kept as published: how many ballots, and the money the funded projects left.
    ballots_counted = models.PositiveIntegerField(null=True, blank=True)
    money_left = models.DecimalField(null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    # The funding app's fund the funded projects' grants were made from, once handed over.
    fund = models.ForeignKey(
        "funding.Fund", on_delete=models.PROTECT, null=True, blank=True, related_name="participatory_budgets"
    )
    is_demo = models.BooleanField(default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "title"]
        constraints = [
            models.CheckConstraint(condition=models.Q(max_cost__gte=models.F("min_cost")), name="budget_cost_range"),
        ]

    def __str__(self) -> str:
        return self.title


tag_colours(
    Budget.Status,
    {
        Budget.Status.DRAFT: "grey",
        Budget.Status.PROPOSALS: "blue",
        Budget.Status.CHECKING: "yellow",
        Budget.Status.VOTING: "green",
        Budget.Status.COUNTED: "purple",
        Budget.Status.CLOSED: "grey",
    },
)


class Proposal(models.Model):
    """A project proposed for a budget by a resident, or by a group member for their group, with its cost and
    the council's feasibility check; after the count, its votes, rank and whether it was funded."""

    class Feasibility(models.TextChoices):
        UNCHECKED = "unchecked", _("Not checked yet")
        FEASIBLE = "feasible", _("Feasible")
        NOT_FEASIBLE = "not_feasible", _("Not feasible")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="proposals")
    title = models.CharField(_("project name"), max_length=140)
    description = models.TextField(_("what it does"), max_length=5000)
    beneficiaries = models.TextField(_("who benefits"), max_length=2000)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    place = models.CharField(_("where"), max_length=200, blank=True)
    cost = models.DecimalField(_("cost (£)"), **MONEY)  # type: ignore[arg-type]
    group = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="budget_proposals"
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    feasibility = models.CharField(
        _("feasibility"), max_length=12, choices=Feasibility.choices, default=Feasibility.UNCHECKED, db_index=True
    )
    feasibility_reason = models.TextField(_("the council's reason"), max_length=3000, blank=True)
    adjusted_cost = models.DecimalField(_("adjusted cost (£)"), null=True, blank=True, **MONEY)  # type: ignore[arg-type]
    adjusted_reason = models.TextField(_("why the cost was adjusted"), max_length=2000, blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    checked_at = models.DateTimeField(null=True, blank=True)
    # The count's figures, written once when the result is published.
    votes = models.PositiveIntegerField(null=True, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    funded = models.BooleanField(null=True, blank=True)
    # The hand-over: a grant through the funding app, or delivered by the council itself.
    application = models.OneToOneField(
        "funding.Application", on_delete=models.PROTECT, null=True, blank=True, related_name="budget_proposal"
    )
    delivered_by_council = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["budget", "feasibility"], name="proposal_budget_feasibility")]

    def __str__(self) -> str:
        return self.title

    @property
    def final_cost(self) -> Decimal:
        """What the project costs for the count: the council's adjusted cost if it gave one."""
        return self.adjusted_cost if self.adjusted_cost is not None else self.cost


tag_colours(
    Proposal.Feasibility,
    {
        Proposal.Feasibility.UNCHECKED: "grey",
        Proposal.Feasibility.FEASIBLE: "green",
        Proposal.Feasibility.NOT_FEASIBLE: "red",
    },
)


class BallotLink(models.Model):
    """An emailed link to a budget's ballot, kept as a hash; used once, for seven days."""

    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="links")
    token_hash = models.CharField(max_length=64, unique=True)
    email_hash = models.CharField(max_length=64)
    person_hash = models.CharField(max_length=64, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, related_name="+")
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Ballot link for {self.budget_id}"


class Ballot(models.Model):
    """One voter's ballot: a random id (published with the choices, so anyone can recount), the ward, and
    keyed hashes that stop a second vote by the same email address or the same signed-in person."""

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    budget = models.ForeignKey(Budget, on_delete=models.CASCADE, related_name="ballots")
    email_hash = models.CharField(max_length=64)
    person_hash = models.CharField(max_length=64, blank=True)
    ward = models.ForeignKey(Ward, on_delete=models.PROTECT, null=True, related_name="+")
    cast_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["budget", "email_hash"], name="ballot_one_per_email"),
            models.UniqueConstraint(
                fields=["budget", "person_hash"],
                condition=~models.Q(person_hash=""),
                name="ballot_one_per_person",
            ),
        ]

    def __str__(self) -> str:
        return str(self.uuid)


class BallotChoice(models.Model):
    """A project chosen on a ballot: 1 for approval voting, the points given for cumulative voting."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="choices")
    proposal = models.ForeignKey(Proposal, on_delete=models.PROTECT, related_name="choices")
    points = models.PositiveIntegerField(default=1)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ballot", "proposal"], name="ballot_choice_once")]

    def __str__(self) -> str:
        return f"{self.ballot_id}: {self.proposal_id} ({self.points})"
