"""An API request's input is parsed by one helper, `sop_planner.api.valid`, in every app."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PARSE = "is_valid(raise_exception=True)"
# The token log-in passes the request to its serializer as context, which `valid` does not.
ALLOWED = {"sop_planner/api.py", "accounts/api.py"}


def test_only_the_shared_helper_parses_api_input():
    found = [
        path.relative_to(ROOT).as_posix()
        for path in ROOT.glob("*/*api*.py")
        if PARSE in path.read_text() and path.relative_to(ROOT).as_posix() not in ALLOWED
    ]
    assert not found, "parse with sop_planner.api.valid(serializer_class, data):\n" + "\n".join(
        found
    )


def test_the_shared_helper_is_where_the_check_looks():
    assert PARSE in (ROOT / "sop_planner/api.py").read_text()
