"""A suggested risk grade from an enterprise's yearly figures. Pure, no database.

The regulator confirms (or changes) the grade, which then weights the spot-check draw
(assessments/spotchecks/draw.py: A 1, B 2, C 3, D 4). Each finding adds points; the points give
the grade: 0–1 A, 2–3 B, 4–5 C, 6 or more D. The reasons are codes with numbers, worded by the
caller.
"""

from dataclasses import dataclass, field

GRADES = "ABCD"
TRAINING_TARGET = 85  # percent: the SASAC plan's 85 % (2023) target, used as the bar
EXAM_TARGET = 80


@dataclass(frozen=True)
class Suggestion:
    grade: str
    points: int
    reasons: list[tuple[str, dict]] = field(default_factory=list)


def percent(part: int, whole: int) -> int | None:
    """A whole percentage, rounded down (None when there is nothing to count)."""
    return None if not whole else part * 100 // whole


def suggest_grade(
    figures: dict, *, self_inspection_late: bool, dispatch_quarters_missed: int | None
) -> Suggestion:
    """`figures`: the keys of `figures.FIGURE_KEYS` (missing ones count as 0)."""
    get = lambda key: int(figures.get(key) or 0)  # noqa: E731
    reasons: list[tuple[str, dict]] = []
    points = 0

    def add(n: int, code: str, **params) -> None:
        nonlocal points
        points += n
        reasons.append((code, params))

    if get("cco") + get("head") == 0:
        add(2, "no_head")
    if get("admin_full") + get("admin_part") == 0:
        add(1, "no_administrator")
    training = percent(get("training_completed"), get("training_total"))
    if training is not None and training < 60:
        add(2, "training_low", rate=training)
    elif training is not None and training < TRAINING_TARGET:
        add(1, "training_below_target", rate=training, target=TRAINING_TARGET)
    exam = percent(get("exam_passed"), get("exam_sat"))
    if exam is not None and exam < 60:
        add(2, "exam_low", rate=exam)
    elif exam is not None and exam < EXAM_TARGET:
        add(1, "exam_below_target", rate=exam, target=EXAM_TARGET)
    grave = get("violations_serious") + get("violations_very_serious")
    if grave:
        add(min(2 * grave, 4), "grave_violations", count=grave)
    if get("violations_major"):
        add(1, "major_violations", count=get("violations_major"))
    if get("penalties"):
        add(1, "penalties", count=get("penalties"))
    if get("spot_failed"):
        add(2, "spot_check_failed", count=get("spot_failed"))
    if get("rect_overdue"):
        add(1, "rectification_overdue", count=get("rect_overdue"))
    if self_inspection_late:
        add(1, "self_inspection_late")
    if dispatch_quarters_missed:
        add(1, "dispatch_missed", count=dispatch_quarters_missed)
    if get("spot_drawn") and not get("spot_failed") and points <= 1:
        reasons.append(("spot_check_passed", {"count": get("spot_passed")}))
    grade = GRADES[min(points // 2, 3)]
    return Suggestion(grade=grade, points=points, reasons=reasons)
