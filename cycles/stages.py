"""The five stages of the monthly cycle and the moves between them. Plain Python.

One table says which moves exist (forward; back from reconciliation to demand or
supply planning; back from sign-off to reconciliation on rejection; release on
approval), which action (a row of accounts.roles.PERMISSIONS) makes each move,
and whether the move must clear the gate of the stage it leaves.
"""

from dataclasses import dataclass
from enum import StrEnum


class Stage(StrEnum):
    DATA_GATHERING = "data_gathering"
    DEMAND_PLANNING = "demand_planning"
    SUPPLY_PLANNING = "supply_planning"
    RECONCILIATION = "reconciliation"
    SIGN_OFF = "sign_off"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)
# While the demand plan is open, a finished forecast run becomes its baseline.
BASELINE_STAGES: tuple[Stage, ...] = (Stage.DATA_GATHERING, Stage.DEMAND_PLANNING)


class MoveKind(StrEnum):
    ADVANCE = "advance"
    SEND_BACK = "send_back"
    REJECT = "reject"
    RELEASE = "release"


@dataclass(frozen=True)
class Move:
    """One allowed move. `target` None means the cycle is released (it leaves sign-off)."""

    source: Stage
    target: Stage | None
    kind: MoveKind
    action: str
    gated: bool
    needs_reason: bool

    @property
    def target_label(self) -> str:
        return self.target.label if self.target else "Released"


DG, DP, SP, REC, SO = STAGE_ORDER

MOVES: tuple[Move, ...] = (
    Move(DG, DP, MoveKind.ADVANCE, "cycle.advance", gated=True, needs_reason=False),
    Move(DP, SP, MoveKind.ADVANCE, "cycle.advance", gated=True, needs_reason=False),
    Move(SP, REC, MoveKind.ADVANCE, "cycle.advance", gated=True, needs_reason=False),
    Move(REC, SO, MoveKind.ADVANCE, "cycle.advance", gated=True, needs_reason=False),
    Move(REC, DP, MoveKind.SEND_BACK, "cycle.send_back", gated=False, needs_reason=True),
    Move(REC, SP, MoveKind.SEND_BACK, "cycle.send_back", gated=False, needs_reason=True),
    Move(SO, REC, MoveKind.REJECT, "cycle.reject", gated=False, needs_reason=True),
    Move(SO, None, MoveKind.RELEASE, "cycle.approve", gated=True, needs_reason=False),
)


class TransitionError(Exception):
    """The cycle cannot make this move; the message says why, in the user's words."""

    def __init__(self, message: str, *, items: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.items = items or []


def moves_from(stage: Stage, kind: MoveKind | None = None) -> list[Move]:
    """The moves that leave a stage (of one kind, when given)."""
    return [m for m in MOVES if m.source is stage and (kind is None or m.kind is kind)]


def find_move(source: Stage, kind: MoveKind, target: Stage | None = None) -> Move:
    """The move of this kind out of `source` (to `target` when several exist)."""
    candidates = moves_from(source, kind)
    if target is not None:
        candidates = [m for m in candidates if m.target is target]
    if len(candidates) == 1:
        return candidates[0]
    possible = [
        f"{m.kind.value.replace('_', ' ')} to {m.target_label}" for m in moves_from(source)
    ]
    wanted = kind.value.replace("_", " ") + (f" to {target.label}" if target else "")
    raise TransitionError(
        f"A cycle in {source.label} cannot {wanted}. Possible: {', '.join(possible)}.",
        items=possible,
    )


def check_move(move: Move, *, open_items: list[str], reason: str = "") -> None:
    """Refuse a move whose gate still has open items, or which lacks its reason."""
    if move.needs_reason and not reason.strip():
        what = "A rejection" if move.kind is MoveKind.REJECT else "Sending the cycle back"
        raise TransitionError(f"{what} needs a comment saying why.")
    if move.gated and open_items:
        count = len(open_items)
        noun = "item is" if count == 1 else "items are"
        raise TransitionError(
            f"{move.source.label} cannot end yet: {count} open {noun} left: "
            + "; ".join(open_items),
            items=list(open_items),
        )


def stages_with_state(current: Stage, *, released: bool) -> list[tuple[Stage, str]]:
    """Each stage with 'done', 'current' or 'todo', for the progress bar."""
    position = STAGE_ORDER.index(current)
    states = []
    for index, stage in enumerate(STAGE_ORDER):
        if released or index < position:
            states.append((stage, "done"))
        else:
            states.append((stage, "current" if index == position else "todo"))
    return states


class SignOffPolicy(StrEnum):
    ANY = "any"
    ALL = "all"


def signoff_missing(
    policy: SignOffPolicy, *, required: dict[str, str], approved: set[str]
) -> list[str]:
    """Who still has to approve: `required` maps usernames to display names.

    ANY: one approval by a required executive is enough. ALL: every one of them.
    """
    if not required:
        return ["No executive is named to sign off: set SOP_SIGNOFF_APPROVERS."]
    done = approved & set(required)
    if policy is SignOffPolicy.ANY:
        if done:
            return []
        names = ", ".join(required[u] for u in sorted(required))
        return [f"Awaiting approval by one of: {names}"]
    return [f"Awaiting approval by {required[u]}" for u in sorted(required) if u not in done]


STAGE_CHOICES: list[tuple[str, str]] = [(stage.value, stage.label) for stage in Stage]
