"""The shared Excel plumbing (gansu_sme/excel/): parsers, reading, templates, annotated copies
and streamed exports."""

import datetime
import io
from decimal import Decimal

import openpyxl
import pytest
from openpyxl import load_workbook

from gansu_sme.excel import container, reader, writer
from gansu_sme.excel.columns import (
    BOOL_CHOICES,
    CellInvalid,
    Column,
    parse_bool,
    parse_code,
    parse_date,
    parse_decimal,
    parse_int,
    parse_text,
)
from gansu_sme.excel.container import UploadRejected
from gansu_sme.excel.reader import read_sheet
from gansu_sme.excel.writer import escape_cell, write_annotated, write_rows, write_template
from tests.factories.workbooks import upload, xlsx_bytes

COLUMNS = (
    Column("code", "代码", parse=parse_code, required=True),
    Column("amount", "金额（万元）", parse=parse_decimal),
    Column("count", "人数（人）", parse=parse_int),
    Column("day", "日期", parse=parse_date),
    Column("kind", "类型", choices=(("year", "年报"), ("month", "月报"))),
    Column("flag", "是否（是/否）", choices=BOOL_CHOICES),
)
HEADERS = [c.header for c in COLUMNS]


def read(rows, formulas=()):
    return read_sheet(upload(xlsx_bytes(HEADERS, rows, formulas=formulas)), COLUMNS)


def test_openpyxl_parses_xml_through_defusedxml():
    assert openpyxl.DEFUSEDXML is True


# --- parsers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), [
    (1234.56, Decimal("1234.56")),
    (0.1 + 0.2, Decimal("0.3")),  # what Excel shows for the double it stores
    (5, Decimal(5)),
    ("1,234.50", Decimal("1234.50")),
    ("", None),
    (-12.5, Decimal("-12.5")),
])
def test_decimals_read_as_excel_shows_them(raw, expected):
    assert parse_decimal(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "NaN", "inf", True])
def test_text_or_booleans_are_not_numbers(raw):
    with pytest.raises(CellInvalid):
        parse_decimal(raw)


def test_whole_numbers_refuse_fractions():
    assert parse_int(320.0) == 320
    with pytest.raises(CellInvalid, match="not_a_whole_number"):
        parse_int(3.5)


@pytest.mark.parametrize("raw", [
    datetime.date(2015, 3, 1), datetime.datetime(2015, 3, 1, 8), "2015-03-01", "2015/3/1",
    "2015.03.01",
])
def test_dates_from_cells_or_text(raw):
    assert parse_date(raw) == datetime.date(2015, 3, 1)


@pytest.mark.parametrize("raw", ["2015-13-01", "yesterday", 42000])
def test_impossible_dates_are_refused(raw):
    with pytest.raises(CellInvalid, match="not_a_date"):
        parse_date(raw)


def test_codes_lose_spaces_and_take_upper_case():
    assert parse_code(" 91620105ma71t4yw8q\u3000") == "91620105MA71T4YW8Q"


def test_text_of_a_number_is_written_as_excel_shows_it():
    assert parse_text(9318888888.0) == "9318888888"
    assert parse_text("  李娜 ") == "李娜"


def test_the_export_escape_is_removed_on_reading():
    assert parse_text("'=SUM(A1)") == "=SUM(A1)"
    assert parse_text("'ordinary") == "'ordinary"


def test_yes_and_no():
    assert parse_bool("是") is True
    assert parse_bool("否") is False
    assert parse_bool(True) is True
    with pytest.raises(CellInvalid):
        parse_bool("也许")


def test_closed_values_accept_the_label_or_the_stored_value_and_nothing_else():
    kind = COLUMNS[4]
    assert kind.read("年报") == "year"
    assert kind.read("month") == "month"
    assert kind.read("") is None
    with pytest.raises(CellInvalid, match="not_in_list"):
        kind.read("半年报")


# --- reading ----------------------------------------------------------------------------------


def test_every_cell_is_parsed_and_every_error_is_listed_with_its_row_and_column():
    sheet = read([
        ["91620105MA71T4YW8Q", 12.5, 3, "2020-01-02", "年报", "是"],
        ["", "many", 2.5, "never", "季报", "也许"],
        [None] * 6,  # blank rows are skipped, and do not shift the row numbers
        ["91620105MA71T4YW8Q", None, None, None, None, None],
    ])

    assert sheet.rows[2] == {
        "code": "91620105MA71T4YW8Q", "amount": Decimal("12.5"), "count": 3,
        "day": datetime.date(2020, 1, 2), "kind": "year", "flag": True,
    }
    assert sorted((e.row, e.column) for e in sheet.errors) == [
        (3, "A"), (3, "B"), (3, "C"), (3, "D"), (3, "E"), (3, "F"),
    ]
    assert 4 not in sheet.rows
    assert sheet.rows[5]["amount"] is None
    error = next(e for e in sheet.errors if e.column == "B")
    assert (error.header, error.value) == ("金额（万元）", "many")


def test_a_formula_is_an_error_in_its_cell_and_never_evaluated():
    sheet = read(
        [["91620105MA71T4YW8Q", 1, 1, None, None, None]],
        formulas=[("B2", "=1+1"), ("C3", "=SUM(B2:B2)")],
    )

    by_cell = {(e.row, e.column): e.code for e in sheet.errors}
    assert by_cell[(2, "B")] == container.FORMULA
    assert by_cell[(3, "C")] == container.FORMULA
    assert "amount" not in sheet.rows[2]


def test_an_error_value_is_an_error_in_its_cell():
    content = xlsx_bytes(HEADERS, [["91620105MA71T4YW8Q", "#DIV/0!", None, None, None, None]])
    book = load_workbook(io.BytesIO(content))
    book.active["B2"].data_type = "e"
    buffer = io.BytesIO()
    book.save(buffer)

    sheet = read_sheet(upload(buffer.getvalue()), COLUMNS)

    assert [(e.row, e.column, e.code) for e in sheet.errors] == [
        (2, "B", container.ERROR_VALUE)
    ]


def test_extra_columns_to_the_right_of_the_template_are_ignored():
    content = xlsx_bytes([*HEADERS, "备注"], [["91620105MA71T4YW8Q", 1, 1, None, None, None, "x"]])

    sheet = read_sheet(upload(content), COLUMNS)

    assert sheet.errors == []
    assert len(sheet.raw[2]) == len(COLUMNS)


@pytest.mark.parametrize("headers", [
    HEADERS[::-1], HEADERS[:-1], ["统一社会信用代码", *HEADERS[1:]], [],
])
def test_a_header_that_is_not_the_template_refuses_the_whole_file(headers):
    with pytest.raises(UploadRejected, match="header_mismatch"):
        read_sheet(upload(xlsx_bytes(headers, [["x"] * 6])), COLUMNS)


def test_rows_are_counted_from_the_sheet_without_reading_them():
    assert reader.count_rows(upload(xlsx_bytes(HEADERS, [["a"] * 6, ["b"] * 6])), COLUMNS) == 2


def test_the_count_checks_the_header_too():
    with pytest.raises(UploadRejected, match="header_mismatch"):
        reader.count_rows(upload(xlsx_bytes(HEADERS[1:], [["a"] * 6])), COLUMNS)


# --- writing ----------------------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "=HYPERLINK(\"http://evil.example\",\"点我\")", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx",
])
def test_text_starting_like_a_formula_is_escaped(text):
    assert escape_cell(text) == "'" + text


def test_plain_values_are_not_escaped():
    assert escape_cell("兰州") == "兰州"
    assert escape_cell(-5) == -5
    assert escape_cell("a\x00b") == "ab"  # control characters XML cannot carry


def test_an_export_writes_formula_text_as_text_and_timestamps_in_beijing_time():
    columns = (Column("name", "企业名称"), Column("amount", "金额（万元）"),
               Column("flag", "上云（是/否）"), Column("at", "更新时间"))
    # 16:30 UTC on New Year's Day is 00:30 on 2 January in Beijing.
    at = datetime.datetime(2026, 1, 1, 16, 30, tzinfo=datetime.UTC)
    rows = [{"name": '=HYPERLINK("http://evil.example","x")', "amount": Decimal("1.50"),
             "flag": True, "at": at}]

    target, count = write_rows(columns, iter(rows))

    sheet = load_workbook(target).active
    assert count == 1
    assert [c.value for c in sheet[1]] == [c.header for c in columns]
    name = sheet["A2"]
    assert name.data_type == "s"
    assert name.value == '\'=HYPERLINK("http://evil.example","x")'
    assert sheet["B2"].value == 1.5
    assert sheet["C2"].value == "是"
    assert sheet["D2"].value == datetime.datetime(2026, 1, 2, 0, 30)


def test_a_template_has_drop_downs_a_notes_sheet_and_hidden_lists():
    columns = (*COLUMNS, Column("region", "地区", list_name="地区代码"))

    book = load_workbook(write_template(
        columns, title="测试", notes=["第一条说明"], lists={"地区代码": ["620102 城关区"]}
    ))

    data, notes, regions = book.worksheets
    assert data.title == "测试"
    assert [c.value for c in data[1]] == [c.header for c in columns]
    validations = {v.formula1: str(v.sqref) for v in data.data_validations.dataValidation}
    assert validations['"年报,月报"'].startswith("E2:E")
    assert validations['"是,否"'].startswith("F2:F")
    assert validations["'地区代码'!$A$1:$A$1"].startswith("G2:G")
    assert notes.title == writer.NOTES_SHEET
    assert "第一条说明" in [row[1].value for row in notes.iter_rows()]
    assert regions.sheet_state == "hidden"
    assert regions["A1"].value == "620102 城关区"


def test_an_annotated_copy_keeps_row_numbers_marks_bad_cells_and_explains_them():
    sheet = read([
        ["91620105MA71T4YW8Q", 1, 1, None, None, None],
        [None] * 6,
        ["", "many", 1, None, None, None],
    ])
    errors = [e.as_dict() for e in sheet.errors]
    errors.append({"row": 2, "column": "", "header": "", "value": None, "message": "整行有误"})

    annotated = load_workbook(
        write_annotated(COLUMNS, sheet, errors, title="测试", notes=[], lists={})
    ).worksheets[0]

    assert annotated.cell(row=1, column=7).value == writer.ERRORS_HEADER
    assert annotated["A2"].value == "91620105MA71T4YW8Q"
    assert annotated.cell(row=2, column=7).value == "整行有误"
    assert annotated["B4"].value == "many"
    assert annotated["B4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert annotated["A4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert not annotated["C4"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "B列 金额（万元）" in annotated.cell(row=4, column=7).value


def test_an_annotated_copy_reads_back_as_the_same_rows():
    sheet = read([["91620105MA71T4YW8Q", 1.25, 3, "2020-01-02", "年报", "否"]])

    annotated = write_annotated(COLUMNS, sheet, [], title="测试", notes=[], lists={})
    again = read_sheet(upload(annotated.read()), COLUMNS)

    assert again.rows == sheet.rows

