"""Checks on an uploaded file (with a funding application, a blockage, an asset transfer's documents): not empty,
not too big, and really the type it claims to be. One implementation for every app.

The file's real content decides its type (filetype reads its magic numbers), never its name alone: an
executable renamed `accounts.pdf` is refused.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import filetype
from django.core.exceptions import ValidationError


class UploadRefused(ValidationError):
    """A file that cannot be taken; the message is a full sentence fit to show beside the file field."""


# The types a question may allow: what we call them, the MIME type we serve them as, and filetype's names.
TYPES: dict[str, tuple[str, str, frozenset[str]]] = {
    "pdf": ("PDF", "application/pdf", frozenset({"pdf"})),
    "docx": (
        "Word document (DOCX)",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        frozenset({"docx"}),
    ),
    "xlsx": (
        "Excel spreadsheet (XLSX)",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        frozenset({"xlsx"}),
    ),
    "odt": ("OpenDocument text (ODT)", "application/vnd.oasis.opendocument.text", frozenset({"odt"})),
    "jpg": ("JPG image", "image/jpeg", frozenset({"jpg"})),
    "png": ("PNG image", "image/png", frozenset({"png"})),
}
ALIASES = {"jpeg": "jpg"}
# What the round set-up form offers a file question, and the largest file size (MB) it may allow.
FILE_TYPES = {
    "pdf": "PDF",
    "docx": "Word document (DOCX)",
    "xlsx": "Excel spreadsheet (XLSX)",
    "odt": "OpenDocument text (ODT)",
    "jpg": "JPEG image",
    "png": "PNG image",
}
MAX_FILE_MB = 20
# Enough of the file for filetype to recognise every type above (Office files are zip archives).
HEAD_BYTES = 64 * 1024
MB = 1024 * 1024


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str


def allowed_types(file_types: list[str]) -> list[str]:
    chosen = [ALIASES.get(t.lower().lstrip("."), t.lower().lstrip(".")) for t in file_types]
    return [t for t in chosen if t in TYPES] or ["pdf"]


def describe(types: list[str]) -> str:
    names = [TYPES[t][0] for t in types]
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _a(noun: str) -> str:
    return f"an {noun}" if noun[0] in "AEIO" else f"a {noun}"


def _claimed(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return ALIASES.get(extension, extension)


def check_upload(
    upload: Any, *, file_types: list[str], max_file_mb: int, error: type[ValidationError] = UploadRefused
) -> CheckedFile:
    """Refuse empty files, files over the limit (checked before reading) and files whose content is not allowed;
    the refusal is raised as `error`, so each app's own domain error carries it (FundingError, SolutionsError)."""
    types = allowed_types(file_types)
    size = getattr(upload, "size", None) or 0
    if size == 0:
        raise error("The selected file is empty. Choose a file with something in it.")
    if size > max_file_mb * MB:
        raise error(f"The selected file must be smaller than {max_file_mb}MB.")
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    found = filetype.guess(head)
    real = ALIASES.get(found.extension, found.extension) if found is not None else ""
    claimed = _claimed(getattr(upload, "name", "") or "")
    if claimed in TYPES and real != claimed:
        raise error(
            f"This file is not {_a(TYPES[claimed][0])}. Its content does not match its name: "
            f"choose a real {describe(types)} file."
        )
    if real not in types:
        raise error(f"The selected file must be {_a(describe(types))}.")
    return CheckedFile(extension=real, content_type=TYPES[real][1])
