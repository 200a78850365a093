"""Issue 12 item 9: zxcvbn decides, with the person's name and e-mail as context, in Italian."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, make_person
from tests.support import login, post_form
from training_hub.accounts.passwords import password_problem, validate_new_password
from training_hub.core.errors import ValidationFailed
from training_hub.core.settings import get_settings


def test_aaaaaaaaaa_is_refused_in_italian():
    with pytest.raises(ValidationFailed) as refused:
        validate_new_password("aaaaaaaaaa", email="a@example.test")
    assert refused.value.field_errors == {
        "new_password": "Password troppo debole: le ripetizioni come “aaa” si indovinano facilmente."}


@pytest.mark.parametrize("password", ["qwertyuiop", "password123", "1234567890", "abcdefghij"])
def test_common_and_patterned_passwords_are_refused(password):
    assert password_problem(password) is not None


def test_the_persons_name_and_email_are_context():
    # Strong enough for a stranger (score 3), guessable for Maria Rossi herself.
    assert password_problem("mariarossi1980") is None
    assert password_problem("mariarossi1980", full_name="Maria Rossi", email="maria.rossi@coop.it") is not None
    assert password_problem("maria.rossi@coop.it", email="maria.rossi@coop.it") is not None


def test_a_passphrase_is_accepted_and_length_is_checked_not_truncated():
    assert password_problem("lampada-verde-sul-tetto", full_name="Maria Rossi") is None
    assert password_problem("corta") == "La password deve avere almeno 10 caratteri."
    assert password_problem("x" * 201) is not None
    assert password_problem("lampada-verde-sul-tetto " * 5) is None  # past zxcvbn's 72 characters: no error


def test_the_threshold_is_a_setting(monkeypatch):
    assert get_settings().password_min_score == 3
    monkeypatch.setenv("TRAINING_HUB_PASSWORD_MIN_SCORE", "4")
    get_settings.cache_clear()
    try:
        assert password_problem("mariarossi1980") is not None  # score 3 < 4
    finally:
        monkeypatch.undo()
        get_settings.cache_clear()


async def test_the_profile_page_shows_the_message_next_to_the_field(client):
    await make_person(email="debole@example.test", full_name="Luca Bruni")
    await login(client, "debole@example.test")
    response = await post_form(client, "/profile/password", {
        "current_password": PASSWORD, "new_password": "aaaaaaaaaa", "confirm_password": "aaaaaaaaaa"})
    assert response.status_code == 422
    assert 'id="new_password-error"' in response.text and "Password troppo debole" in response.text
    named = await post_form(client, "/profile/password", {
        "current_password": PASSWORD, "new_password": "lucabruni2026", "confirm_password": "lucabruni2026"})
    assert named.status_code == 422
