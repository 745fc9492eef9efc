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
