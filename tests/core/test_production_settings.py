"""The production profile fails loudly on a missing or weak secret, and a correctly configured
install passes ``manage.py check --deploy`` without a single warning.

Settings are read once per process, so each case runs Django in a subprocess with a clean
environment (nothing leaks in from the developer's shell or the test settings).
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GOOD_KEY = secrets.token_urlsafe(64)


def run(args: list[str], tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "TWOWAY_ENV": "production",
        "DJANGO_SETTINGS_MODULE": "twoway.settings",
        "TWOWAY_DATA_DIR": str(tmp_path),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}",
        **env,
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def load_settings(tmp_path: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return run(["-c", "import django; django.setup()"], tmp_path, **env)


@pytest.mark.parametrize(
    ("secret_key", "why"),
    [
        (None, "missing"),
        ("", "empty"),
        ("too-short-" * 3, "short"),
        ("django-insecure-" + "x" * 60, "django's placeholder"),
        ("a" * 64, "not random"),
    ],
)
def test_production_refuses_to_start_without_a_real_secret_key(
    tmp_path: Path, secret_key: str | None, why: str
) -> None:
    env = {"ALLOWED_HOSTS": "twoway.example.org"}
    if secret_key is not None:
        env["SECRET_KEY"] = secret_key

    result = load_settings(tmp_path, **env)

    assert result.returncode != 0, f"started with a {why} SECRET_KEY"
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set to a random value of at least 50 characters" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts(tmp_path: Path) -> None:
    result = load_settings(tmp_path, SECRET_KEY=GOOD_KEY)

    assert result.returncode != 0
    assert "ALLOWED_HOSTS must name the host(s)" in result.stderr


def test_a_configured_production_install_passes_check_deploy_cleanly(tmp_path: Path) -> None:
    result = run(
        ["manage.py", "check", "--deploy"],
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="twoway.example.org",
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output
    assert "WARNING" not in output


def test_opting_into_hsts_preload_keeps_check_deploy_clean(tmp_path: Path) -> None:
    result = run(
        ["manage.py", "check", "--deploy"],
        tmp_path,
        SECRET_KEY=GOOD_KEY,
        ALLOWED_HOSTS="twoway.example.org",
        SECURE_HSTS_PRELOAD="true",
    )

    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues (0 silenced)" in output
