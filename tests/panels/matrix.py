"""Permission-matrix rows for the citizens' panel (see tests/test_permission_matrix.py).

Anyone may join the pool, see a volunteer's status through its emailed link, and read a selection once its
lottery is published, with its files. A signed-in person sees their own status. Officers, stewards and
administrators run the panel: the pool with its personal data, imports and every step of a selection; a draft
selection is not found by anyone else. Crafted empty POSTs are shown again with their errors; a step
its selection is not ready for is refused in words (400).
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from commonweal.panels.models import Selection, SelectionMember, SelectionQuota, Volunteer
from tests.conftest import ROLES
from tests.matrix import ALL, LOGIN, SIGNED_IN, Row, only

RUNNERS = ("officer", "steward", "admin")
NO_POST: dict[str, int | str] = dict.fromkeys(ROLES, 405)
SIGNED_IN_NO_POST: dict[str, int | str] = {**NO_POST, "anonymous": LOGIN}
REFUSED_EMPTY: dict[str, int | str] = only(*RUNNERS)  # shown again with its errors
STEP_REFUSED: dict[str, int | str] = {**only(*RUNNERS), "officer": 400, "steward": 400, "admin": 400}
RUNNERS_DONE: dict[str, int | str] = {**only(*RUNNERS), "officer": 302, "steward": 302, "admin": 302}
HIDDEN_DRAFT: dict[str, int | str] = {**dict.fromkeys(ROLES, 404), **dict.fromkeys(RUNNERS, 200)}
NOT_THEIRS: dict[str, int | str] = {**dict.fromkeys(ROLES, 404), "anonymous": LOGIN}
TOKEN = "matrix-panel-status-token-0123456789abcdefghij"


def _slug(key: str) -> Any:
    return lambda t: [t[key].slug]


ROWS: list[Row] = [
    ("panels:join", lambda t: [], "GET", ALL),
    ("panels:join", lambda t: [], "POST", ALL),  # empty: its errors
    ("panels:joined", lambda t: [], "GET", ALL),
    ("panels:joined", lambda t: [], "POST", NO_POST),
    ("panels:your_status", lambda t: [], "GET", SIGNED_IN),
    ("panels:your_status", lambda t: [], "POST", SIGNED_IN_NO_POST),
    ("panels:status_link", lambda t: [TOKEN], "GET", ALL),
    ("panels:status_link", lambda t: ["not-a-real-token"], "GET", dict.fromkeys(ROLES, 404)),
    # Leaving: through the emailed link anyone holding it may (and is asked to confirm); signed in, only the
    # volunteer's own record is found (the matrix's volunteer has no account, so nobody's here).
    ("panels:leave_link", lambda t: [TOKEN], "GET", ALL),
    ("panels:leave_link", lambda t: [TOKEN], "POST", dict.fromkeys(ROLES, 302)),
    ("panels:leave_link", lambda t: ["not-a-real-token"], "POST", dict.fromkeys(ROLES, 404)),
    ("panels:leave", lambda t: [t["panel_volunteer"].pk], "GET", NOT_THEIRS),
    ("panels:leave", lambda t: [t["panel_volunteer"].pk], "POST", NOT_THEIRS),
    ("panels:left", lambda t: [], "GET", ALL),
    ("panels:left", lambda t: [], "POST", NO_POST),
    ("panels:selections", lambda t: [], "GET", ALL),
    ("panels:selection", _slug("panel_drawn"), "GET", ALL),
    ("panels:selection", _slug("panel_draft"), "GET", HIDDEN_DRAFT),
    ("panels:selection", _slug("panel_drawn"), "POST", NO_POST),
    ("panels:lottery_csv", _slug("panel_drawn"), "GET", ALL),
    ("panels:people_csv", _slug("panel_drawn"), "GET", ALL),
    ("panels:categories_csv", _slug("panel_drawn"), "GET", ALL),
    ("panels:categories_csv", _slug("panel_draft"), "GET", dict.fromkeys(ROLES, 404)),
    ("panels:pool", lambda t: [], "GET", only(*RUNNERS)),
    ("panels:pool", lambda t: [], "POST", SIGNED_IN_NO_POST),
    ("panels:pool_import", lambda t: [], "GET", only(*RUNNERS)),
    ("panels:pool_import", lambda t: [], "POST", REFUSED_EMPTY),
    ("panels:manage_selections", lambda t: [], "GET", only(*RUNNERS)),
    ("panels:selection_new", lambda t: [], "GET", only(*RUNNERS)),
    ("panels:selection_new", lambda t: [], "POST", REFUSED_EMPTY),
    ("panels:manage_selection", _slug("panel_draft"), "GET", only(*RUNNERS)),
    ("panels:manage_selection", _slug("panel_ready"), "GET", only(*RUNNERS)),
    ("panels:manage_selection", _slug("panel_drawn"), "GET", only(*RUNNERS)),
    ("panels:quotas", _slug("panel_draft"), "GET", only(*RUNNERS)),
    ("panels:quotas", _slug("panel_draft"), "POST", REFUSED_EMPTY),
    ("panels:relax", _slug("panel_draft"), "POST", RUNNERS_DONE),
    ("panels:relax", _slug("panel_draft"), "GET", SIGNED_IN_NO_POST),
    ("panels:run", _slug("panel_draft"), "GET", only(*RUNNERS)),
    ("panels:run", _slug("panel_draft"), "POST", REFUSED_EMPTY),
    ("panels:publish", _slug("panel_draft"), "POST", STEP_REFUSED),  # not run yet: refused in words
    ("panels:publish", _slug("panel_draft"), "GET", SIGNED_IN_NO_POST),
    ("panels:draw", _slug("panel_published"), "GET", only(*RUNNERS)),
    ("panels:draw", _slug("panel_published"), "POST", REFUSED_EMPTY),
    ("panels:replace", _slug("panel_drawn"), "GET", only(*RUNNERS)),
    ("panels:replace", _slug("panel_drawn"), "POST", REFUSED_EMPTY),
    ("panels:members", _slug("panel_ready"), "GET", only(*RUNNERS)),
]


def add_targets(found: dict[str, Any]) -> None:
    """A volunteer (with the status link TOKEN) and selections at four stages: a draft with a quota, one run,
    one published and one drawn (the volunteer on its panel)."""
    volunteer = Volunteer.objects.create(
        name="Matrix Volunteer",
        email="matrix-volunteer@example.org",
        address_line="1 Matrix Road",
        postcode="SW19 1ZZ",
        household="1 matrix road sw19 1zz",
        ward=found["ward"],
        birth_year=1970,
        sex="Female",
        ethnicity="Irish",
        tenure="Social rented",
        disability="Prefer not to say",
        consent_at=timezone.now(),
        consent_wording="I agree.",
        erase_after=timezone.localdate().replace(year=timezone.localdate().year + 2),
        status_token=TOKEN,
    )
    found["panel_volunteer"] = volunteer
    run = {
        "pool": {"features": ["sex"], "people": [[1, "h1", "Female"], [2, "h2", "Male"]], "left_out": {}},
        "panels": {"groups": [], "panels": [[[1], 0.5], [[2], 0.5]]},
        "panel_count": 2,
        "min_probability": 0.5,
        "upper_bound": 0.5,
        "gap": 0.0,
        "seconds": 0.1,
    }
    lottery = {"lottery": [[1], [2]], "lottery_size": 2, "lottery_digest": "0" * 64, "published_at": timezone.now()}
    stages = {
        "panel_draft": (Selection.Status.DRAFT, {}),
        "panel_ready": (Selection.Status.READY, run),
        "panel_published": (Selection.Status.PUBLISHED, {**run, **lottery}),
        "panel_drawn": (
            Selection.Status.DRAWN,
            {**run, **lottery, "random_number": "7", "drawn_index": 1, "drawn_panel": [2], "drawn_at": timezone.now()},
        ),
    }
    for key, (status, fields) in stages.items():
        selection = Selection.objects.create(slug=f"matrix-{key}", title=f"Matrix {key}", k=1, status=status, **fields)
        SelectionQuota.objects.create(selection=selection, feature="sex", value="Female", min=0, max=1)
        SelectionQuota.objects.create(selection=selection, feature="sex", value="Male", min=0, max=1)
        if fields:
            SelectionMember.objects.create(selection=selection, number=1, probability=0.5)
            SelectionMember.objects.create(
                selection=selection, number=2, volunteer=volunteer, probability=0.5, selected=key == "panel_drawn"
            )
        found[key] = selection
