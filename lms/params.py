"""Reading ids and numbers from a request's parameters, written once.

`str.isdigit()` is true of "²" and "١", which `int()` and the database refuse; a view that
trusts it answers such a parameter with a 500. These read ASCII digits only.
"""

from django.db.models import QuerySet
from django.http import Http404


def whole_number(value) -> int | None:
    """The non-negative whole number `value` spells in ASCII digits, else None."""
    value = str(value or "")
    return int(value) if value.isascii() and value.isdigit() else None


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
