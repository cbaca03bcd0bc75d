"""The stage table, move by move, without a database."""

import pytest

from cycles.stages import (
    MOVES,
    STAGE_ORDER,
    MoveKind,
    SignOffPolicy,
    Stage,
    TransitionError,
    check_move,
    find_move,
    signoff_missing,
    stages_with_state,
)

DG, DP, SP, REC, SO = STAGE_ORDER

# (from, kind, to, action, gated, needs a reason); None as `to` means released.
ALLOWED = {
    (DG, MoveKind.ADVANCE, DP, "cycle.advance", True, False),
    (DP, MoveKind.ADVANCE, SP, "cycle.advance", True, False),
    (SP, MoveKind.ADVANCE, REC, "cycle.advance", True, False),
    (REC, MoveKind.ADVANCE, SO, "cycle.advance", True, False),
    (REC, MoveKind.SEND_BACK, DP, "cycle.send_back", False, True),
    (REC, MoveKind.SEND_BACK, SP, "cycle.send_back", False, True),
    (SO, MoveKind.REJECT, REC, "cycle.reject", False, True),
    (SO, MoveKind.RELEASE, None, "cycle.approve", True, False),
}
TARGETS = [*STAGE_ORDER, None]


def test_the_table_holds_exactly_the_allowed_moves():
    table = {(m.source, m.kind, m.target, m.action, m.gated, m.needs_reason) for m in MOVES}
    assert table == ALLOWED


@pytest.mark.parametrize("source", STAGE_ORDER, ids=str)
@pytest.mark.parametrize("kind", list(MoveKind), ids=str)
@pytest.mark.parametrize("target", TARGETS, ids=str)
def test_every_move_from_every_stage_is_found_or_refused(source, kind, target):
    allowed = {(s, k, t) for s, k, t, *_ in ALLOWED}
    if (source, kind, target) in allowed:
        move = find_move(source, kind, target)
        assert (move.source, move.kind, move.target) == (source, kind, target)
    elif target is None and len([a for a in allowed if a[:2] == (source, kind)]) == 1:
        assert find_move(source, kind).source is source  # the only move of that kind
    else:
        with pytest.raises(TransitionError, match=f"A cycle in {source.label} cannot"):
            find_move(source, kind, target)


def test_a_refused_move_lists_the_moves_that_are_possible():
    with pytest.raises(TransitionError) as error:
        find_move(DG, MoveKind.SEND_BACK)
    assert error.value.items == ["advance to Demand planning"]


def test_send_back_without_a_target_is_ambiguous_from_reconciliation():
    with pytest.raises(TransitionError, match="send back to Demand planning, send back to Supply"):
        find_move(REC, MoveKind.SEND_BACK)


@pytest.mark.parametrize("move", [m for m in MOVES if m.gated], ids=str)
def test_a_gated_move_with_open_items_is_refused_listing_them(move):
    items = ["Territory North has no actuals for 2026-10", "Territory South has none either"]
    with pytest.raises(TransitionError) as error:
        check_move(move, open_items=items)
    assert "2 open items are left" in error.value.message
    assert "Territory North has no actuals for 2026-10" in error.value.message
    assert error.value.items == items


@pytest.mark.parametrize("move", MOVES, ids=str)
def test_a_move_with_a_clear_gate_and_its_reason_passes(move):
    check_move(move, open_items=[] if move.gated else ["ignored"], reason="because")


@pytest.mark.parametrize("move", [m for m in MOVES if m.needs_reason], ids=str)
def test_moving_back_needs_a_comment(move):
    with pytest.raises(TransitionError, match="needs a comment"):
        check_move(move, open_items=[], reason="   ")


def test_progress_marks_stages_done_current_and_to_do():
    states = dict(stages_with_state(SP, released=False))
    assert states == {DG: "done", DP: "done", SP: "current", REC: "todo", SO: "todo"}
    assert set(dict(stages_with_state(SO, released=True)).values()) == {"done"}


EXECS = {"erin": "Erin Executive", "evan": "Evan Executive"}


@pytest.mark.parametrize(
    ("policy", "approved", "missing"),
    [
        (
            SignOffPolicy.ANY,
            set(),
            ["Awaiting approval by one of: Erin Executive, Evan Executive"],
        ),
        (SignOffPolicy.ANY, {"evan"}, []),
        (
            SignOffPolicy.ANY,
            {"stranger"},
            ["Awaiting approval by one of: Erin Executive, Evan Executive"],
        ),
        (
            SignOffPolicy.ALL,
            set(),
            ["Awaiting approval by Erin Executive", "Awaiting approval by Evan Executive"],
        ),
        (SignOffPolicy.ALL, {"erin"}, ["Awaiting approval by Evan Executive"]),
        (SignOffPolicy.ALL, {"erin", "evan"}, []),
    ],
)
def test_signoff_needs_the_required_approvals(policy, approved, missing):
    assert signoff_missing(policy, required=EXECS, approved=approved) == missing


def test_signoff_without_named_executives_cannot_pass():
    assert signoff_missing(SignOffPolicy.ANY, required={}, approved={"x"}) != []


def test_stage_labels_read_as_words():
    assert Stage.DEMAND_PLANNING.label == "Demand planning"
