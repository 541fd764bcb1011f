"""Live sessions under load (issue 11, "Speed"): from "next phase" to every device's view.

Sets up a throw-away database (a SQLite file in a temporary directory, or a `test_` copy
of DATABASE_URL's PostgreSQL database, dropped afterwards) with N groups of 8 members,
each with a six-step meeting whose live session has started, and signed-in sessions made
directly in the database. Starts app servers (`kring.core.asgi_server` serving
`bench.live_asgi:application`: Kring plus a bare echo route) and connects every member's
socket, as live.js does.

Then, for `--duration` seconds, each session's process facilitator posts "next phase" at
random moments (one per session every `--interval` seconds on average) through the real
`POST /meetings/<id>/live/advance/`. Measured per advance: from sending the POST until
every member of that session has its own stage at the new version or later: it comes over
the socket, rendered for that member (as live.js gets it; a device told only "changed,
version N" fetches `GET .../live/stage/`); the lead's comes back with the POST, whose
answer is also timed apart. Then the same schedule on the bare echo consumer: one message
fanned out to the 8 sockets of a group, until all 8 have it. Goal: p95 <= 150 ms, and at
most 3 times the echo's p95.

    .venv/bin/python bench/live_fanout.py                     # 100 sessions, 800 sockets, 60 s
    .venv/bin/python bench/live_fanout.py --sessions 10 --duration 10   # a quick run
    .venv/bin/python bench/live_fanout.py --servers 2         # two servers sharing Redis
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/kring .venv/bin/python bench/live_fanout.py

Do not give the servers DATABASE_CONN_MAX_AGE: under ASGI every request runs in a thread
of its own, each keeping its connection, and PostgreSQL soon refuses more clients (the
sockets' own threads keep theirs: `kring.live.consumers.DATABASE_THREADS`).

Figures so far (2 cores, SQLite, one server unless said; p50 / p95 of "next phase -> all 8"):
- Devices fetching their stage (until 0564b2a): 20 x 8: 380 / 878 ms (echo p95 10 ms);
  100 x 8 did not finish connecting its 800 sockets in 9.5 minutes.
- Stages pushed over the sockets (94f2c7e and after): 20 x 8: 97-120 / 170-240 ms (echo
  p95 6-7 ms); 50 x 8: 185 / 613 ms; 100 x 8: connected in 49 s, then 4.3 / 7.2 s (the
  server saturated: 38 s of CPU in 36 s); 100 x 8 on two servers sharing Redis:
  203 / 776 ms (each server at about 65 % CPU); on PostgreSQL, 20 x 8: 168 / 273 ms
  (echo p95 5 ms; it was 15-20 s with fetches). About 16-20 ms of server CPU per view,
  heartbeats included; the POST itself answers last, behind the renders of its own push
  (one interpreter lock per server).
- Ties kept across stages, the hot reads compiled once, the shared part read once per
  version (3e686be..): 30 x 8: 98 / 217 ms; 40 x 8: 83 / 208 ms (echo p95 7.5 ms; 10 ms
  of CPU per view); 100 x 8: connected in 35 s, 626 ms / 2.7 s (still saturated: 59.5 s
  of CPU in 60.4 s, 12.6 ms per view); 100 x 8 on two servers sharing Redis: 98 / 492 ms
  (echo p95 9 ms; each server at 46 % CPU). In one process a stage now costs 2.7 ms, a
  heartbeat 0.8 ms, the POST 17 ms (it was 7, 2.8 and about 30 ms).
- Served by Uvicorn instead of Daphne (1e01b5a): 40 x 8: 44 / 90 ms (6.2 ms of CPU per
  view); 100 x 8: 59 / 208 ms, the server at 54 % of a core (Daphne: 626 ms / 2.7 s,
  saturated).
- Queries compiled once per process, the in-memory layer cleaning once a second, equal
  views rendered once (..30522d3), five runs of 100 x 8 on one server: p50 43-51 ms, p95
  151-172 ms, p99 314-358 ms (echo p95 4-6 ms; 5.0-6.0 ms of CPU per view, the server at
  43-51 % of a core); 100 x 8 on two servers sharing Redis: 46 / 133 ms (echo p95 7 ms);
  PostgreSQL 20 x 8: 71 / 116 ms (echo p95 4 ms). 5 x 8 (no load): 37 / 46 ms. The
  tail comes with the interpreter's full garbage collections (100-270 ms each with 800
  sockets; a few a minute): with gc thresholds of 50000/20/100 there were none in the run,
  but its p95 (197 ms) was no better, so the defaults stay.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kring.settings")
os.environ.setdefault("KRING_VAR_DIR", tempfile.mkdtemp(prefix="kring-bench-"))

MEMBERS = 8
VERSION = re.compile(rb'data-version="(\d+)"')
PHASE = re.compile(rb'data-phase="(\d+)"')
HEARTBEAT = 15  # seconds, as live.js


# --- the database -------------------------------------------------------------------


@dataclass
class Seat:
    user_id: int
    cookie: str


@dataclass
class Prepared:
    meeting_id: int
    session_id: int
    phase: int
    phase_count: int
    seats: list[Seat]  # seats[0] leads


def prepare(sessions: int) -> list[Prepared]:
    """N groups of 8 members, each with a started live session; signed-in sessions."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.db import transaction
    from django.utils import timezone

    from kring.live import services
    from kring.live.selectors import phases_of
    from kring.meetings.models import RoleAssignment
    from kring.methods.models import Method
    from kring.methods.services import load_builtin_methods
    from kring.planning.models import Meeting
    from tests import factories as f

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_builtin_methods()
    method = Method.objects.get(builtin_key="six-step", organisation=None).current
    organisation = f.OrganisationFactory(name="Bench", slug="bench")
    programme = f.ProgrammeFactory(organisation=organisation)
    roles = ["process_facilitator", "presenter", "timekeeper", "note_taker"]
    prepared = []
    for number in range(sessions):
        with transaction.atomic():
            group = f.GroupFactory(programme=programme, name=f"Bench group {number}")
            users = []
            for seat in range(MEMBERS):
                user = f.UserFactory(email=f"b{number}-{seat}@bench.example")
                f.MembershipFactory(user=user, organisation=organisation)
                f.GroupMembershipFactory(group=group, user=user)
                users.append(user)
            meeting = f.MeetingFactory(
                group=group,
                starts_at=timezone.now() - timedelta(minutes=10),
                status=Meeting.Status.PLANNED,
                method_version=method,
            )
            for user, role in zip(users, roles, strict=False):
                RoleAssignment.objects.create(meeting=meeting, user=user, role=role)
        session = services.start_session(meeting=meeting, by=users[0])
        seats = []
        for user in users:
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            seats.append(Seat(user.pk, store.session_key))
        prepared.append(
            Prepared(meeting.pk, session.pk, session.phase, len(phases_of(session)), seats)
        )
    return prepared


# --- the servers ----------------------------------------------------------------------


class Server:
    """`bench.live_asgi:application` on 127.0.0.1:port under Kring's ASGI server
    (`kring.core.asgi_server`), production settings."""

    def __init__(self, port: int, env: dict):
        self.port, self.env, self.lines = port, env, []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Server:
        from kring.core import asgi_server

        self.process = subprocess.Popen(
            asgi_server.command(
                host="127.0.0.1", port=self.port, application="bench.live_asgi:application"
            ),
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def _read(self):
        for line in self.process.stderr:
            self.lines.append(line)

    def wait(self, timeout=120) -> Server:
        deadline = time.monotonic() + timeout
        while not self._accepts():
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit("the server did not start:\n" + "".join(self.lines[-30:]))
        return self

    def _accepts(self) -> bool:
        time.sleep(0.2)
        try:
            socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
        except OSError:
            return False
        return True

    def cpu_seconds(self) -> float:
        try:
            fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError):
            return float("nan")

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def server_env(redis_url: str) -> dict:
    from django.conf import settings
    from django.db import connection

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    database = connection.settings_dict
    if connection.vendor == "postgresql":
        user = urllib.parse.quote(database["USER"] or "")
        password = f":{urllib.parse.quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
        host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
        env["DATABASE_URL"] = f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"
    env.update(
        # As in production: DEBUG off (no query log, cached templates), the same keys as
        # the data was written with.
        DEBUG="0",
        SECRET_KEY=settings.SECRET_KEY,
        FIELD_ENCRYPTION_KEYS=",".join(settings.FIELD_ENCRYPTION_KEYS),
        AUDIT_LOG_KEY=settings.AUDIT_LOG_KEY,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        LOG_LEVEL="WARNING",
    )
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


# --- the devices ------------------------------------------------------------------------


@dataclass
class Device:
    """One member's browser: a socket, and the stage fetched on every new version."""

    seat: Seat
    server: Server
    prepared: Prepared
    version: int = 0
    fetching: bool = False
    again: bool = False
    seen: dict = field(default_factory=dict)  # version -> monotonic time its view arrived
    fetches: int = 0
    pushed: int = 0  # stages that came over the socket

    def __post_init__(self):
        # The CSRF cookie the browser got with the live page (a pushed stage's forms
        # carry a token for it).
        self.csrf = secrets.token_hex(16)

    def headers(self, posting: bool = False) -> dict:
        headers = {"Origin": self.server.url}
        if posting:
            headers.update({"X-CSRFToken": self.csrf, "X-Live": "fetch"})
        headers["Cookie"] = f"sessionid={self.seat.cookie}; csrftoken={self.csrf}"
        return headers

    def arrived(self, body: bytes) -> None:
        found = VERSION.search(body)
        if found:
            version = int(found.group(1))
            now = time.monotonic()
            if version > self.version:
                self.version = version
            for known in list(self.waiters):
                if version >= known:
                    waiter = self.waiters.pop(known)
                    if not waiter.done():  # given up on (timed out) meanwhile
                        waiter.set_result(now)

    async def fetch(self, http) -> None:
        if self.fetching:  # one fetch at a time; one more after it when asked meanwhile
            self.again = True
            return
        self.fetching = True
        try:
            while True:
                self.again = False
                url = f"{self.server.url}/meetings/{self.prepared.meeting_id}/live/stage/"
                async with http.get(url, headers=self.headers()) as response:
                    body = await response.read()
                self.fetches += 1
                self.arrived(body)
                if not self.again:
                    break
        finally:
            self.fetching = False

    async def run(self, http, stop: asyncio.Event, ready: asyncio.Event) -> None:
        """Connected until `stop`; reconnects with backoff (1, 2, 4… 15 s) as live.js."""
        import aiohttp

        self.waiters: dict[int, asyncio.Future] = {}
        self.reconnects = getattr(self, "reconnects", 0)
        backoff = 1
        while not stop.is_set():
            try:
                await self._connected(http, stop, ready)
                backoff = 1
            except (aiohttp.ClientError, OSError, TimeoutError):
                self.reconnects += 1
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, 15)

    async def _connected(self, http, stop: asyncio.Event, ready: asyncio.Event) -> None:
        url = f"ws://127.0.0.1:{self.server.port}/ws/live/{self.prepared.session_id}/"
        async with http.ws_connect(url, headers=self.headers(), heartbeat=None) as socket:
            ready.set()
            beat = asyncio.create_task(self._heartbeat(socket, stop))
            try:
                async for message in socket:
                    data = json.loads(message.data)
                    if data.get("type") == "stage":  # as live.js: the stage came along
                        self.pushed += 1
                        self.arrived(data["html"].encode())
                    elif data.get("type") == "changed" and data["version"] != self.version:
                        asyncio.create_task(self.fetch(http))
                    if stop.is_set():
                        break
            finally:
                beat.cancel()

    async def _heartbeat(self, socket, stop):
        if not HEARTBEAT:
            return
        while not stop.is_set():
            await asyncio.sleep(HEARTBEAT)
            await socket.send_str('{"type": "heartbeat"}')

    def view_at(self, version: int) -> asyncio.Future:
        future = asyncio.get_running_loop().create_future()
        if self.version >= version:
            future.set_result(time.monotonic())
        else:
            self.waiters[version] = future
        return future


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    if len(samples) < 2:
        value = samples[0] if samples else float("nan")
        return value, value, value
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples), cuts[94], cuts[98]


async def kring_phase(args, prepared, servers) -> dict:
    import aiohttp

    stop = asyncio.Event()
    connector = aiohttp.TCPConnector(limit=0, limit_per_host=0)
    jar = aiohttp.DummyCookieJar()
    timeout = aiohttp.ClientTimeout(total=60)
    samples, posts, errors, skipped = [], [], [], 0
    async with aiohttp.ClientSession(connector=connector, cookie_jar=jar, timeout=timeout) as http:
        devices = {}
        tasks = []
        begun = time.monotonic()
        for number, session in enumerate(prepared):  # a group at a time, as they come in
            devices[session.session_id] = []
            readies = []
            for seat_number, seat in enumerate(session.seats):
                # round the servers, the leads (seat 0) too: each server gets its share of posts
                server = servers[(number + seat_number) % len(servers)]
                device = Device(seat, server, session)
                ready = asyncio.Event()
                devices[session.session_id].append(device)
                tasks.append(asyncio.create_task(device.run(http, stop, ready)))
                readies.append(ready.wait())
            await asyncio.wait_for(asyncio.gather(*readies), 600)
        connected = time.monotonic()
        # Connecting raises each session's version (who is there): let that settle.
        print(f"  connected in {connected - begun:.0f} s", flush=True)
        await settle(devices)
        print(f"  settled after {time.monotonic() - connected:.0f} s more", flush=True)
        for group in devices.values():
            for device in group:
                device.fetches = device.pushed = 0
        print(f"  {len(tasks)} sockets connected; measuring for {args.duration} s", flush=True)

        async def lead(session: Prepared):
            nonlocal skipped
            members = devices[session.session_id]
            lead_device = members[0]
            end = time.monotonic() + args.duration
            while True:
                pause = random.expovariate(1 / args.interval)
                await asyncio.sleep(min(pause, max(end - time.monotonic(), 0)))
                if time.monotonic() >= end:
                    return
                at_last = session.phase >= session.phase_count
                path = "back" if at_last else "advance"
                data = {"from_phase": session.phase, "confirmed": "1"}
                if at_last:
                    data["to_phase"] = 1
                url = f"{lead_device.server.url}/meetings/{session.meeting_id}/live/{path}/"
                started, before = time.monotonic(), lead_device.version
                async with http.post(url, data=data, headers=lead_device.headers(True)) as r:
                    body = await r.read()
                    status = r.status
                if status != 200 or not VERSION.search(body):
                    errors.append(f"{path} {status}: {body[:200]!r}")
                    continue
                answered = time.monotonic()
                version = int(VERSION.search(body).group(1))
                if version <= before:  # (the lead's own push may come before the answer)
                    errors.append(f"{path}: nothing changed ({body[:200]!r})")
                    continue
                lead_device.arrived(body)
                session.phase = int(PHASE.search(body).group(1))  # the lead's own view
                try:
                    arrivals = await asyncio.wait_for(
                        asyncio.gather(*(d.view_at(version) for d in members[1:])), 30
                    )
                except TimeoutError:
                    errors.append(f"session {session.session_id}: version {version} not seen")
                    continue
                if at_last:
                    skipped += 1  # a jump back to the start: not a "next phase"
                    continue
                samples.append((max(arrivals) - started) * 1000)
                posts.append((answered - started) * 1000)

        cpu = [server.cpu_seconds() for server in servers]
        started, client_cpu = time.monotonic(), time.process_time()
        await asyncio.gather(*(lead(session) for session in prepared))
        elapsed, client_cpu = time.monotonic() - started, time.process_time() - client_cpu
        cpu = [
            after - before
            for after, before in zip((server.cpu_seconds() for server in servers), cpu, strict=True)
        ]
        stop.set()
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    fetches = sum(d.fetches for group in devices.values() for d in group)
    pushed = sum(d.pushed for group in devices.values() for d in group)
    reconnects = sum(getattr(d, "reconnects", 0) for group in devices.values() for d in group)
    return {
        "samples": samples,
        "posts": posts,
        "errors": errors,
        "backs": skipped,
        "fetches": fetches,
        "pushed": pushed,
        "cpu": cpu,
        "elapsed": elapsed,
        "client_cpu": client_cpu,
        "reconnects": reconnects,
    }


async def settle(devices, quiet=2.0, limit=240.0):
    """Wait until no device has fetched for `quiet` seconds (or `limit` passed)."""
    deadline = time.monotonic() + limit
    last, since = -1, time.monotonic()
    while time.monotonic() < deadline:
        total = sum(d.fetches + d.pushed for group in devices.values() for d in group)
        if total != last:
            last, since = total, time.monotonic()
        elif time.monotonic() - since >= quiet:
            return
        await asyncio.sleep(0.2)


async def echo_phase(args, groups: int, servers) -> dict:
    import aiohttp

    connector = aiohttp.TCPConnector(limit=0, limit_per_host=0)
    samples, errors = [], []
    inboxes: dict = {}
    readers: list[asyncio.Task] = []

    async def read(socket):
        async for message in socket:
            inboxes[socket].put_nowait(message.data)

    async with aiohttp.ClientSession(connector=connector) as http:
        sockets = {}
        for group in range(groups):
            sockets[group] = []
            for seat in range(MEMBERS):
                server = servers[(group + seat) % len(servers)]
                socket = await http.ws_connect(
                    f"ws://127.0.0.1:{server.port}/ws/bench/echo/{group}/",
                    headers={"Origin": server.url},
                    heartbeat=None,
                )
                sockets[group].append(socket)
                # Read all the time, as a browser does: the server's pings are answered only
                # while reading (a socket left unread while the others connect is closed).
                inboxes[socket] = asyncio.Queue()
                readers.append(asyncio.create_task(read(socket)))
        print(f"  {groups * MEMBERS} echo sockets connected; measuring for {args.duration} s")

        async def group_loop(group: int):
            members = sockets[group]
            end = time.monotonic() + args.duration
            counter = 0
            while True:
                pause = random.expovariate(1 / args.interval)
                await asyncio.sleep(min(pause, max(end - time.monotonic(), 0)))
                if time.monotonic() >= end:
                    return
                counter += 1
                token = f"{group}:{counter}"
                started = time.monotonic()

                async def until(socket, token=token):
                    while True:
                        if await inboxes[socket].get() == token:
                            return time.monotonic()

                try:
                    await members[0].send_str(token)
                except aiohttp.ClientConnectionResetError:
                    errors.append(f"echo {token}: the socket was closed")
                    return
                try:
                    arrivals = await asyncio.wait_for(
                        asyncio.gather(*(until(s) for s in members)), 30
                    )
                except TimeoutError:
                    errors.append(f"echo {token} not seen by all")
                    continue
                samples.append((max(arrivals) - started) * 1000)

        cpu = [server.cpu_seconds() for server in servers]
        await asyncio.gather(*(group_loop(group) for group in range(groups)))
        cpu = [
            after - before
            for after, before in zip((server.cpu_seconds() for server in servers), cpu, strict=True)
        ]
        for group in sockets.values():
            for socket in group:
                await socket.close()
        for reader in readers:
            reader.cancel()
    return {"samples": samples, "errors": errors, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--duration", type=float, default=60, help="seconds per measurement")
    parser.add_argument("--interval", type=float, default=10, help="mean seconds per advance")
    parser.add_argument("--servers", type=int, default=1, help="app server processes")
    parser.add_argument("--port", type=int, default=8704, help="the first server's port")
    parser.add_argument(
        "--redis",
        default=None,
        help="channel layer in Redis at this URL (default: in memory for one server, "
        "redis://127.0.0.1:6379/9 for several)",
    )
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument(
        "--heartbeat", type=float, default=15, help="seconds (0: none, to see its cost)"
    )
    args = parser.parse_args()
    global HEARTBEAT
    HEARTBEAT = args.heartbeat
    random.seed(args.seed)
    redis_url = args.redis
    if redis_url is None and args.servers > 1:
        redis_url = "redis://127.0.0.1:6379/9"
    os.environ.pop("REDIS_URL", None)  # this process only prepares the data

    import django

    django.setup()
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        connection.settings_dict.setdefault("TEST", {})["NAME"] = str(
            Path(os.environ["KRING_VAR_DIR"]) / "kring.sqlite3"
        )
    print(f"Preparing {args.sessions} sessions x {MEMBERS} members on {connection.vendor}…")
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    servers = []
    try:
        subprocess.run(
            [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
            cwd=ROOT,
            env={**os.environ, "DEBUG": "0", **server_env("")},
            check=True,
        )
        prepared = prepare(args.sessions)
        connection.close()
        env = server_env(redis_url or "")
        servers = [Server(args.port + n, env).start() for n in range(args.servers)]
        for server in servers:
            server.wait()
        layer = f"Redis ({redis_url})" if redis_url else "in memory"
        print(f"{args.servers} server(s) (kring.core.asgi_server), channel layer {layer}")
        kring = asyncio.run(kring_phase(args, prepared, servers))
        echo = asyncio.run(echo_phase(args, args.sessions, servers))
    finally:
        for number, server in enumerate(servers):
            server.stop()
            log = Path(tempfile.gettempdir()) / f"kring-bench-live-server-{number}.log"
            log.write_text("".join(server.lines))
            print(f"server {number}'s log: {log} ({len(server.lines)} lines)")
        connection.creation.destroy_test_db(old_name, verbosity=0)

    report(args, redis_url, kring, echo)


def report(args, redis_url, kring, echo) -> None:
    k50, k95, k99 = percentiles(kring["samples"])
    e50, e95, e99 = percentiles(echo["samples"])
    sockets = args.sessions * MEMBERS
    print(
        f"\nLive fan-out: {args.sessions} sessions x {MEMBERS} = {sockets} sockets, "
        f"{args.servers} server(s), layer {'Redis' if redis_url else 'in memory'}, "
        f"{args.duration:g} s, one advance per session every {args.interval:g} s on average\n"
    )
    print(f"{'measured':<46} {'n':>6} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    print(
        f"{'next phase -> all 8 views (POST, pushed stages)':<46} "
        f"{len(kring['samples']):>6} {k50:8.1f} {k95:8.1f} {k99:8.1f}"
    )
    print(
        f"{'  of which: the POST answered (lead)':<46} "
        f"{len(kring['posts']):>6} " + " ".join(f"{v:8.1f}" for v in percentiles(kring["posts"]))
    )
    print(
        f"{'bare echo -> all 8 sockets':<46} "
        f"{len(echo['samples']):>6} {e50:8.1f} {e95:8.1f} {e99:8.1f}"
    )
    ratio = k95 / e95 if e95 else float("nan")
    print(f"{'ratio (p95)':<46} {'':>6} {k50 / e50 if e50 else float('nan'):8.2f} {ratio:8.2f}")
    cpu = ", ".join(f"{c:.1f}" for c in kring["cpu"])
    views = kring["fetches"] + kring["pushed"] + len(kring["samples"]) + kring["backs"]
    print(
        f"\nDuring the live phase ({kring['elapsed']:.1f} s): {kring['pushed']} stages pushed, "
        f"{kring['fetches']} fetched, {len(kring['samples']) + kring['backs']} posts; "
        f"server CPU {cpu} s, so {sum(kring['cpu']) * 1000 / max(views, 1):.1f} ms of CPU "
        f"per view (heartbeats included); "
        f"this process's CPU (the devices) {kring['client_cpu']:.1f} s; "
        f"jumps back to phase 1 (not counted): {kring['backs']}"
    )
    print(f"sockets that had to reconnect (refused or dropped under load): {kring['reconnects']}")
    print(f"load average (1, 5, 15 min): {os.getloadavg()} on {os.cpu_count()} cores")
    for label, errors in (("live", kring["errors"]), ("echo", echo["errors"])):
        if errors:
            print(f"{label} errors ({len(errors)}): {errors[:3]}")
    goal = "met" if k95 <= 150 and ratio <= 3 else "NOT met"
    print(f"Goal p95 <= 150 ms and ratio <= 3: {goal} (p95 {k95:.0f} ms, ratio {ratio:.1f})")


if __name__ == "__main__":
    main()
