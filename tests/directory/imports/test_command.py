"""`commonweal import_directory <kind> <file>` runs the same import now and prints its report."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from commonweal.accounts.models import Organisation
from commonweal.directory.models import ImportRun
from tests.directory.imports.conftest import GROUPS_HEADER

pytestmark = pytest.mark.django_db


def test_the_command_imports_and_prints_every_rejected_row(tmp_path: Path, merton: Any) -> None:
    path = tmp_path / "groups.csv"
    path.write_text(f"{GROUPS_HEADER}\nKnit and Natter,,,,,,,,,\nBad,,,,NOT A POSTCODE,,,,,\n")
    out = StringIO()
    call_command("import_directory", "groups", str(path), stdout=out)
    text = out.getvalue()
    assert "Line 3: The postcode “NOT A POSTCODE” is not a real postcode." in text
    assert "2 rows read, 1 records added, 0 changed, 1 rows rejected." in text
    assert Organisation.objects.get().name == "Knit and Natter"
    assert path.exists()  # the person's own file is left where it was
    run = ImportRun.objects.get()
    assert run.started_by is None and run.status == ImportRun.Status.SUCCEEDED


def test_a_refused_file_fails_the_command_with_the_reason(tmp_path: Path, merton: Any) -> None:
    path = tmp_path / "wrong.csv"
    path.write_text("postcode\nSW19 2HL\n")
    with pytest.raises(CommandError, match="it has no name column"):
        call_command("import_directory", "groups_csv", str(path), stdout=StringIO())
    with pytest.raises(CommandError, match="There is no file"):
        call_command("import_directory", "groups", str(tmp_path / "missing.csv"), stdout=StringIO())
