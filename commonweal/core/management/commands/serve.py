"""Serve the platform with gunicorn, the production server, on this machine."""

import os
import shutil
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve Commonweal with gunicorn (the production WSGI server)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="Address and port, e.g. 127.0.0.1:8000.")
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
        parser.add_argument("--threads", type=int, default=2)
        parser.add_argument("--access-log", action="store_true", help="Log every request to standard output.")

    def handle(self, *args: Any, **options: Any) -> None:
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if not gunicorn:
            raise CommandError("gunicorn is not installed in this environment; run `make install`.")
        argv = [
            gunicorn,
            "commonweal.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            *(["--access-logfile", "-"] if options["access_log"] else []),
            "--graceful-timeout", "5",
        ]  # fmt: skip
        os.execv(gunicorn, argv)  # noqa: S606 - replaces this process with the server, by design
