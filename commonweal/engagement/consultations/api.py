"""Published consultations as open data: /api/engagement/consultations (paged like the Open Referral UK API, with
the same envelope, error bodies and open CORS) and /api/engagement/consultations/{id}, documented in /api/docs.

It serves what the public pages show and nothing more: no officer's or respondent's name or email address, never a
draft. A withdrawn consultation stays, with its status, as its page does. Parameters are read one by one, as the
directory's API reads them, so a mistake is a 400 with a sentence.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from commonweal.core.openapi import page_schema, paging_parameters, query_parameter
from commonweal.directory.api import ApiError, Params, Problem, error_response, page_envelope, read_page
from commonweal.directory.oruk_openapi import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE
from commonweal.framework.models import Theme
from commonweal.places.models import Ward

from .. import gunning
from ..models import Consultation, ImpactAssessment
from . import queries

PHASES = ["forthcoming", "open", "closed", "decided", "withdrawn"]
EXAMPLE_ID = "high-street-plan"


def _day(value: Any) -> str | None:
    return value.isoformat() if value else None


def _we_did_url(request: HttpRequest, slug: str) -> str | None:
    try:
        return request.build_absolute_uri(reverse("engagement:we_did", args=[slug]))
    except NoReverseMatch:  # the closing area's page, where it is installed
        return None


def _impacts(consultation: Consultation, stage: str) -> list[dict[str, Any]]:
    return [
        {
            "characteristic": r["row"].characteristic,
            "characteristic_label": str(r["label"]),
            "impact": r["row"].impact,
            "evidence": r["row"].evidence,
            "mitigations": r["row"].mitigations,
        }
        for r in queries.impact_table(consultation, stage)
    ]


def consultation_record(c: Consultation, *, request: HttpRequest, today: Any, responses: int) -> dict[str, Any]:
    """A consultation's public fields, as the feed serves them."""
    days = gunning.running_days(c.opens_on, c.closes_on) if c.opens_on and c.closes_on else None
    decided = c.status == Consultation.Status.DECIDED
    return {
        "id": c.slug,
        "url": request.build_absolute_uri(reverse("engagement:consultation", args=[c.slug])),
        "title": c.title,
        "summary": c.summary,
        "department": c.department.name,
        "wards": [{"code": w.code, "name": w.name} for w in sorted(c.wards.all(), key=lambda w: w.name)],
        "themes": [{"id": t.pk, "name": t.name} for t in c.theme_list],  # type: ignore[attr-defined]
        "opens_on": _day(c.opens_on),
        "closes_on": _day(c.closes_on),
        "phase": c.phase(today),
        "withdrawn_reason": c.withdrawn_reason or None,
        "gunning": {
            "formative": {
                "statement": c.formative_statement,
                "options_open": c.options_open,
                "decision_maker": c.decision_maker,
                "decision_due_on": _day(c.decision_due_on),
            },
            "information": c.information_statement,
            "time": {
                "weeks": round(days / 7, 1) if days is not None else None,
                "days": days,
                "short_period_reason": c.short_period_reason or None,
            },
            "consideration": {"plan": c.consideration_plan, "considered_by": c.considered_by},
            "completed_on": _day(timezone.localdate(c.gunning_completed_at)) if c.gunning_completed_at else None,
        },
        "equality_impact": {
            "launch": _impacts(c, ImpactAssessment.Stage.LAUNCH),
            "closing": _impacts(c, ImpactAssessment.Stage.CLOSING),
        },
        "documents": [
            {
                "title": d.title,
                "kind": d.kind,
                "language": d.language,
                "url": request.build_absolute_uri(reverse("engagement:consultation_document", args=[c.slug, d.pk])),
            }
            for d in queries.ordered_documents(c)
        ],
        "outcome": (
            {
                "you_said": c.you_said,
                "decision": c.decision,
                "how_changed": c.how_changed,
                "decision_paper_url": c.decision_paper_url or None,
                "decided_on": _day(timezone.localdate(c.decided_at)) if c.decided_at else None,
                "url": _we_did_url(request, c.slug),
            }
            if decided
            else None
        ),
        "response_count": responses,
    }


def _filters(params: Params) -> dict[str, Any]:
    phase = params.raw("phase").lower()
    if phase and phase not in PHASES:
        params.problem("phase", f"phase must be one of {', '.join(PHASES)} (you sent '{phase[:40]}').")
        phase = ""
    ward_code = params.text("ward", max_length=9).upper()
    ward = None
    if ward_code:
        ward = Ward.objects.filter(code=ward_code).values_list("pk", flat=True).first()
        if ward is None:
            params.problem(
                "ward",
                "ward must be the ONS code of one of the council's wards, such as E05013810 "
                f"(you sent '{ward_code[:40]}').",
            )
    theme = params.whole("theme", default=None, low=1, high=2**31 - 1)
    if theme is not None and not Theme.objects.filter(pk=theme).exists():
        params.problem("theme", f"theme must be the id of one of the framework's themes (you sent '{theme}').")
        theme = None
    return {"phase": phase, "ward": ward, "theme": theme}


def _filtered(*, phase: str, ward: int | None, theme: int | None, today: Any) -> Any:
    found = queries.public()
    if phase:
        found = queries.in_phase(found, phase, today)
    else:
        found = found.order_by("-opens_on", "slug")
    if ward is not None:
        found = found.filter(wards=ward)
    if theme is not None:
        found = found.filter(themes=theme)
    return found


def consultations(request: HttpRequest) -> JsonResponse:
    """GET /api/engagement/consultations: a page of published, decided and withdrawn consultations."""
    try:
        paging, filters = read_page(request, _filters)
    except ApiError as error:
        return error_response(error.status, error.message, error.problems)
    today = timezone.localdate()
    found = _filtered(today=today, **filters)
    total = found.order_by().values("pk").distinct().count()
    ids = list(found.values_list("pk", flat=True).distinct()[paging.start : paging.start + paging.per_page])
    rows = {c.pk: c for c in queries.themes_of(list(queries.with_everything(Consultation.objects.filter(pk__in=ids))))}
    counts = queries.response_counts(ids)
    contents = [
        consultation_record(rows[pk], request=request, today=today, responses=counts.get(pk, 0))
        for pk in ids
        if pk in rows
    ]
    return JsonResponse(page_envelope(contents, total=total, paging=paging))


def consultation(request: HttpRequest, id: str) -> JsonResponse:
    """GET /api/engagement/consultations/{id}: one consultation by its id (the slug of its address)."""
    if request.method != "GET":
        return error_response(405, "This API is read-only: use GET.")
    if len(id) > 120 or "\x00" in id:
        return error_response(
            400,
            "That is not a consultation id: ids are the last part of its address, such as high-street-plan.",
            [Problem("id", "Ids are 120 characters or fewer.")],
        )
    found = queries.public_one(id)
    if found is None:
        return error_response(404, f"There is no published consultation with id {id[:40]}.")
    counts = queries.response_counts([found.pk])
    return JsonResponse(
        consultation_record(found, request=request, today=timezone.localdate(), responses=counts.get(found.pk, 0))
    )


# --- the document ------------------------------------------------------------------------------------------------


def _string(description: str, **more: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **more}


def _nullable(kind: str, description: str, **more: Any) -> dict[str, Any]:
    return {"type": kind, "nullable": True, "description": description, **more}


IMPACT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "characteristic": _string("The characteristic's code (age, disability, race, socio_economic, ...)."),
        "characteristic_label": _string("The characteristic in words."),
        "impact": _string("The likely impact.", enum=list(ImpactAssessment.Impact.values)),
        "evidence": _string("The evidence for it."),
        "mitigations": _string("How a negative impact will be reduced."),
    },
}

CONSULTATION_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A published consultation with its Gunning check, equality impact assessment and, once decided, "
    "its outcome. Holds no personal data.",
    "properties": {
        "id": _string("The consultation's id: the last part of its address."),
        "url": _string("Its public page.", format="uri"),
        "title": _string("Its title."),
        "summary": _string("What it is about, in plain English."),
        "department": _string("The council department running it."),
        "wards": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {"code": _string("The ward's ONS code (E05...)."), "name": _string("The ward's name.")},
            },
        },
        "themes": {
            "type": "array",
            "items": {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}},
        },
        "opens_on": _nullable("string", "The first day it is open.", format="date"),
        "closes_on": _nullable("string", "The last day it is open (it closes at the end of it).", format="date"),
        "phase": _string("Where it stands today.", enum=PHASES),
        "withdrawn_reason": _nullable("string", "Why it was withdrawn, if it was."),
        "gunning": {
            "type": "object",
            "description": "How it meets the four Gunning principles.",
            "properties": {
                "formative": {"type": "object"},
                "information": _string("The reasons and information given."),
                "time": {"type": "object"},
                "consideration": {"type": "object"},
                "completed_on": _nullable("string", "The day the check was completed.", format="date"),
            },
        },
        "equality_impact": {
            "type": "object",
            "properties": {
                "launch": {"type": "array", "items": IMPACT_SCHEMA},
                "closing": {"type": "array", "items": IMPACT_SCHEMA},
            },
        },
        "documents": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "kind": {"type": "string"},
                    "language": {"type": "string"},
                    "url": {"type": "string", "format": "uri"},
                },
            },
        },
        "outcome": {
            "type": "object",
            "nullable": True,
            "description": "Null until decided: 'we asked, you said, we did'.",
            "properties": {
                "you_said": {"type": "string", "description": "What people said, in summary."},
                "decision": {"type": "string", "description": "What was decided."},
                "how_changed": {"type": "string", "description": "How the responses changed it."},
                "decision_paper_url": {"type": "string", "nullable": True, "format": "uri"},
                "decided_on": {"type": "string", "format": "date", "nullable": True},
                "url": {"type": "string", "nullable": True, "format": "uri", "description": "The 'we did' page."},
            },
        },
        "response_count": {"type": "integer", "description": "Responses submitted."},
    },
}


def document_paths(document: dict[str, Any], api_root: str) -> None:
    """Add the consultations feed to /api/docs (its paths carry their own server: /api)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["EngagementConsultation"] = CONSULTATION_SCHEMA
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    servers = [{"url": api_root, "description": "The council's open data: consultations"}]
    page = page_schema("#/components/schemas/EngagementConsultation", "Consultations")
    listing = {
        "servers": servers,
        "get": {
            "tags": ["Engagement"],
            "summary": "Paginated list of published consultations, newest first.",
            "description": "Published, decided and withdrawn consultations (never drafts), with their Gunning "
            "check, equality impact assessment and outcome. Paged like the Open Referral UK endpoints.",
            "operationId": "getPaginatedListOfConsultations",
            "parameters": [
                *paging_parameters(max_page=MAX_PAGE, default_per_page=DEFAULT_PER_PAGE, max_per_page=MAX_PER_PAGE),
                query_parameter("phase", "Only those in this phase today.", {"type": "string", "enum": PHASES}),
                query_parameter("ward", "A ward's ONS code (E05...).", {"type": "string", "maxLength": 9}),
                query_parameter("theme", "A framework theme's id.", {"type": "integer", "minimum": 1}),
            ],
            "responses": {
                "200": {
                    "description": "A page of consultations.",
                    "content": {"application/json": {"schema": page}},
                },
                "400": {"description": "A parameter is not valid; the body says which and why.", **error},
            },
        },
    }
    single = {
        "servers": servers,
        "parameters": [
            {
                "in": "path",
                "name": "id",
                "required": True,
                "description": "The consultation's id.",
                "schema": {"type": "string", "maxLength": 120},
            }
        ],
        "get": {
            "tags": ["Engagement"],
            "summary": "One published consultation.",
            "operationId": "getConsultationById",
            "responses": {
                "200": {
                    "description": "The consultation.",
                    "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/EngagementConsultation"}}
                    },
                },
                "400": {"description": "The id is not valid.", **error},
                "404": {"description": "There is no published consultation with this id.", **error},
            },
        },
    }
    document["paths"]["/engagement/consultations"] = listing
    document["paths"]["/engagement/consultations/{id}"] = single
