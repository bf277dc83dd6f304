"""Policy files: a user's copy overrides the defaults; a misspelt key is an error, not a silent default."""

import pytest

from fairprocure.score.policy import Policy, PolicyError, load_policy


def test_default_policy_file_matches_the_dataclass_defaults():
    assert load_policy() == Policy(source="default policy")


def test_a_partial_policy_keeps_other_defaults(tmp_path):
    path = tmp_path / "policy.toml"
    path.write_text("[levels]\nhigh = 50\n\n[goods_list]\nforced_labour = 40\n")
    policy = load_policy(path)
    assert policy.levels.high == 50
    assert policy.levels.medium == Policy().levels.medium
    assert policy.goods_list.forced_labour == 40
    assert policy.level(49) == "medium" and policy.level(50) == "high"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[levels]\nhihg = 50\n", "unknown key(s) hihg"),
        ("[leveles]\nhigh = 50\n", "unknown section(s) [leveles]"),
        ("[levels]\nhigh = 'fifty'\n", "'fifty' is not a number"),
        ("[levels]\nmedium = 60\n", "need 0 < medium < high < critical"),
        ("[levels\n", "not valid TOML"),
    ],
)
def test_bad_policies_are_rejected_with_the_file_and_key(tmp_path, text, message):
    path = tmp_path / "mine.toml"
    path.write_text(text)
    with pytest.raises(PolicyError, match=r"mine.toml") as error:
        load_policy(path)
    assert message in str(error.value)
