"""`commonweal panels select` on the Sortition Foundation's CSV files, with no database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

CATEGORIES = "feature,value,min,max\nage,young,1,3\nage,old,1,3\ntenure,own,0,4\ntenure,rent,1,4\n"
PEOPLE = (
    "id,age,tenure,address1,postcode\n1,young,own,1 High St,AB1\n2,old,rent,1 high st,ab1\n3,old,own,2 Low,AB1\n"
    "4,young,rent,3 Low,AB1\n5,old,own,4 Low,AB1\n6,young,own,5 Low,AB1\n"
)


@pytest.fixture
def files(tmp_path: Path) -> tuple[str, str]:
    people, categories = tmp_path / "people.csv", tmp_path / "categories.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    categories.write_text(CATEGORIES, encoding="utf-8")
    return str(people), str(categories)


def run(*args: str) -> str:
    out = StringIO()
    call_command("panels", *args, stdout=out)
    return out.getvalue()


def test_select_prints_json_with_probabilities_bound_and_panels(files: tuple[str, str]) -> None:
    people, categories = files
    result = json.loads(run("select", "--people", people, "--categories", categories, "--k", "3", "--json"))
    assert result["method"] == "leximin" and result["k"] == 3 and result["n"] == 6
    assert sum(result["probabilities"].values()) == pytest.approx(3)
    assert result["min_probability"] == pytest.approx(0.5)
    assert result["upper_bound"] >= result["min_probability"] - 1e-9
    assert result["gap"] < 1e-6 and result["excluded"] == []
    assert sum(panel["weight"] for panel in result["panels"]) == pytest.approx(1)
    assert all(panel["members"] == sorted(panel["members"]) for panel in result["panels"])


def test_households_lottery_and_draw(files: tuple[str, str]) -> None:
    people, categories = files
    args = ["select", "--people", people, "--categories", categories, "--k", "3", "--json"]
    args += ["--household-columns", "address1, postcode", "--lottery", "20", "--random-number", "0045"]
    result = json.loads(run(*args))
    for panel in result["panels"]:
        assert not {"1", "2"} <= set(panel["members"])
    lottery = result["lottery"]
    assert lottery["m"] == 20 and len(lottery["panels"]) == 20 and len(lottery["sha256"]) == 64
    assert lottery["drawn"]["number"] == 45 % 20
    assert lottery["drawn"]["members"] == lottery["panels"][5]
    assert json.loads(run(*args))["lottery"] == lottery  # anyone re-running gets the same list and panel


def test_readable_report_for_legacy(files: tuple[str, str]) -> None:
    people, categories = files
    text = run(
        "select", "--people", people, "--categories", categories, "--k", "3", "--method", "legacy", "--seed", "4"
    )
    assert text.startswith("LEGACY: 3 of 6 volunteers")
    assert "Probability of selection, lowest first:" in text


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"k": "30"}, "There are only 6 volunteers, fewer than the 30 people to select."),
        ({"people": "missing.csv"}, "does not exist"),
        ({"categories_text": "feature,value,min,max\nage,young,4,3\nage,old,1,3\n"}, "more than its maximum"),
        ({"categories_text": "feature,value,min,max\nage,young,2,3\nage,old,2,3\n"}, "minimums for age add up to 4"),
        ({"people_text": "id,age\n1,young\n2,old\n3,old\n"}, "Volunteer 1 has no value for tenure."),
    ],
)
def test_bad_input_is_a_clear_command_error(
    files: tuple[str, str], tmp_path: Path, change: dict, expected: str
) -> None:
    people, categories = files
    if "people_text" in change:
        Path(people).write_text(change["people_text"], encoding="utf-8")
    if "categories_text" in change:
        Path(categories).write_text(change["categories_text"], encoding="utf-8")
    if "people" in change:
        people = str(tmp_path / change["people"])
    with pytest.raises(CommandError, match=expected):
        run("select", "--people", people, "--categories", categories, "--k", change.get("k", "3"))


def test_the_console_command_exits_1_with_a_message_and_no_traceback(files: tuple[str, str]) -> None:
    people, categories = files
    root = Path(__file__).resolve().parents[3]
    environment = {**os.environ, "PYTHONPATH": str(root), "DJANGO_SETTINGS_MODULE": "commonweal.settings.test"}
    environment.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "commonweal.cli", "panels", "select", "--people", people]
    done = subprocess.run(  # noqa: S603 - our own console command with test files
        [*command, "--categories", categories, "--k", "0"], capture_output=True, text=True, env=environment, check=False
    )
    assert done.returncode == 1
    assert "The number to select must be at least 1 (it is 0)." in done.stderr
    assert "Traceback" not in done.stderr
    done = subprocess.run(  # noqa: S603 - our own console command with test files
        [*command, "--categories", categories, "--k", "2", "--json"],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["k"] == 2
