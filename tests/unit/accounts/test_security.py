from argon2 import PasswordHasher

from training_hub.core.security import hash_secret, new_secret, verify_password


def test_production_hasher_is_argon2id():
    hashed = PasswordHasher().hash("una password")
    assert hashed.startswith("$argon2id$")
    assert verify_password(hashed, "una password")
    assert not verify_password(hashed, "un'altra")
    assert not verify_password(None, "qualsiasi")
    assert not verify_password("non-un-hash", "qualsiasi")


def test_secrets_are_long_random_and_stored_hashed():
    first, second = new_secret(), new_secret()
    assert first != second and len(first) >= 40  # 256 bits, URL-safe
    assert hash_secret(first) != first and len(hash_secret(first)) == 64
