"""Values as people read them: 是/否 rather than True/False, a dash rather than None, a choice's
label rather than its code, a number as written on paper ("10", "7.5"; never "1E+1"). Pure: no
database, used by the admin's lists and inspect views and by messages that quote a number."""

from decimal import Decimal

from django.utils.translation import pgettext

EMPTY = "—"


def number(value) -> str:
    """A Decimal, float or int as a person writes it: no exponent, no trailing zeros."""
    if value is None:
        return EMPTY
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, float):
        value = Decimal(repr(value))
    if isinstance(value, Decimal):
        if not value.is_finite():
            return str(value)
        text = format(value, "f")
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        return "0" if text in ("-0", "") else text
    return str(value)


def yes_no(value) -> str:
    if value is None:
        return EMPTY
    return pgettext("boolean value", "Yes") if value else pgettext("boolean value", "No")


def choice_labels(values, choices) -> str:
    """A list of choice codes as their labels, joined the Chinese way."""
    labels = dict(choices or ())
    return "、".join(str(labels.get(v, v)) for v in values) or EMPTY


def for_people(value, field=None):
    """A field's value for a list cell or an inspect view: bool, None, numbers and lists of
    choices in words; anything else (strings, model instances, components) as it is."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return yes_no(value)
    if isinstance(value, (Decimal, float)):
        return number(value)
    if isinstance(value, (list, tuple)):
        base = getattr(field, "base_field", None)
        return choice_labels(value, getattr(base, "choices", None))
    return value
