"""Roster files built in code for the import and export tests."""

import csv
import io

import openpyxl

HEADERS = ["姓名", "工号", "部门", "岗位", "入职日期", "邮箱", "手机"]
ENGLISH_HEADERS = [
    "Name",
    "Employee Number",
    "Department",
    "Position",
    "Hire Date",
    "Email",
    "Phone",
]


def person_row(n: int, **overrides) -> list:
    """A well-formed row for person n, in the order of HEADERS."""
    values = {
        "姓名": f"员工{n}",
        "工号": f"E{n:05d}",
        "部门": "总部/法务合规部" if n % 2 else "总部/销售部",
        "岗位": "专员" if n % 3 else "经理",
        "入职日期": "2023-03-01",
        "邮箱": f"staff{n}@example.cn",
        "手机": f"1380000{n:04d}",
    }
    values.update(overrides)
    return [values[h] for h in HEADERS]


def xlsx_bytes(rows: list[list], headers: list | None = HEADERS) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    if headers is not None:
        sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def csv_bytes(
    rows: list[list], headers: list | None = HEADERS, encoding: str = "utf-8-sig"
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    if headers is not None:
        writer.writerow(headers)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)
