"""The first sheet of a checked workbook, row by row, at constant memory whatever its length.

python-calamine builds the whole grid before giving the first row (a million rows of thirty
cells take gigabytes), and openpyxl's read-only mode is fifty times slower; this reads the
sheet's XML with expat, a chunk at a time, and hands out each row as soon as it is complete. The
shared-string table, which a sheet of unique names and codes makes as long as the sheet, is
spilled to a temporary file and read back by offset, so only its offsets stay in memory (four
bytes a string).

Values are what python-calamine gives: text as str, numbers as float, booleans as bool, cells
with a date format as date (or datetime when they carry a time), and "" for an empty cell.
Formula and error cells are read as their cached value; ``check_container`` has already found
them and the reader reports each as refused, whatever it holds. Only ever called on a file that
``check_container`` accepted: the sizes, the depth and the DTD are checked there.
"""

import datetime
import os
import re
import tempfile
import zipfile
from array import array
from posixpath import dirname, join, normpath
from xml.etree import ElementTree
from xml.parsers import expat

from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format
from openpyxl.utils.datetime import CALENDAR_MAC_1904, CALENDAR_WINDOWS_1900, from_excel

_CHUNK = 256 * 1024
_LETTERS = re.compile(r"[A-Z]+")


def _local(tag):
    # Namespace prefixes ("x:c") are allowed by the format and used by a few writers.
    return tag.rpartition(":")[2]


def _column_number(reference):
    letters = _LETTERS.match(reference)
    number = 0
    for letter in letters.group() if letters else "":
        number = number * 26 + ord(letter) - 64
    return number


class _SharedStrings:
    """The shared-string table on disk: the strings' UTF-8 bytes in a temporary file, their
    offsets in memory."""

    def __init__(self):
        self.file = tempfile.TemporaryFile()
        self.offsets = array("Q", [0])
        self.end = 0
        self.recent = {}

    def add(self, text):
        data = text.encode()
        self.file.write(data)
        self.end += len(data)
        self.offsets.append(self.end)

    def finish(self):
        self.file.flush()
        self.fd = self.file.fileno()

    def __getitem__(self, index):
        # The few strings a column repeats (年报, 是, 否) are read once.
        text = self.recent.get(index)
        if text is None:
            start = self.offsets[index]
            text = os.pread(self.fd, self.offsets[index + 1] - start, start).decode()
            if len(self.recent) < 4096:
                self.recent[index] = text
        return text

    def __len__(self):
        return len(self.offsets) - 1

    def close(self):
        self.file.close()


def _parse(start, end, characters):
    parser = expat.ParserCreate()
    parser.buffer_text = True
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = characters
    return parser


def _shared_strings(archive, path):
    strings = _SharedStrings()
    if path is None:
        strings.finish()
        return strings
    state = {"text": None, "phonetic": 0, "in_t": False}
    pieces = []

    def start(tag, attrs):
        tag = _local(tag)
        if tag == "si":
            pieces.clear()
        elif tag == "rPh":
            state["phonetic"] += 1  # a reading aid written over the text, not part of it
        elif tag == "t" and not state["phonetic"]:
            state["in_t"] = True

    def end(tag):
        tag = _local(tag)
        if tag == "si":
            strings.add("".join(pieces))
        elif tag == "rPh":
            state["phonetic"] -= 1
        elif tag == "t":
            state["in_t"] = False

    def characters(data):
        if state["in_t"]:
            pieces.append(data)

    parser = _parse(start, end, characters)
    with archive.open(path) as member:
        while chunk := member.read(_CHUNK):
            parser.Parse(chunk, False)
    parser.Parse(b"", True)
    strings.finish()
    return strings


def _date_styles(archive, path):
    """Indexes of the cell formats (``s``) that show a number as a date or a time."""
    if path is None:
        return frozenset()
    custom, formats, state = {}, [], {"xfs": False}

    def start(tag, attrs):
        tag = _local(tag)
        if tag == "numFmt":
            custom[int(attrs.get("numFmtId", "0"))] = attrs.get("formatCode", "")
        elif tag == "cellXfs":
            state["xfs"] = True
        elif tag == "xf" and state["xfs"]:
            formats.append(int(attrs.get("numFmtId", "0")))

    def end(tag):
        if _local(tag) == "cellXfs":
            state["xfs"] = False

    parser = _parse(start, end, None)
    with archive.open(path) as member:
        parser.Parse(member.read(), True)
    dates = set()
    for index, number in enumerate(formats):
        code = custom.get(number, BUILTIN_FORMATS.get(number, ""))
        if code and is_date_format(code):
            dates.add(index)
    return frozenset(dates)


def _parts(archive):
    """Paths of the first sheet, the shared strings and the styles, and whether dates count
    from 1904."""
    rels, relations = {}, {}

    def workbook_start(tag, attrs):
        tag = _local(tag)
        if tag == "sheet" and "first" not in rels:
            rels["first"] = next(
                (v for k, v in attrs.items() if _local(k) == "id"), None
            )
        elif tag == "workbookPr":
            rels["1904"] = attrs.get("date1904", "") in ("1", "true")

    def rels_start(tag, attrs):
        if _local(tag) == "Relationship":
            relations[attrs.get("Id")] = (attrs.get("Type", ""), attrs.get("Target", ""))

    for name, handler in (("xl/workbook.xml", workbook_start),
                          ("xl/_rels/workbook.xml.rels", rels_start)):
        parser = _parse(handler, None, None)
        parser.Parse(archive.read(name), True)

    def resolve(target):
        if target.startswith("/"):
            return target.lstrip("/")
        return normpath(join(dirname("xl/workbook.xml"), target))

    names = set(archive.namelist())
    found = {}
    for kind in ("sharedStrings", "styles"):
        for rel_type, target in relations.values():
            if rel_type.endswith("/" + kind) and resolve(target) in names:
                found[kind] = resolve(target)
    sheet = resolve(relations[rels["first"]][1])
    return sheet, found.get("sharedStrings"), found.get("styles"), rels.get("1904", False)


def iter_rows(upload):
    """(row number, cells) of each row the first sheet writes, in order; ``cells`` holds the
    values from column A to the last written one, "" where a cell is missing or empty.

    Raises KeyError, ValueError, expat.ExpatError or zipfile errors for a damaged file.
    """
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        sheet_path, strings_path, styles_path, mac = _parts(archive)
        calendar = CALENDAR_MAC_1904 if mac else CALENDAR_WINDOWS_1900
        dates = _date_styles(archive, styles_path)
        strings = _shared_strings(archive, strings_path)
        try:
            yield from _sheet_rows(archive, sheet_path, strings, dates, calendar)
        finally:
            strings.close()


def _converted(raw, kind, style, strings, dates, calendar):
    """A cell's value from the text of its ``<v>`` (or inline string) and its type."""
    if kind == "s":
        return strings[int(raw)]
    if kind in ("inlineStr", "str", "e"):
        return raw
    if kind == "b":
        return raw.strip() in ("1", "true")
    if kind == "d":
        return datetime.datetime.fromisoformat(raw.strip())
    number = float(raw)
    if style in dates:
        moment = from_excel(number, calendar)
        if isinstance(moment, datetime.datetime) and moment.time() == datetime.time():
            return moment.date()  # naive: a cell holds no time zone
        return moment
    return number


def _sheet_rows(archive, path, strings, dates, calendar):
    """The rows of the sheet part: the C pull parser builds each row's elements, which are
    read and dropped as soon as the row ends (a Python call per row and per cell, not per
    XML event)."""
    parser = ElementTree.XMLPullParser(events=("start", "end"))
    names = None
    sheet_data = None
    row_number = 0
    with archive.open(path) as member:
        while True:
            chunk = member.read(_CHUNK)
            if chunk:
                parser.feed(chunk)
            else:
                parser.close()
            for event, element in parser.read_events():
                tag = element.tag
                if event == "start":
                    if sheet_data is None and tag.endswith("sheetData"):
                        sheet_data = element
                        namespace = tag[: -len("sheetData")]
                        names = tuple(namespace + name for name in ("row", "c", "v", "is", "t"))
                    continue
                if names is None or tag != names[0]:
                    continue
                reference = element.get("r")
                row_number = int(reference) if reference else row_number + 1
                yield row_number, _row_cells(element, names, strings, dates, calendar)
                sheet_data.remove(element)
            if not chunk:
                return


def _row_cells(row, names, strings, dates, calendar):
    _row, cell_tag, value_tag, inline_tag, text_tag = names
    cells = []
    column = 0
    for cell in row:
        if cell.tag != cell_tag:
            continue
        reference = cell.get("r")
        column = _column_number(reference) if reference else column + 1
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(inline_tag)
            raw = (
                "".join(t.text or "" for t in inline.iter(text_tag)) if inline is not None
                else None
            )
        else:
            raw = cell.findtext(value_tag)
        value = ""
        if raw is not None and (raw or kind in ("inlineStr", "str")):
            value = _converted(raw, kind, int(cell.get("s", -1)), strings, dates, calendar)
        if len(cells) < column - 1:
            cells.extend([""] * (column - 1 - len(cells)))
        if len(cells) == column - 1:
            cells.append(value)
        else:
            cells[column - 1] = value
    return cells
