"""Reads for raising a blockage: the choices the form offers, open blockages like the one being raised, and the
raiser's own list.

Similar blockages are found in a bounded set of candidates read through indexes (the same category, the same
ward, or near the point), then scored in Python by the words they share, folded and with stop words dropped as
the directory search does: at 50,000 blockages the page still reads a few hundred rows at most.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from commonweal.accounts.models import Organisation
from commonweal.accounts.roles import Role
from commonweal.directory import search_text
from commonweal.directory.models import Asset
from commonweal.places.models import Ward

from ..models import OPEN_STATUSES, Blockage, Category, Supporter
from ..permissions import signed_in

SIMILAR_SHOWN = 5
NEAR_METRES = 500
# How many of the newest open blockages each way of finding candidates reads, at most.
CANDIDATES = 200


def categories() -> list[Category]:
    return list(Category.objects.filter(is_active=True).order_by("position", "name"))


def wards() -> list[Ward]:
    return list(Ward.objects.order_by("name").only("pk", "name"))


def assets() -> list[Asset]:
    """Places and buildings in the directory a blockage may be about."""
    return list(
        Asset.objects.published()
        .filter(kind__in=[Asset.Kind.SPACE, Asset.Kind.INSTITUTION])
        .order_by("name")
        .only("pk", "name")[:500]
    )


def groups_of(user: Any) -> list[Organisation]:
    """The groups this person may raise a blockage for: those they are a member of."""
    if not signed_in(user):
        return []
    ids = user.organisation_ids_for(Role.GROUP_MEMBER)
    return list(Organisation.objects.filter(pk__in=ids).order_by("name")) if ids else []


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    dlat = (lat2 - lat1) * search_text.METRES_PER_DEGREE
    dlon = (lon2 - lon1) * search_text.METRES_PER_DEGREE * math.cos(math.radians((lat1 + lat2) / 2))
    return math.hypot(dlat, dlon)


@dataclass(frozen=True)
class Similar:
    blockage: Blockage
    words: list[str]  # the words it shares with the new one
    same_ward: bool
    metres: float | None  # how far its point is from the new one's, where both have one


def _open() -> QuerySet[Blockage]:
    return Blockage.objects.filter(status__in=list(OPEN_STATUSES))


def similar_blockages(
    *,
    title: str,
    description: str,
    council_process: str = "",
    category_id: int | None,
    ward_id: int | None,
    latitude: float | None,
    longitude: float | None,
) -> list[Similar]:
    """Up to SIMILAR_SHOWN open blockages most like the one described: by the words they share (the title's
    counting double) and by place (the same ward, or within NEAR_METRES of its point)."""
    wanted = set(search_text.query_words(f"{title} {description[:1000]} {council_process[:500]}"))
    title_words = set(search_text.query_words(title))
    reads: list[QuerySet[Blockage]] = []
    if category_id is not None:
        reads.append(_open().filter(category_id=category_id))
    if ward_id is not None:
        reads.append(_open().filter(ward_id=ward_id))
    if latitude is not None and longitude is not None:
        box = search_text.bounding_box(latitude, longitude, NEAR_METRES)
        reads.append(
            _open().filter(
                latitude__gte=box.min_lat,
                latitude__lte=box.max_lat,
                longitude__gte=box.min_lon,
                longitude__lte=box.max_lon,
            )
        )
    # Words in the title found by the database too, so a match in another category is not missed.
    longest = sorted((w for w in title_words if len(w) > 3), key=len, reverse=True)[:2]
    if longest:
        words_match = Q()
        for word in longest:
            words_match |= Q(title__icontains=word)
        reads.append(_open().filter(words_match))
    if not reads:
        return []
    ids: set[int] = set()
    for read in reads:
        ids.update(read.order_by("-raised_at").values_list("pk", flat=True)[:CANDIDATES])
    candidates = (
        Blockage.objects.filter(pk__in=ids)
        .select_related("ward", "category")
        .only(
            "pk",
            "uuid",
            "title",
            "description",
            "council_process",
            "status",
            "raised_at",
            "due_on",
            "latitude",
            "longitude",
            "ward__name",
            "category__name",
        )
    )
    scored: list[tuple[float, Similar]] = []
    for candidate in candidates:
        theirs = set(
            search_text.query_words(f"{candidate.title} {candidate.description[:1000]} {candidate.council_process}")
        )
        shared = wanted & theirs
        score = float(len(shared) + len(title_words & set(search_text.query_words(candidate.title))))
        same_ward = ward_id is not None and candidate.ward_id == ward_id
        metres = None
        if None not in (latitude, longitude, candidate.latitude, candidate.longitude):
            metres = _metres(latitude, longitude, candidate.latitude, candidate.longitude)  # type: ignore[arg-type]
        near = metres is not None and metres <= NEAR_METRES
        if not shared and not near:
            continue  # the same ward or category alone is not enough to call it similar
        score += 2.0 if near else 1.0 if same_ward else 0.0
        score += 1.0 if candidate.category_id == category_id else 0.0
        scored.append((score, Similar(candidate, sorted(shared), same_ward, metres)))
    scored.sort(key=lambda pair: (-pair[0], -pair[1].blockage.raised_at.timestamp()))
    return [similar for _, similar in scored[:SIMILAR_SHOWN]]


def your_blockages(user: Any) -> QuerySet[Blockage]:
    """Every blockage this person raised, their groups raised, or they joined or support, newest first."""
    groups = user.organisation_ids_for(Role.GROUP_MEMBER)
    supported = Supporter.objects.filter(user=user).values("blockage_id")
    return (
        Blockage.objects.filter(Q(raised_by=user) | Q(organisation_id__in=groups) | Q(pk__in=supported))
        .select_related("category", "ward", "organisation", "joined_to")
        .order_by("-raised_at", "-pk")
    )


def your_blockage_counts(user: Any) -> dict[str, int]:
    """How many blockages are this person's (as your_blockages), and how many of them are open: one query."""
    return (
        your_blockages(user)
        .order_by()
        .aggregate(total=Count("pk"), open=Count("pk", filter=Q(status__in=list(OPEN_STATUSES))))
    )
