import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _manage(*args, env):
    inherited = {"DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    base = {key: value for key, value in os.environ.items() if key not in inherited}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "a-long-random-production-secret-" + "x7Q2pLm9" * 6,
    "ALLOWED_HOSTS": "kring.example.org",
    "FIELD_ENCRYPTION_KEYS": "Q2hhbmdlLW1lLXRvLWEtcmVhbC1rZXktMzItYnl0ZXM=",
}


def test_production_settings_pass_the_deploy_check(tmp_path):
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        env={**PRODUCTION, "KRING_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = {**PRODUCTION, "SECRET_KEY": "", "KRING_VAR_DIR": str(tmp_path)}
    result = _manage("check", env=env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_a_bad_yes_no_value_fails_loudly(tmp_path):
    result = _manage("check", env={"DEBUG": "maybe", "KRING_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "DEBUG must be a yes/no value" in result.stderr


def _setting(name, env, tmp_path):
    result = _manage(
        "shell",
        "-c",
        f"from django.conf import settings; print(repr(getattr(settings, {name!r}, None)))",
        env={**env, "KRING_VAR_DIR": str(tmp_path)},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_forwarded_https_is_believed_only_behind_a_configured_proxy(tmp_path):
    assert _setting("SECURE_PROXY_SSL_HEADER", PRODUCTION, tmp_path) == "None"
    behind_proxy = {**PRODUCTION, "KRING_BEHIND_PROXY": "1"}
    assert _setting("SECURE_PROXY_SSL_HEADER", behind_proxy, tmp_path) == (
        "('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_emailed_links_follow_the_port_kring_serves_on(tmp_path):
    result = _manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SITE_URL)",
        env={"PORT": "8101", "KRING_VAR_DIR": str(tmp_path)},
    )
    assert result.stdout.strip().endswith("http://127.0.0.1:8101"), result.stdout + result.stderr
