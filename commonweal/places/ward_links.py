"""What is in a ward, from the apps above places: each registers a function that says, for a ward, what it
holds (services, groups, assets, grants) and where the list of them is. Places sits at the bottom of the
platform and imports none of them; they register here when Django starts (their AppConfig.ready)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .models import Ward


@dataclass(frozen=True)
class WardLink:
    """One line of 'In this ward': a heading, what there is, and the link to the list of them."""

    order: int
    title: str
    summary: str
    url: str
    link_text: str
    testid: str = ""


Provider = Callable[[Ward], list[WardLink]]
_providers: list[Provider] = []


def register(provider: Provider) -> None:
    """Called once by an app's ready(): `provider(ward)` gives that app's lines for the ward page."""
    if provider not in _providers:
        _providers.append(provider)


def links_for(ward: Ward) -> list[WardLink]:
    return sorted((link for provider in _providers for link in provider(ward)), key=lambda link: link.order)
