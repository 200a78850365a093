import pytest

from training_hub.core.codice_fiscale import (
    check_character,
    codice_fiscale_problem,
    decode_omocodia,
    is_valid_codice_fiscale,
    validate_codice_fiscale,
)
from training_hub.core.errors import ValidationFailed


def test_valid_code_is_accepted_and_normalised():
    assert is_valid_codice_fiscale("RSSMRA85T10A562S")
    assert validate_codice_fiscale(" rssmra85t10a562s ") == "RSSMRA85T10A562S"


def test_wrong_check_letter_is_refused_with_its_reason():
    assert codice_fiscale_problem("RSSMRA85T10A562T") == "Il carattere di controllo del codice fiscale non è corretto."
    with pytest.raises(ValidationFailed) as caught:
        validate_codice_fiscale("RSSMRA85T10A562T")
    assert caught.value.errors == {"codice_fiscale": "Il carattere di controllo del codice fiscale non è corretto."}


def _omocodic(code: str, positions: tuple[int, ...]) -> str:
    """Replace digits at ``positions`` with omocodia letters and recompute the check character."""
    chars = list(code[:15])
    for position in positions:
        chars[position] = "LMNPQRSTUV"[int(chars[position])]
    body = "".join(chars)
    return body + check_character(body)


@pytest.mark.parametrize("positions", [(14,), (13, 14), (12, 13, 14), (6, 7, 9, 10, 12, 13, 14)])
def test_omocodia_codes_are_valid(positions):
    code = _omocodic("RSSMRA85T10A562S", positions)
    assert code != "RSSMRA85T10A562S"
    assert is_valid_codice_fiscale(code), code
    assert decode_omocodia(code)[:15] == "RSSMRA85T10A562"


def test_omocodia_code_with_stale_check_letter_is_refused():
    # The check character must be computed on the code with the letters, not the original digits.
    assert not is_valid_codice_fiscale("RSSMRA85T10A56NS")


@pytest.mark.parametrize(
    "code, reason",
    [
        ("RSSMRA85T10A562", "16 caratteri"),
        ("RSSMRA85Z10A562S", "forma"),  # Z is not a month letter
        ("RSSMRA85T32A562S", "giorno"),  # 32: no such day (41–71 are for women)
        ("1SSMRA85T10A562S", "forma"),
    ],
)
def test_malformed_codes_say_what_is_wrong(code, reason):
    problem = codice_fiscale_problem(code)
    assert problem is not None and reason in problem


def test_womens_day_offset_is_valid():
    body = "BNCLRA90A41F205"  # day 41 = 1st, a woman
    assert is_valid_codice_fiscale(body + check_character(body))
