"""Slowing down password guessing without letting anyone lock someone else out (issue 12 item 6).

Failures are counted per *(e-mail, client)* pair. After ``login_max_failures`` wrong passwords for an
e-mail from one client, that client must wait ``login_throttle_delay_seconds`` before its next try for
that e-mail, and the wait doubles at every further failure (60 s, 120 s, 240 s…, at most the window of
``login_failure_window_seconds``). While it waits it is refused (429 with ``Retry-After``) even with
the right password — otherwise the delay would tell a guesser nothing. Any other client (the owner at
home, the office) is not held back at all: a wrong password typed in Bergamo cannot lock out a worker
in Pavia, nor an administrator. A client that tries many e-mails meets a looser per-client limit.

The first time a pair reaches the limit, the account's owner is told by e-mail (through the
``account_mail`` hook, which the notifications outbox receives). The client is the address Uvicorn
reports: behind a reverse proxy set ``FORWARDED_ALLOW_IPS`` to the proxy's address (README,
"Deployment"), otherwise every request looks as if it came from the proxy.

Every attempt is written down *before* it is checked (and forgotten again if refused or successful):
requests sent in parallel each count the ones before them, so no burst gets more password checks than
the limit allows.
"""

from __future__ import annotations

import hashlib
import math
from datetime import UTC, datetime, timedelta

from training_hub.core import events
from training_hub.core.errors import TooManyAttempts
from training_hub.core.i18n import N_
from training_hub.core.settings import get_settings
from training_hub.core.tables import LoginFailure, Person
from training_hub.core.timeutil import utcnow

# A single address may try several accounts (an office behind one router): a looser limit than per pair.
CLIENT_LIMIT_FACTOR = 4


def delay_after(failures: int) -> int:
    """Seconds a client waits after ``failures`` wrong passwords for one e-mail (0 below the limit)."""
    settings = get_settings()
    if failures < settings.login_max_failures:
        return 0
    doubled = settings.login_throttle_delay_seconds * 2 ** (failures - settings.login_max_failures)
    return min(doubled, max(settings.login_failure_window_seconds, settings.login_throttle_delay_seconds))


def _refuse(retry_after: int) -> TooManyAttempts:
    retry_after = max(1, retry_after)
    return TooManyAttempts(
        N_("Troppi tentativi di accesso non riusciti da questo dispositivo. Riprova tra %(seconds)d secondi."),
        retry_after=retry_after,
        seconds=retry_after,
    )


async def record_attempt(email: str, client: str) -> int:
    """Write the attempt down before anything is checked; its id, to forget it later."""
    attempt = LoginFailure(email=email, client=client)
    await attempt.save()
    return attempt.id


async def forget_attempt(attempt_id: int) -> None:
    await LoginFailure.delete().where(LoginFailure.id == attempt_id)


async def check_throttle(email: str, client: str, attempt_id: int) -> None:
    """Refuse (TooManyAttempts) while this client must wait for this e-mail, or has tried too many."""
    settings = get_settings()
    now = datetime.now(UTC)  # to the microsecond, like the rows' ``at``
    since = now - timedelta(seconds=settings.login_failure_window_seconds)
    earlier = await LoginFailure.select(LoginFailure.at).where(
        (LoginFailure.email == email) & (LoginFailure.client == client) & (LoginFailure.at > since)
        & (LoginFailure.id != attempt_id)
    ).order_by(LoginFailure.at, ascending=False)
    wait = delay_after(len(earlier))
    if wait:
        last: datetime = earlier[0]["at"]
        remaining = (last + timedelta(seconds=wait) - now).total_seconds()
        if remaining > 0:
            raise _refuse(math.ceil(remaining))
    by_client = await LoginFailure.count().where((LoginFailure.client == client) & (LoginFailure.at > since))
    if by_client > settings.login_max_failures * CLIENT_LIMIT_FACTOR:
        raise _refuse(settings.login_failure_window_seconds)


async def failed(email: str, client: str, person_id: int | None) -> None:
    """A wrong password (the attempt stays written down); tell the owner when the limit is reached."""
    settings = get_settings()
    if person_id is None:
        return
    since = utcnow() - timedelta(seconds=settings.login_failure_window_seconds)
    count = await LoginFailure.count().where(
        (LoginFailure.email == email) & (LoginFailure.client == client) & (LoginFailure.at > since)
    )
    if count >= settings.login_max_failures:  # the outbox's dedupe key sends it once an hour
        await _notify_owner(person_id, email, client)


async def succeeded(email: str, client: str) -> None:
    """The right password: this client's failures for this e-mail are forgotten (only these)."""
    await LoginFailure.delete().where((LoginFailure.email == email) & (LoginFailure.client == client))


async def _notify_owner(person_id: int, email: str, client: str) -> None:
    person = await Person.select(Person.full_name, Person.active).where(Person.id == person_id).first()
    if person is None or not person["active"]:
        return
    now = utcnow()
    client_tag = hashlib.sha256(client.encode()).hexdigest()[:12]
    body = (
        f"Buongiorno {person['full_name']},\n\n"
        f"qualcuno ha sbagliato più volte la password del tuo account Training Hub ({email}) dallo stesso "
        f"dispositivo (indirizzo {client}). Quel dispositivo deve ora attendere prima di riprovare; da "
        "qualunque altro dispositivo puoi continuare ad accedere normalmente.\n\n"
        "Se sei stato tu, non devi fare nulla. Se non sei stato tu, ti consigliamo di cambiare la password "
        "dal tuo profilo o con \"Hai dimenticato la password?\" nella pagina di accesso, e di avvisare "
        "l'ufficio formazione.\n"
    )
    await events.account_mail.send(
        kind="login_throttled",
        person_id=person_id,
        to_email=email,
        subject="Training Hub: tentativi di accesso non riusciti",
        body=body,
        # One e-mail per device and hour, however long the guessing goes on.
        dedupe_key=f"login-throttled:{person_id}:{client_tag}:{now:%Y%m%d%H}",
    )
