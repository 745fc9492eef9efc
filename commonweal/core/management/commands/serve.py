"""Serve the platform with gunicorn, the production server, on this machine."""

import os
import shutil
import signal
import subprocess
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError


def _installed(name: str) -> str:
    found = shutil.which(name, path=os.path.dirname(sys.executable)) or shutil.which(name)
    if not found:
        raise CommandError(f"{name} is not installed in this environment; run `make install`.")
    return found


class Command(BaseCommand):
    help = "Serve Commonweal with gunicorn (the production WSGI server), and optionally the background worker."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="Address and port, e.g. 127.0.0.1:8000.")
        parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) * 2 + 1)
        parser.add_argument("--threads", type=int, default=2)
        # Longer than a client (or a load balancer) keeps an idle connection before reusing it: with gunicorn's
        # 2 s default, a request sent on a connection the server was just closing was reset (load bench, issue 10).
        parser.add_argument("--keep-alive", type=int, default=75, help="Seconds to keep an idle connection open.")
        parser.add_argument("--access-log", action="store_true", help="Log every request to standard output.")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="Also run the background worker (imports, reminders) beside the server, and stop both together.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        gunicorn = _installed("gunicorn")
        argv = [
            gunicorn,
            "commonweal.wsgi:application",
            "--bind", options["bind"],
            "--workers", str(options["workers"]),
            "--threads", str(options["threads"]),
            "--keep-alive", str(options["keep_alive"]),
            *(["--access-logfile", "-"] if options["access_log"] else []),
            "--graceful-timeout", "5",
        ]  # fmt: skip
        if not options["with_worker"]:
            os.execv(gunicorn, argv)  # noqa: S606 - replaces this process with the server, by design
        worker = subprocess.Popen([_installed("commonweal"), "db_worker", "--interval", "1"])  # noqa: S603
        server = subprocess.Popen(argv)  # noqa: S603
        try:
            server.wait()
        except KeyboardInterrupt:
            server.send_signal(signal.SIGTERM)
            server.wait()
        finally:
            worker.terminate()
            worker.wait()
