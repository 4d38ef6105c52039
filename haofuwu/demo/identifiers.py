"""Check characters of the Chinese identifiers the demo data set invents, so that they pass real validators.

Pure functions on strings; the demo generator and its tests use them. The identity number's check character is
the one the spreadsheet import verifies.
"""

from __future__ import annotations

from haofuwu.estates.importing import id_number_check_character

# GB 32100-2015 §4.2: the code set of a unified social credit code, value = position (0…30).
USCC_CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# GB 32100-2015 §4.3: weights of positions 1…17 are 3^(i-1) mod 31.
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 11714-1997: weights of the eight body characters of an organisation code.
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)

# Jinan's administrative division codes (GB/T 2260) that appear in residents' identity numbers: the current
# districts and the codes of the former counties that people born before the re-districting still carry
# (370181 章丘市, 370125 济阳县, 370123 长清县).
JINAN_ID_AREA_CODES = (
    "370102",
    "370103",
    "370104",
    "370105",
    "370112",
    "370113",
    "370114",
    "370181",
    "370124",
    "370125",
    "370126",
    "370123",
)


def organisation_code_check(body: str) -> str:
    """The ninth character of a GB 11714 organisation code from its eight body digits."""
    if len(body) != 8 or not body.isdigit():
        raise ValueError("an organisation code body has eight digits")
    remainder = 11 - sum(int(char) * weight for char, weight in zip(body, _ORG_WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(remainder, str(remainder))


def uscc_check(body: str) -> str:
    """The 18th character of a unified social credit code from its first 17 (GB 32100-2015)."""
    if len(body) != 17 or any(char not in USCC_CHARSET for char in body):
        raise ValueError("a credit code body has 17 characters of the GB 32100 code set")
    total = sum(USCC_CHARSET.index(char) * weight for char, weight in zip(body, _USCC_WEIGHTS, strict=True))
    return USCC_CHARSET[(31 - total % 31) % 31]


def uscc_is_valid(code: str) -> bool:
    """Whether an 18-character credit code carries the right check character."""
    return len(code) == 18 and all(char in USCC_CHARSET for char in code) and uscc_check(code[:17]) == code[17]


def uscc_make(*, division: str, organisation_body: str) -> str:
    """A credit code of an enterprise registered by market regulation (``91``) in a division, e.g. 370100."""
    organisation = organisation_body + organisation_code_check(organisation_body)
    body = f"91{division}{organisation}"
    return body + uscc_check(body)


def id_number_check(body: str) -> str:
    """The 18th character of a citizen identity number from its first 17 digits (GB 11643-1999)."""
    if len(body) != 17 or not body.isdigit():
        raise ValueError("an identity number body has 17 digits")
    return id_number_check_character(body)


def id_number_is_valid(number: str) -> bool:
    """Whether an 18-character identity number carries the right check character."""
    return len(number) == 18 and number[:17].isdigit() and id_number_check(number[:17]) == number[17]


def id_number_make(*, area: str, birth: str, sequence: int, is_male: bool) -> str:
    """An identity number: area code, birth date ``YYYYMMDD``, a three-digit sequence whose last digit is odd for
    men and even for women, and the check character."""
    sequence = sequence % 1000
    if (sequence % 2 == 1) != is_male:
        sequence = (sequence + 1) % 1000
    body = f"{area}{birth}{sequence:03d}"
    return body + id_number_check(body)
