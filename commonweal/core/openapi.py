"""The platform's one API document (/api/docs) is the directory's Open Referral UK document; other apps add their
own operations to it here, so the directory never imports the apps above it (each registers from its AppConfig).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

Extension = Callable[[dict[str, Any], str], None]
_extensions: list[Extension] = []


def register(extension: Extension) -> None:
    """Add `extension(document, api_root)` to the document's making: it adds its paths and components in place
    (`api_root` is the absolute address of /api, for its paths' own `servers`)."""
    if extension not in _extensions:
        _extensions.append(extension)


def extend(document: dict[str, Any], *, api_root: str) -> dict[str, Any]:
    for extension in _extensions:
        extension(document, api_root)
    return document


# --- the pieces every paged open-data feed documents alike ------------------------------------------------------


def query_parameter(name: str, description: str, schema: dict[str, Any]) -> dict[str, Any]:
    """An optional query parameter of a feed's operation."""
    return {"name": name, "in": "query", "required": False, "description": description, "schema": schema}


def paging_parameters(*, max_page: int, default_per_page: int, max_per_page: int) -> list[dict[str, Any]]:
    """`page` and `per_page`, as the directory's Open Referral UK endpoints take them."""
    return [
        query_parameter("page", "The page, from 1.", {"type": "integer", "minimum": 1, "maximum": max_page}),
        query_parameter(
            "per_page",
            f"Items a page. Default {default_per_page}, at most {max_per_page}.",
            {"type": "integer", "minimum": 1, "maximum": max_per_page},
        ),
    ]


PAGE_FIELDS = ("total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty")


def page_schema(item_ref: str, noun: str) -> dict[str, Any]:
    """A page of a feed, as directory.api.page_envelope writes it, holding items of the schema `item_ref`."""
    return {
        "type": "object",
        "required": [
            "total_items",
            "total_pages",
            "page_number",
            "size",
            "first_page",
            "last_page",
            "empty",
            "contents",
        ],
        "properties": {
            "total_items": {"type": "integer", "description": f"{noun} in all."},
            "total_pages": {"type": "integer", "description": "Pages in all, at least 1."},
            "page_number": {"type": "integer", "description": "This page's number."},
            "size": {"type": "integer", "description": "Items on this page."},
            "first_page": {"type": "boolean"},
            "last_page": {"type": "boolean"},
            "empty": {"type": "boolean", "description": "True when this page has none."},
            "contents": {"type": "array", "items": {"$ref": item_ref}},
        },
    }
