"""Signed attestati and final-test reports (issue 15 item 5): with TRAINING_HUB_SIGNING_P12 and
TRAINING_HUB_SIGNING_PASSWORD set, the downloads are PAdES-signed and verify (intact, untouched); one
changed byte breaks the signature; without the settings they are unsigned and the course's attestati
page says so; an unreadable certificate is a 503, never an unsigned file."""

import pytest

from tests.integration.safety.safety_setup import ended_safety_course
from tests.signing_keys import PASSWORD, flip_byte, make_p12
from tests.support import bearer, login
from training_hub.core.signing import P12_SETTING, PASSWORD_SETTING, verify_pdf_signature


@pytest.fixture
def signing(tmp_path, monkeypatch):
    path, pem = make_p12(tmp_path)
    monkeypatch.setenv(P12_SETTING, str(path))
    monkeypatch.setenv(PASSWORD_SETTING, PASSWORD)
    return pem


async def test_attestato_and_report_signed_and_verified(client, admin, signing):
    setup = await ended_safety_course()
    headers = await bearer(admin)
    attestato = await client.get(f"/enrolments/{setup.enrolments['Giulia Rossi'].id}/certificate.pdf", headers=headers)
    assert attestato.status_code == 200
    check = await verify_pdf_signature(attestato.content, [signing])
    assert (check.intact, check.valid, check.trusted, check.untouched) == (True, True, True, True)
    assert check.summary == "INTACT:TRUSTED,UNTOUCHED"
    broken = await verify_pdf_signature(flip_byte(attestato.content, b"Attestato di frequenza con verifica"), [signing])
    assert not broken.intact and broken.summary == "INVALID"

    report = await client.get(f"/courses/{setup.course.id}/final-test-report.pdf", headers=await bearer(setup.trainer))
    assert report.status_code == 200
    assert (await verify_pdf_signature(report.content, [signing])).summary == "INTACT:TRUSTED,UNTOUCHED"


async def test_unsigned_without_settings_and_the_page_says_so(client, admin, monkeypatch):
    monkeypatch.delenv(P12_SETTING, raising=False)
    monkeypatch.delenv(PASSWORD_SETTING, raising=False)
    setup = await ended_safety_course()
    attestato = await client.get(f"/enrolments/{setup.enrolments['Giulia Rossi'].id}/certificate.pdf",
                                 headers=await bearer(admin))
    assert attestato.status_code == 200
    assert (await verify_pdf_signature(attestato.content)).signed is False
    await login(client, setup.trainer.email)
    page = await client.get(f"/courses/{setup.course.id}/attestati")
    assert page.status_code == 200
    assert "Firma digitale non configurata" in page.text


async def test_a_wrong_password_is_503_not_an_unsigned_file(client, admin, signing, monkeypatch):
    monkeypatch.setenv(PASSWORD_SETTING, "sbagliata")
    setup = await ended_safety_course()
    response = await client.get(f"/enrolments/{setup.enrolments['Giulia Rossi'].id}/certificate.pdf",
                                headers={**await bearer(admin), "Accept": "application/problem+json"})
    assert response.status_code == 503
    assert "TRAINING_HUB_SIGNING_P12" in response.json()["detail"]
