"""The seed texts split into a title, preamble and numbered clauses (no database)."""

from pathlib import Path

from content.regulation_text import lay_out, parse_regulation

SEEDS = Path(__file__).resolve().parents[2] / "content" / "demo_seeds"


def test_the_platform_guidance_splits_into_its_numbered_clauses():
    parsed = parse_regulation((SEEDS / "online_platform_guidance.txt").read_text("utf-8"))
    assert parsed.title == "关于推动网络交易平台企业落实合规管理主体责任的指导意见"
    assert parsed.subtitle == "征求意见稿"
    assert parsed.preamble.startswith("为引导网络交易平台企业加强合规管理")
    numbers = [c.number for c in parsed.clauses]
    assert "（五）" in numbers and "（十六）" in numbers
    fifth = parsed.clauses[numbers.index("（五）")]
    assert fifth.heading == "三、明确合规管理职责"
    assert fifth.text.startswith("合规负责人按照职责要求直接对网络交易平台企业主要负责人负责")


def test_a_paragraph_broken_across_lines_is_joined():
    parsed = parse_regulation(
        "某某办法\n一、总则\n1. 各企业应当根据法律法规等变化\n、重要领域管理规范进行修订完善。\n2. 第二条。\n"
    )
    assert [c.text for c in parsed.clauses] == [
        "各企业应当根据法律法规等变化、重要领域管理规范进行修订完善。",
        "第二条。",
    ]
    assert parsed.clauses[0].heading == "一、总则"


def test_a_work_plan_keeps_its_section_numbers_and_parts():
    parsed = parse_regulation((SEEDS / "sasac_work_plan.txt").read_text("utf-8"))
    first_task = next(c for c in parsed.clauses if c.number == "1.")
    assert first_task.heading.split("\n") == ["二、重点任务", "(一)落实合规管理责任"]


def test_a_section_heading_is_shown_once_where_it_begins():
    parsed = parse_regulation((SEEDS / "sasac_work_plan.txt").read_text("utf-8"))
    laid = lay_out(parsed.clauses)
    shown = [h for item in laid for h in item.new_headings]
    assert shown.count("二、重点任务") == 1
    assert shown.count("(一)落实合规管理责任") == 1
    assert "三、进度安排" in shown and "四、保障措施" in shown
    second = next(item for item in laid if item.clause.number == "2.")
    assert second.new_headings == [] and second.depth == 2
    sixth = next(item for item in laid if item.clause.number == "6.")
    assert sixth.new_headings == ["(二)夯实组织基础"] and sixth.depth == 1
