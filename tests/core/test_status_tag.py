"""One status tag: the label a status set gives, in the colour declared once for it."""

from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.template import Context, Template

from commonweal.accounts.models import Organisation
from commonweal.core.status import status_tag, tag_colours
from commonweal.directory.models import Claim, ImportRun
from commonweal.funding.models import CommunityNeed, Grant, Round


def render(source: str, **context: object) -> str:
    return Template("{% load govuk %}" + source).render(Context(context)).strip()


def test_a_record_shows_its_status_label_in_its_colour() -> None:
    assert render("{% status_tag grant %}", grant=Grant(status=Grant.Status.DECLINED)) == (
        '<strong class="govuk-tag govuk-tag--red">Declined</strong>'
    )


def test_another_field_and_a_test_id_can_be_named() -> None:
    shown = render('{% status_tag r "prospectus_status" testid="p" %}', r=Round(prospectus_status="comment"))
    assert shown == '<strong class="govuk-tag govuk-tag--yellow" data-testid="p">Open for comment</strong>'


def test_status_sets_with_the_same_values_keep_their_own_labels() -> None:
    # 'pending' is 'Waiting for approval' for a listing and 'Waiting for a decision' for a claim.
    assert status_tag(Organisation(listing_status="pending"), "listing_status").label == "Waiting for approval"
    assert status_tag(Claim(status="pending")) == ("Waiting for a decision", "yellow")
    assert status_tag(ImportRun(status="failed")) == ("Failed: nothing was changed", "red")


def test_a_status_of_the_same_set_can_be_shown_instead() -> None:
    need = CommunityNeed(status=CommunityNeed.Status.OPEN)
    assert render('{% status_tag need value="met" %}', need=need) == (
        '<strong class="govuk-tag govuk-tag--green">Met</strong>'
    )


def test_every_status_needs_a_colour_and_a_real_one() -> None:
    class Light(models.TextChoices):
        RED = "red", "Stop"
        GREEN = "green", "Go"

    with pytest.raises(ImproperlyConfigured, match=r"no colour for \['green'\]"):
        tag_colours(Light, {Light.RED: "red"})
    with pytest.raises(ImproperlyConfigured, match=r"unknown colours \['amber'\]"):
        tag_colours(Light, {Light.RED: "red", Light.GREEN: "amber"})
