"""The command line and the demo data, run as a user would run them."""

import os
import subprocess
import sys

from training_hub.accounts.service import authenticate
from training_hub.core.tables import Cooperative, Course, CourseStatus, Person, Session, TrainingPath
from training_hub.demo import DEMO_LOGINS, DEMO_PASSWORD, load_demo_data


def _cli(*args: str, env_extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "training_hub.cli", *args], capture_output=True, text=True,
                          env=env, timeout=120)


async def test_demo_data_covers_provinces_paths_and_logins():
    counts = await load_demo_data()
    assert counts["cooperatives"] >= 7
    provinces = {row["province"] for row in await Cooperative.select(Cooperative.province)}
    assert provinces == {"BG", "BS", "CO", "CR", "LC", "MN", "MI", "PV", "VA"}
    kinds = {row["kind"] for row in await TrainingPath.select(TrainingPath.kind)}
    assert {"internal_training", "inclusion", "marketing"} <= kinds
    assert await Course.count().where(Course.status == CourseStatus.PUBLISHED) >= 9
    assert await Session.count() >= 20
    for email in DEMO_LOGINS:
        user = await authenticate(email, DEMO_PASSWORD, client="test")
        assert user.email == email


async def test_demo_sessions_avoid_national_holidays():
    from datetime import date

    from training_hub.catalogue.holidays import national_holiday
    from training_hub.core.timeutil import to_rome
    from training_hub.demo.plan import _working_days_from

    assert _working_days_from(date(2026, 6, 2)) == date(2026, 6, 3)  # Festa della Repubblica, a Tuesday
    assert _working_days_from(date(2027, 10, 4)) == date(2027, 10, 5)  # San Francesco, a Monday
    assert _working_days_from(date(2027, 3, 29)) == date(2027, 3, 30)  # Easter Monday
    assert _working_days_from(date(2026, 12, 24)) == date(2026, 12, 28)  # closure, Christmas, Santo Stefano, weekend
    await load_demo_data(today=date(2027, 4, 12))  # a fortnight before 25 April, with courses 1-4 weeks ahead
    starts = [to_rome(row["starts_at"]).date() for row in await Session.select(Session.starts_at)]
    coming = [day for day in starts if day >= date(2027, 4, 12)]  # (past courses come from demo/history.py)
    assert coming and not [day for day in coming if national_holiday(day)]


async def test_cli_create_user_and_refusals():
    done = _cli("create-user", "nuova.admin@example.test", "--role", "admin", "--name", "Nuova Admin",
                env_extra={"TRAINING_HUB_NEW_PASSWORD": "password-sicura-1"})
    assert done.returncode == 0, done.stderr
    assert "nuova.admin@example.test" in done.stdout
    row = await Person.select().where(Person.email == "nuova.admin@example.test").first()
    assert row["roles"] == "admin" and row["password_hash"].startswith("$argon2")
    again = _cli("create-user", "nuova.admin@example.test", "--role", "admin",
                 env_extra={"TRAINING_HUB_NEW_PASSWORD": "password-sicura-1"})
    assert again.returncode != 0
    assert "Esiste già una persona con questo indirizzo e-mail." in again.stderr
    worker_without_coop = _cli("create-user", "w@example.test", "--role", "worker",
                               env_extra={"TRAINING_HUB_NEW_PASSWORD": "password-sicura-1"})
    assert worker_without_coop.returncode != 0
    assert "cooperativa" in worker_without_coop.stderr


def test_cli_migrate_is_idempotent():
    first = _cli("migrate")
    assert first.returncode == 0, first.stderr
    assert "Database aggiornato." in first.stdout


def test_production_without_secret_refuses_to_serve():
    env = {key: value for key, value in os.environ.items() if key != "TRAINING_HUB_SECRET_KEY"}
    env["TRAINING_HUB_MODE"] = "production"
    result = subprocess.run([sys.executable, "-m", "training_hub.cli", "serve", "--port", "1"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert result.returncode != 0
    assert "TRAINING_HUB_SECRET_KEY" in result.stderr


async def test_demo_shows_the_office_a_notice_to_resend(client):
    from tests.support import login

    await load_demo_data()
    await login(client, "admin@demo.test", DEMO_PASSWORD)
    page = await client.get("/admin/notifications")
    assert page.status_code == 200 and "1 notifica non consegnata." in page.text and "worker@demo.test" in page.text


async def test_cli_rotate_feeds_ends_the_old_links():
    from tests.factories import make_person
    from tests.support import as_user
    from training_hub.calendars.tokens import current_feed_url
    from training_hub.core.tables import FeedToken

    person = await make_person(email="feed.cli@example.test")
    old = await current_feed_url(as_user(person))
    done = _cli("rotate-feeds", "--email", "feed.cli@example.test")
    assert done.returncode == 0, done.stderr
    assert "Link dei calendari revocati: 1." in done.stdout
    assert await FeedToken.count().where(FeedToken.revoked_at.is_null()) == 0
    assert await current_feed_url(as_user(person)) != old
    unknown = _cli("rotate-feeds", "--email", "nessuno@example.test")
    assert unknown.returncode != 0 and "Nessuna persona" in unknown.stderr


async def test_the_demo_shows_a_pending_invitation():
    from training_hub.accounts.tables import AccountLink

    await load_demo_data()
    invited = await Person.select().where(Person.email == "invitata@cooperative.demo.test").first()
    assert invited["password_hash"] is None
    assert await AccountLink.exists().where((AccountLink.person == invited["id"]) & (AccountLink.purpose == "invitation"))
