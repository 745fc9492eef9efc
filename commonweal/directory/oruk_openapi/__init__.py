"""The Open Referral UK profile's OpenAPI document (vendored, CC BY-SA 4.0: see README.md and LICENSE),
and the copy we serve at /api/docs: the same document adapted to this server and to what we support."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

HERE = Path(__file__).parent
PROFILE_DOCUMENT = HERE / "openapi.json"
COMPILED = HERE / "compiled"
UPSTREAM = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
# Far beyond any real directory (5 million records at 500 a page); past it the database's OFFSET would overflow.
MAX_PAGE = 10_000
MAX_PROXIMITY_METRES = 100_000
MAX_SEARCH_LENGTH = 200

# Every query parameter each endpoint reads: the profile's own, then the HSDS 3.0 ones the profile
# leaves out (organization_id, modified_after, minimal, full, format, full_service, top_only, parent_id).
# The filters of /services and /service_at_locations (they search the same way, one row a service or a place).
_SERVICE_FILTERS = (
    "search",
    "page",
    "per_page",
    "taxonomy_term_id",
    "taxonomy_id",
    "minimum_age",
    "maximum_age",
    "start_time",
    "end_time",
    "day",
    "postcode",
    "proximity",
    "organization_id",
    "modified_after",
)
ENDPOINT_PARAMETERS: dict[str, tuple[str, ...]] = {
    "/services": (*_SERVICE_FILTERS, "minimal", "full", "format"),
    "/service_at_locations": (*_SERVICE_FILTERS, "full", "format"),
    "/organizations": (
        "search",
        "page",
        "per_page",
        "taxonomy_term_id",
        "taxonomy_id",
        "full",
        "full_service",
        "format",
    ),
    "/organizations/{id}": ("full_service",),
    "/taxonomies": ("search", "page", "per_page", "format"),
    "/taxonomy_terms": ("search", "page", "per_page", "taxonomy_id", "top_only", "parent_id", "format"),
}


@lru_cache(maxsize=1)
def profile_document() -> dict[str, Any]:
    """The profile's document exactly as published."""
    with PROFILE_DOCUMENT.open(encoding="utf-8") as handle:
        document: dict[str, Any] = json.load(handle)
    return document


def compiled_schema(name: str) -> dict[str, Any]:
    """One of the profile's compiled JSON schemas, e.g. 'service_list'."""
    with (COMPILED / f"{name}.json").open(encoding="utf-8") as handle:
        schema: dict[str, Any] = json.load(handle)
    return schema


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/parameters/{name}"}


def _error_responses(*codes: int) -> dict[str, Any]:
    text = {
        400: "A query parameter or the id is not valid; the body says which and why.",
        404: "There is no published record with this id.",
    }
    return {
        str(code): {
            "description": text[code],
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }
        for code in codes
    }


def _list_response(item_ref: str, description: str) -> dict[str, Any]:
    return {
        "200": {
            "description": description,
            "content": {
                "application/json": {
                    "schema": {
                        "properties": {"contents": {"type": "array", "items": {"$ref": item_ref}}},
                        "allOf": [{"$ref": "#/components/schemas/Page"}],
                    }
                },
                "application/x-ndjson": {
                    "schema": {"$ref": item_ref},
                    "description": "With format=ndjson: every item, one JSON object a line, not paged.",
                },
            },
        },
        **_error_responses(400),
    }


def _organization_paths() -> dict[str, Any]:
    single = {
        "parameters": [
            {
                "in": "path",
                "name": "id",
                "required": True,
                "description": "The id of the organization that the request is intended to retrieve.",
                "schema": {"type": "string", "format": "uuid"},
            }
        ],
        "get": {
            "description": "Fully nested organization with its services (one-to-one fields, or in full with "
            "full_service=true).",
            "summary": "Retrieves a fully nested organization by {id}.",
            "operationId": "getOrganizationById",
            "responses": {
                "200": {
                    "description": "A fully nested organization.",
                    "content": {"application/json": {"schema": {"$ref": UPSTREAM + "compiled/organization.json"}}},
                },
                **_error_responses(400, 404),
            },
        },
    }
    listing = {
        "get": {
            "description": "Paginated list of organizations with their one-to-one fields (full=true: fully nested).",
            "summary": "Paginated list of organizations.",
            "operationId": "getPaginatedListOfOrganizations",
            "responses": _list_response(UPSTREAM + "compiled/organization_list.json", "A page of organizations."),
        }
    }
    return {"/organizations/{id}": single, "/organizations": listing}


def _components(document: dict[str, Any]) -> None:
    parameters = document["components"]["parameters"]
    parameters["page"]["schema"] = {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1}
    parameters["per_page"]["schema"] = {
        "type": "integer",
        "minimum": 1,
        "maximum": MAX_PER_PAGE,
        "default": DEFAULT_PER_PAGE,
    }
    parameters["per_page"]["description"] += f" Default {DEFAULT_PER_PAGE}, at most {MAX_PER_PAGE}."
    parameters["search"]["schema"] = {"type": "string", "maxLength": MAX_SEARCH_LENGTH}
    parameters["format"]["schema"] = {"type": "string", "enum": ["json", "ndjson"], "default": "json"}
    parameters["modified_after"]["schema"] = {"type": "string", "format": "date-time"}
    parameters["modified_after"]["description"] += " A date (2024-05-01) or an ISO 8601 date and time."
    for name in ("start_time", "end_time"):
        parameters[name]["schema"] = {"type": "string", "format": "time", "example": "09:30"}
    for name in ("minimum_age", "maximum_age"):
        parameters[name]["schema"] = {"type": "integer", "minimum": 0, "maximum": 150}
    parameters["day"]["schema"] = {"type": "string", "enum": ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]}
    # OpenAPI 3.0 (the document's version): exclusiveMinimum is a flag on minimum, not a number as in 3.1.
    parameters["proximity"]["schema"] = {
        "type": "number",
        "minimum": 0,
        "exclusiveMinimum": True,
        "maximum": MAX_PROXIMITY_METRES,
    }
    parameters["proximity"]["description"] += " Needs postcode. In metres, at most 100,000."
    parameters["postcode"]["description"] += " Without proximity, results come nearest first."
    for name in ("taxonomy_term_id", "taxonomy_id", "organization_id"):
        parameters[name]["schema"] = {"type": "string", "format": "uuid"}
    parameters["taxonomy_term_id"]["description"] += (
        " A term includes its child terms; separate several ids with commas."
    )
    parameters["top_only"] = {
        "name": "top_only",
        "in": "query",
        "required": False,
        "description": "Only taxonomy terms at the top of their vocabulary (with no parent).",
        "schema": {"type": "boolean"},
    }
    parameters["parent_id"] = {
        "name": "parent_id",
        "in": "query",
        "required": False,
        "description": "Only taxonomy terms whose parent has this id.",
        "schema": {"type": "string", "format": "uuid"},
    }
    document["components"]["schemas"]["Error"] = {
        "type": "object",
        "required": ["status", "message"],
        "properties": {
            "status": {"type": "integer", "description": "The HTTP status code."},
            "error": {"type": "string", "description": "The HTTP reason phrase."},
            "message": {"type": "string", "description": "What is wrong, in a sentence."},
            "problems": {
                "type": "array",
                "description": "Each parameter that is wrong, and why.",
                "items": {
                    "type": "object",
                    "properties": {"parameter": {"type": "string"}, "message": {"type": "string"}},
                },
            },
        },
    }


DESCRIPTION = f"""
This is {{council}}'s community directory as an Open Referral UK 3.0 API: public, read-only, no key.
Every response carries `Access-Control-Allow-Origin: *`.

How this server reads the profile:
- Ids are UUIDs. Only published records appear, and only active services of published organisations.
- Paging: `page` starts at 1; `per_page` is {DEFAULT_PER_PAGE} unless you ask, at most {MAX_PER_PAGE}.
  `size` is the number of items on this page; `empty` is true when this page has none; `total_pages`
  is at least 1. A page beyond the last is an empty page, not an error.
- `format=ndjson` streams every item (one JSON object a line, content type `application/x-ndjson`),
  ignoring `page` and `per_page`; with `minimal=true` on /services it gives every service's id at once.
- `full=true` on a list gives fully nested records; `minimal=true` on /services gives each service's
  `id` and `last_modified` (also named `modified_date`, as the parameter's description has it).
- `postcode` must be a postcode in the council's area; `proximity` (metres) needs it.
- Bad input is answered with 400 and a JSON body (`message`, and `problems`: each parameter and why);
  an unknown id with 404.
- Records also carry the HSDS 3.0 fields we hold that the profile leaves out (phones, a contact's email,
  eligibility_description, application_process, fees_description, transportation): the profile's
  schemas allow them.

Changes to the profile's document in this copy: this server's address; the HSDS 3.0 parameters and
the /organizations endpoints we also support; paging limits; error responses; `start_time`/`end_time`
as strings in `time` format and `modified_after` in `date-time` format (the profile has `time` as a
type and `datetime` as a format, which JSON Schema does not know); /service_at_locations/{{id}} answers
with the service_at_location schema (the profile points it at the service schema by mistake).
The profile: Open Referral UK, CC BY-SA 4.0 (https://creativecommons.org/licenses/by-sa/4.0/);
"Human Services Data Specification: an Open Referral resource (https://openreferral.org/)".
"""


def served_document(*, server_url: str, council: str = "The council") -> dict[str, Any]:
    """The profile's document adapted to this server: served at /api/docs."""
    document = copy.deepcopy(profile_document())
    document["info"]["description"] = document["info"]["description"] + "\n" + DESCRIPTION.replace("{council}", council)
    document["info"]["license"] = {
        "name": "Creative Commons Attribution Share-Alike 4.0 license",
        "url": "https://creativecommons.org/licenses/by-sa/4.0/",
    }
    document["servers"] = [{"url": server_url, "description": f"{council}: Open Referral UK API"}]
    _components(document)
    paths = document["paths"]
    paths.update(_organization_paths())
    sal = paths["/service_at_locations/{id}"]["get"]["responses"]["200"]["content"]["application/json"]
    sal["schema"] = {"$ref": UPSTREAM + "compiled/service_at_location.json"}
    for path, item in paths.items():
        operation = item["get"]
        if path in ENDPOINT_PARAMETERS:
            operation["parameters"] = [_ref(name) for name in ENDPOINT_PARAMETERS[path]]
        if "{id}" in path:
            item["parameters"][0]["schema"] = {"type": "string", "format": "uuid"}
            operation["responses"].update(_error_responses(400, 404))
        elif path != "/":
            content = operation["responses"]["200"]["content"]
            item_ref = content["application/json"]["schema"]["properties"]["contents"]["items"]["$ref"]
            content["application/x-ndjson"] = {"schema": {"$ref": item_ref}}
            operation["responses"].update(_error_responses(400))
    return document
