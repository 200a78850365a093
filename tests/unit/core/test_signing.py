"""PAdES signature with pyHanko (core/signing.py): a throw-away certificate, an intact signature that
verifies, one changed byte that breaks it, unsigned without the settings, a wrong password refused."""

from __future__ import annotations

import pytest
from fpdf import FPDF

from tests.signing_keys import PASSWORD, flip_byte, make_p12
from training_hub.core.signing import (
    P12_SETTING,
    PASSWORD_SETTING,
    SigningConfig,
    SigningUnavailable,
    sign_document,
    sign_pdf,
    signing_config,
    signing_status,
    verify_pdf_signature,
)


def _pdf() -> bytes:
    pdf = FPDF()
    pdf.set_title("Attestato di prova")
    pdf.add_page()
    pdf.set_font("helvetica", size=12)
    pdf.cell(40, 10, "Attestato")
    return bytes(pdf.output())


@pytest.fixture
def certificate(tmp_path):  # type: ignore[no-untyped-def]
    return make_p12(tmp_path)


async def test_signed_pdf_verifies_and_one_changed_byte_breaks_it(certificate) -> None:  # type: ignore[no-untyped-def]
    path, pem = certificate
    signed = await sign_document(_pdf(), reason="Attestato", config=SigningConfig(str(path), PASSWORD))

    check = await verify_pdf_signature(signed, [pem])
    assert (check.signed, check.intact, check.valid, check.trusted, check.untouched) == (True, True, True, True, True)
    assert "Maria Rossi" in check.signer
    assert check.summary == "INTACT:TRUSTED,UNTOUCHED"

    broken = await verify_pdf_signature(flip_byte(signed, b"Attestato di prova"), [pem])
    assert broken.signed and not broken.intact
    assert broken.summary == "INVALID"


async def test_signature_not_trusted_without_its_root(certificate) -> None:  # type: ignore[no-untyped-def]
    path, _pem = certificate
    signed = await sign_document(_pdf(), reason="Attestato", config=SigningConfig(str(path), PASSWORD))
    check = await verify_pdf_signature(signed, [])
    assert check.intact and check.valid and not check.trusted


async def test_unsigned_without_settings(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(P12_SETTING, raising=False)
    monkeypatch.setenv(PASSWORD_SETTING, "x")
    assert signing_config() is None
    assert signing_status()["signed"] is False
    raw = _pdf()
    assert sign_pdf(raw, reason="Attestato") == raw
    assert (await verify_pdf_signature(raw)).summary == "unsigned"


def test_settings_turn_signing_on(monkeypatch, certificate) -> None:  # type: ignore[no-untyped-def]
    path, _pem = certificate
    monkeypatch.setenv(P12_SETTING, str(path))
    monkeypatch.setenv(PASSWORD_SETTING, PASSWORD)
    assert signing_config() == SigningConfig(str(path), PASSWORD)
    assert signing_status()["signed"] is True


def test_wrong_password_is_refused_not_sent_unsigned(certificate) -> None:  # type: ignore[no-untyped-def]
    path, _pem = certificate
    with pytest.raises(SigningUnavailable) as refused:
        sign_pdf(_pdf(), reason="Attestato", config=SigningConfig(str(path), "sbagliata"))
    assert refused.value.status_code == 503
    with pytest.raises(SigningUnavailable):
        sign_pdf(_pdf(), reason="Attestato", config=SigningConfig("/nessun/file.p12", PASSWORD))
