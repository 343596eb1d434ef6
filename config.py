"""Configuration, read from the environment.

SQLite in the instance folder is the embedded default; set ``DATABASE_URL`` for PostgreSQL.
``SECRET_KEY`` comes from the environment; for local use one is generated once into the
instance folder, while production (``TRACKER_ENV=production``) refuses to start without one.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class ConfigurationError(RuntimeError):
    """Raised when the app cannot start safely with the configuration it was given."""


def _bool(value: str | None, default: bool = False) -> bool:
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _database_url(instance_path: Path) -> str:
    url = os.environ.get("DATABASE_URL")
    if not url:
        return f"sqlite:///{instance_path / 'tracker.sqlite'}"
    return normalise_database_url(url)


def normalise_database_url(url: str) -> str:
    """PostgreSQL URLs as SQLAlchemy 2 wants them for psycopg 3; other URLs unchanged."""
    # Heroku-style URLs name the old driver; SQLAlchemy 2 wants psycopg 3 spelled out.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://") :]
    return url


#: The values TRACKER_ENV may take; anything else (a typo such as "Production") stops the start.
ENVIRONMENTS = ("development", "production")
#: A signing key shorter than this can be guessed offline from one session cookie.
MIN_SECRET_KEY_BYTES = 32


def _environment() -> str:
    value = os.environ.get("TRACKER_ENV", "development")
    if value not in ENVIRONMENTS:
        raise ConfigurationError(
            f"TRACKER_ENV={value!r} is not one of {', '.join(ENVIRONMENTS)} (lower case); refusing to start."
        )
    return value


def _secret_key(instance_path: Path, production: bool) -> str:
    key = os.environ.get("SECRET_KEY")
    if production and len((key or "").encode()) < MIN_SECRET_KEY_BYTES:
        raise ConfigurationError(
            f"SECRET_KEY must be set in the environment in production, at least {MIN_SECRET_KEY_BYTES} "
            "bytes long (python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if key:
        return key
    key_file = instance_path / "secret_key"
    if not key_file.exists():
        instance_path.mkdir(parents=True, exist_ok=True)
        key_file.write_text(secrets.token_hex(32))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


def load_config(instance_path: Path) -> dict[str, object]:
    """The settings for an app whose instance folder is ``instance_path``."""
    production = _environment() == "production"
    return {
        "TRACKER_ENV": "production" if production else "development",
        "SECRET_KEY": _secret_key(instance_path, production),
        "SQLALCHEMY_DATABASE_URI": _database_url(instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "TIMEZONE": "Asia/Tashkent",
        "BABEL_DEFAULT_LOCALE": "uz_Latn",
        "BABEL_DEFAULT_TIMEZONE": "Asia/Tashkent",
        "BABEL_TRANSLATION_DIRECTORIES": str(Path(__file__).parent / "translations"),
        "LANGUAGES": ["uz_Latn", "uz_Cyrl", "ru", "en"],
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "PREFERRED_URL_SCHEME": "https" if production else "http",
        "REMEMBER_COOKIE_SECURE": production,
        "WTF_CSRF_TIME_LIMIT": None,
        "ATTACHMENTS_DIR": os.environ.get("ATTACHMENTS_DIR", str(instance_path / "attachments")),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_UPLOAD_MB", "20")) * 1024 * 1024,
        # Failed sign-ins: an account locks after LOGIN_MAX_FAILURES; one address is slowed down
        # only after many more (an office behind one NAT shares an address).
        "LOGIN_MAX_FAILURES": int(os.environ.get("LOGIN_MAX_FAILURES", "5")),
        "LOGIN_MAX_FAILURES_PER_ADDRESS": int(os.environ.get("LOGIN_MAX_FAILURES_PER_ADDRESS", "50")),
        "LOGIN_LOCKOUT_MINUTES": int(os.environ.get("LOGIN_LOCKOUT_MINUTES", "15")),
        # How many reverse proxies (nginx, a load balancer) stand in front of the app; their
        # X-Forwarded-For/-Proto/-Host headers are trusted for exactly that many hops.
        "TRACKER_PROXY_HOPS": int(os.environ.get("TRACKER_PROXY_HOPS", "0")),
        # SQLite: how long a writer waits for another one before giving up (milliseconds).
        "SQLITE_BUSY_TIMEOUT_MS": int(os.environ.get("SQLITE_BUSY_TIMEOUT_MS", "30000")),
        # A report job whose worker stops renewing its lease for this long is taken up again.
        "REPORTS_LEASE_SECONDS": int(os.environ.get("REPORTS_LEASE_SECONDS", "300")),
        "MAIL_SERVER": os.environ.get("MAIL_SERVER", "localhost"),
        "MAIL_PORT": int(os.environ.get("MAIL_PORT", "25")),
        "MAIL_USE_TLS": _bool(os.environ.get("MAIL_USE_TLS")),
        "MAIL_USERNAME": os.environ.get("MAIL_USERNAME"),
        "MAIL_PASSWORD": os.environ.get("MAIL_PASSWORD"),
        "MAIL_DEFAULT_SENDER": os.environ.get("MAIL_DEFAULT_SENDER", "tracker@localhost"),
        # Absolute links in e-mail (reminders): where people open the app.
        "TRACKER_BASE_URL": os.environ.get("TRACKER_BASE_URL", "http://127.0.0.1:5000"),
        "IMPORT_MAX_MB": int(os.environ.get("IMPORT_MAX_MB", "20")),
        # Uploaded plans kept between the preview and the confirmation.
        "IMPORTS_DIR": os.environ.get("IMPORTS_DIR", str(instance_path / "imports")),
        "REPORTS_DIR": os.environ.get("REPORTS_DIR", str(instance_path / "reports")),
        # Housekeeping (daily, `flask reports clean`): finished report jobs are removed this many
        # days after they finished, cached PDFs nobody opened for this many days.
        "REPORTS_JOBS_KEEP_DAYS": int(os.environ.get("REPORTS_JOBS_KEEP_DAYS", "7")),
        "REPORTS_FILES_KEEP_DAYS": int(os.environ.get("REPORTS_FILES_KEEP_DAYS", "30")),
        "REPORTS_BACKGROUND_THRESHOLD": int(os.environ.get("REPORTS_BACKGROUND_THRESHOLD", "100")),
        # "thread": a worker thread in each web process builds large reports;
        # "off": `flask reports work` does.
        "REPORTS_WORKER": os.environ.get("REPORTS_WORKER", "thread"),
        # Layout helper processes of large reports exit after this many idle seconds.
        "REPORTS_LAYOUT_IDLE_SECONDS": float(os.environ.get("REPORTS_LAYOUT_IDLE_SECONDS", "60")),
        # The report form starts the layout helpers, so they are warm when the PDF is asked for
        # (off: they start with the first large report). Tests have it off unless they switch it on.
        **(
            {"REPORTS_PRESTART_HELPERS": _bool(prestart)}
            if (prestart := os.environ.get("REPORTS_PRESTART_HELPERS"))
            else {}
        ),
        # Processes that lay out one large report (default: every usable core; 1: no helpers).
        **(
            {"REPORTS_LAYOUT_PROCESSES": int(processes)}
            if (processes := os.environ.get("REPORTS_LAYOUT_PROCESSES"))
            else {}
        ),
        # Layout helpers shared by every process of the server, one per spare core (off: each web
        # worker keeps its own). Tests have it off unless they switch it on.
        **(
            {"REPORTS_LAYOUT_SHARED": _bool(shared)}
            if (shared := os.environ.get("REPORTS_LAYOUT_SHARED"))
            else {}
        ),
        # Where the shared helpers listen (default: a private folder in the temporary folder).
        **(
            {"REPORTS_LAYOUT_SOCKETS": sockets}
            if (sockets := os.environ.get("REPORTS_LAYOUT_SOCKETS"))
            else {}
        ),
        # A report table of this many rows is laid out in two processes when a helper is warm.
        "REPORTS_PARALLEL_MIN_ROWS": int(os.environ.get("REPORTS_PARALLEL_MIN_ROWS", "24")),
        # After a plan changes, its status report "as of today" is rebuilt this many seconds
        # after the last change (REPORTS_PREBUILD=0 switches it off; tests have it off).
        "REPORTS_PREBUILD_DELAY_SECONDS": float(os.environ.get("REPORTS_PREBUILD_DELAY_SECONDS", "30")),
        **({"REPORTS_PREBUILD": _bool(prebuild)} if (prebuild := os.environ.get("REPORTS_PREBUILD")) else {}),
        # Public pages (/open/): requests per address per window (0: no limit), the page cache
        # of each worker, and what the open-data catalogue says about the data.
        "OPEN_RATE_LIMIT": int(os.environ.get("OPEN_RATE_LIMIT", "120")),
        "OPEN_RATE_WINDOW": int(os.environ.get("OPEN_RATE_WINDOW", "60")),
        "OPEN_CACHE_ENTRIES": int(os.environ.get("OPEN_CACHE_ENTRIES", "512")),
        "OPEN_FINGERPRINT_TTL": float(os.environ.get("OPEN_FINGERPRINT_TTL", "1")),
        "OPEN_DATA_LICENSE": os.environ.get(
            "OPEN_DATA_LICENSE", "https://creativecommons.org/licenses/by/4.0/"
        ),
        "OPEN_DATA_TITLE": os.environ.get("OPEN_DATA_TITLE", "Work plans and their execution"),
        "OPEN_DATA_PUBLISHER": os.environ.get("OPEN_DATA_PUBLISHER", ""),
        # Database connections that claim a large reminder backlog at once (PostgreSQL; default 2,
        # 1 in tests, always 1 on SQLite).
        **(
            {"REMINDER_CLAIM_CONNECTIONS": int(connections)}
            if (connections := os.environ.get("REMINDER_CLAIM_CONNECTIONS"))
            else {}
        ),
        # "embedded": `flask run` also runs the reminder jobs (demo, development); production runs
        # `flask scheduler run` as one separate process.
        "TRACKER_SCHEDULER": os.environ.get("TRACKER_SCHEDULER", "off" if production else "embedded"),
        # "after_response": workflow e-mail for "immediately" goes out once the response is sent;
        # "off": the scheduler's delivery job sends it.
        "NOTIFICATIONS_DELIVERY": os.environ.get("NOTIFICATIONS_DELIVERY", "after_response"),
    }
