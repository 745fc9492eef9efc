"""Framework presets written from the five councils' papers, read from the JSON files beside this module."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PRESETS_DIR = Path(__file__).resolve().parent / "presets"


@dataclass(frozen=True)
class Preset:
    slug: str
    council: str
    gss_code: str
    name: str
    source: str
    vision: str
    elements: list[dict[str, Any]] = field(default_factory=list)

    def counts(self) -> Counter[str]:
        return Counter(element["kind"] for element in self.elements)


def _read(path: Path) -> Preset:
    data = json.loads(path.read_text(encoding="utf-8"))
    return Preset(
        slug=data["slug"],
        council=data["council"],
        gss_code=data["gss_code"],
        name=data["name"],
        source=data["source"],
        vision=data["vision"],
        elements=list(data["elements"]),
    )


def list_presets() -> list[Preset]:
    """Every preset, in the order of the councils' names."""
    return sorted((_read(path) for path in PRESETS_DIR.glob("*.json")), key=lambda preset: preset.council)


def get_preset(slug: str) -> Preset | None:
    """The preset with this slug, or None: slugs come from users, so never build a path from one."""
    return next((preset for preset in list_presets() if preset.slug == slug), None)
