"""A throw-away self-signed certificate in a PKCS#12 file, for the tests of the digital signature."""

from __future__ import annotations

import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

PASSWORD = "prova-firma"


def make_p12(folder: Path, common_name: str = "Maria Rossi - Legale rappresentante") -> tuple[Path, bytes]:
    """Write ``firma.p12`` in ``folder``; return its path and the certificate (PEM) to trust."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Consorzio Sociale Light")])
    now = datetime.datetime.now(datetime.UTC)
    usage = x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                          data_encipherment=False, key_agreement=False, key_cert_sign=True, crl_sign=True,
                          encipher_only=False, decipher_only=False)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - datetime.timedelta(days=1)).not_valid_after(now + datetime.timedelta(days=3650))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .add_extension(usage, critical=True)
            .sign(key, hashes.SHA256()))
    data = pkcs12.serialize_key_and_certificates(b"firma", key, cert, None,
                                                 serialization.BestAvailableEncryption(PASSWORD.encode()))
    path = folder / "firma.p12"
    path.write_bytes(data)
    return path, cert.public_bytes(serialization.Encoding.PEM)


def flip_byte(content: bytes, marker: bytes) -> bytes:
    """``content`` with one byte changed inside the signed part (the first byte of ``marker``)."""
    index = content.index(marker)
    return content[:index] + bytes([content[index] ^ 0x01]) + content[index + 1:]
