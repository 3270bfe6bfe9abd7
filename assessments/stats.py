"""Item statistics for an exam: pure functions over (attempt totals, item scores).

Facility is the mean share of the points a question earned. Discrimination is the classical
upper-lower index: the facility among the top 27% of attempts by total score minus the facility
among the bottom 27%. Both are None when too few attempts answered the question.
"""

from dataclasses import dataclass

GROUP_SHARE = 0.27


@dataclass(frozen=True)
class ItemScore:
    attempt_id: int
    question_id: int
    share: float  # points awarded / points available, 0..1


@dataclass(frozen=True)
class ItemStatistic:
    question_id: int
    answered: int
    facility: float | None
    discrimination: float | None


def item_statistics(
    *, totals: dict[int, float], scores: list[ItemScore]
) -> dict[int, ItemStatistic]:
    """totals: attempt id -> percent; scores: every graded item of those attempts."""
    ranked = sorted(totals, key=lambda a: (totals[a], a))
    group = max(1, round(len(ranked) * GROUP_SHARE)) if len(ranked) >= 2 else 0
    lower, upper = set(ranked[:group]), set(ranked[-group:]) if group else set()
    by_question: dict[int, list[ItemScore]] = {}
    for s in scores:
        by_question.setdefault(s.question_id, []).append(s)
    result = {}
    for qid, rows in by_question.items():
        facility = sum(r.share for r in rows) / len(rows) if rows else None
        up = [r.share for r in rows if r.attempt_id in upper]
        low = [r.share for r in rows if r.attempt_id in lower]
        discrimination = (
            sum(up) / len(up) - sum(low) / len(low) if up and low and upper != lower else None
        )
        result[qid] = ItemStatistic(qid, len(rows), facility, discrimination)
    return result


def score_distribution(percents: list[float], *, bins: int = 10) -> list[int]:
    """How many attempts fall in each band of 100/bins percent (the last band includes 100)."""
    counts = [0] * bins
    width = 100 / bins
    for p in percents:
        counts[min(bins - 1, max(0, int(p // width)))] += 1
    return counts
