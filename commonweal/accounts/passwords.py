"""Refuse passwords known from breaches, checked against a local list so no password leaves the server.

The list is a text file in the format of Have I Been Pwned's "Pwned Passwords, SHA-1, ordered by hash"
download: one `SHA1HEX:COUNT` a line, upper-case hex, sorted. It is binary-searched on disk, so even the full
file (about 40 GB) costs a few dozen reads a check and no memory.

Commonweal ships a small default, the SHA-1s of Django's list of 20,000 common passwords. A council wanting the
whole HIBP corpus downloads it once (https://github.com/HaveIBeenPwned/PwnedPasswordsDownloader:
`haveibeenpwned-downloader pwnedpasswords` writes pwnedpasswords.txt, already in this format and order),
puts it where the server can read it, and sets COMMONWEAL_BREACHED_PASSWORDS_FILE to its path.
"""

from __future__ import annotations

import hashlib
import mmap
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError


def _line_at(data: mmap.mmap, position: int) -> tuple[bytes, int]:
    """The first whole line starting at or after position, and where the line after it starts."""
    if position > 0:
        newline = data.find(b"\n", position - 1)
        position = len(data) if newline == -1 else newline + 1
    end = data.find(b"\n", position)
    end = len(data) if end == -1 else end
    return data[position:end].split(b":", 1)[0].strip().upper(), end + 1


def is_breached(password: str, path: Path) -> bool:
    """Whether the SHA-1 of password is in the sorted HIBP-format file at path."""
    wanted = hashlib.sha1(password.encode("utf-8"), usedforsecurity=False).hexdigest().upper().encode()
    try:
        with path.open("rb") as file:
            if path.stat().st_size == 0:
                return False
            with mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ) as data:
                low, high = 0, len(data)
                # Invariant: any line equal to wanted starts in [low, high).
                while low < high:
                    middle = (low + high) // 2
                    found, after = _line_at(data, middle)
                    if not found or found > wanted:
                        high = middle
                    elif found < wanted:
                        low = after
                    else:
                        return True
                found, _ = _line_at(data, low)
                return found == wanted
    except FileNotFoundError as error:
        raise ImproperlyConfigured(f"The breached-passwords list {path} does not exist.") from error


class BreachedPasswordValidator:
    """An AUTH_PASSWORD_VALIDATORS entry: passwords seen in breaches are refused."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path else None

    def validate(self, password: str, user: Any = None) -> None:
        if is_breached(password, self.path or Path(settings.COMMONWEAL_BREACHED_PASSWORDS_FILE)):
            raise ValidationError(
                "This password has appeared in a data breach, so others may try it. Choose a different password.",
                code="password_breached",
            )

    def get_help_text(self) -> str:
        return "Your password must not be one that has appeared in a data breach."
