"""Kring served over ASGI, WebSockets included, for browser tests of the live session.

pytest-django's `live_server` is WSGI: it has no sockets. `asgi_live_server` runs uvicorn
in a thread of the test process with the project's own ASGI application (kring.asgi:
HTTP through Django, the live session's socket behind Django's session and the allowed
origins), static files served as `live_server` serves them, against the test database.

The test needs real transactions (`django_db(transaction=True)`): the server reads the
database on its own connections, so it sees only committed rows. On SQLite the browser
tests use a database file (tests/browser/conftest.py): an in-memory shared-cache
database fails with "database table is locked" as soon as two threads write.

The channel layer is the process's own (in memory unless REDIS_URL is set): a change made
through the server (a page's POST) reaches the sockets at once. A change the test makes
itself should go through `asgi_live_server.call(service, ...)`, which runs it in the
server's event loop as a request would, so its push is delivered in that loop.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import pytest
from asgiref.sync import sync_to_async
from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler
from django.db import close_old_connections, connection, connections

HOST = "127.0.0.1"
START_TIMEOUT = 15


class AsgiLiveServer:
    """uvicorn in a daemon thread on a free port of 127.0.0.1; `url` and `ws_url`."""

    def __init__(self, application=None, host: str = HOST):
        if application is None:
            from kring.asgi import application
        self.application = ASGIStaticFilesHandler(application)
        self.host = host
        self.port: int | None = None
        self.loop: asyncio.AbstractEventLoop | None = None
        self._server = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{self.host}:{self.port}"

    def __str__(self) -> str:
        return self.url

    def start(self) -> AsgiLiveServer:
        import uvicorn

        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((self.host, 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.application,
            lifespan="off",
            log_level="warning",
            http="h11",
            ws="websockets-sansio",
            loop="asyncio",
            # Tests close pages abruptly: do not wait long for sockets to say goodbye.
            timeout_graceful_shutdown=2,
        )
        self._server = uvicorn.Server(config)

        def serve():
            self.loop = asyncio.new_event_loop()
            asyncio.set_event_loop(self.loop)
            try:
                # Off the main thread uvicorn installs no signal handlers.
                self.loop.run_until_complete(self._server.serve(sockets=[sock]))
            except BaseException as error:  # reported by start() or stop()
                self._error = error
            finally:
                self.loop.close()
                sock.close()

        self._thread = threading.Thread(target=serve, name="asgi-live-server", daemon=True)
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the ASGI test server did not start: {self._error!r}")
            time.sleep(0.01)
        return self

    def call(self, function, /, *args, timeout: float = 30, **kwargs):
        """Run `function(*args, **kwargs)` as the server would run a view: in its event
        loop's worker thread, so that what it pushes on commit goes out through the
        server's channel layer loop. Returns the function's result."""

        def run():
            try:
                return function(*args, **kwargs)
            finally:
                close_old_connections()
                connection.close()

        future = asyncio.run_coroutine_threadsafe(sync_to_async(run)(), self.loop)
        return future.result(timeout)

    def stop(self) -> None:
        if self._server is None:
            return
        self._server.should_exit = True
        if self.loop is not None and self.loop.is_running():
            # Close the worker threads' database connections (PostgreSQL will not drop a
            # test database that someone is still connected to).
            try:
                asyncio.run_coroutine_threadsafe(
                    sync_to_async(connections.close_all)(), self.loop
                ).result(5)
            except Exception:  # noqa: S110 - the server is going away anyway
                pass
        self._thread.join(timeout=10)
        self._server = None


def device(browser, server, user=None, *, viewport=None, locale="nl-NL", timeout=15_000):
    """A page in a browser context of its own (its own cookies, as a separate phone or
    laptop), signed in as `user` through Django's session cookie, or as nobody."""
    from django.conf import settings
    from django.test import Client

    context = browser.new_context(viewport=viewport or {"width": 390, "height": 844}, locale=locale)
    if user is not None:
        client = Client()
        client.force_login(user)
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": server.url}]
        )
    page = context.new_page()
    page.set_default_timeout(timeout)
    return page


def _is_in_memory(conn) -> bool:
    return conn.vendor == "sqlite" and conn.is_in_memory_db()


@pytest.fixture
def asgi_live_server(transactional_db, settings):
    """Kring over ASGI (HTTP and WebSockets) for this test; see the module's docstring."""
    if _is_in_memory(connection):
        raise RuntimeError(
            "asgi_live_server needs a database file, not SQLite in memory: use it from a "
            "browser test (tests/browser/conftest.py gives those a file)"
        )
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, HOST, "localhost"]
    server = AsgiLiveServer().start()
    try:
        yield server
    finally:
        server.stop()
