from datetime import timedelta

from tests.factories import make_person
from training_hub.core.tables import ApiToken, KeyValue, LoginFailure
from training_hub.core.timeutil import utcnow
from training_hub.housekeeping import purge_expired


async def test_purge_removes_only_what_expired():
    now = utcnow()
    person = await make_person()
    await KeyValue.insert(
        KeyValue(key="sessions:old", value=b"x", expires_at=now - timedelta(minutes=1)),
        KeyValue(key="sessions:live", value=b"x", expires_at=now + timedelta(hours=1)),
    )
    await LoginFailure.insert(
        LoginFailure(email="a@example.test", client="c", at=now - timedelta(days=2)),
        LoginFailure(email="b@example.test", client="c", at=now - timedelta(minutes=5)),
    )
    await ApiToken.insert(
        ApiToken(person=person.id, token_hash="old", expires_at=now - timedelta(days=8)),
        ApiToken(person=person.id, token_hash="recent", expires_at=now - timedelta(days=1)),
    )
    await purge_expired(now)
    assert [row["key"] for row in await KeyValue.select(KeyValue.key)] == ["sessions:live"]
    assert [row["email"] for row in await LoginFailure.select(LoginFailure.email)] == ["b@example.test"]
    assert [row["token_hash"] for row in await ApiToken.select(ApiToken.token_hash)] == ["recent"]


async def test_purge_removes_old_reset_requests_and_long_expired_password_links():
    from training_hub.accounts.tables import AccountLink, ThrottleHit

    now = utcnow()
    person = await make_person()
    await ThrottleHit.insert(
        ThrottleHit(action="password_reset", email="a@example.test", client="c", at=now - timedelta(days=2)),
        ThrottleHit(action="password_reset", email="b@example.test", client="c", at=now - timedelta(minutes=5)),
    )
    await AccountLink.insert(
        AccountLink(person=person.id, purpose="reset", token_hash="old", expires_at=now - timedelta(days=31)),
        AccountLink(person=person.id, purpose="invitation", token_hash="live", expires_at=now + timedelta(days=6)),
    )
    await purge_expired(now)
    assert [row["email"] for row in await ThrottleHit.select(ThrottleHit.email)] == ["b@example.test"]
    assert [row["token_hash"] for row in await AccountLink.select(AccountLink.token_hash)] == ["live"]
