"""Configuration: database URLs, the secret key, and the entry points."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from config import ConfigurationError, load_config

ROOT = Path(__file__).resolve().parents[1]


def test_sqlite_in_the_instance_folder_by_default(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("TRACKER_ENV", raising=False)
    config = load_config(tmp_path)
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'tracker.sqlite'}"
    assert config["TIMEZONE"] == "Asia/Tashkent"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql://u:p@db/tracker", "postgresql+psycopg://u:p@db/tracker"),
        ("postgres://u:p@db/tracker", "postgresql+psycopg://u:p@db/tracker"),
        ("postgresql+psycopg://u@db/t", "postgresql+psycopg://u@db/t"),
    ],
)
def test_database_url_selects_psycopg(tmp_path, monkeypatch, given, expected):
    monkeypatch.setenv("DATABASE_URL", given)
    assert load_config(tmp_path)["SQLALCHEMY_DATABASE_URI"] == expected


def test_claim_connections_come_from_the_environment_only_when_set(tmp_path, monkeypatch):
    """Unset, the code's default applies (2, or 1 under tests): the config has no key for it."""
    monkeypatch.delenv("REMINDER_CLAIM_CONNECTIONS", raising=False)
    assert "REMINDER_CLAIM_CONNECTIONS" not in load_config(tmp_path)
    monkeypatch.setenv("REMINDER_CLAIM_CONNECTIONS", "3")
    assert load_config(tmp_path)["REMINDER_CLAIM_CONNECTIONS"] == 3


@pytest.mark.parametrize(
    ("variable", "given", "expected"),
    [
        ("REPORTS_LAYOUT_PROCESSES", "1", 1),
        ("REPORTS_LAYOUT_SHARED", "0", False),
        ("REPORTS_LAYOUT_SOCKETS", "/run/tracker-layout", "/run/tracker-layout"),
    ],
)
def test_report_layout_settings_come_from_the_environment(tmp_path, monkeypatch, variable, given, expected):
    monkeypatch.delenv(variable, raising=False)
    assert variable not in load_config(tmp_path)  # unset: the code's default (every core, shared)
    monkeypatch.setenv(variable, given)
    assert load_config(tmp_path)[variable] == expected


def test_a_secret_key_is_generated_once_for_local_use(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("TRACKER_ENV", raising=False)
    first = load_config(tmp_path)["SECRET_KEY"]
    assert len(first) >= 32 and load_config(tmp_path)["SECRET_KEY"] == first
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.setenv("TRACKER_ENV", "production")
    with pytest.raises(ConfigurationError):
        load_config(tmp_path)
    monkeypatch.setenv("SECRET_KEY", "from-the-environment-" + "k" * 12)
    config = load_config(tmp_path)
    assert config["SECRET_KEY"].startswith("from-the-environment") and config["SESSION_COOKIE_SECURE"] is True
    assert config["PREFERRED_URL_SCHEME"] == "https"


@pytest.mark.parametrize("key", ["x", "k" * 31])
def test_production_refuses_a_short_secret_key(tmp_path, monkeypatch, key):
    monkeypatch.setenv("TRACKER_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", key)
    with pytest.raises(ConfigurationError, match="32 bytes"):
        load_config(tmp_path)


@pytest.mark.parametrize("value", ["Production", "prod", "staging", ""])
def test_an_unknown_environment_name_refuses_to_start(tmp_path, monkeypatch, value):
    monkeypatch.setenv("TRACKER_ENV", value)
    monkeypatch.setenv("SECRET_KEY", "k" * 40)
    with pytest.raises(ConfigurationError, match="TRACKER_ENV"):
        load_config(tmp_path)


def test_flask_finds_the_app_from_the_repository_root_without_flask_app():
    env = {k: v for k, v in __import__("os").environ.items() if k != "FLASK_APP"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "flask", "routes"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "/api/v1/plans" in result.stdout


def test_wsgi_exposes_the_app():
    import wsgi

    assert wsgi.app.name == "tracker"


def test_static_toolkit_is_vendored_and_pages_link_no_cdn(db, client, make_user):
    from tests.conftest import login

    assert (ROOT / "tracker/static/vendor/bootstrap/bootstrap.min.css").stat().st_size > 100_000
    login(client, make_user())
    html = client.get("/plans").get_data(as_text=True)
    assert "https://" not in html and "http://" not in html.replace("http://localhost", "")
