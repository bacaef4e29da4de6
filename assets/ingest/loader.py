"""Incremental, idempotent load of a landing folder into the warehouse.

For one source folder: every file is fingerprinted (SHA-256). A file whose bytes are already
logged is not read again: a known name whose size and modification time are those recorded in
`meta.fichiers_vus` is not even hashed (the quick check of rsync; `touch` a file to have it hashed
again), another known name is hashed and compared, a new name is hashed from the bytes validation
reads (one read). A new file is validated (`validate.validate_file`) and its accepted
rows go to `raw.<kind>` (with `source_file`, `line_number`), its refused rows to
`meta.quarantine`, its facts to `meta.ingest_log`; a file with a known name and new bytes first
removes the rows of its previous version (whose log row becomes `replaced`). Rows of files are
written in batches, each batch in one transaction with its log rows, so an interrupted run
leaves no half-loaded file; a batch is written by a background thread while the next one is
validated.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import polars as pl

from assets.ingest.contracts import CONTRACTS, QUARANTINE_SCHEMA
from assets.ingest.naming import landing_file_name, name_refusal
from assets.ingest.validate import FileResult, iter_validate_files
from pipelines.config import SQL_DIR

LOG_COLUMNS = [
    "source", "file_name", "sha256", "bytes", "encoding", "separator", "status", "error", "rows_read",
    "rows_accepted", "rows_quarantined", "rows_skipped", "ingested_at", "unknown_columns",
]
BATCH_ROWS = 500_000
#: The note of a loaded file without any data row (header only): accepted, flagged (asset check
#: `fichiers_sans_donnees`, non-blocking).
EMPTY_FILE_NOTE = "fichier sans ligne de données (en-tête seul) : accepté, à vérifier"


def ensure_meta(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists meta")
    conn.execute("create schema if not exists raw")
    had_files_departements = conn.execute(
        "select count(*) from duckdb_tables() where schema_name = 'meta' and table_name = 'fichiers_departements'"
    ).fetchall()[0][0] > 0
    for name in ("ingest_log", "quarantine", "fichiers_vus", "fichiers_departements"):
        conn.execute((SQL_DIR / "meta" / f"{name}.sql").read_text(encoding="utf-8"))
    has_raw_siao = conn.execute(
        "select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'siao'").fetchall()[0][0] > 0
    if not had_files_departements and has_raw_siao:  # a warehouse of an earlier version: filled once
        conn.execute(f"insert into meta.fichiers_departements {FILES_DEPARTEMENTS_SQL.format(rows='raw.siao')}")


#: The (file, Département SIAO, rows) of SIAO rows (`meta.fichiers_departements`).
FILES_DEPARTEMENTS_SQL = "select source_file, departement, count(*) from {rows} group by all"


#: How a pseudonym (the 64 hex digits of the HMAC-SHA-256 that validation gives) is stored in `raw`:
#: its first 128 bits as an integer. A fixed-width key is written, grouped, deduplicated and joined
#: 2 to 6 times faster than the 64-character text at national scale (measured); two of ten million
#: households share one with a probability of about 1e-23. Both sources use it: the NUR still links.
PSEUDONYM_SQL = "cast('0x' || left({column}, 32) as uhugeint)"


def pseudonym_fields(kind: str) -> list[str]:
    """The pseudonymised columns of a raw table (household, NUR)."""
    return [c.field for c in CONTRACTS[kind].columns if c.type in ("menage", "nur")]


def ensure_raw_table(conn: duckdb.DuckDBPyConnection, kind: str) -> None:
    """Create `raw.<kind>` if missing; a table of an earlier version holding the pseudonyms as text
    has them converted in place (`PSEUDONYM_SQL`)."""
    empty = CONTRACTS[kind].empty_accepted()  # noqa: F841 (read by DuckDB by name)
    conn.execute(f"create table if not exists raw.{kind} as select * from empty")
    types = dict(conn.execute("select column_name, data_type from information_schema.columns "
                              "where table_schema = 'raw' and table_name = ?", [kind]).fetchall())
    text = [column for column in pseudonym_fields(kind) if types.get(column) == "VARCHAR"]
    if not text:
        return
    # Converted by copy and swap in one transaction, never `alter … using <expression>`: the WAL of a
    # process killed before its checkpoint would replay the expression, and `left` lives in an
    # extension DuckDB wants to download on replay (offline: every later run failed). A copy is
    # logged as data.
    replaced = ", ".join(f'{PSEUDONYM_SQL.format(column=chr(34) + c + chr(34))} as "{c}"' for c in text)
    conn.execute("begin transaction")
    try:
        conn.execute(f"drop table if exists raw.{kind}__conversion")
        conn.execute(f"create table raw.{kind}__conversion as select * replace ({replaced}) from raw.{kind}")
        conn.execute(f"drop table raw.{kind}")
        conn.execute(f"alter table raw.{kind}__conversion rename to {kind}")
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


@dataclass
class LoadSummary:
    source: str
    files_seen: int = 0
    files_loaded: int = 0
    files_rejected: int = 0
    files_replaced: int = 0
    files_unchanged: int = 0
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def metadata(self) -> dict[str, int | float]:
        return {k: v for k, v in self.__dict__.items() if isinstance(v, (int, float)) and k != "source"}


class _Batch:
    """Accepted rows, quarantine rows and log rows of several files, written together."""

    def __init__(self) -> None:
        self.accepted: dict[str, list[pl.DataFrame]] = {}
        self.quarantine: list[pl.DataFrame] = []
        self.logs: list[dict] = []
        self.replaced: list[tuple[str, str]] = []  # (source, file_name) whose previous rows go
        self.replaced_rejected: list[tuple[str, str]] = []  # (source, file_name) refused, previous rows kept
        self.rows = 0

    def add(self, result: FileResult, replaced: bool) -> None:
        if result.kind and result.accepted.height:
            self.accepted.setdefault(result.kind, []).append(result.accepted)
        if result.quarantine.height:
            self.quarantine.append(result.quarantine)
        row = result.ingest_log_row()
        if result.status == "loaded" and result.rows_read == 0 and row["error"] is None:
            row["error"] = EMPTY_FILE_NOTE
        row["ingested_at"] = datetime.now(UTC).replace(tzinfo=None)
        row["unknown_columns"] = ", ".join(result.unknown_columns) or None
        self.logs.append(row)
        if replaced and result.status == "rejected":
            # a replacement refused whole: the rows of the version loaded before stay (and its log row)
            row["error"] = (f"{row['error'] or result.file_name} ; nouvelle version refusée : les lignes de la "
                            "version précédente acceptée sont conservées")
            self.replaced_rejected.append((result.source, result.file_name))
        elif replaced:
            self.replaced.append((result.source, result.file_name))
        self.rows += result.rows_read

    def flush(self, conn: duckdb.DuckDBPyConnection, kinds: Iterable[str]) -> None:
        if not self.logs:
            return
        conn.execute("begin transaction")
        try:
            for source, name in self.replaced:
                for kind in kinds:
                    conn.execute(f"delete from raw.{kind} where source_file = ?", [name])
                conn.execute("delete from meta.fichiers_departements where source_file = ?", [name])
                conn.execute("delete from meta.quarantine where source = ? and file_name = ?", [source, name])
                conn.execute(
                    "update meta.ingest_log set status = 'replaced' where source = ? and file_name = ? "
                    "and status in ('loaded', 'rejected')",
                    [source, name],
                )
            for source, name in self.replaced_rejected:
                conn.execute("update meta.ingest_log set status = 'replaced' where source = ? and file_name = ? "
                             "and status = 'rejected'", [source, name])
            for kind, frames in self.accepted.items():
                batch = pl.concat(frames, how="vertical_relaxed", rechunk=False)
                cols = ", ".join(f'"{c}"' for c in batch.columns)
                pseudonyms = pseudonym_fields(kind)
                values = ", ".join(PSEUDONYM_SQL.format(column=f'"{c}"') if c in pseudonyms else f'"{c}"'
                                   for c in batch.columns)
                conn.execute(f"insert into raw.{kind} ({cols}) select {values} from batch")
                if kind == "siao":
                    conn.execute("insert into meta.fichiers_departements "
                                 + FILES_DEPARTEMENTS_SQL.format(rows="batch"))
            if self.quarantine:
                quarantine = pl.concat(self.quarantine, how="vertical_relaxed").select(list(QUARANTINE_SCHEMA))  # noqa: F841
                conn.execute("insert into meta.quarantine select * from quarantine")
            logs = pl.DataFrame(self.logs, infer_schema_length=None).select(LOG_COLUMNS)  # noqa: F841
            conn.execute(f"insert into meta.ingest_log ({', '.join(LOG_COLUMNS)}) select * from logs")
            conn.execute("commit")
        except Exception:
            conn.execute("rollback")
            raise


class _Writer:
    """Writes batches in a background thread while the next batch is validated (polars and DuckDB
    both release the GIL: the two cores work at once). One batch at most waits to be written, so
    memory holds two batches at most; a failed write is raised at the next submit or at close."""

    def __init__(self, conn: duckdb.DuckDBPyConnection, kinds: list[str]) -> None:
        self._conn, self._kinds = conn, kinds
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-writer")
        self._pending: Future | None = None

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()

    def submit(self, batch: _Batch) -> None:
        self._wait()
        self._pending = self._pool.submit(batch.flush, self._conn, self._kinds)

    def close(self) -> None:
        try:
            self._wait()
        finally:
            self._pool.shutdown(wait=True)


def _record_seen(conn: duckdb.DuckDBPyConnection, source: str, stats: dict[str, tuple[int, int]]) -> None:
    """Keep size and modification time of the files just seen, with the SHA-256 of their logged version."""
    seen = pl.DataFrame(  # noqa: F841 (read by DuckDB by name)
        [(name, size, mtime) for name, (size, mtime) in stats.items()],
        schema={"file_name": pl.String, "bytes": pl.Int64, "mtime_ns": pl.Int64}, orient="row",
    )
    conn.execute("begin transaction")
    try:
        conn.execute("delete from meta.fichiers_vus where source = ?", [source])
        conn.execute(
            "insert into meta.fichiers_vus select ?, s.file_name, s.bytes, s.mtime_ns, "
            "arg_max(l.sha256, l.ingested_at) from seen as s "
            "join meta.ingest_log as l on l.source = ? and l.file_name = s.file_name "
            "and l.status in ('loaded', 'rejected') group by all",
            [source, source],
        )
        conn.execute("commit")
    except Exception:
        conn.execute("rollback")
        raise


def _refused(source: str, name: str, digest: str, size: int | None, error: str) -> FileResult:
    return FileResult(source=source, kind=None, file_name=name, sha256=digest, bytes=size, encoding=None,
                      separator=None, status="rejected", error=error, error_rule="file_name", rows_read=0,
                      rows_accepted=0, rows_quarantined=0, rows_skipped=0)


def run_month(today: date | None = None) -> str:
    """The month of the run, `AAAA-MM` (UTC): no landing file may cover a later month."""
    today = today or datetime.now(UTC).date()
    return f"{today.year:04d}-{today.month:02d}"


def _screen_folder(folder: Path, source: str, month: str) -> tuple[list[Path], list[FileResult]]:
    """The files of a landing folder to read (regular files named exactly as a contract of `source`
    says, `naming.LANDING_FILE_NAMES`), and the refused others, each with its French reason.
    A link is never followed (its target is not read); hidden names (`.xxx`) are ignored."""
    if not folder.exists():
        return [], []
    files: list[Path] = []
    refused: list[FileResult] = []
    with os.scandir(folder) as entries:
        for entry in sorted(entries, key=lambda e: e.name):
            if entry.name.startswith("."):
                continue
            if entry.is_symlink():
                target = os.readlink(entry.path)
                refused.append(_refused(source, entry.name, hashlib.sha256(f"lien:{target}".encode()).hexdigest(),
                                        None, f"{entry.name} : lien symbolique, refusé sans être suivi "
                                              "(déposer le fichier lui-même)"))
            elif entry.is_dir(follow_symlinks=False):
                continue  # a sub-folder is not a file of this source (the Baromètre's `publie/`…)
            elif not entry.is_file(follow_symlinks=False):
                refused.append(_refused(source, entry.name, hashlib.sha256(f"special:{entry.name}".encode()).hexdigest(),
                                        None, f"{entry.name} : pas un fichier ordinaire (tube, socket, périphérique), refusé"))
            elif (reason := name_refusal(entry.name, source)) is not None:
                path = Path(entry.path)
                refused.append(_refused(source, entry.name, sha256_of(path), entry.stat(follow_symlinks=False).st_size,
                                        reason))
            elif (period := landing_file_name(entry.name).period_start) > month:  # type: ignore[union-attr]
                # logged under a fingerprint of its own: the same bytes are read once the month has come
                path = Path(entry.path)
                refused.append(_refused(source, entry.name, hashlib.sha256(f"futur:{sha256_of(path)}".encode()).hexdigest(),
                                        entry.stat(follow_symlinks=False).st_size,
                                        f"{entry.name} : période {period} postérieure au mois du traitement ({month}), "
                                        "fichier non chargé (nom mal saisi ?)"))
            else:
                files.append(Path(entry.path))
    return files, refused


def load_folder(
    conn: duckdb.DuckDBPyConnection,
    source: str,
    folder: Path,
    *,
    pseudo_key: str,
    communes: frozenset[str] | None = None,
    progress: Callable[[int, int], None] | None = None,
    today: date | None = None,
) -> LoadSummary:
    """Ingest what is new or changed in `folder` (files `*.csv`) for `source`."""
    started = time.perf_counter()
    summary = LoadSummary(source)
    kinds = [k for k, c in CONTRACTS.items() if c.source == source]
    ensure_meta(conn)
    for kind in kinds:
        ensure_raw_table(conn, kind)
    known = dict(
        conn.execute(  # the latest version of each name (a refused replacement is logged after the kept one)
            "select file_name, arg_max(sha256, ingested_at) from meta.ingest_log "
            "where source = ? and status in ('loaded', 'rejected') group by file_name",
            [source],
        ).fetchall()
    )
    files, refused = _screen_folder(folder, source, run_month(today))
    summary.files_seen = len(files) + len(refused)
    seen = {name: (size, mtime, sha) for name, size, mtime, sha in conn.execute(
        "select file_name, bytes, mtime_ns, sha256 from meta.fichiers_vus where source = ?", [source]).fetchall()}
    todo: list[Path] = []
    digests: dict[str, str] = {}
    stats: dict[str, tuple[int, int]] = {}
    for path in files:
        stat = path.stat()
        stats[path.name] = (stat.st_size, stat.st_mtime_ns)
        previous = known.get(path.name)
        if previous is None:  # a new name: hashed once, from the bytes validation reads
            todo.append(path)
            continue
        if seen.get(path.name) == (stat.st_size, stat.st_mtime_ns, previous):
            summary.files_unchanged += 1  # same size and time as the logged version: not read again
            continue
        digest = sha256_of(path)
        if digest == previous:
            summary.files_unchanged += 1
        else:
            todo.append(path)
            digests[str(path)] = digest
    batch = _Batch()
    for result in refused:  # names matching no contract, links, non-regular files: logged, never read
        if known.get(result.file_name) == result.sha256:
            summary.files_unchanged += 1
            continue
        batch.add(result, replaced=False)
        summary.files_rejected += 1
        summary.errors.append(result.error or result.file_name)
    writer = _Writer(conn, kinds)
    try:
        results = iter_validate_files(todo, source, pseudo_key=pseudo_key, communes=communes, digests=digests)
        for i, result in enumerate(results):
            previous = known.get(result.file_name)
            batch.add(result, replaced=previous is not None)
            summary.files_replaced += previous is not None
            if result.status == "rejected":
                summary.files_rejected += 1
                summary.errors.append(result.error or result.file_name)
            else:
                summary.files_loaded += 1
            for name in ("rows_read", "rows_accepted", "rows_quarantined", "rows_skipped"):
                setattr(summary, name, getattr(summary, name) + getattr(result, name))
            if batch.rows >= BATCH_ROWS:
                writer.submit(batch)
                batch = _Batch()
            if progress and (i % 1000 == 0):
                progress(i, len(todo))
        writer.submit(batch)
    finally:
        writer.close()
    _record_seen(conn, source, stats)
    summary.seconds = time.perf_counter() - started
    return summary
