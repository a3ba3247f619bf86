"""Hostile uploads get a clear error and do no damage; each file is built here, in memory.

Container limits are checked before any spreadsheet library opens the file, so a bomb is
refused by reading its zip directory and streaming its parts, never by inflating it in memory.
"""

import io
import struct
import zipfile

import pytest
from django.urls import reverse

from gansu_sme.excel import container
from gansu_sme.excel.container import UploadRejected
from gansu_sme.excel.reader import read_sheet
from registry.choices import ImportKind, ImportStatus
from registry.imports import ENTERPRISE_COLUMNS
from registry.models import Enterprise, ImportJob
from registry.services import import_job_create
from tests.factories.workbooks import upload, with_parts, xlsx_bytes

HEADERS = [c.header for c in ENTERPRISE_COLUMNS]
ROW = ["91620105MA71T4YW8Q", "兰州新材料科技有限公司", "李娜", "2015-03-01", "620102", "C35",
       "稀土永磁材料", "", "", "", "", ""]
SHEET = "xl/worksheets/sheet1.xml"
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
UPLOAD_URL = reverse("registry:import-upload", args=["enterprises"])


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def valid():
    return xlsx_bytes(HEADERS, [ROW])


def sheet_xml(cells):
    return f'<worksheet {NS}><sheetData>{cells}</sheetData></worksheet>'.encode()


def header_row():
    cells = "".join(
        f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for i, h in enumerate(HEADERS)
    )
    return f'<row r="1">{cells}</row>'


def with_sheet(cells):
    return with_parts(valid(), replace={SHEET: sheet_xml(header_row() + cells)})


def rejected(content, name="企业.xlsx"):
    with pytest.raises(UploadRejected) as caught:
        read_sheet(upload(content, name=name), ENTERPRISE_COLUMNS)
    return caught.value.code


def zip_with_member(name, size):
    """A valid workbook plus one highly compressible member of ``size`` bytes, streamed."""
    buffer = io.BytesIO(with_parts(valid()))
    with zipfile.ZipFile(buffer, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open(name, "w", force_zip64=True) as member:
            chunk = b"\0" * (1024 * 1024)
            for _ in range(size // len(chunk)):
                member.write(chunk)
            member.write(b"\0" * (size % len(chunk)))
    return buffer.getvalue()


def lying_about_its_size(content, member, declared):
    """``content`` with ``member``'s uncompressed size forged to ``declared`` in both the local
    header and the central directory, as a bomb would claim to be small."""
    data = bytearray(content)
    archive = zipfile.ZipFile(io.BytesIO(content))
    info = archive.getinfo(member)
    # Local file header: uncompressed size at offset 22.
    struct.pack_into("<I", data, info.header_offset + 22, declared)
    # Central directory entry: find it by its signature and file name.
    central = data.find(b"PK\x01\x02")
    while central != -1:
        name_length = struct.unpack_from("<H", data, central + 28)[0]
        if data[central + 46:central + 46 + name_length].decode() == member:
            struct.pack_into("<I", data, central + 24, declared)
            break
        central = data.find(b"PK\x01\x02", central + 4)
    return bytes(data)


# --- each hostile file ------------------------------------------------------------------------


def test_a_file_above_the_size_limit_is_refused_before_it_is_opened():
    assert rejected(b"PK" + b"\0" * container.MAX_UPLOAD_BYTES) == "file_too_big"


def test_a_zip_with_too_many_entries_is_refused():
    content = with_parts(valid(), add={f"xl/media/p{i}.bin": b"x" for i in range(501)})

    assert rejected(content) == "too_many_parts"


def test_a_zip_bomb_expanding_past_the_limit_is_refused_by_its_directory():
    content = zip_with_member("xl/media/bomb.bin", container.MAX_UNCOMPRESSED_BYTES + 1)
    assert len(content) < 1024 * 1024  # a few hundred kilobytes that claim 200 MB

    assert rejected(content) == "too_large"


def test_a_part_that_inflates_to_more_than_it_declares_is_refused():
    content = zip_with_member("xl/media/liar.bin", 4 * 1024 * 1024)

    message = rejected(lying_about_its_size(content, "xl/media/liar.bin", 1000))

    assert message == "invalid_file"


def test_a_macro_workbook_is_refused_by_its_name():
    assert rejected(valid(), name="企业.xlsm") == "macros"


def test_a_macro_workbook_renamed_to_xlsx_is_refused_by_its_content_type():
    content = with_parts(valid(), replace={"[Content_Types].xml": zipfile.ZipFile(
        io.BytesIO(valid())).read("[Content_Types].xml").replace(
        b"spreadsheetml.sheet.main+xml", b"ms-sheet.macroEnabled.main+xml")})

    assert rejected(content) == "macros"


def test_a_workbook_carrying_a_vba_project_is_refused():
    content = with_parts(valid(), add={"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0macro"})

    assert rejected(content) == "macros"


def test_a_file_that_is_not_a_zip_is_refused():
    assert rejected(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 an old .xls or an encrypted file") == (
        "invalid_file"
    )
    assert rejected("企业名称,法定代表人\n".encode()) == "invalid_file"


def test_another_extension_is_refused():
    assert rejected(valid(), name="企业.csv") == "not_xlsx"


def test_a_wrong_header_is_refused():
    content = xlsx_bytes(["名称", *HEADERS[1:]], [ROW])

    assert rejected(content) == "header_mismatch"


def test_xml_with_a_dtd_is_refused_so_entities_are_never_expanded():
    laughs = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        b'<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>'
    )
    content = with_parts(valid(), replace={SHEET: laughs + sheet_xml(header_row())})

    assert rejected(content) == "dtd"


def test_a_cell_far_out_in_the_sheet_is_refused_before_the_reader_sizes_its_grid():
    # Read naively, one cell at XFD1048576 makes a reader allocate 17 billion cells.
    content = with_sheet('<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')

    assert rejected(content) == "too_many_rows"


def test_a_cell_far_to_the_right_is_refused_before_the_reader_sizes_its_grid():
    content = with_sheet('<row r="2"><c r="XFD2"><v>1</v></c></row>')

    assert rejected(content) == "sheet_too_wide"


def test_cells_without_positions_are_counted_one_by_one_against_the_limits():
    cells = "<c><v>1</v></c>" * (container.MAX_COLUMNS + 1)
    content = with_sheet(f"<row>{cells}</row>")

    assert rejected(content) == "sheet_too_wide"


def test_a_cell_whose_position_is_not_its_first_attribute_is_bounded_all_the_same():
    content = with_sheet('<row r="2"><c t="n" r="XFD2"><v>1</v></c></row>')

    assert rejected(content) == "sheet_too_wide"


def test_a_shared_formula_and_an_error_value_written_by_hand_are_errors_in_their_cells():
    content = with_sheet(
        '<row r="2"><c r="A2" t="inlineStr"><is><t>91620105MA71T4YW8Q</t></is></c>'
        '<c r="B2"><f t="shared" ref="B2:B3" si="0"/><v>2</v></c>'
        "<c r=\"C2\" t='e'><v>#N/A</v></c></row>"
    )

    sheet = read_sheet(upload(content), ENTERPRISE_COLUMNS)

    refused = {container.FORMULA, container.ERROR_VALUE}
    assert [(e.row, e.column, e.code) for e in sheet.errors if e.code in refused] == [
        (2, "B", container.FORMULA),
        (2, "C", container.ERROR_VALUE),
    ]


def test_a_sheet_past_the_row_limit_is_refused():
    last = container.MAX_ROWS + 2
    content = with_sheet(f'<row r="{last}"><c r="A{last}"><v>1</v></c></row>')

    assert rejected(content) == "too_many_rows"


# --- through the import: a clear error, nothing stored ----------------------------------------


@pytest.mark.parametrize(("content", "name", "expected"), [
    (b"not a workbook at all", "企业.xlsx", "invalid_file"),
    (None, "企业.xlsm", "macros"),
    ("vba", "企业.xlsx", "macros"),
], ids=["not-a-zip", "xlsm", "vba-project"])
def test_the_upload_page_shows_why_a_file_was_refused_and_stores_nothing(
    client, county_user, media_root, content, name, expected
):
    if content is None:
        content = valid()
    elif content == "vba":
        content = with_parts(valid(), add={"xl/vbaProject.bin": b"macro"})
    client.force_login(county_user)

    response = client.post(UPLOAD_URL, {"file": upload(content, name=name)})

    assert response.status_code == 400
    assert response.context["form"].has_error("file", expected)
    [error] = response.context["form"].errors["file"]
    assert error in response.text
    assert not ImportJob.objects.exists()
    assert not media_root.exists() or not any(media_root.rglob("*.xlsx"))


def test_a_workbook_not_made_from_the_template_is_refused_by_the_worker_with_its_reason(
    client, county_user
):
    client.force_login(county_user)

    response = client.post(UPLOAD_URL, {"file": upload(xlsx_bytes(HEADERS[::-1], [ROW]))})

    job = ImportJob.objects.get()
    assert response.status_code == 302
    assert job.status == ImportStatus.REFUSED
    assert [e["code"] for e in job.errors] == ["header_mismatch"]
    page = client.get(response["Location"])
    assert 'data-code="header_mismatch"' in page.text
    assert "统一社会信用代码" in page.text
    assert not Enterprise.objects.exists()


def test_a_formula_in_an_upload_is_an_error_in_its_cell_and_nothing_is_written(county_user):
    content = xlsx_bytes(HEADERS, [ROW], formulas=[("B2", '=HYPERLINK("http://evil.example")')])

    job = import_job_create(
        actor=county_user, kind=ImportKind.ENTERPRISES, upload=upload(content)
    )

    assert job.status == ImportStatus.INVALID
    assert [(e["row"], e["column"], e["code"]) for e in job.errors] == [
        (2, "B", container.FORMULA)
    ]
    assert not Enterprise.objects.exists()
