"""Serve Kring the way `make run` does: the web server and a background worker together.

Both run as children in sessions of their own, so a Ctrl-C in the terminal reaches only
this command, which then stops each child once, waits for it, and exits cleanly. (Letting
the terminal's SIGINT hit both while a shell trap sent SIGTERM on top of it made Daphne
crash while it was already shutting down: "Segmentation fault".) The web server is
`kring.core.asgi_server`'s.
"""

import signal
import subprocess
import sys
import threading

from django.core.management.base import BaseCommand

from kring.core import asgi_server

# How long a child may take to finish what it is doing before it is killed.
GRACE_SECONDS = 15


class Command(BaseCommand):
    help = "Serve Kring over ASGI (Uvicorn) on 127.0.0.1 with a background worker."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--bind", default="127.0.0.1")

    def handle(self, *args, port, bind, **options):
        commands = [
            [sys.executable, "manage.py", "db_worker", "--queue-name", "*", "--no-reload"],
            asgi_server.command(host=bind, port=port),
        ]
        children = [subprocess.Popen(command, start_new_session=True) for command in commands]  # noqa: S603
        stopping = threading.Event()

        def stop(signum=None, frame=None):
            stopping.set()

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        # Stop when asked, or as soon as one of the two ends by itself.
        while not stopping.wait(0.5):
            if any(child.poll() is not None for child in children):
                break
        self.stdout.write("Stopping Kring…")
        for child in children:
            if child.poll() is None:
                child.terminate()
        codes = []
        for child in children:
            try:
                codes.append(child.wait(timeout=GRACE_SECONDS))
            except subprocess.TimeoutExpired:
                child.kill()
                codes.append(child.wait())
        if not stopping.is_set():
            # A child ended on its own (a port in use, a broken database): say so.
            sys.exit(next((code for code in codes if code), 1))
