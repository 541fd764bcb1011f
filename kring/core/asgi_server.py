"""The ASGI server Kring runs under, in one place: `manage.py serve` (and so `make run`),
the test with two app servers and the live fan-out benchmark all start it from here.

Uvicorn on uvloop, with httptools for HTTP and the `websockets` library for the live
sockets. It replaced Daphne after `bench/live_fanout.py` (2 cores, SQLite, one process,
100 live sessions x 8 sockets, one "next phase" per session every 10 s): Daphne's
Twisted reactor took about 40 % of the server's time and the process saturated (p95 from
"next phase" to all 8 views 2.7 s, 12.6 ms of CPU per view); under Uvicorn the same run
used about half of one core (6.3 ms per view) with a p95 of about 200 ms (the figures
since: the benchmark's docstring).
"""

import sys

APPLICATION = "kring.asgi:application"
# Open sockets are closed this long after a stop was asked for (the live page reconnects
# by itself); without a limit a server with devices connected would never stop.
GRACEFUL_SHUTDOWN_SECONDS = 5
# Uvicorn calls its implementation on the websockets library deprecated in favour of the
# sans-I/O one; measured with bench/live_fanout.py (100 x 8) the sans-I/O one cost 40 %
# more CPU and doubled the p95 (395 against 151-172 ms), so the older one stays, without
# its warning at every start. (Uvicorn is pinned below 1.0.)
_KEEP_WEBSOCKETS_QUIET = "ignore:The `websockets` implementation is deprecated:UserWarning"


def command(
    *, host: str, port: int, application: str = APPLICATION, access_log: bool = True
) -> list[str]:
    """The command line that serves `application` on host:port (port 0: any free port,
    named in the server's "Uvicorn running on http://host:port" line on stderr)."""
    arguments = [sys.executable, "-W", _KEEP_WEBSOCKETS_QUIET, "-m", "uvicorn", application]
    arguments += ["--host", host, "--port", str(port)]
    arguments += ["--loop", "uvloop", "--http", "httptools", "--ws", "websockets"]
    arguments += ["--lifespan", "off", "--no-server-header"]
    arguments += ["--timeout-graceful-shutdown", str(GRACEFUL_SHUTDOWN_SECONDS)]
    if not access_log:
        arguments.append("--no-access-log")
    return arguments
