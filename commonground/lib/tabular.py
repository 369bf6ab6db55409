"""Reading and writing tables (CSV, XLSX, HXL-tagged CSV) for imports and exports.

Framework-free but for translated messages. Readers return plain rows of strings with their
1-based row numbers as the user sees them in a spreadsheet, so errors can name row and column.
"""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

# Messages reach users, so they are translated; nothing else here depends on Django.
from django.utils.translation import gettext as _


@dataclass
class RowError:
    row: int | str | None
    column: str | None
    message: str

    def __str__(self) -> str:
        where = []
        if self.row is not None:
            where.append(_("row %(row)s") % {"row": self.row})
        if self.column:
            where.append(_("column '%(column)s'") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass
class TableImportError(Exception):
    errors: list[RowError] = field(default_factory=list)

    def __str__(self) -> str:
        return "\n".join(str(e) for e in self.errors)


@dataclass
class Table:
    """Header names (or hashtags) by column and the data rows after them."""

    headers: list[str]
    hashtags: list[str] | None
    rows: list[tuple[int, list[str]]]


def _is_hashtag_row(cells: Sequence[str]) -> bool:
    filled = [c.strip() for c in cells if c and c.strip()]
    return bool(filled) and all(c.startswith("#") for c in filled)


def _clean(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _read_csv_rows(data: bytes) -> Iterator[list[str]]:
    try:
        text = codecs.decode(data, "utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise TableImportError(
            [
                RowError(
                    line,
                    None,
                    _(
                        "the file is not UTF-8 text (byte %(byte)s cannot be read); save it as "
                        "'CSV UTF-8' and try again"
                    )
                    % {"byte": error.start + 1},
                )
            ]
        ) from None
    if "\x00" in text:
        raise TableImportError([RowError(None, None, _("the file is not a CSV text file"))])
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    yield from csv.reader(io.StringIO(text, newline=""), dialect)


def _read_xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise TableImportError(
            [
                RowError(
                    None,
                    None,
                    _("the file is not a readable XLSX workbook (%(error)s)") % {"error": error},
                )
            ]
        ) from None
    sheet = workbook.worksheets[0]
    for values in sheet.iter_rows(values_only=True):
        yield [_clean(v) for v in values]
    workbook.close()


def detect_format(name: str, head: bytes) -> str:
    suffix = Path(name).suffix.lower()
    if head.startswith(b"PK\x03\x04") or suffix in {".xlsx", ".xlsm"}:
        return "xlsx"
    if suffix in {".csv", ".txt", ".tsv", ""}:
        return "csv"
    raise TableImportError(
        [
            RowError(
                None,
                None,
                _("'%(suffix)s' files are not supported; use CSV or XLSX") % {"suffix": suffix},
            )
        ]
    )


def read_table(data: bytes, name: str, max_bytes: int) -> Table:
    """Parse CSV or XLSX bytes, finding the header row and an optional HXL hashtag row."""
    if len(data) > max_bytes:
        raise TableImportError([RowError(None, None, size_message(len(data), max_bytes))])
    if not data.strip():
        raise TableImportError([RowError(None, None, _("the file is empty"))])
    fmt = detect_format(name, data[:8])
    reader = _read_xlsx_rows(data) if fmt == "xlsx" else _read_csv_rows(data)
    numbered = ((i, [_clean(c) for c in row]) for i, row in enumerate(reader, start=1))
    headers: list[str] | None = None
    hashtags: list[str] | None = None
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, cells in numbered:
            if not any(cells):
                continue
            if headers is None:
                headers = cells
                if _is_hashtag_row(cells):
                    hashtags = cells
                continue
            if hashtags is None and not rows and _is_hashtag_row(cells):
                hashtags = cells
                continue
            rows.append((number, cells))
    except csv.Error as error:
        raise TableImportError(
            [RowError(None, None, _("the CSV cannot be read: %(error)s") % {"error": error})]
        ) from None
    if headers is None:
        raise TableImportError([RowError(None, None, _("the file is empty"))])
    if not rows:
        raise TableImportError([RowError(None, None, _("the file has a header but no data rows"))])
    return Table(headers=headers, hashtags=hashtags, rows=rows)


def size_message(size: int, max_bytes: int) -> str:
    return _(
        "the file is %(size).1f MB; the limit is %(limit).0f MB. Split it into smaller files."
    ) % {"size": size / 1_048_576, "limit": max_bytes / 1_048_576}


def read_upload(fileobj: IO[bytes], max_bytes: int) -> bytes:
    """Read at most max_bytes + 1 so an oversized upload is refused without loading it all."""
    data = fileobj.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise TableImportError([RowError(None, None, size_message(len(data), max_bytes))])
    return data


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Sequence[Any]]) -> Iterator[str]:
    """Rows as CSV text lines, for streaming responses and files alike."""
    writer = csv.writer(_Echo())
    for row in rows:
        yield writer.writerow(["" if v is None else v for v in row])


def write_xlsx(path: Path | IO[bytes], rows: Iterable[Sequence[Any]], title: str) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    for row in rows:
        sheet.append(["" if v is None else v for v in row])
    workbook.save(path)
