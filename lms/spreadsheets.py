"""Spreadsheet (CSV/formula) injection safety for every export and import, in one place.

A cell that begins with = + - @ or a tab/carriage return can be run as a formula when a CSV
file is opened in Excel or WPS (e.g. ``+cmd|' /C calc'!A0`` or ``@SUM(...)``).
django-import-export's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading ``=``,
so exports pass their datasets through `neutralise_dataset`, which prefixes such cells with an
apostrophe (the spreadsheet convention for "text": Excel shows the value without it). Importers
pass every cell through `restore_cell`, so exporting and importing again gives back the same
values (a phone number +86 138… survives the round trip).

xlsx files need no prefix: their cells are typed, and openpyxl writes a string as text unless it
starts with "=", which the library setting already handles.
"""

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _needs_prefix(text: str) -> bool:
    # also a value that already looks neutralised ('=…), so that the round trip is exact
    while text.startswith("'"):
        text = text[1:]
        if not text:
            return False
    return text.startswith(FORMULA_TRIGGERS)


def neutralise_cell(value):
    if isinstance(value, str) and _needs_prefix(value):
        return "'" + value
    return value


def safe_text(value) -> str:
    """A value as the text of a cell that can never start a formula (None: empty)."""
    return neutralise_cell("" if value is None else str(value))


def restore_cell(value):
    """Undo `neutralise_cell` on a value read back from a file."""
    if isinstance(value, str) and value.startswith("'") and _needs_prefix(value[1:]):
        return value[1:]
    return value


def neutralise_dataset(dataset) -> None:
    """In place, on a tablib Dataset about to be written as CSV."""
    rows = [tuple(neutralise_cell(cell) for cell in row) for row in dataset]
    headers = dataset.headers
    dataset.wipe()
    dataset.headers = headers
    for row in rows:
        dataset.append(row)
