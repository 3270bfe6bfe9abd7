"""Reading ids and numbers from a request's parameters, written once.

`str.isdigit()` is true of "²" and "١", which `int()` and the database refuse; a view that
trusts it answers such a parameter with a 500. These read ASCII digits only.
"""

from django.db.models import QuerySet
from django.http import Http404

# The largest id a database keeps (a signed 64-bit integer): a number beyond it names nothing,
# and SQLite cannot even be asked about it (OverflowError).
MAX_ID = 2**63 - 1


def whole_number(value) -> int | None:
    """The non-negative whole number `value` spells in ASCII digits, at most MAX_ID, else
    None."""
    value = str(value or "")
    if not (value.isascii() and value.isdigit()) or len(value) > len(str(MAX_ID)):
        return None
    number = int(value)
    return number if number <= MAX_ID else None


def chosen_or_first(queryset: QuerySet, value):
    """The object a parameter chose among `queryset` (404 if it names none of them), or the
    first when nothing was chosen."""
    if not value:
        return queryset.first()
    pk = whole_number(value)
    chosen = queryset.filter(pk=pk).first() if pk is not None else None
    if chosen is None:
        raise Http404
    return chosen
