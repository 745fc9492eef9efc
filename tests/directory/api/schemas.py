"""The ORUK profile's schemas as jsonschema validators that work offline (2020-12, formats checked).

The compiled schemas are the vendored copies in commonweal/directory/oruk_openapi/compiled. Their upstream
addresses (raw.githubusercontent.com/openreferral/uk-profile/...) are registered to those copies, so the
OpenAPI document's `$ref`s resolve without the network. taxonomy and taxonomy_term have no compiled file:
their schemas are the `definitions` of compiled/service_with_definitions.json.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from commonweal.directory.oruk_openapi import UPSTREAM, compiled_schema, profile_document

COMPILED = (
    "service",
    "service_list",
    "service_at_location",
    "service_at_location_list",
    "organization",
    "organization_list",
)
OPENAPI = "urn:commonweal:oruk-openapi"

FORMATS = FormatChecker()


@FORMATS.checks("date-time", raises=ValueError)
def _date_time(value: object) -> bool:
    # jsonschema checks date-time only with rfc3339-validator installed; this is RFC 3339's shape.
    if not isinstance(value, str):
        return True
    if "T" not in value.upper():
        raise ValueError("a date-time needs a time")
    return datetime.fromisoformat(value).tzinfo is not None


@FORMATS.checks("uri", raises=ValueError)
def _uri(value: object) -> bool:
    if not isinstance(value, str):
        return True
    parts = urlsplit(value)
    return bool(parts.scheme) and (bool(parts.netloc) or parts.scheme in ("urn", "mailto")) and " " not in value


def _definitions_schema(name: str) -> dict[str, Any]:
    source = compiled_schema("service_with_definitions")
    return {**source["definitions"][name], "definitions": source["definitions"]}


@cache
def registry() -> Registry[Any]:
    resources: list[tuple[str, Resource[Any]]] = []
    for name in COMPILED:
        resources.append((f"{UPSTREAM}compiled/{name}.json", DRAFT202012.create_resource(compiled_schema(name))))
    for name in ("taxonomy", "taxonomy_term"):
        resources.append((f"{UPSTREAM}{name}.json", DRAFT202012.create_resource(_definitions_schema(name))))
    resources.append((OPENAPI, DRAFT202012.create_resource(profile_document())))
    return Registry().with_resources(resources)


def validator(name: str) -> Draft202012Validator:
    """A validator for one schema: 'service', 'service_list', ..., 'taxonomy', 'taxonomy_term'."""
    path = f"compiled/{name}.json" if name in COMPILED else f"{name}.json"
    return Draft202012Validator({"$ref": UPSTREAM + path}, registry=registry(), format_checker=FORMATS)


def page_validator() -> Draft202012Validator:
    """The profile's page envelope (components.schemas.Page), with every field it names required of us."""
    page = {"$ref": f"{OPENAPI}#/components/schemas/Page"}
    required = ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"]
    return Draft202012Validator({"allOf": [page, {"required": required}]}, registry=registry(), format_checker=FORMATS)


def response_validator(document: dict[str, Any], path: str) -> Draft202012Validator:
    """The 200 response schema of one GET path in an OpenAPI document (ours, as served at /api/docs)."""
    resources = [("urn:commonweal:served", DRAFT202012.create_resource(document))]
    pointer = (
        "/paths/" + path.replace("~", "~0").replace("/", "~1") + "/get/responses/200/content/application~1json/schema"
    )
    return Draft202012Validator(
        {"$ref": f"urn:commonweal:served#{pointer}"},
        registry=registry().with_resources(resources),
        format_checker=FORMATS,
    )


def problems(validator: Draft202012Validator, instance: Any) -> list[str]:
    """Every way the instance breaks the schema, as readable lines (empty when it is valid)."""
    return [f"{'/'.join(map(str, e.absolute_path)) or '(root)'}: {e.message}" for e in validator.iter_errors(instance)]
