"""Digital signature of the documents the consortium issues (PAdES, with pyHanko).

When the office configures a signing certificate — ``TRAINING_HUB_SIGNING_P12`` (the path of a PKCS#12
file, ``.p12``/``.pfx``, with the key and certificate of the legal representative or their delegate) and
``TRAINING_HUB_SIGNING_PASSWORD`` — the attestati and the final-test report are signed as PAdES
baseline B-B (ETSI EN 319 142-1: subfilter ``ETSI.CAdES.detached``, SHA-256) by
:func:`sign_pdf`. Without both settings the documents go out unsigned, with the box for a handwritten
signature as before, and the pages that offer them say so (:func:`signing_status`).

A configured certificate that cannot be read (wrong password, missing file) is refused when the document
is asked for, with a message that says which setting to check: a document never goes out unsigned
because of a mistake in the configuration.

:func:`verify_pdf_signature` reads a signature back (used by the tests, and by anyone who wants to check
a file): ``intact`` (the signed bytes are unchanged), ``valid`` (the signature matches them) and
``trusted`` (the certificate chains to the given roots).
"""

from __future__ import annotations

import asyncio
import io
import os
from dataclasses import dataclass

from training_hub.core.errors import DomainError
from training_hub.core.i18n import N_

P12_SETTING = "TRAINING_HUB_SIGNING_P12"
PASSWORD_SETTING = "TRAINING_HUB_SIGNING_PASSWORD"
FIELD_NAME = "FirmaDigitale"


class SigningUnavailable(DomainError):
    """The configured certificate cannot be used: 503, the document is not sent at all."""

    status_code = 503
    code = "signing-unavailable"
    title = N_("Firma digitale non disponibile")


@dataclass(frozen=True)
class SigningConfig:
    p12_path: str
    password: str


def signing_config() -> SigningConfig | None:
    """The configured certificate, or None when either setting is missing (documents go out unsigned).

    Read from the environment on every call (not cached) so the office can install a certificate
    without other settings changing meaning, and the tests can turn signing on and off.
    """
    path = (os.environ.get(P12_SETTING) or "").strip()
    password = os.environ.get(PASSWORD_SETTING) or ""
    if not path or not password:
        return None
    return SigningConfig(path, password)


def signing_status() -> dict[str, bool | str]:
    """What the pages say about the documents' signature (no secret in it)."""
    configured = signing_config() is not None
    return {"signed": configured,
            "text": N_("Gli attestati e il verbale del test sono firmati digitalmente (PAdES).") if configured else
            N_("Firma digitale non configurata: gli attestati e il verbale escono senza firma digitale, "
               "con lo spazio per la firma autografa.")}


def _signer(config: SigningConfig):  # type: ignore[no-untyped-def]
    from pyhanko.sign import signers

    try:
        signer = signers.SimpleSigner.load_pkcs12(pfx_file=config.p12_path,
                                                  passphrase=config.password.encode("utf-8"))
    except (OSError, ValueError):
        signer = None
    if signer is None:  # pyHanko logs the reason and returns None for a file it cannot read
        raise SigningUnavailable(N_("Il certificato di firma non si legge: controlla TRAINING_HUB_SIGNING_P12 e "
                                    "TRAINING_HUB_SIGNING_PASSWORD."))
    return signer


def sign_pdf(content: bytes, *, reason: str, location: str = "", config: SigningConfig | None = None) -> bytes:
    """``content`` signed PAdES B-B when a certificate is configured, else ``content`` unchanged.

    Synchronous (pyHanko runs its own event loop): call it in a worker thread, like the PDF rendering.
    """
    config = config or signing_config()
    if config is None:
        return content
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    writer = IncrementalPdfFileWriter(io.BytesIO(content), strict=False)
    meta = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME, md_algorithm="sha256", reason=reason, location=location or None,
        subfilter=fields.SigSeedSubFilter.PADES,
    )
    out = signers.sign_pdf(writer, meta, signer=_signer(config))
    return out.getvalue()


async def sign_document(content: bytes, *, reason: str, location: str = "",
                        config: SigningConfig | None = None) -> bytes:
    """:func:`sign_pdf` in a worker thread (what request handlers call)."""
    config = config or signing_config()
    if config is None:
        return content
    return await asyncio.to_thread(sign_pdf, content, reason=reason, location=location, config=config)


@dataclass(frozen=True)
class SignatureCheck:
    signed: bool
    intact: bool
    valid: bool
    trusted: bool
    untouched: bool  # nothing was added to the file after the signature
    signer: str
    summary: str


async def verify_pdf_signature(content: bytes, trust_roots: list[bytes] | None = None) -> SignatureCheck:
    """The first signature of ``content`` read back; ``trust_roots`` are DER or PEM certificates."""
    from pyhanko.keys import load_cert_from_pemder
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.diff_analysis import ModificationLevel
    from pyhanko.sign.validation import async_validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    try:
        reader = PdfFileReader(io.BytesIO(content), strict=False)
        embedded = reader.embedded_signatures
    except PdfReadError:
        return SignatureCheck(False, False, False, False, False, "", "unreadable")
    if not embedded:
        return SignatureCheck(False, False, False, False, False, "", "unsigned")
    roots = []
    for raw in trust_roots or []:
        roots.append(_load_cert(raw, load_cert_from_pemder))
    context = ValidationContext(trust_roots=roots, allow_fetching=False)
    status = await async_validate_pdf_signature(embedded[0], context, skip_diff=False)
    signer = status.signing_cert.subject.human_friendly if status.signing_cert is not None else ""
    untouched = status.modification_level == ModificationLevel.NONE
    return SignatureCheck(True, bool(status.intact), bool(status.valid), bool(status.trusted), untouched, signer,
                          status.summary())


def _load_cert(raw: bytes, loader):  # type: ignore[no-untyped-def]
    import tempfile

    with tempfile.NamedTemporaryFile(suffix=".crt", delete=False) as handle:
        handle.write(raw)
        name = handle.name
    try:
        return loader(name)
    finally:
        os.unlink(name)
