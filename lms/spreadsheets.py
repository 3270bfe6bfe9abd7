"""Spreadsheets in one place: formula-injection safety for every export and import, and the
one hardened reader every import uses (`read_rows`).

A cell that begins with = + - @ or a tab/carriage return can be run as a formula when a CSV
file is opened in Excel or WPS (e.g. ``+cmd|' /C calc'!A0`` or ``@SUM(...)``).
django-import-export's IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT only strips a leading ``=``,
so exports pass their datasets through `neutralise_dataset`, which prefixes such cells with an
apostrophe (the spreadsheet convention for "text": Excel shows the value without it). Importers
pass every cell through `restore_cell`, so exporting and importing again gives back the same
values (a phone number +86 138… survives the round trip).

xlsx files need no prefix: their cells are typed. `xlsx_bytes` writes every text as a text
cell, a leading "=" included (never a formula, and the text survives: django-import-export's
setting strips that "=", so a question "=A1 是什么" would not import back).

Reading (`read_rows`): an xlsx is a zip of XML parts, so a few kilobytes can claim a gigabyte
cell or row 1,999,999,999, and openpyxl would unpack the one and fill every missing row up to
the other. Before openpyxl parses anything the reader opens the zip and refuses a part that
unpacks beyond `MAX_PART_BYTES` (zipfile never unpacks past a part's declared size) or parts
beyond `MAX_UNPACKED_BYTES` together; it finds the sheet's last row number itself and refuses
one beyond the caller's `max_row`, then reads only up to that row and `MAX_COLUMNS` columns
whatever the sheet's `<dimension>` claims. Each refusal is a `SpreadsheetError` with a message
for the user, naming the row when it is about one.
"""

import csv
import io
import re
import zipfile
from collections.abc import Iterator

from django.utils.translation import gettext as _

from lms.refusals import Refused

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


def xlsx_bytes(headers: list[str], rows: list[list]) -> bytes:
    """An xlsx of one sheet in which every text is a text cell: "=…" is kept and never run."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for values in [headers, *rows]:
        sheet.append([None if v is None else v for v in values])
    for row in sheet.iter_rows():
        for cell in row:
            if cell.data_type == "f":  # openpyxl took a text starting with "=" for a formula
                cell.data_type = "s"
    sheet.freeze_panes = "A2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading --------------------------------------------------------------------------------
MAX_PART_BYTES = 32 * 1024 * 1024  # one part of an xlsx (a sheet, the shared strings), unpacked
MAX_UNPACKED_BYTES = 64 * 1024 * 1024  # all its parts together
MAX_PARTS = 1000
MAX_ROW = 100_000  # the last row number an import reads, unless the caller says otherwise
MAX_COLUMNS = 256
MAX_CELL_CHARACTERS = 32_767  # Excel's own limit for one cell
_MB = 1024 * 1024


class SpreadsheetError(Refused):
    """The file cannot be read; the message says why, for the user. `row` is the spreadsheet
    row it is about (1 = the first row of the sheet), or 0 for the file as a whole."""

    def __init__(self, message: str, row: int = 0):
        super().__init__(message)
        self.row = row


def read_rows(data: bytes, *, max_row: int = MAX_ROW) -> Iterator[tuple[int, list]]:
    """(row number as the user sees it, cell values) for every non-blank row of the first sheet
    of an xlsx workbook, or of a CSV file (UTF-8 with or without BOM, UTF-16 with BOM, or GBK;
    comma, tab or semicolon). Trailing empty cells are dropped. Raises `SpreadsheetError`."""
    if not data or not data.strip():
        raise SpreadsheetError(_("The file is empty."))
    if data.startswith(b"PK\x03\x04"):
        rows = _xlsx_rows(data, max_row=max_row)
    elif data.startswith(b"\xd0\xcf\x11\xe0"):
        raise SpreadsheetError(
            _(
                "Old Excel files (.xls) cannot be read: save the sheet as .xlsx or CSV and try again."
            )
        )
    elif b"\x00" in data[:4096] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SpreadsheetError(_("This is not a spreadsheet: upload an .xlsx or .csv file."))
    else:
        rows = _csv_rows(_decode(data), max_row=max_row)
    for number, values in rows:
        values = list(values)
        while values and (values[-1] is None or values[-1] == ""):
            values.pop()
        if not values:
            continue
        for index, value in enumerate(values):
            if isinstance(value, str) and len(value) > MAX_CELL_CHARACTERS:
                raise SpreadsheetError(
                    _(
                        "Row %(row)d, column %(column)s: the cell holds more than %(max)d "
                        "characters, the most a spreadsheet cell can hold."
                    )
                    % {"row": number, "column": _column_letter(index), "max": MAX_CELL_CHARACTERS},
                    row=number,
                )
        yield number, values


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _beyond_last_row(row: int, max_row: int) -> SpreadsheetError:
    return SpreadsheetError(
        _(
            "Row %(row)d is beyond the last row an import reads (row %(max)d): remove the "
            "empty rows above it or split the file."
        )
        % {"row": row, "max": max_row},
        row=row,
    )


# xlsx ---------------------------------------------------------------------------------------
def _damaged() -> SpreadsheetError:
    return SpreadsheetError(
        _("The workbook cannot be read (is it damaged or password-protected?).")
    )


def _checked_archive(data: bytes) -> zipfile.ZipFile:
    """The workbook's zip, once every part's unpacked size is known to be within the caps."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError) as exc:
        raise _damaged() from exc
    if "xl/workbook.xml" not in {part.filename for part in parts}:
        raise SpreadsheetError(_("This is not a spreadsheet: upload an .xlsx or .csv file."))
    if len(parts) > MAX_PARTS:
        raise _damaged()
    for part in parts:
        if part.file_size > MAX_PART_BYTES:
            raise SpreadsheetError(
                _(
                    "The workbook cannot be read safely: its part %(part)s unpacks to "
                    "%(size)s MB, more than %(max)d MB. Save the sheet again as a plain .xlsx "
                    "or CSV file, or split it."
                )
                % {
                    "part": part.filename,
                    "size": f"{part.file_size / _MB:,.0f}",
                    "max": MAX_PART_BYTES // _MB,
                }
            )
    if sum(part.file_size for part in parts) > MAX_UNPACKED_BYTES:
        raise SpreadsheetError(
            _(
                "The workbook cannot be read safely: it unpacks to more than %(max)d MB. "
                "Save the sheet again as a plain .xlsx or CSV file, or split it."
            )
            % {"max": MAX_UNPACKED_BYTES // _MB}
        )
    return archive


_ROW_TAG = re.compile(rb"<(?:[A-Za-z_][\w.\-]*:)?row\b([^>]*)>")
_ROW_NUMBER = re.compile(rb"""\sr\s*=\s*["']\s*(\d+)\s*["']""")


def last_row_number(sheet_xml: bytes) -> int:
    """The largest row number a sheet's XML gives a row, counted as openpyxl counts them (a
    row without r="…" follows the previous one); 0 for a sheet with no rows."""
    last = counter = 0
    for tag in _ROW_TAG.finditer(sheet_xml):
        number = _ROW_NUMBER.search(tag.group(1))
        if number is None:
            counter += 1
        else:
            digits = number.group(1).lstrip(b"0") or b"0"
            counter = int(digits) if len(digits) <= 15 else 10**15
        last = max(last, counter)
    return last


def _xlsx_rows(data: bytes, *, max_row: int) -> Iterator[tuple[int, list]]:
    import openpyxl

    archive = _checked_archive(data)
    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl, zipfile and the XML parser raise many kinds
        raise _damaged() from exc
    try:
        if not book.worksheets:
            raise SpreadsheetError(_("The workbook has no sheets."))
        sheet = book.worksheets[0]
        try:
            last_row = last_row_number(archive.read(sheet._worksheet_path))
        except (KeyError, zipfile.BadZipFile, ValueError, EOFError) as exc:
            raise _damaged() from exc
        if last_row > max_row:
            raise _beyond_last_row(last_row, max_row)
        if last_row == 0:
            return
        # Whatever <dimension> claims: never past the last real row, nor MAX_COLUMNS wide.
        columns = min(sheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
        rows = sheet.iter_rows(max_row=last_row, max_col=columns, values_only=True)
        try:
            yield from enumerate(rows, start=1)
        except SpreadsheetError:
            raise
        except Exception as exc:  # a damaged sheet shows only while it is read
            raise _damaged() from exc
    finally:
        book.close()


# CSV ----------------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            pass
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise SpreadsheetError(
        _("The file's text is neither UTF-8 nor GBK: save it as an .xlsx or a UTF-8 CSV file.")
    )


def _csv_rows(text: str, *, max_row: int) -> Iterator[tuple[int, list]]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",\t;，", key=first_line.count)
    if delimiter == "，" or not first_line.count(delimiter):
        delimiter = ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        # csv counts physical lines, so a quoted cell spanning lines keeps numbers honest.
        for values in reader:
            if reader.line_num > max_row:
                if any(values):
                    raise _beyond_last_row(reader.line_num, max_row)
                continue
            yield reader.line_num, values
    except csv.Error as exc:
        raise SpreadsheetError(
            _("Row %(row)d of the CSV file is malformed (%(error)s).")
            % {"row": reader.line_num, "error": exc},
            row=reader.line_num,
        ) from exc
