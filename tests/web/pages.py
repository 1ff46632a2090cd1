"""Reading the figures and links of a rendered page back, by the data-row and data-key
attributes the templates put on every row and cell of a table."""

from __future__ import annotations

import html as htmllib
import re
from decimal import Decimal

_ROW = re.compile(r'<tr[^>]*\bdata-row="([^"]*)"[^>]*>(.*?)</tr>', re.S)
# A figure: a cell, or a span inside a cell (a rate and the counts it is made of).
_CELL = re.compile(r'<(td|span)\b[^>]*\bdata-key="([^"]*)"[^>]*>(.*?)</\1>', re.S)
_HREF = re.compile(r'<a class="drill" href="([^"]*)"')
_TAG = re.compile(r"<[^>]+>")


def table(page: str, table_id: str) -> str:
    """The HTML of table `table_id` of a page."""
    marker = f'id="{table_id}"'
    assert marker in page, f"no table {table_id}"
    return page.split(marker, 1)[1].split("</table>", 1)[0]


def text(cell: str) -> str:
    return " ".join(htmllib.unescape(_TAG.sub("", cell)).split())


def cells(page: str, table_id: str) -> dict[str, dict[str, str]]:
    """{row key: {cell key: text}} of a table."""
    return {
        htmllib.unescape(key): {k: text(v) for _tag, k, v in _CELL.findall(body)}
        for key, body in _ROW.findall(table(page, table_id))
    }


def figures(page: str, table_id: str) -> dict[str, str]:
    """{cell key: text} of a table whose cells have keys of their own (one figure a row)."""
    return {k: text(v) for _tag, k, v in _CELL.findall(table(page, table_id))}


def links(page: str, table_id: str) -> dict[str, dict[str, str]]:
    """{row key: {cell key: drill-down URL}} of the cells of a table that are links."""
    out: dict[str, dict[str, str]] = {}
    for key, body in _ROW.findall(table(page, table_id)):
        row = out.setdefault(htmllib.unescape(key), {})
        for _tag, cell_key, cell in _CELL.findall(body):
            href = _HREF.search(cell)
            if href:
                row[cell_key] = htmllib.unescape(href.group(1))
    return out


def figure_links(page: str, table_id: str) -> dict[str, str]:
    """{cell key: drill-down URL} of a table whose cells have keys of their own."""
    out = {}
    for _tag, key, cell in _CELL.findall(table(page, table_id)):
        href = _HREF.search(cell)
        if href:
            out[key] = htmllib.unescape(href.group(1))
    return out


def number(value: str) -> int | Decimal | None:
    """ "1.234" → 1234, "84,17 %" → Decimal("84.17"), "—" → None: figures read back the way
    the page prints them in Vietnamese."""
    value = value.replace("%", "").strip()
    if value == "—":
        return None
    if "," in value:
        return Decimal(value.replace(".", "").replace(",", "."))
    return int(value.replace(".", ""))


def numbers(row: dict[str, str]) -> dict:
    return {key: number(value) for key, value in row.items()}


def listed_total(page: str) -> int:
    """How many dossiers a drill-down list page says it holds."""
    return number(page.split("data-total>", 1)[1].split("<", 1)[0])
