"""The ``training-hub`` command: serve, migrate, demo, create-user, send-notifications, backup, restore."""

from __future__ import annotations

import asyncio
import getpass
import logging
import os
import secrets
import sys
from pathlib import Path

import click

log = logging.getLogger("training_hub")


def _setup_logging() -> None:
    from training_hub.core.logs import LOG_FORMATS, configure_logging

    log_format = os.environ.get("TRAINING_HUB_LOG_FORMAT", "text").strip().lower()
    configure_logging(os.environ.get("TRAINING_HUB_LOG_LEVEL", "INFO").upper(),
                      log_format if log_format in LOG_FORMATS else "text")


async def _with_engine(coro_factory):  # type: ignore[no-untyped-def]
    from training_hub.core.db import get_engine, start_engine, stop_engine

    engine = get_engine()
    started = await start_engine(engine, bounded=False)  # migrations may take longer than a request
    try:
        return await coro_factory()
    finally:
        await stop_engine(engine, started=started)


async def migrate_forward() -> None:
    """Run every pending Piccolo migration (idempotent)."""
    from piccolo.apps.migrations.commands.forwards import run_forwards

    result = await run_forwards(app_name="training_hub", migration_id="all", fake=False)
    if not result.success:
        raise click.ClickException(f"Migrazioni non riuscite: {result.message}")


async def load_demo_if_empty() -> bool:
    from training_hub.demo import database_is_empty, load_demo_data

    if not await database_is_empty():
        return False
    counts = await load_demo_data()
    log.info("Dati dimostrativi caricati: %s", counts)
    return True


@click.group()
def main() -> None:
    """Training Hub — la formazione del Consorzio Sociale Light."""
    from training_hub.hooks import connect_hooks

    _setup_logging()
    connect_hooks()


@main.command()
def migrate() -> None:
    """Porta il database all'ultima versione dello schema."""
    asyncio.run(_with_engine(migrate_forward))
    click.echo("Database aggiornato.")


@main.command()
def demo() -> None:
    """Carica i dati dimostrativi (solo in un database vuoto)."""

    async def run() -> bool:
        await migrate_forward()
        return await load_demo_if_empty()

    if asyncio.run(_with_engine(run)):
        click.echo("Dati dimostrativi caricati. Accessi: admin@demo.test, trainer@demo.test, coordinator@demo.test, "
                   "worker@demo.test, tutor@demo.test (password: demo-password).")
    else:
        click.echo("Il database contiene già dei dati: non ho caricato nulla.")


@main.command(name="create-user")
@click.argument("email")
@click.option("--role", "roles", multiple=True, required=True,
              type=click.Choice(["admin", "trainer", "coordinator", "worker", "tutor"]), help="Ruolo (ripetibile).")
@click.option("--cooperative", "cooperative_id", type=int, default=None, help="Id della cooperativa.")
@click.option("--name", "full_name", default=None, help="Nome e cognome.")
@click.option("--password", default=None, help="Password (se omessa viene chiesta, o letta da "
              "TRAINING_HUB_NEW_PASSWORD; senza, la persona riceve un invito per e-mail).")
def create_user(email: str, roles: tuple[str, ...], cooperative_id: int | None, full_name: str | None,
                password: str | None) -> None:
    """Crea una persona con i ruoli indicati."""
    from training_hub.core.errors import DomainError
    from training_hub.core.identity import CurrentUser
    from training_hub.directory.service import PersonInput, create_person

    password = password or os.environ.get("TRAINING_HUB_NEW_PASSWORD")
    if password is None:
        password = getpass.getpass("Password: ") if sys.stdin.isatty() else None
    # The command line acts with the office's authority (whoever runs it owns the server).
    system = CurrentUser(id=0, email="", full_name="training-hub", roles=frozenset({"admin"}),
                         cooperative_id=None, language="it")

    async def run() -> dict:
        await migrate_forward()
        # Whoever runs the server may give the account a password (the first administrator); without
        # one the person gets an invitation by e-mail, like everyone the office adds.
        return await create_person(system, PersonInput(
            full_name=full_name or email.split("@")[0].replace(".", " ").title(), email=email, roles=list(roles),
            cooperative_id=cooperative_id), bootstrap_password=password)

    try:
        person = asyncio.run(_with_engine(run))
    except DomainError as exc:
        details = "; ".join(f"{field}: {message}" for field, message in exc.field_errors.items()) or exc.detail
        raise click.ClickException(details) from exc
    click.echo(f"Creata la persona {person['id']}: {person['email']} ({', '.join(person['roles'])}).")


@main.command(name="send-notifications")
@click.option("--limit", default=500, show_default=True, type=int, help="Quante notifiche inviare al massimo.")
def send_notifications(limit: int) -> None:
    """Accoda i promemoria di domani e invia le notifiche in attesa (per cron)."""
    from training_hub.notifications.worker import run_once

    reminders, run = asyncio.run(_with_engine(lambda: run_once(limit=limit)))
    click.echo(f"Promemoria accodati: {reminders}. Notifiche inviate: {run.sent}, da ritentare: {run.retried}, "
               f"non inviate: {run.failed}.")


@main.command(name="rotate-feeds")
@click.option("--email", default=None, help="Solo i calendari di questa persona (altrimenti di tutti).")
def rotate_feeds(email: str | None) -> None:
    """Revoca i link segreti dei calendari: ognuno riceve un link nuovo, i vecchi smettono di funzionare."""
    from training_hub.calendars.tokens import rotate_all_tokens
    from training_hub.core.tables import Person

    async def run() -> int:
        await migrate_forward()
        person_id = None
        if email:
            row = await Person.select(Person.id).where(Person.email == email.strip().lower()).first()
            if row is None:
                raise click.ClickException(f"Nessuna persona con l'indirizzo {email}.")
            person_id = row["id"]
        return await rotate_all_tokens(person_id)

    revoked = asyncio.run(_with_engine(run))
    click.echo(f"Link dei calendari revocati: {revoked}. I nuovi link compaiono nel profilo di ciascuno.")


@main.command(name="open-surveys")
def open_surveys() -> None:
    """Apre i questionari dei corsi conclusi, invia il promemoria e chiude quelli scaduti."""
    from training_hub.surveys.lifecycle import run_survey_jobs

    async def run() -> dict[str, int]:
        await migrate_forward()
        return await run_survey_jobs()

    counts = asyncio.run(_with_engine(run))
    click.echo(f"Questionari aperti: {counts['opened']}, promemoria inviati: {counts['reminded']}, "
               f"questionari chiusi: {counts['closed']}.")


def _backup_command(action: str, file: Path) -> tuple[int, int]:
    """Run ``core.backup.<action>`` on the configured database; (tables, rows) of its manifest."""
    from training_hub.core import backup as backups
    from training_hub.core.settings import get_settings

    try:
        manifest = asyncio.run(getattr(backups, action)(get_settings().database_url, file))
    except backups.BackupError as exc:
        raise click.ClickException(str(exc)) from exc
    return len(manifest["tables"]), sum(table["rows"] for table in manifest["tables"].values())


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Salva una copia coerente del database in FILE (con FILE.manifest.json per la verifica)."""
    tables, rows = _backup_command("backup", file)
    click.echo(f"Backup scritto in {file}: {tables} tabelle, {rows} righe.")


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(file: Path) -> None:
    """Ripristina FILE in un database vuoto e verifica righe e checksum di ogni tabella."""
    tables, rows = _backup_command("restore", file)
    click.echo(f"Ripristino verificato: {tables} tabelle, {rows} righe, checksum uguali al backup.")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--demo", "with_demo", is_flag=True, help="Carica i dati dimostrativi se il database è vuoto.")
def serve(host: str, port: int, workers: int, with_demo: bool) -> None:
    """Aggiorna il database e avvia il server web."""
    import uvicorn

    from training_hub.core.settings import SettingsError, load_settings

    if with_demo:
        os.environ.setdefault("TRAINING_HUB_MODE", "demo")
    if not os.environ.get("TRAINING_HUB_SECRET_KEY") and os.environ.get("TRAINING_HUB_MODE", "production") != "production":
        # One key for every worker process, so a form rendered by one is accepted by another.
        os.environ["TRAINING_HUB_SECRET_KEY"] = secrets.token_urlsafe(48)
        log.warning("TRAINING_HUB_SECRET_KEY non impostata: ne uso una temporanea (modalità %s).",
                    os.environ.get("TRAINING_HUB_MODE"))
    try:
        load_settings()
    except SettingsError as exc:
        raise click.ClickException(str(exc)) from exc

    async def prepare() -> None:
        await migrate_forward()
        if with_demo:
            await load_demo_if_empty()

    asyncio.run(_with_engine(prepare))
    click.echo(f"Training Hub in ascolto su http://{host}:{port}")
    uvicorn.run("training_hub.app:create_app", factory=True, host=host, port=port, workers=workers,
                proxy_headers=True, log_level="info", access_log=False,
                timeout_graceful_shutdown=load_settings().shutdown_timeout_seconds)


if __name__ == "__main__":  # pragma: no cover
    main()
