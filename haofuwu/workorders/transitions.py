"""The work-order state machine as data: which action leads from which status to which.

submitted → accepted → dispatched → in progress → resolved → closed, with on hold (pauses the clock, back to where it
was on resume), reopened (counted; back to dispatched) and cancelled. Pure: the service checks roles and writes.
"""

from __future__ import annotations

from dataclasses import dataclass

from haofuwu.workorders.choices import Action, Status

S = Status


@dataclass(frozen=True)
class Transition:
    sources: frozenset[str]
    target: str | None  # None: back to the status before the hold


TRANSITIONS: dict[str, Transition] = {
    Action.ACCEPT: Transition(frozenset({S.SUBMITTED}), S.ACCEPTED),
    # Dispatching again from dispatched or in progress is a reassignment.
    Action.DISPATCH: Transition(frozenset({S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS}), S.DISPATCHED),
    Action.START: Transition(frozenset({S.DISPATCHED}), S.IN_PROGRESS),
    Action.HOLD: Transition(frozenset({S.ACCEPTED, S.DISPATCHED, S.IN_PROGRESS}), S.ON_HOLD),
    Action.RESUME: Transition(frozenset({S.ON_HOLD}), None),
    Action.RESOLVE: Transition(frozenset({S.IN_PROGRESS}), S.RESOLVED),
    Action.CLOSE: Transition(frozenset({S.RESOLVED}), S.CLOSED),
    Action.REOPEN: Transition(frozenset({S.RESOLVED, S.CLOSED}), S.DISPATCHED),
    Action.CANCEL: Transition(frozenset({S.SUBMITTED, S.ACCEPTED, S.DISPATCHED, S.ON_HOLD}), S.CANCELLED),
}


class IllegalTransition(ValueError):
    """The action is not possible from the current status."""


def next_status(current: str, action: str, *, status_before_hold: str = "") -> str:
    """The status after ``action`` from ``current``, or :class:`IllegalTransition`."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise IllegalTransition(f"unknown action {action!r}")
    if current not in transition.sources:
        raise IllegalTransition(f"cannot {action} a work order that is {current}")
    if transition.target is None:
        return status_before_hold or S.ACCEPTED
    return transition.target


def allowed_actions(current: str) -> list[str]:
    """The actions possible from a status, in the order a person would do them."""
    return [action for action, transition in TRANSITIONS.items() if current in transition.sources]
