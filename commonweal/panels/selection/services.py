"""A selection's writes: create it, propose and set its quotas, check them, run the fair selection in the
background, publish its lottery, record the public draw, and draw replacements for drop-outs.

The algorithms are the pure engine's (commonweal.panels.sortition); this module turns the pool and the quotas
into its Instance and keeps what it returns.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from commonweal.core.audit import acting
from commonweal.core.notify import email_on_commit, site_url

from .. import features as F
from ..errors import PanelError
from ..inputs import current_pool, profile_margins
from ..models import Selection, SelectionMember, SelectionQuota, Volunteer
from ..workflows import SELECTION, take

if TYPE_CHECKING:
    from commonweal.panels.sortition import Distribution, Instance, QuotaCheck

logger = logging.getLogger(__name__)
S = Selection.Status
M = 1000  # panels in a lottery (Flanigan, Kehne and Procaccia used 1,000)
# A run stops with what it has after this long (the leximin's lowest level is fixed first; see Selection.complete).
DEFAULT_SECONDS = 900
MAX_K = 1000


def engine() -> Any:
    """The pure sortition engine, imported when first needed (it loads HiGHS)."""
    from commonweal.panels import sortition

    return sortition


def instance_of(pool: dict[str, Any], quotas: Iterable[SelectionQuota], k: int) -> Instance:
    """The engine's Instance for a frozen pool (Selection.pool) and the quotas. Raises PanelError on bad input."""
    sortition = engine()
    features = pool.get("features", [])
    people = tuple(
        sortition.Person(id=str(row[0]), features=dict(zip(features, row[2:], strict=True)), household=row[1])
        for row in pool.get("people", [])
    )
    wanted = tuple(sortition.Quota(q.feature, q.value, q.min, q.max) for q in quotas)
    try:
        return sortition.Instance(people=people, quotas=wanted, k=k)
    except sortition.PoolError as error:
        raise PanelError(list(getattr(error, "messages", None) or [str(error)])) from error


def _quota_features(selection: Selection) -> list[str]:
    present = set(selection.quotas.values_list("feature", flat=True))
    return [f for f in F.FEATURES if f in present] + sorted(present - set(F.FEATURES))


# --- creating and quotas -----------------------------------------------------------------------------------


def _unique_slug(title: str) -> str:
    base = slugify(title)[:100] or "selection"
    if base in {"new", "pool"}:  # addresses of their own under manage/
        base = f"{base}-selection"
    slug, n = base, 1
    while Selection.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _check_k(k: Any) -> int:
    if not isinstance(k, int) or isinstance(k, bool):
        raise PanelError({"k": "Enter the panel size as a whole number, like 30."})
    if k < 1:
        raise PanelError({"k": "A panel needs at least one person."})
    if k > MAX_K:
        raise PanelError({"k": f"A panel can have at most {MAX_K} people."})
    return k


@transaction.atomic
def create_selection(*, title: str, k: int | None, by: Any, is_demo: bool = False) -> Selection:
    """A draft selection of k people, with quotas proposed from the borough's profile."""
    if not title.strip():
        raise PanelError({"title": "Enter a name for the selection, like 'Climate assembly 2027'."})
    k = _check_k(k)
    pool_size = Volunteer.objects.filter(status=Volunteer.Status.IN_POOL).count()
    if k > pool_size:
        raise PanelError(
            {"k": f"The pool has {pool_size} volunteer{'s' if pool_size != 1 else ''}: a panel of {k} needs more."}
        )
    with acting(by):
        selection = Selection.objects.create(
            slug=_unique_slug(title), title=title.strip(), k=k, created_by=by if _person(by) else None, is_demo=is_demo
        )
    propose_quotas(selection=selection)
    return selection


def _person(by: Any) -> bool:
    return bool(getattr(by, "is_authenticated", False))


@transaction.atomic
def propose_quotas(*, selection: Selection) -> list[SelectionQuota]:
    """Replace the selection's quotas with those proposed from the profile: each category's share of the borough
    times k, give or take 10% (at least one person)."""
    margins, _ = profile_margins()
    proposed = F.propose(margins, selection.k)
    selection.quotas.all().delete()
    rows = [
        SelectionQuota(
            selection=selection,
            feature=p.feature,
            value=p.value,
            position=i,
            min=p.min,
            max=p.max,
            proposed_min=p.min,
            proposed_max=p.max,
            target=p.target,
        )
        for i, p in enumerate(proposed)
    ]
    return SelectionQuota.objects.bulk_create(rows)


def _locked(selection: Selection) -> Selection:
    """The selection's row, locked for this transaction; its big JSON fields are read only if a step uses them
    (and then saved only if it changes them)."""
    return Selection.objects.select_for_update().defer(*Selection.BIG).get(pk=selection.pk)


def _discard_result(selection: Selection) -> None:
    selection.panels, selection.excluded, selection.panel_count = {}, [], 0
    selection.min_probability = selection.upper_bound = selection.gap = selection.seconds = None
    selection.members.update(probability=None)


@transaction.atomic
def set_quotas(*, selection: Selection, values: dict[int, tuple[Any, Any]], by: Any) -> Selection:
    """The officer's quotas (quota id -> (min, max)): whole numbers, 0 <= min <= max <= k. Setting them again
    after a run discards the run (its chances were for the old quotas)."""
    selection = _locked(selection)
    if selection.status not in {S.DRAFT, S.QUOTAS_SET, S.READY}:
        raise PanelError("The quotas cannot be changed once the lottery is published.")
    quotas = {q.pk: q for q in selection.quotas.all()}
    problems: dict[str, str] = {}
    for pk, (low, high) in values.items():
        quota = quotas.get(pk)
        if quota is None:
            continue
        key = f"quota-{pk}"
        if not isinstance(low, int) or not isinstance(high, int):
            problems[key] = f"{quota.value}: enter the fewest and most as whole numbers, like 3 and 6."
        elif low < 0 or high < 0:
            problems[key] = f"{quota.value}: the fewest and most cannot be below 0."
        elif low > high:
            problems[key] = f"{quota.value}: the fewest ({low}) is more than the most ({high})."
        elif low > selection.k:
            problems[key] = f"{quota.value}: the fewest ({low}) is more than the panel's {selection.k} people."
        else:
            quota.min, quota.max = low, min(high, selection.k)
    if problems:
        raise PanelError(problems)
    SelectionQuota.objects.bulk_update(list(quotas.values()), ["min", "max"])
    _discard_result(selection)
    take(SELECTION, selection, "set_quotas", by=by)
    return selection


@transaction.atomic
def apply_relaxation(*, selection: Selection, feature: str, value: str, bound: str, suggested: int, by: Any) -> None:
    """Take one of the check's suggestions: lower a min or raise a max to what it suggested."""
    selection = _locked(selection)
    quota = selection.quotas.filter(feature=feature, value=value).first()
    if quota is None or bound not in {"min", "max"}:
        raise PanelError("That quota is not part of this selection any more.")
    values = {q.pk: (q.min, q.max) for q in selection.quotas.all()}
    values[quota.pk] = (suggested, quota.max) if bound == "min" else (quota.min, suggested)
    set_quotas(selection=selection, values=values, by=by)


# --- checking ----------------------------------------------------------------------------------------


@dataclass
class Check:
    feasible: bool
    problems: list[str]
    relaxations: list[Any]
    pool_size: int
    left_out: dict[str, int]


def check(*, selection: Selection) -> Check:
    """Can the quotas be met from the pool? The engine's answer, with our own plain checks first: the pool
    holds k people, and each feature's fewest add up to no more than k and its most to at least k."""
    frozen = selection.pool if selection.replaces_id else current_pool(_quota_features(selection)).as_json()
    size = len(frozen.get("people", []))
    quotas = list(selection.quotas.all())
    problems: list[str] = []
    if size < selection.k:
        problems.append(
            f"The pool has {size} volunteer{'s' if size != 1 else ''} who can be chosen, fewer than the panel's "
            f"{selection.k}: recruit more volunteers or make the panel smaller."
        )
    for feature in {q.feature for q in quotas}:
        mine = [q for q in quotas if q.feature == feature]
        name = F.FEATURE_NAMES.get(feature, feature)
        if (low := sum(q.min for q in mine)) > selection.k:
            problems.append(
                f"{name}: the fewest people add up to {low}, more than the panel's {selection.k}. Lower some of them."
            )
        if (high := sum(q.max for q in mine)) < selection.k:
            problems.append(
                f"{name}: the most people add up to {high}, fewer than the panel's {selection.k}. Raise some of them."
            )
    if problems:
        return Check(False, problems, [], size, frozen.get("left_out", {}))
    try:
        found: QuotaCheck = engine().check_quotas(instance_of(frozen, quotas, selection.k))
    except PanelError as error:
        return Check(False, list(error.messages), [], size, frozen.get("left_out", {}))
    return Check(found.feasible, list(found.problems), list(found.relaxations), size, frozen.get("left_out", {}))


# --- running ---------------------------------------------------------------------------------------------


@transaction.atomic
def freeze_pool(selection: Selection) -> dict[str, Any]:
    """Fix who the selection chooses from: its members (numbered) and the anonymous inputs it publishes."""
    pool = current_pool(_quota_features(selection))
    selection.members.all().delete()
    SelectionMember.objects.bulk_create(
        [SelectionMember(selection=selection, number=n, volunteer_id=v) for n, v, _, _ in pool.people], batch_size=2000
    )
    selection.pool = pool.as_json()
    return selection.pool


@transaction.atomic
def start_run(*, selection: Selection, method: str, by: Any) -> Selection:
    """Check the quotas, fix the pool and queue the fair selection for the background worker."""
    from ..tasks import run_selection

    selection = _locked(selection)
    if method not in Selection.Method.values:
        raise PanelError({"method": "Choose how to select: leximin, maximin or legacy."})
    if selection.status not in {S.QUOTAS_SET, S.READY}:
        raise PanelError("Set the quotas before running the selection.")
    found = check(selection=selection)
    if not found.feasible:
        raise PanelError(["The quotas cannot be met, so the selection was not run.", *found.problems])
    if not selection.replaces_id:
        freeze_pool(selection)
    _discard_result(selection)
    selection.method = method
    selection.progress = "Waiting for the background worker to start."
    selection.run_error = ""
    selection.run_started_at = timezone.now()
    take(SELECTION, selection, "run", by=by)
    selection_id = selection.pk

    def enqueue() -> None:
        result = run_selection.enqueue(selection_id)
        Selection.objects.filter(pk=selection_id).update(job_id=str(result.id))

    transaction.on_commit(enqueue)
    return selection


def _progress_writer(selection_id: int) -> Any:
    """A callback for the engine: writes how far it has got, at most once a second."""
    last = [0.0]

    def report(*args: Any, **kwargs: Any) -> None:
        now = time.monotonic()
        if now - last[0] < 1.0:
            return
        last[0] = now
        text = " ".join(str(a) for a in args) or ", ".join(f"{k} {v}" for k, v in kwargs.items())
        Selection.objects.filter(pk=selection_id, status=S.RUNNING).update(progress=text[:300])

    return report


def time_limit_seconds() -> float:
    """How long a run may take before the engine stops with what it has (settings.COMMONWEAL_PANEL_SECONDS)."""
    return float(getattr(settings, "COMMONWEAL_PANEL_SECONDS", DEFAULT_SECONDS))


def complete_run(*, selection_id: int, time_limit: float | None = None) -> Selection | None:
    """The background run: compute the fair distribution and keep it; on any failure, go back to quotas set
    with the reason. Returns the selection, or None if it is no longer waiting for a run."""
    time_limit = time_limit if time_limit is not None else time_limit_seconds()
    selection = Selection.objects.filter(pk=selection_id, status=S.RUNNING).first()
    if selection is None:
        return None
    try:
        instance = instance_of(selection.pool, selection.quotas.all(), selection.k)
        result: Distribution = engine().select(
            instance,
            method=selection.method,
            seed=selection.pk,
            time_limit=time_limit,
            progress=_progress_writer(selection.pk),
        )
    except Exception as error:  # noqa: BLE001 - any failure is told to the officer, the details go to the log
        logger.exception("Selection %s failed", selection_id)
        message = "; ".join(error.messages) if isinstance(error, PanelError) else str(error) or type(error).__name__
        fail_run(selection_id=selection_id, message=f"The selection could not be run: {message}")
        return Selection.objects.get(pk=selection_id)
    return keep_result(selection_id=selection_id, result=result)


@transaction.atomic
def keep_result(*, selection_id: int, result: Distribution) -> Selection | None:
    selection = (
        Selection.objects.select_for_update().defer(*Selection.BIG).filter(pk=selection_id, status=S.RUNNING).first()
    )
    if selection is None:
        return None
    selection.panels = compact(result)
    selection.panel_count = len(result.panels)
    selection.min_probability = float(result.min_probability)
    selection.upper_bound = float(result.upper_bound)
    selection.gap = float(result.gap)
    selection.excluded = sorted(int(i) for i in result.excluded)
    selection.seconds = float(result.seconds)
    selection.complete = bool(getattr(result, "complete", True))
    selection.progress = ""
    members = list(selection.members.all())
    for member in members:
        member.probability = float(result.probabilities.get(str(member.number), 0.0))
    SelectionMember.objects.bulk_update(members, ["probability"], batch_size=2000)
    take(SELECTION, selection, "finish", by=None)
    return selection


@transaction.atomic
def keep_kept_result(*, selection_id: int, kept: dict[str, Any]) -> Selection | None:
    """A result computed earlier for exactly this frozen pool and these quotas (the demo's), kept as a run's."""
    selection = (
        Selection.objects.select_for_update().defer(*Selection.BIG).filter(pk=selection_id, status=S.RUNNING).first()
    )
    if selection is None:
        return None
    selection.panels = kept["distribution"]
    selection.panel_count = kept["panel_count"]
    selection.method = kept["method"]
    for name in ("min_probability", "upper_bound", "gap", "excluded", "seconds", "complete"):
        setattr(selection, name, kept[name])
    selection.progress = ""
    members = list(selection.members.all())
    for member in members:
        member.probability = float(kept["probabilities"].get(str(member.number), 0.0))
    SelectionMember.objects.bulk_update(members, ["probability"], batch_size=2000)
    take(SELECTION, selection, "finish", by=None)
    return selection


@transaction.atomic
def fail_run(*, selection_id: int, message: str) -> None:
    selection = (
        Selection.objects.select_for_update().defer(*Selection.BIG).filter(pk=selection_id, status=S.RUNNING).first()
    )
    if selection is None:
        return
    selection.run_error = message
    selection.progress = ""
    take(SELECTION, selection, "fail", by=None)


# --- the lottery and the draw ------------------------------------------------------------------------------


def compact(result: Distribution) -> dict[str, Any]:
    """The distribution as kept: over groups of interchangeable volunteers (their numbers), each panel as the
    seats it gives each group that has any, with its weight; tens of thousands of people-panels fit in a few
    hundred group-panels. Legacy's panels have no groups and are kept as they are."""
    if result.groups:
        return {
            "groups": [[int(i) for i in group] for group in result.groups],
            "panels": [
                [[[u, int(c)] for u, c in enumerate(counts) if c], float(weight)]
                for counts, weight in result.group_panels
            ],
        }
    return {"groups": [], "panels": [[sorted(int(i) for i in panel), float(weight)] for panel, weight in result.panels]}


def distribution_of(selection: Selection) -> Distribution:
    """The kept distribution as the engine's Distribution, for its lottery (which rounds the group form)."""
    sortition = engine()
    kept = selection.panels
    members = selection.members.values_list("number", "probability")
    groups = tuple(tuple(str(i) for i in group) for group in kept.get("groups", []))
    if groups:
        group_panels = []
        panels = []
        for seats, weight in kept["panels"]:
            counts = [0] * len(groups)
            chosen: list[str] = []
            for u, c in seats:
                counts[u] = c
                chosen.extend(groups[u][:c])  # one way to seat them: the lottery seats each group in turn
            group_panels.append((tuple(counts), weight))
            panels.append((frozenset(chosen), weight))
    else:
        group_panels, panels = [], [(frozenset(str(i) for i in panel), w) for panel, w in kept.get("panels", [])]
    return sortition.Distribution(
        method=selection.method,
        panels=tuple(panels),
        probabilities={str(n): p or 0.0 for n, p in members},
        min_probability=selection.min_probability,
        upper_bound=selection.upper_bound,
        gap=selection.gap,
        excluded=tuple(str(i) for i in selection.excluded),
        seconds=selection.seconds,
        groups=groups,
        group_panels=tuple(group_panels),
    )


def lottery_panels(selection: Selection) -> tuple[frozenset[str], ...]:
    return tuple(frozenset(str(i) for i in panel) for panel in selection.lottery)


@transaction.atomic
def publish_lottery(*, selection: Selection, by: Any) -> Selection:
    """Fix the m panels everyone may be drawn in, and their SHA-256 digest, before any random number is known."""
    selection = _locked(selection)
    if selection.status != S.READY:
        raise PanelError("Only a selection whose distribution is ready can have its lottery published.")
    sortition = engine()
    panels = sortition.lottery(distribution_of(selection), m=M, seed=selection.lottery_seed)
    selection.lottery = [sorted(int(i) for i in panel) for panel in panels]
    selection.lottery_size = len(selection.lottery)
    selection.lottery_digest = sortition.lottery_digest(panels)
    selection.published_at = timezone.now()
    take(SELECTION, selection, "publish", by=by)
    return selection


def _clean_number(raw: Any) -> str:
    text = "".join(str(raw or "").split()).replace(",", "")
    if not text:
        raise PanelError({"random_number": "Enter the random number that was published, like 4821."})
    if not text.isdigit():
        raise PanelError({"random_number": "Enter the random number as digits only, like 4821."})
    if len(text) > 200:
        raise PanelError({"random_number": "Enter a number of 200 digits or fewer."})
    return text


@transaction.atomic
def record_draw(*, selection: Selection, random_number: Any, by: Any, tell: bool = True) -> Selection:
    """The public draw: the published number picks panel number mod m; its people are selected and told (unless
    `tell` is False: the demo's invented people have no inboxes)."""
    number = _clean_number(random_number)
    selection = _locked(selection)
    if selection.status != S.PUBLISHED:
        raise PanelError("Publish the lottery before the draw, so everyone can see the panels first.")
    index = int(engine().draw(lottery_panels(selection), number))
    selection.random_number = number
    selection.drawn_index = index
    selection.drawn_panel = selection.lottery[index]
    selection.drawn_at = timezone.now()
    take(SELECTION, selection, "draw", by=by)
    chosen = set(selection.drawn_panel)
    selection.members.filter(number__in=chosen).update(selected=True)
    volunteers = Volunteer.objects.filter(memberships__selection=selection, memberships__number__in=chosen)
    with acting(by):
        for volunteer in volunteers:
            volunteer.status = Volunteer.Status.SELECTED
            volunteer.save(update_fields=["status"])
            if not tell:
                continue
            email_on_commit(
                to=[volunteer.email],
                subject=f"You have been selected for the citizens' panel: {selection.title}",
                template="panels/emails/selected.txt",
                context={
                    "volunteer": volunteer,
                    "selection": selection,
                    "status_url": site_url(reverse("panels:status_link", args=[volunteer.status_token])),
                },
            )
    return selection


# --- replacements --------------------------------------------------------------------------------------


@transaction.atomic
def replace(*, selection: Selection, dropped: Sequence[int], by: Any) -> Selection:
    """People who dropped out of a drawn panel are replaced by a selection of its own: the quotas less what the
    people who stayed already fill, from the volunteers not drawn, with its own lottery and public draw."""
    selection = _locked(selection)
    if selection.status != S.DRAWN:
        raise PanelError("Replacements are drawn only once the panel itself has been drawn.")
    chosen = set(selection.members.filter(selected=True, dropped_out=False).values_list("number", flat=True))
    gone = {int(n) for n in dropped}
    if not gone:
        raise PanelError({"dropped": "Choose the people who dropped out."})
    if not gone <= chosen:
        raise PanelError({"dropped": "Only people on the drawn panel who have not dropped out can be replaced."})
    sortition = engine()
    instance = instance_of(selection.pool, selection.quotas.all(), selection.k)
    kept = chosen - gone
    try:
        child = sortition.replacement_instance(
            instance, kept=frozenset(str(n) for n in kept), dropped=frozenset(str(n) for n in gone)
        )
    except sortition.PoolError as error:
        raise PanelError(list(getattr(error, "messages", None) or [str(error)])) from error
    selection.members.filter(number__in=gone).update(dropped_out=True)
    features = selection.pool.get("features", [])
    people = sorted(child.people, key=lambda p: int(p.id))
    pool = {
        "features": features,
        "people": [[int(p.id), p.household, *(p.features[f] for f in features)] for p in people],
        "left_out": {},
    }
    n = selection.replacements.count() + 1
    with acting(by):
        replacement = Selection.objects.create(
            slug=_unique_slug(f"{selection.title} replacements {n}"),
            title=f"{selection.title}: replacements ({n})",
            k=child.k,
            method=selection.method,
            status=S.QUOTAS_SET,
            replaces=selection,
            created_by=by if _person(by) else None,
            pool=pool,
            is_demo=selection.is_demo,
        )
    volunteer_of = dict(selection.members.values_list("number", "volunteer_id"))
    SelectionMember.objects.bulk_create(
        [
            SelectionMember(selection=replacement, number=int(p.id), volunteer_id=volunteer_of.get(int(p.id)))
            for p in people
        ]
    )
    SelectionQuota.objects.bulk_create(
        [
            SelectionQuota(selection=replacement, feature=q.feature, value=q.value, position=i, min=q.min, max=q.max)
            for i, q in enumerate(child.quotas)
        ]
    )
    return replacement
