"""The text a person acknowledges: the duty list of their post as it stands, with who they are
and the date. Pure: it takes plain values, so the signed text is the same wherever it is made."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class Duty:
    text: str
    clauses: tuple[str, ...] = ()  # "《regulation》 clause" as cited
    domains: tuple[str, ...] = ()


def ordinal(n: int) -> str:
    """一、二、… up to 十, then 11、12、… (the list's item markers)."""
    return NUMERALS[n - 1] if 1 <= n <= len(NUMERALS) else str(n)


def render(
    *,
    organisation: str,
    position: str,
    version: int,
    duties: list[Duty],
    name: str,
    employee_number: str,
    date: str,
) -> str:
    """The duty list of a post, then the acknowledgement in the holder's name."""
    lines = [
        _(
            "Compliance duties of the key position %(position)s, %(organisation)s (version %(version)d)"
        )
        % {"position": position, "organisation": organisation, "version": version}
    ]
    for n, duty in enumerate(duties, start=1):
        lines.append(f"{ordinal(n)}、{duty.text.strip()}")
        if duty.clauses:
            lines.append("  " + _("Basis: %(clauses)s") % {"clauses": "；".join(duty.clauses)})
        if duty.domains:
            lines.append(
                "  " + _("Compliance domains: %(domains)s") % {"domains": "、".join(duty.domains)}
            )
    lines.append(
        _(
            "I, %(name)s (employee number %(employee_number)s), have read the compliance duties "
            "of my post above and will carry them out in my work."
        )
        % {"name": name, "employee_number": employee_number}
    )
    lines.append(_("Acknowledged by: %(name)s") % {"name": name})
    lines.append(date)
    return "\n".join(lines)
