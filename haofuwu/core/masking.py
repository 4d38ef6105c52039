"""Masking of personal data for roles that do not need it in full."""

from __future__ import annotations


def mask_phone(phone: str) -> str:
    """``13812345678`` → ``138****5678``; short numbers keep only their last two digits."""
    if not phone:
        return ""
    if len(phone) >= 7:
        return f"{phone[:3]}****{phone[-4:]}"
    return "*" * max(len(phone) - 2, 0) + phone[-2:]


def mask_id_number(id_number: str) -> str:
    """A resident identity card number keeps its first and last digit only: ``3****************X``."""
    if not id_number:
        return ""
    if len(id_number) <= 2:
        return "*" * len(id_number)
    return f"{id_number[0]}{'*' * (len(id_number) - 2)}{id_number[-1]}"


def mask_name(name: str) -> str:
    """``张三丰`` → ``张**``: the family name stays so a neighbour can still be addressed politely."""
    if not name:
        return ""
    return name[0] + "*" * (len(name) - 1)
