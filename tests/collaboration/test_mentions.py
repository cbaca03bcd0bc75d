import pytest

from collaboration.mentions import mentioned_usernames


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("@nora please check North", ["nora"]),
        (
            "cc @planner-north, @sue.supply and @planner-north again.",
            ["planner-north", "sue.supply"],
        ),
        ("mail me at maria@example.com", []),
        ("@ alone, @@double", []),
        ("ends with a mention @exec", ["exec"]),
    ],
)
def test_mentions_are_found_once_each_and_e_mail_addresses_are_not_mentions(text, names):
    assert mentioned_usernames(text) == names
