"""Unified social credit code (统一社会信用代码, GB 32100-2015): pure functions, no database.

Eighteen characters from a 31-character alphabet (no I, O, S, V, Z): registration authority,
organisation type, a six-digit administrative division code, the nine-character organisation
code, and a check character computed with fixed weights modulo 31.
"""

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_VALUE = {ch: i for i, ch in enumerate(ALPHABET)}


class CreditCodeError(ValueError):
    """Why a code is invalid, as a code for the caller to turn into a message."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def normalise(code: str) -> str:
    return (code or "").strip().upper()


def check_character(first17: str) -> str:
    total = sum(_VALUE[ch] * weight for ch, weight in zip(first17, WEIGHTS, strict=True))
    return ALPHABET[(31 - total % 31) % 31]


def validate(code: str) -> str:
    """Return the normalised code or raise CreditCodeError(reason).

    Reasons: "length", "character", "region", "check".
    """
    code = normalise(code)
    if len(code) != 18:
        raise CreditCodeError("length")
    if any(ch not in _VALUE for ch in code):
        raise CreditCodeError("character")
    if not code[2:8].isdigit():
        raise CreditCodeError("region")
    if check_character(code[:17]) != code[17]:
        raise CreditCodeError("check")
    return code


def region_of(code: str) -> str:
    """The six-digit administrative division code inside a credit code."""
    return normalise(code)[2:8]


def complete(first17: str) -> str:
    """Append the check character to seventeen characters (used to make demo and test codes)."""
    first17 = normalise(first17)
    if len(first17) != 17:
        raise CreditCodeError("length")
    return first17 + check_character(first17)
