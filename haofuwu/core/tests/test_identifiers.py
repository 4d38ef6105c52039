"""One rule per identifier: phone numbers in one spelling, ID numbers and credit codes with their check digits."""

from __future__ import annotations

import pytest

from haofuwu.core.identifiers import (
    InvalidIdentifier,
    normalise_credit_code,
    normalise_id_number,
    normalise_phone,
)


def gb11643_check(first_17: str) -> str:
    """The check character computed here from the standard's table (independently of python-stdnum)."""
    weights = [2 ** (17 - i) % 11 for i in range(17)]
    return "10X98765432"[sum(int(d) * w for d, w in zip(first_17, weights, strict=True)) % 11]


def gb32100_check(first_17: str) -> str:
    charset = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    weights = [3**i % 31 for i in range(17)]
    total = sum(charset.index(c) * w for c, w in zip(first_17, weights, strict=True))
    return charset[(31 - total % 31) % 31]


@pytest.mark.parametrize(
    ("raw", "canonical"),
    [
        ("138-1234-5678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        ("0086-13812345678", "13812345678"),
        ("１３８１２３４５６７８", "13812345678"),  # full-width digits from a Chinese input method
        (13812345678.0, "13812345678"),  # a number cell of a spreadsheet
        ("(0531) 8888 8888", "0531-88888888"),
        ("053188888888", "0531-88888888"),
        ("010-12345678-123", "010-12345678-123"),
        ("400 123 4567", "400-123-4567"),
    ],
)
def test_phone_numbers_have_one_spelling(raw, canonical):
    assert normalise_phone(raw) == canonical


@pytest.mark.parametrize("raw", ["12345", "2381234567", "1381234567", "138123456789", "abc", "0531-123"])
def test_what_is_not_a_phone_number_is_refused(raw):
    with pytest.raises(InvalidIdentifier, match="Not a phone number"):
        normalise_phone(raw)


@pytest.mark.parametrize("body", ["11010519491231002", "37010219800101001", "37012419991231888", "44030620000229123"])
def test_id_numbers_with_the_right_check_character_pass_in_upper_case(body):
    number = body + gb11643_check(body)
    assert normalise_id_number(f" {number.lower()[:9]} {number.lower()[9:]} ") == number


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("ABC123", "18 characters"),
        ("370102198001010011", "check digit is wrong"),
        ("370102198002300015", "date of birth"),
        ("370102800101001", "15-digit"),
        ("37010219800101001Y", "17 digits followed by a digit or X"),
        (370102198001010015, "stored as a number"),
    ],
)
def test_invalid_id_numbers_say_why(raw, message):
    with pytest.raises(InvalidIdentifier, match=message):
        normalise_id_number(raw)


@pytest.mark.parametrize("body", ["91370100MA3C4L5X2", "91110000100000000", "12370000004609366"])
def test_credit_codes_are_checked_with_gb_32100(body):
    code = body + gb32100_check(body)
    assert normalise_credit_code(code.lower()) == code
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    with pytest.raises(InvalidIdentifier, match="check character is wrong"):
        normalise_credit_code(wrong)
    with pytest.raises(InvalidIdentifier, match="18 characters"):
        normalise_credit_code("91370100MA3C4L5XI" + code[17])  # I is not in the code set
