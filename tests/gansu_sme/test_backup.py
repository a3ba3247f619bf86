"""Backups restore into a fresh database with the same rows, and a tampered archive is refused."""

import hashlib
import io
import json
import tarfile
import uuid

import psycopg2
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from gansu_sme import backup
from tests.factories.applications import ApplicationFactory
from tests.factories.certificates import CertificateFactory
from tests.factories.monitoring import MonitoringReportFactory
from tests.factories.subsidies import BatchItemFactory, ReceivingAccountFactory


def database_url(name):
    db = connection.settings_dict
    host = db.get("HOST") or ""
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    if host.startswith("/"):
        return f"postgres://{user}{password}@/{host}/{name}"
    return f"postgres://{user}{password}@{host}:{db.get('PORT') or 5432}/{name}"


@pytest.fixture
def fresh_database():
    """An empty database beside the test database, dropped afterwards."""
    name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:6]}"
    admin = psycopg2.connect(**connection.get_connection_params())
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
    yield database_url(name)
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture
def key_rows(reference_data, tmp_path, settings):
    """A row in every key table and an uploaded file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media" / "attachments" / "1").mkdir(parents=True)
    (tmp_path / "media" / "attachments" / "1" / "evidence.pdf").write_bytes(b"%PDF-1.4 test\n")
    certificate = CertificateFactory()
    ApplicationFactory()
    MonitoringReportFactory(enterprise=certificate.enterprise)
    BatchItemFactory(entitlement__enterprise=certificate.enterprise)
    ReceivingAccountFactory(enterprise=certificate.enterprise)


def _flip_one_byte(path, member_name, tmp_path):
    """A copy of the archive with one byte of ``member_name`` changed."""
    copy = tmp_path / f"tampered-{member_name.replace('/', '_')}.tar"
    with tarfile.open(path) as source, tarfile.open(copy, "w") as target:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            if member.name == member_name:
                middle = len(data) // 2
                data = data[:middle] + bytes([data[middle] ^ 0x01]) + data[middle + 1:]
            target.addfile(member, io.BytesIO(data))
    return copy


def is_empty(url):
    conn = backup._connect(backup.connection_settings(url))
    try:
        return backup._is_empty(conn)
    finally:
        conn.close()


@pytest.mark.hardening
def test_a_backup_restores_into_a_fresh_database_and_a_tampered_one_is_refused(
    key_rows, fresh_database, tmp_path
):
    """One backup (a transactional test's set-up is the slow part), then: a byte changed in
    the dump or in an uploaded file is refused before anything is written; a database that
    is not empty is refused; the archive as made restores, with the key tables' row counts
    and content checksums equal to the source's and the uploaded file back."""
    made = backup.backup(output=tmp_path / "backups")
    assert "media/attachments/1/evidence.pdf" in made.manifest["files"]

    for member in (backup.DUMP, "media/attachments/1/evidence.pdf"):
        tampered = _flip_one_byte(made.path, member, tmp_path)
        with pytest.raises(CommandError) as refused:
            call_command(
                "restore", str(tampered), database_url=fresh_database,
                media_root=str(tmp_path / "restored"),
            )
        assert "does not match its manifest" in str(refused.value)
        assert member in str(refused.value)
        assert is_empty(fresh_database)
        assert not (tmp_path / "restored").exists()
    with pytest.raises(backup.BackupError, match="not empty"):
        backup.restore(archive_path=made.path)

    backup.restore(
        archive_path=made.path, database_url=fresh_database, media_root=tmp_path / "restored"
    )

    source = backup.database_figures()
    target = backup.database_figures(fresh_database)
    assert target == source == made.manifest["tables"]
    assert all(figures["rows"] >= 1 for figures in source.values()), source
    assert (tmp_path / "restored" / "attachments" / "1" / "evidence.pdf").read_bytes() == (
        b"%PDF-1.4 test\n"
    )


def _archive(tmp_path, members, listed=None):
    """An archive of ``members`` ({name: bytes}) whose manifest lists ``listed`` (the same
    members unless given), as ``backup.backup`` writes one."""
    listed = members if listed is None else listed
    manifest = {
        "format": backup.FORMAT,
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in listed.items()},
        "tables": {},
    }
    path = tmp_path / "archive.tar"
    with tarfile.open(path, "w") as archive:
        for name, data in {backup.MANIFEST: json.dumps(manifest).encode(), **members}.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return path


MEMBERS = {backup.DUMP: b"PGDMP" + bytes(range(200)), "media/imports/a.xlsx": b"PK\x03\x04"}


def test_an_archive_that_matches_its_manifest_verifies(tmp_path):
    assert backup.verify(_archive(tmp_path, MEMBERS))["files"].keys() == MEMBERS.keys()


@pytest.mark.parametrize(
    ("case", "named"),
    [("one byte of the dump changed", backup.DUMP),
     ("one byte of an uploaded file changed", "media/imports/a.xlsx"),
     ("a file added", "media/extra.pdf"),
     ("a file missing", "media/imports/a.xlsx")],
)
def test_a_tampered_archive_is_refused_with_the_file_named(tmp_path, case, named):
    members, listed = dict(MEMBERS), dict(MEMBERS)
    if case.startswith("one byte"):
        data = members[named]
        members[named] = data[:3] + bytes([data[3] ^ 0x01]) + data[4:]
    elif case == "a file added":
        members[named] = b"%PDF"
    else:
        del members[named]

    with pytest.raises(backup.BackupError) as refused:
        backup.verify(_archive(tmp_path, members, listed))

    assert "does not match its manifest" in str(refused.value)
    assert named in str(refused.value)


def test_a_path_leaving_the_media_folder_is_refused(tmp_path):
    members = {**MEMBERS, "media/../../etc/cron.d/x": b"* * * * * root true"}

    with pytest.raises(backup.BackupError, match="not a plain file inside the archive"):
        backup.verify(_archive(tmp_path, members))
