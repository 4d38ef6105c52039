"""Check characters of credit codes (GB 32100) and identity numbers (GB 11643)."""

from __future__ import annotations

import pytest

from haofuwu.demo.identifiers import (
    id_number_check,
    id_number_is_valid,
    id_number_make,
    organisation_code_check,
    uscc_check,
    uscc_is_valid,
    uscc_make,
)


@pytest.mark.parametrize(
    ("code", "is_valid"),
    [
        ("91330100716105852F", True),  # published credit codes of two large companies
        ("9144030071526726XG", True),
        ("91330100716105852E", False),  # wrong check character
        ("91330100716105853F", False),  # one body character changed
        ("9133010071610585", False),  # too short
    ],
)
def test_uscc_is_valid_checks_the_gb32100_check_character(code: str, is_valid: bool) -> None:
    assert uscc_is_valid(code) is is_valid


@pytest.mark.parametrize(("body", "check"), [("71610585", "2"), ("71526726", "X")])
def test_organisation_code_check_follows_gb11714(body: str, check: str) -> None:
    assert organisation_code_check(body) == check


def test_uscc_make_embeds_a_checked_organisation_code() -> None:
    code = uscc_make(division="370100", organisation_body="70621853")
    assert code.startswith("91370100706218538")
    assert code[8:17] == "70621853" + organisation_code_check("70621853")
    assert code[17] == uscc_check(code[:17])


@pytest.mark.parametrize(
    ("number", "is_valid"),
    [
        ("11010519491231002X", True),  # the example of GB 11643-1999
        ("440524188001010014", True),
        ("110105194912310021", False),
        ("11010519491231002", False),
        ("1101051949123100XX", False),
    ],
)
def test_id_number_is_valid_checks_the_gb11643_check_digit(number: str, is_valid: bool) -> None:
    assert id_number_is_valid(number) is is_valid


def test_id_number_make_gives_men_odd_and_women_even_sequence_digits() -> None:
    for sequence in range(20):
        man = id_number_make(area="370102", birth="19800101", sequence=sequence, is_male=True)
        woman = id_number_make(area="370102", birth="19800101", sequence=sequence, is_male=False)
        assert int(man[16]) % 2 == 1
        assert int(woman[16]) % 2 == 0
        assert id_number_is_valid(man)
        assert id_number_is_valid(woman)
        assert man[:14] == "37010219800101"


def test_bad_bodies_are_refused() -> None:
    with pytest.raises(ValueError):
        id_number_check("37010219800101")
    with pytest.raises(ValueError):
        uscc_check("9137010070621853I")  # I is not in the code set
