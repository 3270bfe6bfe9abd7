"""Hostile xlsx files built in code: a workbook is a zip of XML parts, so a few kilobytes can
claim row 1,999,999,999 and one megabyte can unpack to a gigabyte."""

import functools
import io
import re
import struct
import zipfile
import zlib

import openpyxl

SHEET = "xl/worksheets/sheet1.xml"
_HEAD = (
    b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def workbook_parts(rows: list[list]) -> dict[str, bytes]:
    """The parts of an ordinary workbook (openpyxl's) holding these rows on its first sheet."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    with zipfile.ZipFile(out) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def zipped(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, data in parts.items():
            archive.writestr(name, data)
    return out.getvalue()


def claiming_row(
    rows: list[list], *, row: int = 1_999_999_999, dimension: bool = True, cell: bool = True
) -> bytes:
    """A small workbook whose <dimension> claims row `row` (and column XFD) and, with `cell`,
    whose last row is numbered `row`."""
    parts = workbook_parts(rows)
    sheet = parts[SHEET]
    if dimension:
        sheet = re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD%d"/>' % row, sheet)
    if cell:
        far = b'<row r="%d"><c r="A%d" t="inlineStr"><is><t>x</t></is></c></row>' % (row, row)
        sheet = sheet.replace(b"</sheetData>", far + b"</sheetData>")
    parts[SHEET] = sheet
    return zipped(parts)


def with_long_cell(rows: list[list], *, characters: int, row: int, column: str = "B") -> bytes:
    """A workbook whose sheet gets, as its last row, one cell of `characters` characters."""
    parts = workbook_parts(rows)
    cell = b'<row r="%d"><c r="%s%d" t="inlineStr"><is><t>%s</t></is></c></row>' % (
        row,
        column.encode(),
        row,
        b"A" * characters,
    )
    parts[SHEET] = parts[SHEET].replace(b"</sheetData>", cell + b"</sheetData>")
    return zipped(parts)


@functools.cache
def with_gigabyte_cell(size: int = 1 << 30) -> bytes:
    """About 1 MB: a workbook whose first sheet's only cell holds `size` letters A.

    The deflate stream is assembled from one compressed megabyte repeated (a full flush makes
    each block independent), so building it never holds the gigabyte; the zip headers are
    written by hand for the same reason. Its CRC is the real one."""
    parts = workbook_parts([["x"]])
    del parts[SHEET]
    chunk = b"A" * (1 << 20)
    assert size % len(chunk) == 0
    head = _HEAD + b'<sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>'
    tail = b"</t></is></c></row></sheetData></worksheet>"
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    start = compressor.compress(head) + compressor.flush(zlib.Z_FULL_FLUSH)
    block = compressor.compress(chunk) + compressor.flush(zlib.Z_FULL_FLUSH)
    end = compressor.compress(tail) + compressor.flush(zlib.Z_FINISH)
    repeats = size // len(chunk)
    crc = zlib.crc32(head)
    for _ in range(repeats):
        crc = zlib.crc32(chunk, crc)
    crc = zlib.crc32(tail, crc)
    members = [(name, _deflate(data), zlib.crc32(data), len(data)) for name, data in parts.items()]
    members.append((SHEET, start + block * repeats + end, crc, len(head) + size + len(tail)))
    return _zip(members)


def _deflate(data: bytes) -> bytes:
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    return compressor.compress(data) + compressor.flush()


def _zip(members: list[tuple[str, bytes, int, int]]) -> bytes:
    """A zip of already deflated members (name, deflated, crc, unpacked size), under 4 GiB."""
    out = io.BytesIO()
    directory = []
    for name, deflated, crc, size in members:
        encoded = name.encode()
        offset = out.tell()
        out.write(
            struct.pack(
                "<IHHHHHIIIHH",
                0x04034B50,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(deflated),
                size,
                len(encoded),
                0,
            )
        )
        out.write(encoded + deflated)
        directory.append(
            struct.pack(
                "<IHHHHHHIIIHHHHHII",
                0x02014B50,
                20,
                20,
                0,
                8,
                0,
                0x21,
                crc,
                len(deflated),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                offset,
            )
            + encoded
        )
    start = out.tell()
    out.write(b"".join(directory))
    out.write(
        struct.pack(
            "<IHHHHIIH",
            0x06054B50,
            0,
            0,
            len(directory),
            len(directory),
            out.tell() - start,
            start,
            0,
        )
    )
    return out.getvalue()
