"""Reads for the framework pages."""

from __future__ import annotations

from typing import Any

from .models import Element, Framework


def framework_summary() -> dict[str, Any]:
    framework = Framework.current()
    themes = list(Element.objects.filter(framework=framework, kind=Element.Kind.THEME)) if framework else []
    return {"framework": framework, "themes": themes}
