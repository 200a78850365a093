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
    # The training body printed on the attestati (ASR 2025 Parte I punto 6: "soggetto formatore") and who
    # signs them: "il legale rappresentante o un suo delegato" (same point). TRAINING_HUB_TRAINING_BODY_NAME,
    # _ADDRESS, _CITY (where the attestato is issued), _TAX_CODE; TRAINING_HUB_SIGNATORY_NAME and _ROLE.
    training_body_name: str = "Consorzio Sociale Light"
    training_body_address: str = "Via Tolmezzo, 3 · 20100 Milano"
    training_body_city: str = "Milano"
    training_body_tax_code: str = ""
    signatory_name: str = ""
    signatory_role: str = "Legale rappresentante"

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


def _date(name: str, default: date) -> date:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return date.fromisoformat(raw.strip())
    except ValueError as exc:
        raise SettingsError(f"{name} deve essere una data nel formato AAAA-MM-GG, non {raw!r}.") from exc


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
        training_body_name=os.environ.get("TRAINING_HUB_TRAINING_BODY_NAME") or Settings.training_body_name,
        training_body_address=os.environ.get("TRAINING_HUB_TRAINING_BODY_ADDRESS") or Settings.training_body_address,
        training_body_city=os.environ.get("TRAINING_HUB_TRAINING_BODY_CITY") or Settings.training_body_city,
        training_body_tax_code=os.environ.get("TRAINING_HUB_TRAINING_BODY_TAX_CODE", "").strip(),
        signatory_name=os.environ.get("TRAINING_HUB_SIGNATORY_NAME", "").strip(),
        signatory_role=os.environ.get("TRAINING_HUB_SIGNATORY_ROLE") or Settings.signatory_role,
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
