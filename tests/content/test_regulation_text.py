"""The seed texts split into a title, preamble and numbered clauses (no database)."""

from pathlib import Path

from content.regulation_text import parse_regulation

SEEDS = Path(__file__).resolve().parents[2] / "content" / "demo_seeds"


def test_the_platform_guidance_splits_into_its_numbered_clauses():
    parsed = parse_regulation((SEEDS / "online_platform_guidance.txt").read_text("utf-8"))
    assert parsed.title == "关于推动网络交易平台企业落实合规管理主体责任的指导意见"
    assert parsed.subtitle == "征求意见稿"
    assert parsed.preamble.startswith("为引导网络交易平台企业加强合规管理")
    numbers = [c.number for c in parsed.clauses]
    assert "（五）" in numbers and "（十六）" in numbers
    fifth = parsed.clauses[numbers.index("（五）")]
    assert fifth.heading == "明确合规管理职责"
    assert fifth.text.startswith("合规负责人按照职责要求直接对网络交易平台企业主要负责人负责")


def test_a_paragraph_broken_across_lines_is_joined():
    parsed = parse_regulation(
        "某某办法\n一、总则\n1. 各企业应当根据法律法规等变化\n、重要领域管理规范进行修订完善。\n2. 第二条。\n"
    )
    assert [c.text for c in parsed.clauses] == [
        "各企业应当根据法律法规等变化、重要领域管理规范进行修订完善。",
        "第二条。",
    ]
    assert parsed.clauses[0].heading == "总则"
