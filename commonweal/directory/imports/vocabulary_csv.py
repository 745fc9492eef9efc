"""A vocabulary of service categories as CSV: code, name, description, parent_code (as our starter one is)."""

from __future__ import annotations

import re

from commonweal.directory.models import TaxonomyTerm

from .reading import Cells, Progress, decode, read_table, require_columns, shown
from .records import Parsed, VocabularyTermRecord

HEADER = ("code", "name", "description", "parent_code")
WHAT = "a vocabulary CSV"
CODE_MAX = TaxonomyTerm._meta.get_field("code").max_length or 60
NAME_MAX = TaxonomyTerm._meta.get_field("name").max_length or 200
DESCRIPTION_MAX = TaxonomyTerm._meta.get_field("description").max_length or 2000
# Letters, digits and - _ . : / so a code can be a slug, a number like 1.2.3 or another scheme's id.
CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/\-]*")
CODE_RULE = "use only letters, digits and - _ . : /, starting with a letter or digit"


def check_code(code: str, problems: list[str], label: str = "code") -> str:
    if code and not CODE.fullmatch(code):
        problems.append(f"the {label} “{shown(code, 30)}” has characters a code cannot have ({CODE_RULE})")
        return ""
    return code


def parse_vocabulary(data: bytes, *, progress: Progress | None = None) -> Parsed:
    """Read the terms; a term's parent may come later in the file or already be in the vocabulary."""
    text = decode(data, allow_windows_1252=True)
    parsed = Parsed(problems=list(text.notes))
    table = read_table(text.text)
    require_columns(table, ("code", "name"), what=WHAT, expected=HEADER)
    if progress:
        progress.start(table.estimated_rows)
    for line, values in table.rows:
        parsed.rows += 1
        cells = Cells(line, values, table)
        code = check_code(cells.text("code", "code", limit=CODE_MAX, required=True), cells.problems)
        name = cells.text("name", "name", limit=NAME_MAX, required=True)
        description = cells.text("description", "description", limit=DESCRIPTION_MAX)
        parent = check_code(cells.text("parent_code", "parent code", limit=CODE_MAX), cells.problems, "parent code")
        if parent and parent == code:
            cells.problems.append("a term cannot be its own parent")
        if cells.problems:
            parsed.reject(line, cells.problems)
        else:
            parsed.terms.append(VocabularyTermRecord(line, code, name, description or name, parent))
        if progress:
            progress.advance(parsed.rows)
    return parsed
