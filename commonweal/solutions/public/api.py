"""The public log as open data: /api/solutions/blockages (paged like the Open Referral UK API, with the same
envelope, error bodies and open CORS) and /api/solutions/blockages/{id}, documented in /api/docs.

It serves the public log's fields and nothing else: who raised a blockage only as `public_row` names them
(their name or group only when they agreed), never an email, a phone number, an account or an officer.
Parameters are read one by one, as the directory's API reads them, so a mistake is a 400 with a sentence.
"""

from __future__ import annotations

import uuid as uuids
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.utils import timezone

from commonweal.core.openapi import page_schema, paging_parameters, query_parameter
from commonweal.directory.api import ApiError, Params, Problem, error_response, page_envelope, read_page
from commonweal.directory.oruk_openapi import DEFAULT_PER_PAGE, MAX_PAGE, MAX_PER_PAGE, MAX_SEARCH_LENGTH

from ..models import Blockage, Category
from . import queries

STATUS_VALUES = [value for value, _label in queries.STATUS_FILTERS if value]
EXAMPLE_ID = "3f7b145d-84af-42d7-8fae-eaca714b02b2"


def _when(moment: Any) -> str | None:
    return timezone.localtime(moment).isoformat() if moment else None


def _day(moment: Any) -> str | None:
    return timezone.localdate(moment).isoformat() if moment else None


def blockage_record(row: dict[str, Any], *, request: HttpRequest) -> dict[str, Any]:
    """A blockage's public fields, as the feed serves them."""
    b: Blockage = row["blockage"]
    closed = b.status in queries.CLOSED_STATUSES
    return {
        "id": str(b.uuid),
        "reference": row["reference"],
        "url": request.build_absolute_uri(reverse("solutions:public_blockage", args=[b.uuid])),
        "title": b.title,
        "description": b.description,
        "category": b.category.name,
        "category_slug": b.category.slug,
        "ward": b.ward.name if b.ward else None,
        "ward_code": b.ward.code if b.ward else None,
        "latitude": b.latitude,
        "longitude": b.longitude,
        "status": b.status,
        "status_label": str(b.get_status_display()),
        "is_open": b.is_open,
        "departments": row["departments"],
        "raised_by": row["raised_by"],
        "raised_on": _day(b.raised_at),
        "closed_on": _day(b.closed_at) if closed else None,
        "age_working_days": row["age"].working_days,
        "what_changed": str(b.get_change_display()) if closed and b.change else None,
        "what_changed_detail": b.change_detail if closed and b.change_detail else None,
        "joined_to": b.joined_to.reference if b.joined_to_id and b.joined_to else None,
        "last_modified": _when(b.updated_at),
    }


def _filters(params: Params) -> dict[str, Any]:
    status = params.raw("status").lower()
    if status and status not in STATUS_VALUES:
        params.problem("status", f"status must be one of {', '.join(STATUS_VALUES)} (you sent '{status[:40]}').")
        status = ""
    category = params.text("category", max_length=80)
    if category and not Category.objects.filter(slug=category).exists():
        params.problem(
            "category",
            f"category must be the category_slug of one of the council's categories (you sent '{category[:40]}').",
        )
        category = ""
    ward = params.text("ward_code", max_length=9)
    if ward:
        from commonweal.places.models import Ward

        if not Ward.objects.filter(code=ward.upper()).exists():
            params.problem(
                "ward_code",
                "ward_code must be the ONS code of one of the council's wards, such as E05013810 "
                f"(you sent '{ward[:40]}').",
            )
        ward = ward.upper()
    return {
        "status": status,
        "category": category,
        "ward": ward,
        "words": params.text("search", max_length=MAX_SEARCH_LENGTH),
        "updated_since": params.moment("updated_since"),
    }


def blockages(request: HttpRequest) -> JsonResponse:
    """GET /api/solutions/blockages: a page of the public log, newest first."""
    try:
        paging, filters = read_page(request, _filters)
    except ApiError as error:
        return error_response(error.status, error.message, error.problems)
    found = queries.filtered(**filters)
    total = found.order_by().count()
    today, country = timezone.localdate(), queries.nation()
    rows = [
        queries.public_row(b, today=today, country=country)
        for b in queries.for_rows(found)[paging.start : paging.start + paging.per_page]
    ]
    contents = [blockage_record(row, request=request) for row in rows]
    return JsonResponse(page_envelope(contents, total=total, paging=paging))


def blockage(request: HttpRequest, id: str) -> JsonResponse:
    """GET /api/solutions/blockages/{id}: one blockage, with its public timeline."""
    if request.method != "GET":
        return error_response(405, "This API is read-only: use GET.")
    try:
        record_id = uuids.UUID(id)
    except ValueError:
        return error_response(
            400,
            f"'{id[:40]}' is not a blockage id: ids are UUIDs, such as {EXAMPLE_ID}.",
            [Problem("id", "Ids are UUIDs.")],
        )
    found = queries.for_rows(Blockage.objects.public().filter(uuid=record_id)).first()
    if found is None:
        return error_response(404, f"There is no public blockage with id {record_id}.")
    row = queries.public_row(found, today=timezone.localdate(), country=queries.nation())
    record = blockage_record(row, request=request)
    record["timeline"] = [
        {"step": step.name, "on": _day(step.at), "note": step.note} for step in queries.timeline(found)
    ]
    return JsonResponse(record)


# --- the document ------------------------------------------------------------------------------------------------


def _string(description: str, **more: Any) -> dict[str, Any]:
    return {"type": "string", "description": description, **more}


def _nullable(kind: str, description: str, **more: Any) -> dict[str, Any]:
    return {"type": kind, "nullable": True, "description": description, **more}


BLOCKAGE_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "A blockage on the public log. Never holds personal data: who raised it is shown only as "
    "'A resident' or 'A community group' unless they agreed to be named.",
    "properties": {
        "id": _string("The blockage's id.", format="uuid"),
        "reference": _string("The council's reference, such as B00012."),
        "url": _string("The blockage's public page.", format="uri"),
        "title": _string("What is blocked, in a few words."),
        "description": _string("What is blocked, as the person who raised it put it."),
        "category": _string("The kind of blockage, which decides the departments it goes to."),
        "category_slug": _string("The category's code: use it in the category filter."),
        "ward": _nullable("string", "The ward it is in, if one was given."),
        "ward_code": _nullable("string", "The ward's ONS code (E05...)."),
        "latitude": _nullable("number", "Where it is (WGS84), if a point was given."),
        "longitude": _nullable("number", "Where it is (WGS84), if a point was given."),
        "status": _string(
            "Where it is in its life.", enum=[str(s.value) for s in queries.LISTED_STATUSES] + ["joined"]
        ),
        "status_label": _string("The status in words."),
        "is_open": {"type": "boolean", "description": "True until it is resolved or closed as not resolvable."},
        "departments": {
            "type": "array",
            "items": {"type": "string"},
            "description": "The council departments it is routed to.",
        },
        "raised_by": _string(
            "Who raised it: their name or group only if they agreed, otherwise 'A resident' or 'A community group'."
        ),
        "raised_on": _string("The day it was raised.", format="date"),
        "closed_on": _nullable("string", "The day it was closed, once closed.", format="date"),
        "age_working_days": {
            "type": "integer",
            "description": "Working days since it was raised; once closed, the working days it took.",
        },
        "what_changed": _nullable("string", "Once closed: what changed because of it (a rule, a process, ...)."),
        "what_changed_detail": _nullable("string", "Once closed: what changed, in detail."),
        "joined_to": _nullable("string", "The reference of the blockage this one was joined to, if it was."),
        "last_modified": _string("When the blockage last changed.", format="date-time"),
        "timeline": {
            "type": "array",
            "description": "Only on /blockages/{id}: each step, when, and the council's note.",
            "items": {
                "type": "object",
                "properties": {
                    "step": _string("The step, in words."),
                    "on": _string("The day it was taken.", format="date"),
                    "note": _string("What the council said (empty for the raiser's own steps)."),
                },
            },
        },
    },
}


def document_paths(document: dict[str, Any], api_root: str) -> None:
    """Add the blockages feed to /api/docs (its paths carry their own server: /api, not /api/oruk)."""
    schemas = document.setdefault("components", {}).setdefault("schemas", {})
    schemas["SolutionsBlockage"] = BLOCKAGE_SCHEMA
    error = {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    servers = [{"url": api_root, "description": "The council's open data: the Solutions Framework"}]
    listing = {
        "servers": servers,
        "get": {
            "tags": ["Solutions Framework"],
            "summary": "Paginated list of the public log of blockages, newest first.",
            "description": "Every blockage the public log shows (a resident's is there once they confirm their "
            "email; one joined to another is left out). Paged like the Open Referral UK endpoints.",
            "operationId": "getPaginatedListOfBlockages",
            "parameters": [
                *paging_parameters(max_page=MAX_PAGE, default_per_page=DEFAULT_PER_PAGE, max_per_page=MAX_PER_PAGE),
                query_parameter("status", "open, closed, or one status.", {"type": "string", "enum": STATUS_VALUES}),
                query_parameter("category", "A category_slug.", {"type": "string", "maxLength": 80}),
                query_parameter("ward_code", "A ward's ONS code (E05...).", {"type": "string", "maxLength": 9}),
                query_parameter("search", "Words in the title or description.", {"type": "string", "maxLength": 200}),
                query_parameter(
                    "updated_since",
                    "Only blockages changed since this date (2024-05-01) or ISO 8601 date and time.",
                    {"type": "string", "format": "date-time"},
                ),
            ],
            "responses": {
                "200": {
                    "description": "A page of blockages.",
                    "content": {
                        "application/json": {
                            "schema": page_schema("#/components/schemas/SolutionsBlockage", "Blockages")
                        }
                    },
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
                "description": "The blockage's id.",
                "schema": {"type": "string", "format": "uuid"},
            }
        ],
        "get": {
            "tags": ["Solutions Framework"],
            "summary": "One blockage from the public log, with its timeline.",
            "operationId": "getBlockageById",
            "responses": {
                "200": {
                    "description": "The blockage.",
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SolutionsBlockage"}}},
                },
                "400": {"description": "The id is not a UUID.", **error},
                "404": {"description": "There is no public blockage with this id.", **error},
            },
        },
    }
    document["paths"]["/solutions/blockages"] = listing
    document["paths"]["/solutions/blockages/{id}"] = single
