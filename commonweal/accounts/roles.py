"""The roles of DESIGN.md, and which of them must sign in with a second factor."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    GROUP_MEMBER = "group_member", _("Group member")
    OFFICER = "officer", _("Officer")
    CHAMPION = "champion", _("Champion")
    STEWARD = "steward", _("Steward")
    ADMIN = "admin", _("Administrator")
    # An elected ward councillor: sees the engagement in their wards and is invited to its events (the wards
    # they represent are engagement.Councillor's).
    COUNCILLOR = "councillor", _("Ward councillor")


# Roles that can see or change other people's data sign in with an authenticator app too.
ROLES_NEEDING_TWO_FACTOR = frozenset({Role.OFFICER, Role.CHAMPION, Role.STEWARD, Role.ADMIN})
# Roles that act for one organisation only: a membership without an organisation means nothing.
ROLES_HELD_PER_ORGANISATION = frozenset({Role.GROUP_MEMBER, Role.OFFICER})
