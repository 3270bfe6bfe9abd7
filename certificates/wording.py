"""Certificate wording: placeholders and the masking of names. Pure functions, no database."""

from string import Formatter

PLACEHOLDERS = ("name", "title", "score", "issued", "expires", "serial")


class WordingError(ValueError):
    """What is wrong with a wording: ``reason`` is "syntax" or "unknown" (then ``names``)."""

    def __init__(self, reason: str, names: tuple[str, ...] = ()):
        super().__init__(reason, names)
        self.reason = reason
        self.names = names


def placeholders_in(wording: str) -> list[str]:
    """The placeholder names used in ``wording``, in order; raise WordingError if malformed."""
    try:
        parts = list(Formatter().parse(wording or ""))
    except ValueError as exc:
        raise WordingError("syntax") from exc
    names = []
    for _literal, field, spec, conversion in parts:
        if field is None:
            continue
        if not field or spec or conversion or not field.isidentifier():
            raise WordingError("syntax")
        names.append(field)
    return names


def validate(wording: str) -> None:
    unknown = tuple(dict.fromkeys(n for n in placeholders_in(wording) if n not in PLACEHOLDERS))
    if unknown:
        raise WordingError("unknown", unknown)


def fill(wording: str, values: dict[str, str]) -> str:
    """The wording with every placeholder replaced; a missing value becomes an empty string."""
    return (wording or "").format_map({name: values.get(name, "") for name in PLACEHOLDERS})


def mask_name(name: str) -> str:
    """A name partly hidden for public pages: 张三 → 张*, 张小三 → 张*三, 欧阳小明 → 欧**明."""
    name = (name or "").strip()
    if len(name) <= 1:
        return "*" if name else ""
    if len(name) == 2:
        return name[0] + "*"
    return name[0] + "*" * (len(name) - 2) + name[-1]
