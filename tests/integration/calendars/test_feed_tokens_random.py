"""Issue 12 item 8: feed tokens are random secrets stored under a keyed hash, a new secret key ends old
URLs, ``training-hub rotate-feeds`` rotates everyone's, and the derived tokens of before keep working."""

from __future__ import annotations

import hashlib
import importlib
from datetime import timedelta

import pytest

from tests.factories import make_course, make_enrolment, make_path, make_person, make_session
from tests.support import as_user
from training_hub.calendars.tokens import current_feed_url, legacy_derived_token, rotate_all_tokens
from training_hub.core.settings import get_settings
from training_hub.core.tables import FeedToken
from training_hub.core.timeutil import utcnow


def token_of(url: str) -> str:
    return url.rsplit("/", 1)[1].removesuffix(".ics")


async def enrolled_person():
    person = await make_person()
    course = await make_course(await make_path(), trainers=[await make_person("trainer")])
    await make_session(course, utcnow() + timedelta(days=5))
    await make_enrolment(person, course)
    return person


@pytest.fixture
def change_secret_key(monkeypatch):
    def change(value: str) -> None:
        monkeypatch.setenv("TRAINING_HUB_SECRET_KEY", value)
        get_settings.cache_clear()

    yield change
    monkeypatch.undo()
    get_settings.cache_clear()


async def test_the_token_is_not_the_hmac_of_ids_and_times_and_the_table_holds_neither_it_nor_its_sha256(client):
    person = await make_person()
    token = token_of(await current_feed_url(as_user(person)))
    row = (await FeedToken.select().where(FeedToken.person == person.id))[0]
    derived = legacy_derived_token(row["id"], person.id, "personal", None, row["created_at"], get_settings().secret_key)
    assert token != derived
    assert row["token_hash"] not in (token, hashlib.sha256(token.encode()).hexdigest())
    assert token not in row["token_sealed"]


async def test_a_new_secret_key_ends_every_old_url_and_the_owner_gets_a_new_one(client, change_secret_key):
    person = await enrolled_person()
    old = await current_feed_url(as_user(person))
    assert (await client.get(old)).status_code == 200
    change_secret_key("another-secret-key-that-is-long-enough-0123456789-abcdef")
    assert (await client.get(old)).status_code == 404
    new = await current_feed_url(as_user(person))
    assert new != old
    assert (await client.get(new)).status_code == 200


async def test_rotate_feeds_revokes_every_live_token(client):
    first, second = await enrolled_person(), await enrolled_person()
    urls = [await current_feed_url(as_user(first)), await current_feed_url(as_user(second))]
    assert await rotate_all_tokens() == 2
    for url in urls:
        assert (await client.get(url)).status_code == 404
    fresh = await current_feed_url(as_user(first))
    assert fresh not in urls and (await client.get(fresh)).status_code == 200
    assert await rotate_all_tokens(person_id=second.id) == 0  # already revoked, nothing live left


async def test_the_migration_keeps_a_derived_subscription_working_and_shown(client):
    person = await enrolled_person()
    created_at = (utcnow() - timedelta(days=30)).replace(microsecond=0)
    row = FeedToken(person=person.id, kind="personal", token_hash="placeholder", created_at=created_at)
    await row.save()
    legacy = legacy_derived_token(row.id, person.id, "personal", None, created_at, get_settings().secret_key)
    await FeedToken.update({FeedToken.token_hash: hashlib.sha256(legacy.encode()).hexdigest()}).where(
        FeedToken.id == row.id)
    url = f"http://testserver.local/calendar/{legacy}.ics"
    assert (await client.get(url)).status_code == 404  # not yet migrated: the new lookup does not match

    migration = importlib.import_module("piccolo_migrations.training_hub_2026_12_05t05_30_00_000001")
    manager = await migration.forwards()
    for raw in manager.raw:
        await raw()

    assert (await client.get(url)).status_code == 200
    assert await current_feed_url(as_user(person)) == url  # the owner still sees the same link
    assert await rotate_all_tokens() == 1
    assert (await client.get(url)).status_code == 404
