"""One rule per identifier, used by every door: the API schemas, the services behind the forms, and the
spreadsheet imports.

Each ``normalise_*`` function turns any spelling a person or a spreadsheet uses into one canonical spelling, or
raises :class:`InvalidIdentifier` with a message that says what is wrong. Canonical spellings are what is stored and
what the lookup digests are made of, so ``138-1234-5678`` typed in a form and ``13812345678`` imported from Excel
find the same resident. Check digits come from python-stdnum (GB 11643 for identity numbers, GB 32100 for credit
codes), not from code of our own.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Callable
from typing import Annotated, Any

from django.utils import timezone
from django.utils.translation import gettext_lazy
from pydantic import AfterValidator, Field

BAD_PHONE = gettext_lazy(
    "Not a phone number: use an 11-digit mobile number or a landline with area code (0531-88888888)."
)
ID_AS_NUMBER = gettext_lazy(
    "The ID number was stored as a number and lost its last digits. Format the column as text and type it again."
)
ID_LENGTH = gettext_lazy("An ID number has 18 characters.")
ID_OLD_FORMAT = gettext_lazy("15-digit ID numbers are no longer valid; use the 18-digit number.")
ID_CHARACTERS = gettext_lazy("An ID number has 17 digits followed by a digit or X.")
ID_BIRTH_DATE = gettext_lazy("The date of birth in the ID number is not a valid date.")
ID_CHECK_DIGIT = gettext_lazy("The check digit is wrong (GB 11643); the number has a typing error.")
CREDIT_CODE_FORMAT = gettext_lazy(
    "A unified social credit code has 18 characters: digits and capital letters except I, O, S, V, Z."
)
CREDIT_CODE_CHECK = gettext_lazy("The check character is wrong (GB 32100); the code has a typing error.")

MOBILE = re.compile(r"^1[3-9]\d{9}$")
LANDLINE = re.compile(r"^(0\d{2,3})-?(\d{7,8})(?:-(\d{1,6}))?$")
# Nationwide service numbers of companies (400/800 numbers), written 400-xxx-xxxx.
SERVICE_NUMBER = re.compile(r"^([48]00)(\d{3})(\d{4})$")
THREE_DIGIT_AREA_CODES = re.compile(r"^0(10|2\d)")
# GB 32100-2015: positions 1–2 from the code set, 3–8 a division code, 9–18 from the code set (no I, O, S, V, Z).
CREDIT_CODE = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}\d{6}[0-9A-HJ-NPQRTUWXY]{10}$")


class InvalidIdentifier(ValueError):
    """A value that is not a valid identifier of its kind; the message is for the person who typed it."""

    def __init__(self, message: Any) -> None:
        super().__init__(str(message))
        self.message = str(message)


def _text(raw: Any) -> str:
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return unicodedata.normalize("NFKC", str(raw)).strip()


def normalise_phone(raw: Any) -> str:
    """A mainland mobile number (11 digits, ``1[3-9]…``), a landline with area code (``0531-88888888``, extension
    after a second hyphen) or a 400/800 service number, in one canonical spelling."""
    text = re.sub(r"[\s()（）]", "", _text(raw))
    compact = text.replace("-", "")
    for prefix in ("+86", "0086", "86"):
        if compact.startswith(prefix) and len(compact) == len(prefix) + 11:
            compact = compact[len(prefix) :]
            break
    if MOBILE.match(compact):
        return compact
    match = LANDLINE.match(text)
    if match:
        area, number, extension = match.groups()
        return f"{area}-{number}" + (f"-{extension}" if extension else "")
    service = SERVICE_NUMBER.match(compact)
    if service:
        return "-".join(service.groups())
    if re.fullmatch(r"0\d{9,11}", compact):
        # No separator: Beijing, Tianjin, Shanghai, Chongqing and the 02x cities have 3-digit area codes.
        split = 3 if THREE_DIGIT_AREA_CODES.match(compact) else 4
        number = compact[split:]
        if 7 <= len(number) <= 8:
            return f"{compact[:split]}-{number}"
    raise InvalidIdentifier(BAD_PHONE)


def id_number_problem(value: str) -> str | None:
    """Why an 18-character PRC resident identity number is invalid (GB 11643), or ``None`` when it is valid."""
    from stdnum.cn import ric

    if len(value) == 15 and value.isdigit():
        return str(ID_OLD_FORMAT)
    if len(value) != 18:
        return str(ID_LENGTH)
    if not (value[:17].isdigit() and value[:17].isascii() and (value[17].isdigit() or value[17] == "X")):
        return str(ID_CHARACTERS)
    try:
        birth = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return str(ID_BIRTH_DATE)
    if not dt.date(1900, 1, 1) <= birth <= timezone.localdate():
        return str(ID_BIRTH_DATE)
    if ric.calc_check_digit(value) != value[17]:
        return str(ID_CHECK_DIGIT)
    return None


def normalise_id_number(raw: Any) -> str:
    """An 18-character resident identity number, upper-case X, spaces removed; its birth date and check digit
    verified. (The area code is not checked against a list: old county codes stay valid on people's cards.)"""
    if isinstance(raw, (int, float)) and not isinstance(raw, bool):
        # Excel keeps 15 significant digits; an 18-digit number typed into a number cell is already damaged.
        raise InvalidIdentifier(ID_AS_NUMBER)
    value = "".join(_text(raw).split()).upper()
    problem = id_number_problem(value)
    if problem:
        raise InvalidIdentifier(problem)
    return value


def normalise_credit_code(raw: Any) -> str:
    """An 18-character unified social credit code, upper case, with its check character verified."""
    from stdnum.cn import uscc

    value = "".join(_text(raw).split()).upper()
    if not CREDIT_CODE.match(value):
        raise InvalidIdentifier(CREDIT_CODE_FORMAT)
    if uscc.calc_check_digit(value) != value[17]:
        raise InvalidIdentifier(CREDIT_CODE_CHECK)
    return value


def canonical_or_compact(normalise: Callable[[Any], str], raw: str) -> str:
    """The canonical spelling, or for a value stored before this rule (and now invalid) the value without spaces,
    so that digests of old rows can still be made."""
    try:
        return normalise(raw)
    except InvalidIdentifier:
        return "".join(raw.split()).upper()


# API types: the value comes back canonical; an empty string stays empty where the field is optional.


def _api(normalise: Callable[[Any], str], *, allow_blank: bool) -> Callable[[str], str]:
    def check(value: str) -> str:
        if allow_blank and not value.strip():
            return ""
        try:
            return normalise(value)
        except InvalidIdentifier as error:
            raise ValueError(error.message) from None

    return check


PhoneNumber = Annotated[str, Field(max_length=30), AfterValidator(_api(normalise_phone, allow_blank=True))]
IdNumber = Annotated[str, Field(max_length=30), AfterValidator(_api(normalise_id_number, allow_blank=True))]
CreditCode = Annotated[
    str, Field(min_length=18, max_length=30), AfterValidator(_api(normalise_credit_code, allow_blank=False))
]


# The estates services normalise these fields whatever door the value came through.
NORMALISERS: dict[str, Callable[[Any], str]] = {
    "phone": normalise_phone,
    "service_phone": normalise_phone,
    "reporter_phone": normalise_phone,
    "id_number": normalise_id_number,
    "credit_code": normalise_credit_code,
}
