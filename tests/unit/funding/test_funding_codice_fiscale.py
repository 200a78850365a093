"""What a codice fiscale tells (sex, birth date, birth place) and the partita IVA check digit."""

from datetime import date

import pytest

from training_hub.core.codice_fiscale import (
    BirthPlace,
    birth_date_from_codice_fiscale,
    birth_place_for_code,
    birth_place_from_codice_fiscale,
    check_character,
    decode_codice_fiscale,
    partita_iva_check_digit,
    partita_iva_problem,
    sex_from_codice_fiscale,
)
from training_hub.core.errors import ValidationFailed

TODAY = date(2026, 11, 25)


def code(body: str) -> str:
    """A valid code from its first fifteen characters."""
    return body + check_character(body)


MARIO = "RSSMRA85T10A562S"  # born 10 December 1985 in San Giuliano Terme (PI)
MARIA = code("RSSMRA85T50F205")  # a woman: day 10 + 40, born in Milano


def test_sex_is_in_the_day_of_birth():
    assert sex_from_codice_fiscale(MARIO) == "M"
    assert sex_from_codice_fiscale(MARIA) == "F"


def test_birth_date_and_place_of_a_man_and_a_woman():
    mario = decode_codice_fiscale(MARIO, reference=TODAY)
    assert (mario.sex, mario.birth_date, mario.birth_place_code) == ("M", date(1985, 12, 10), "A562")
    maria = decode_codice_fiscale(MARIA.lower(), reference=TODAY)
    assert (maria.sex, maria.birth_date, maria.birth_place_code) == ("F", date(1985, 12, 10), "F205")
    assert birth_place_from_codice_fiscale(MARIA, reference=TODAY) == BirthPlace("F205", "Milano", "MI", False)


def test_century_is_the_latest_not_after_the_reference_date():
    assert birth_date_from_codice_fiscale(code("RSSMRA10A01F205"), reference=TODAY) == date(2010, 1, 1)
    assert birth_date_from_codice_fiscale(code("RSSMRA30A01F205"), reference=TODAY) == date(1930, 1, 1)
    # Born on 1 December '26: not yet on 25 November 2026, so 1926; a year later, a baby of 2026.
    assert birth_date_from_codice_fiscale(code("RSSMRA26T01F205"), reference=TODAY) == date(1926, 12, 1)
    assert birth_date_from_codice_fiscale(code("RSSMRA26T01F205"), reference=date(2027, 1, 1)) == date(2026, 12, 1)


def test_29_february_of_2000_exists_of_1900_not():
    assert birth_date_from_codice_fiscale(code("RSSMRA00B29F205"), reference=TODAY) == date(2000, 2, 29)
    with pytest.raises(ValidationFailed) as caught:
        birth_date_from_codice_fiscale(code("RSSMRA00B29F205"), reference=date(1999, 1, 1))
    assert caught.value.errors == {"codice_fiscale": "La data di nascita nel codice fiscale non esiste."}


def test_a_date_that_does_not_exist_is_refused():
    with pytest.raises(ValidationFailed, match="non esiste"):
        decode_codice_fiscale(code("RSSMRA85B31F205"), reference=TODAY)  # 31 February


def test_omocodia_letters_are_read_back_as_digits():
    # Every digit replaced by its omocodia letter (0-9 → L M N P Q R S T U V), check character recomputed.
    letters = "LMNPQRSTUV"
    body = "".join(letters[int(char)] if index in (6, 7, 9, 10, 12, 13, 14) else char
                   for index, char in enumerate(MARIO[:15]))
    omocode = code(body)
    assert omocode[:15] == "RSSMRAURTMLARSN" and not any(char.isdigit() for char in omocode)
    data = decode_codice_fiscale(omocode, reference=TODAY)
    assert (data.sex, data.birth_date, data.birth_place_code) == ("M", date(1985, 12, 10), "A562")
    assert birth_place_from_codice_fiscale(omocode, reference=TODAY).name == "San Giuliano Terme"


def test_birth_place_has_the_name_in_force_on_the_birth_date():
    # A562 was "Bagni San Giuliano" until 1935, "San Giuliano Terme" since.
    assert birth_place_for_code("A562", date(1920, 5, 1)).name == "Bagni San Giuliano"
    assert birth_place_for_code("A562", date(1985, 12, 10)).name == "San Giuliano Terme"
    assert birth_place_for_code("A562").name == "San Giuliano Terme"  # no date: the latest


def test_foreign_state_and_unknown_code():
    usa = birth_place_for_code("Z404", date(1990, 1, 1))
    assert (usa.name, usa.province, usa.foreign) == ("Stati Uniti D'America", "EE", True)
    born_abroad = code("RSSMRA90A01Z404")
    assert birth_place_from_codice_fiscale(born_abroad, reference=TODAY).foreign
    assert birth_place_for_code("Z999") is None


def test_invalid_codes_are_refused_with_the_field_named():
    with pytest.raises(ValidationFailed) as caught:
        decode_codice_fiscale("RSSMRA85T10A562T", reference=TODAY, field="cf")
    assert caught.value.errors == {"cf": "Il carattere di controllo del codice fiscale non è corretto."}


def test_partita_iva_check_digit():
    # 0 1 2 3 4 5 6 7 8 9: odd places 0+2+4+6+8 = 20, even places doubled 2+6+1+5+9 = 23; 43 → 7.
    assert partita_iva_check_digit("0123456789") == "7"
    assert partita_iva_problem("01234567897") is None
    assert partita_iva_problem(" IT 0123456789 7 ") is None
    assert partita_iva_problem("01234567890") == "La cifra di controllo della partita IVA non è corretta."
    assert partita_iva_problem("0123456789") == "La partita IVA deve avere 11 cifre."
    assert partita_iva_problem("0000000000" + partita_iva_check_digit("0000000000")) == "La partita IVA non è valida."
