"""Settings read once from ``TRAINING_HUB_*`` environment variables.

Secrets only ever come from the environment. In production mode a missing secret key stops the
application at start-up; in demo, dev and test mode one is generated and the log says so.
"""

from __future__ import annotations

import logging
import os
import secrets
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path

from training_hub.core.logs import LOG_FORMATS

log = logging.getLogger("training_hub")

PROJECT_ROOT = Path(__file__).resolve().parent.parent.parent
MODES = ("production", "dev", "demo", "test")
# Entry into force of the Accordo Stato-Regioni 17/04/2025 (Rep. Atti 59/CSR); the preposti's transitional
# deadlines and the datori di lavoro's 24 months count from it. Sources disagree, so it is a setting
# (TRAINING_HUB_ASR_2025_IN_FORCE). The Accordo itself (Parte VII punto 1) enters into force on the day of
# its publication in the Gazzetta Ufficiale, GU n. 119 of 24/05/2025, the date the FAQ of Regione Veneto
# use for the preposti (24/05/2026 and 24/05/2027); the interregional FAQ of 27/03/2026 (quesito 11) say
# 19/05/2025, publication on the Ministry of Labour's site under L. 69/2009 art. 32.
ASR_2025_IN_FORCE_DEFAULT = date(2025, 5, 24)


class SettingsError(RuntimeError):
    """The environment cannot run Training Hub; the message says what to set."""


@dataclass(frozen=True)
class Settings:
    mode: str
    database_url: str
    secret_key: str
    base_url: str
    secret_key_generated: bool
    session_max_age_seconds: int
    api_token_ttl_seconds: int
    login_max_failures: int
    login_failure_window_seconds: int
    smtp_url: str | None
    mail_from: str
    notifications_interval_seconds: int
    log_level: str
    # How long a worker may reuse a calendar feed's computed version (ETag) before looking at the data
    # again; feeds are served with max-age=300 anyway. 0 in test mode: every request looks.
    feed_version_ttl_seconds: int = 60
    # How long a worker may reuse a catalogue page it computed, as long as it has written nothing
    # itself (cache.py): the bound on how late it shows another worker's changes. 0 turns it off.
    catalogue_cache_seconds: int = 10
    # Safety refresh tracker: a requirement whose due date is this many days away or fewer is "due soon".
    safety_due_soon_days: int = 90
    # Entry into force of the Accordo Stato-Regioni 17/04/2025: see ASR_2025_IN_FORCE_DEFAULT.
    asr_2025_in_force: date = ASR_2025_IN_FORCE_DEFAULT
    # TRAINING_HUB_LOG_FORMAT: "text" for people, "json" for a log collector (core/logs.py).
    log_format: str = "text"
    # TRAINING_HUB_METRICS_TOKEN: the bearer token the Prometheus scraper sends; unset, /metrics is off.
    metrics_token: str | None = None
    # Database outages (issue 12): a database that does not answer must cost a request seconds, not
    # forever. Connecting (TCP + authentication), waiting for a pooled connection, and one statement are
    # each bounded on the client; PostgreSQL also cancels a statement itself after the server-side
    # timeout (a little shorter, so the server gives up first and says why). Seconds. With the database
    # frozen, a statement waits the command timeout, then asyncpg's cancel request waits the connect
    # timeout: 13 s at most with these values (bench/robustness.py measures it).
    db_connect_timeout: float = 3.0
    db_acquire_timeout: float = 5.0
    db_command_timeout: float = 10.0
    db_statement_timeout: float = 8.0
    # How long a notice keeps being retried while the mail server cannot be reached (connection
    # refused, timeouts, 4xx): an outage from Friday evening to Monday morning must still deliver
    # Monday's reminders, so at least 3 days (issue 12 item 16); a permanent 5xx gives up at once.
    notifications_retry_days: int = 3
    # How long an answer 503 asks clients to wait before trying again (Retry-After), seconds.
    db_retry_after_seconds: int = 30
    # Graceful shutdown: how long open requests may finish after SIGTERM (uvicorn's
    # timeout_graceful_shutdown); background tasks are cancelled, bounded the same way.
    shutdown_timeout_seconds: int = 10
    # Login throttle (accounts/throttle.py): after login_max_failures wrong passwords from one client for
    # one e-mail, that client waits login_throttle_delay_seconds, doubling at every further failure up to
    # login_failure_window_seconds. Other clients (the owner at home) are never held back.
    login_throttle_delay_seconds: int = 60
    # Minimum zxcvbn score (0-4) of a new password. Source: zxcvbn (Wheeler, USENIX Security 2016), score 3
    # = "safely unguessable: moderate protection from offline slow-hash scenario" (< 10^10 guesses);
    # NIST SP 800-63B 5.1.1.2 asks to refuse passwords found in lists of common or compromised ones.
    password_min_score: int = 3
    # Validity of the links e-mailed to set a password: a reset for one hour (issue 14.1), an invitation
    # for seven days (issue 14.2).
    password_reset_ttl_seconds: int = 3600
    invitation_ttl_seconds: int = 7 * 24 * 3600
    # Password-reset requests accepted per e-mail address and per client in an hour.
    password_reset_max_per_email: int = 3
    password_reset_max_per_client: int = 10
    # The training body printed on the attestati (ASR 2025 Parte I punto 6: "soggetto formatore") and who
    # signs them: "il legale rappresentante o un suo delegato" (same point). TRAINING_HUB_TRAINING_BODY_NAME,
    # _ADDRESS, _CITY (where the attestato is issued), _TAX_CODE; TRAINING_HUB_SIGNATORY_NAME and _ROLE.
    training_body_name: str = "Consorzio Sociale Light"
    training_body_address: str = "Via Tolmezzo, 3 · 20100 Milano"
    training_body_city: str = "Milano"
    training_body_tax_code: str = ""
    signatory_name: str = ""
    signatory_role: str = "Legale rappresentante"
    # How long a worker may reuse a social report (planning/social_report.py) it computed, as long as it
    # has written nothing itself (cache.py): the bound on how late it shows another worker's changes. 0 off.
    social_report_cache_seconds: int = 60
    # Rendered pages kept per process (web/memo.py): a page is rendered again only when something it
    # shows differs (the key is everything the template reads), so no write can leave one stale; bytes,
    # 0 turns it off (to measure the rendering itself).
    page_memo_bytes: int = 32 * 1024 * 1024

    @property
    def is_production(self) -> bool:
        return self.mode == "production"

    @property
    def secure_cookies(self) -> bool:
        return self.base_url.startswith("https://")


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} deve essere un numero intero, non {raw!r}.") from exc


def _float(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        value = float(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} deve essere un numero di secondi, non {raw!r}.") from exc
    if not value > 0:
        raise SettingsError(f"{name} deve essere maggiore di zero.")
    return value


def _date(name: str, default: date) -> date:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise SettingsError(f"{name} deve essere una data nel formato AAAA-MM-GG, non {raw!r}.") from exc


def _log_format() -> str:
    raw = os.environ.get("TRAINING_HUB_LOG_FORMAT", "text").strip().lower() or "text"
    if raw not in LOG_FORMATS:
        raise SettingsError(f"TRAINING_HUB_LOG_FORMAT deve essere text o json, non {raw!r}.")
    return raw


def load_settings() -> Settings:
    mode = os.environ.get("TRAINING_HUB_MODE", "production").strip().lower()
    if mode not in MODES:
        raise SettingsError(f"TRAINING_HUB_MODE deve essere uno tra {', '.join(MODES)}, non {mode!r}.")
    secret_key = os.environ.get("TRAINING_HUB_SECRET_KEY", "").strip()
    generated = False
    if not secret_key:
        if mode == "production":
            raise SettingsError(
                "TRAINING_HUB_SECRET_KEY non è impostata: in produzione Training Hub non parte senza una "
                "chiave segreta. Generane una con `python -c 'import secrets; print(secrets.token_urlsafe(48))'` "
                "e impostala nell'ambiente, oppure usa TRAINING_HUB_MODE=dev per una prova locale."
            )
        secret_key = secrets.token_urlsafe(48)
        generated = True
    elif len(secret_key) < 32 and mode == "production":
        raise SettingsError("TRAINING_HUB_SECRET_KEY è troppo corta: servono almeno 32 caratteri.")
    return Settings(
        mode=mode,
        database_url=os.environ.get("TRAINING_HUB_DATABASE_URL", "sqlite:///training_hub.sqlite3"),
        secret_key=secret_key,
        secret_key_generated=generated,
        base_url=os.environ.get("TRAINING_HUB_BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
        session_max_age_seconds=_int("TRAINING_HUB_SESSION_MAX_AGE", 12 * 3600),
        api_token_ttl_seconds=_int("TRAINING_HUB_API_TOKEN_TTL", 24 * 3600),
        login_max_failures=_int("TRAINING_HUB_LOGIN_MAX_FAILURES", 5),
        login_failure_window_seconds=_int("TRAINING_HUB_LOGIN_WINDOW", 15 * 60),
        smtp_url=os.environ.get("TRAINING_HUB_SMTP_URL") or None,
        mail_from=os.environ.get("TRAINING_HUB_MAIL_FROM", "Training Hub <formazione@consorziolight.it>"),
        notifications_interval_seconds=_int("TRAINING_HUB_NOTIFICATIONS_INTERVAL", 30),
        log_level=os.environ.get("TRAINING_HUB_LOG_LEVEL", "INFO").upper(),
        feed_version_ttl_seconds=_int("TRAINING_HUB_FEED_VERSION_TTL", 0 if mode == "test" else 60),
        catalogue_cache_seconds=_int("TRAINING_HUB_CATALOGUE_CACHE_SECONDS", 10),
        safety_due_soon_days=_int("TRAINING_HUB_SAFETY_DUE_SOON_DAYS", 90),
        asr_2025_in_force=_date("TRAINING_HUB_ASR_2025_IN_FORCE", ASR_2025_IN_FORCE_DEFAULT),
        log_format=_log_format(),
        metrics_token=os.environ.get("TRAINING_HUB_METRICS_TOKEN", "").strip() or None,
        notifications_retry_days=_int("TRAINING_HUB_NOTIFICATIONS_RETRY_DAYS", 3),
        db_connect_timeout=_float("TRAINING_HUB_DB_CONNECT_TIMEOUT", 3.0),
        db_acquire_timeout=_float("TRAINING_HUB_DB_ACQUIRE_TIMEOUT", 5.0),
        db_command_timeout=_float("TRAINING_HUB_DB_COMMAND_TIMEOUT", 10.0),
        db_statement_timeout=_float("TRAINING_HUB_DB_STATEMENT_TIMEOUT", 8.0),
        db_retry_after_seconds=_int("TRAINING_HUB_DB_RETRY_AFTER", 30),
        shutdown_timeout_seconds=_int("TRAINING_HUB_SHUTDOWN_TIMEOUT", 10),
        login_throttle_delay_seconds=_int("TRAINING_HUB_LOGIN_THROTTLE_DELAY", 60),
        password_min_score=_int("TRAINING_HUB_PASSWORD_MIN_SCORE", 3),
        password_reset_ttl_seconds=_int("TRAINING_HUB_PASSWORD_RESET_TTL", 3600),
        invitation_ttl_seconds=_int("TRAINING_HUB_INVITATION_TTL", 7 * 24 * 3600),
        password_reset_max_per_email=_int("TRAINING_HUB_PASSWORD_RESET_MAX_PER_EMAIL", 3),
        password_reset_max_per_client=_int("TRAINING_HUB_PASSWORD_RESET_MAX_PER_CLIENT", 10),
        training_body_name=os.environ.get("TRAINING_HUB_TRAINING_BODY_NAME") or Settings.training_body_name,
        training_body_address=os.environ.get("TRAINING_HUB_TRAINING_BODY_ADDRESS") or Settings.training_body_address,
        training_body_city=os.environ.get("TRAINING_HUB_TRAINING_BODY_CITY") or Settings.training_body_city,
        training_body_tax_code=os.environ.get("TRAINING_HUB_TRAINING_BODY_TAX_CODE", "").strip(),
        signatory_name=os.environ.get("TRAINING_HUB_SIGNATORY_NAME", "").strip(),
        signatory_role=os.environ.get("TRAINING_HUB_SIGNATORY_ROLE") or Settings.signatory_role,
        social_report_cache_seconds=_int("TRAINING_HUB_SOCIAL_REPORT_CACHE_SECONDS", 60),
        page_memo_bytes=_int("TRAINING_HUB_PAGE_MEMO_BYTES", 32 * 1024 * 1024),
    )


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    settings = load_settings()
    if settings.secret_key_generated and settings.mode != "test":
        log.warning(
            "Modalità %s: TRAINING_HUB_SECRET_KEY non impostata, ne ho generata una temporanea. "
            "Le sessioni non sopravvivono a un riavvio.",
            settings.mode,
        )
    return settings
