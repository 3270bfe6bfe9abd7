"""Template wording placeholders and masked names, without a database."""

import pytest

from certificates import wording


def test_placeholders_are_filled():
    text = wording.fill(
        "兹证明{name}完成《{title}》，成绩{score}分。编号{serial}",
        {"name": "张三", "title": "反商业贿赂", "score": "92", "serial": "HG-2026-00000001-X"},
    )
    assert text == "兹证明张三完成《反商业贿赂》，成绩92分。编号HG-2026-00000001-X"


def test_literal_braces_survive():
    assert wording.fill("{{注}} {name}", {"name": "李四"}) == "{注} 李四"


def test_unknown_placeholders_are_named():
    with pytest.raises(wording.WordingError) as exc:
        wording.validate("{name} 于 {date} 通过 {exam}")
    assert exc.value.reason == "unknown"
    assert exc.value.names == ("date", "exam")


@pytest.mark.parametrize("text", ["{name", "{0}", "{}", "{name:>10}", "{name!r}", "{a.b}"])
def test_malformed_placeholders_are_refused(text):
    with pytest.raises(wording.WordingError) as exc:
        wording.validate(text)
    assert exc.value.reason == "syntax"


@pytest.mark.parametrize(
    ("name", "masked"),
    [
        ("张三", "张*"),
        ("张小三", "张*三"),
        ("欧阳小明", "欧**明"),
        ("王", "*"),
        ("", ""),
        (" 李四 ", "李*"),
    ],
)
def test_names_are_masked_for_the_public(name, masked):
    assert wording.mask_name(name) == masked
