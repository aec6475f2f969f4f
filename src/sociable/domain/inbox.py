"""Inbox items and their workflow: one transition table, named events."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    NEW = "new"
    FLAGGED = "flagged"
    ASSIGNED = "assigned"
    SNOOZED = "snoozed"
    REPLIED = "replied"
    DONE = "done"
    DISMISSED = "dismissed"


class Action(StrEnum):
    FLAG = "flag"
    ASSIGN = "assign"
    SNOOZE = "snooze"
    REPLY = "reply"
    DONE = "done"
    DISMISS = "dismiss"
    REOPEN = "reopen"
    WAKE = "wake"


OPEN = frozenset({Status.NEW, Status.FLAGGED, Status.ASSIGNED, Status.SNOOZED})
CLOSED = frozenset({Status.REPLIED, Status.DONE, Status.DISMISSED})

# action -> (statuses it may start from, status it leads to, event it emits)
TRANSITIONS: dict[Action, tuple[frozenset[Status], Status, str]] = {
    Action.FLAG: (OPEN, Status.FLAGGED, "item_flagged"),
    Action.ASSIGN: (OPEN, Status.ASSIGNED, "item_assigned"),
    Action.SNOOZE: (OPEN, Status.SNOOZED, "item_snoozed"),
    Action.REPLY: (OPEN, Status.REPLIED, "item_replied"),
    Action.DONE: (OPEN | {Status.REPLIED}, Status.DONE, "item_done"),
    Action.DISMISS: (OPEN, Status.DISMISSED, "item_dismissed"),
    Action.REOPEN: (CLOSED, Status.NEW, "item_reopened"),
    Action.WAKE: (frozenset({Status.SNOOZED}), Status.NEW, "item_woken"),
}


class TransitionError(ValueError):
    """An action that the item's current status does not allow."""


def next_status(current: Status, action: Action) -> tuple[Status, str]:
    """The status an action leads to and the event it emits, or a TransitionError saying why not."""
    allowed, target, event = TRANSITIONS[action]
    if current not in allowed:
        starts = ", ".join(sorted(allowed))
        raise TransitionError(
            f"cannot {action} an item that is {current}; {action} works on items that are {starts}"
        )
    return target, event


@dataclass
class InboxItem:
    id: int
    person_id: int | None
    handle_id: int
    platform: str
    handle: str
    person_name: str
    day: str
    priority: float
    reasons: list[str]
    moments: list[str]
    suggested_reply: str
    status: Status
    interaction_ids: list[int] = field(default_factory=list)
    assignee: str | None = None
    flag_note: str | None = None
    snoozed_until: datetime | None = None
    last_at: datetime | None = None
