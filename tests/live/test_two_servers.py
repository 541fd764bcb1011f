"""Two app servers on two ports share the Redis channel layer and the database: a device
connected to one server hears the phase changes made through the other.

Each server is a process of its own (`kring.core.asgi_server`, as in production behind a
load balancer), started on a free port with REDIS_URL set; the lead posts "next phase" to
one server, the member's socket on the other hears "changed, version N" with the version
the lead's stage came back with; then the other way round. Skipped only when Redis is unreachable.
"""

import os
import random
import re
import secrets
import sqlite3
import subprocess
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from kring.core import asgi_server

pytestmark = pytest.mark.django_db(transaction=True)

BASE_DIR = Path(settings.BASE_DIR)
REDIS = os.environ.get("KRING_TEST_REDIS", "redis://127.0.0.1:6379")
START_TIMEOUT = 90
HEAR_TIMEOUT = 15


def _redis_url() -> str:
    """A Redis database of its own for this run (another run's sessions have the same
    numbers), or a skip saying why."""
    import redis

    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=2, socket_timeout=2).ping()
    except redis.RedisError as error:
        pytest.skip(f"Redis is not reachable at {REDIS} ({error}): two servers share it")
    return f"{REDIS.rstrip('/')}/{random.randint(1, 15)}"


def _database_env(tmp_path) -> dict:
    """The servers' database: this test's own (committed: real transactions)."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        # The test database may live in memory: the servers get a copy in a file.
        connection.ensure_connection()
        copy = sqlite3.connect(tmp_path / "kring.sqlite3")
        connection.connection.backup(copy)
        copy.close()
        return {"KRING_VAR_DIR": str(tmp_path)}
    assert connection.vendor == "postgresql", connection.vendor
    user = urllib.parse.quote(database["USER"] or "")
    password = f":{urllib.parse.quote(database['PASSWORD'])}" if database["PASSWORD"] else ""
    host, port = database["HOST"] or "127.0.0.1", database["PORT"] or 5432
    return {"DATABASE_URL": f"postgres://{user}{password}@{host}:{port}/{database['NAME']}"}


class Server:
    """Kring's ASGI server on a free port of 127.0.0.1, stopped on exit."""

    def __init__(self, env: dict):
        self.env = env
        self.port = None
        self.lines: list[str] = []
        self._listening = threading.Event()

    def start(self):
        self.process = subprocess.Popen(
            asgi_server.command(host="127.0.0.1", port=0),
            cwd=BASE_DIR,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        threading.Thread(target=self._read, daemon=True).start()
        return self

    def _read(self):
        for line in self.process.stderr:  # drained to the end: the pipe never fills
            self.lines.append(line)
            found = re.search(r"running on http://[\d.]+:(\d+)", line)
            if found:
                self.port = int(found.group(1))
                self._listening.set()

    def wait(self):
        deadline = time.monotonic() + START_TIMEOUT
        while not self._listening.wait(0.2):
            if self.process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise AssertionError("the server did not start:\n" + "".join(self.lines[-30:]))
        return self

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)


def _session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies[settings.SESSION_COOKIE_NAME].value


class Device:
    """One signed-in person's socket on one server."""

    def __init__(self, server: Server, session_id: int, cookie: str):
        from websockets.sync.client import connect

        self.server, self.cookie = server, cookie
        # The sync client warns unless used as a context manager.
        self.socket = connect(
            f"ws://127.0.0.1:{server.port}/ws/live/{session_id}/",
            additional_headers={
                "Origin": server.url,
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={cookie}",
            },
            open_timeout=HEAR_TIMEOUT,
        ).__enter__()
        self.heard: list[dict] = []

    def first(self) -> dict:
        """The first message: the session's current version."""
        import json

        message = json.loads(self.socket.recv(timeout=HEAR_TIMEOUT))
        self.heard.append(message)
        return message

    def hears(self, version: int) -> bool:
        """Whether "changed, version `version`" arrives (messages before it are kept)."""
        import json

        deadline = time.monotonic() + HEAR_TIMEOUT
        while time.monotonic() < deadline:
            try:
                message = json.loads(self.socket.recv(timeout=deadline - time.monotonic()))
            except TimeoutError:
                break
            self.heard.append(message)
            if message == {"type": "changed", "version": version}:
                return True
        return False

    def post(self, path: str, data: dict) -> tuple[int, str]:
        """A form posted as live.js posts it (CSRF token, the stage fragment back)."""
        token = secrets.token_hex(16)  # a 32-character secret, in the cookie and the header
        request = urllib.request.Request(  # noqa: S310 - our own server's http URL
            self.server.url + path,
            data=urllib.parse.urlencode(data).encode(),
            headers={
                "Cookie": f"{settings.SESSION_COOKIE_NAME}={self.cookie}; "
                f"{settings.CSRF_COOKIE_NAME}={token}",
                "X-CSRFToken": token,
                "Origin": self.server.url,
                "X-Live": "fetch",
            },
            method="POST",
        )
        with urllib.request.urlopen(request, timeout=HEAR_TIMEOUT) as response:  # noqa: S310
            return response.status, response.read().decode()

    def close(self):
        self.socket.close()


def _stage_version(html: str) -> int:
    return int(re.search(r'data-version="(\d+)"', html).group(1))


def test_devices_on_two_servers_hear_each_others_phase_changes(started, tmp_path):
    live = started
    session, lead, member = live.session, live.process_facilitator, live.member
    redis_url = _redis_url()
    cookies = {user.pk: _session_cookie(user) for user in (lead, member)}
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "KRING_VAR_DIR")},
        **_database_env(tmp_path),
        "REDIS_URL": redis_url,
        "DJANGO_SETTINGS_MODULE": "kring.settings",
        "DEBUG": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "LOG_LEVEL": "INFO",
    }
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    servers = [Server(env).start(), Server(env).start()]
    devices = []
    try:
        a, b = (server.wait() for server in servers)
        lead_on_a = Device(a, session.pk, cookies[lead.pk])
        member_on_b = Device(b, session.pk, cookies[member.pk])
        devices = [lead_on_a, member_on_b]
        for device in devices:  # each starts from the current version (a connect may
            first = device.first()  # raise it: the lead's stage shows who is there)
            assert first["type"] == "changed" and first["version"] >= session.version

        # The lead goes to phase 2 through server A; the member on server B hears it.
        status, stage = lead_on_a.post(
            f"/meetings/{live.meeting.pk}/live/advance/", {"from_phase": 1, "confirmed": "1"}
        )
        assert status == 200 and 'data-phase="2"' in stage
        assert member_on_b.hears(_stage_version(stage)), member_on_b.heard

        # And the other way round: the lead, now on server B, goes on to phase 3; the
        # lead's earlier device on server A hears it.
        lead_on_b = Device(b, session.pk, cookies[lead.pk])
        devices.append(lead_on_b)
        lead_on_b.first()
        status, stage = lead_on_b.post(
            f"/meetings/{live.meeting.pk}/live/advance/", {"from_phase": 2, "confirmed": "1"}
        )
        assert status == 200 and 'data-phase="3"' in stage
        assert lead_on_a.hears(_stage_version(stage)), lead_on_a.heard
        assert member_on_b.hears(_stage_version(stage)), member_on_b.heard
        # Only "changed, version N" ever crossed the layer.
        for device in devices:
            assert all(set(message) == {"type", "version"} for message in device.heard)
    finally:
        for device in devices:
            device.close()
        for name, server in zip("AB", servers, strict=True):
            server.stop()
            # Shown by pytest when the test fails.
            print(f"--- server {name}\n" + "".join(server.lines[-60:]))
