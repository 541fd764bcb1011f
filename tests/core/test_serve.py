"""`make run` serves with `manage.py serve`: Ctrl-C stops the server and the worker cleanly."""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_served(url: str, process: subprocess.Popen, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, process.communicate()[0]
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - localhost
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} was not served within {seconds} s")


def _children_of(pid: int) -> list[int]:
    found = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(child) for child in found.read_text().split()] if found.exists() else []


def test_ctrl_c_stops_server_and_worker_cleanly(tmp_path):
    port = _free_port()
    env = {**os.environ, "KRING_VAR_DIR": str(tmp_path), "PORT": str(port), "DEBUG": "1"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    serving = subprocess.Popen(
        [sys.executable, "manage.py", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        _wait_until_served(f"http://127.0.0.1:{port}/accounts/login/", serving)
        children = _children_of(serving.pid)
        assert len(children) == 2  # the web server and the worker

        serving.send_signal(signal.SIGINT)  # what Ctrl-C in the terminal sends
        output, _ = serving.communicate(timeout=30)
    finally:
        if serving.poll() is None:
            serving.kill()
    assert serving.returncode == 0, output
    assert "Segmentation fault" not in output and "Traceback" not in output, output
    for child in children:  # both were stopped and reaped, none is left running
        assert not Path(f"/proc/{child}").exists()
