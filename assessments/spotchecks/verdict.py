"""Pure rules for an enterprise's verdict and the risk grade it leads to."""

RISK_GRADES = "ABCD"  # A low risk … D high risk


def enterprise_passes(*, passed: int, drawn: int, rule: str, min_percent: int) -> bool:
    """Whether the enterprise meets the campaign's requirement.

    rule "all_pass": everyone drawn passes; "min_percent": at least `min_percent` % of those
    drawn pass (compared in integers, so 4 of 5 meets 80 %).
    """
    if drawn == 0:
        return False
    if rule == "all_pass":
        return passed == drawn
    return passed * 100 >= min_percent * drawn


def next_risk_grade(*, grade: str, passes: bool) -> str:
    """A pass moves the grade one step towards A (lower risk), a failure one step towards D."""
    index = RISK_GRADES.index(grade) if grade in RISK_GRADES else 1
    index = max(0, index - 1) if passes else min(len(RISK_GRADES) - 1, index + 1)
    return RISK_GRADES[index]
