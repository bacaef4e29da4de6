"""Incremental, idempotent load of `<landing>/barometre/*.csv` into `raw.barometre`.

Every file is fingerprinted (SHA-256):
- a file already logged in `meta.ingest_log` (source `barometre`) with the same name and bytes,
  loaded or rejected, is not read again: re-running with the same files changes nothing;
- a new file is read (`reading.read_bytes`); its kept rows go to `raw.barometre`, its refused
  rows to `meta.quarantine`, one row to `meta.ingest_log` (`loaded` or `rejected`);
- a file with a known name and new bytes first removes the rows of its previous version from
  `raw.barometre` and `meta.quarantine`, and the previous log row becomes `replaced`.
Each file is written in one transaction with its log row. A file that left the folder keeps its
rows (the warehouse keeps what was published).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from assets.barometre.reading import SOURCE, FileResult, read_bytes
from pipelines.config import SQL_DIR

LOG_COLUMNS = (
    "source", "file_name", "sha256", "bytes", "encoding", "separator", "status", "error", "rows_read",
    "rows_accepted", "rows_quarantined", "rows_skipped", "ingested_at", "unknown_columns",
)


def ensure_tables(conn: duckdb.DuckDBPyConnection) -> None:
    """Schemas `meta` and `raw`, `meta.ingest_log` and `meta.quarantine` (the project's files in
    sql/meta/) and `raw.barometre` (sql/barometre/raw_barometre.sql), when missing."""
    conn.execute("create schema if not exists meta").fetchall()
    conn.execute("create schema if not exists raw").fetchall()
    for path in (SQL_DIR / "meta" / "ingest_log.sql", SQL_DIR / "meta" / "quarantine.sql",
                 SQL_DIR / "barometre" / "raw_barometre.sql"):
        conn.execute(path.read_text(encoding="utf-8")).fetchall()


@dataclass
class FileOutcome:
    """What happened to one file of the folder in this run."""

    file_name: str
    action: str  # 'inchangé', 'chargé', 'remplacé', 'refusé'
    result: FileResult | None = None


@dataclass
class LoadSummary:
    files: list[FileOutcome] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for f in self.files if f.action == action)

    def total(self, attribute: str) -> int:
        return sum(getattr(f.result, attribute) for f in self.files if f.result is not None)

    @property
    def errors(self) -> list[str]:
        return [f.result.error for f in self.files if f.result is not None and f.result.status == "rejected"
                and f.result.error]


def landing_files(folder: Path) -> list[Path]:
    """The `*.csv` files directly in `folder` (any case of the suffix), sorted by name."""
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() == ".csv")


def _write(conn: duckdb.DuckDBPyConnection, result: FileResult, replaces: bool) -> None:
    params = {"source": SOURCE, "file_name": result.file_name}
    conn.execute("begin transaction").fetchall()
    try:
        if replaces:
            conn.execute("delete from raw.barometre where file_name = $file_name",
                         {"file_name": result.file_name}).fetchall()
            conn.execute("delete from meta.quarantine where source = $source and file_name = $file_name",
                         params).fetchall()
            conn.execute(
                "update meta.ingest_log set status = 'replaced' "
                "where source = $source and file_name = $file_name and status in ('loaded', 'rejected')",
                params,
            ).fetchall()
        if result.accepted.height:
            conn.register("barometre_rows", result.accepted)
            conn.execute("insert into raw.barometre by name select * from barometre_rows").fetchall()
            conn.unregister("barometre_rows")
        if result.quarantine.height:
            conn.register("barometre_quarantine", result.quarantine)
            conn.execute("insert into meta.quarantine by name select * from barometre_quarantine").fetchall()
            conn.unregister("barometre_quarantine")
        log = result.log_row()
        log["ingested_at"] = datetime.now(timezone.utc).replace(tzinfo=None)
        columns = ", ".join(LOG_COLUMNS)
        values = ", ".join(f"${c}" for c in LOG_COLUMNS)
        conn.execute(f"insert into meta.ingest_log ({columns}) values ({values})", log).fetchall()
        conn.execute("commit").fetchall()
    except Exception:
        conn.execute("rollback").fetchall()
        raise


def load_folder(conn: duckdb.DuckDBPyConnection, folder: Path) -> LoadSummary:
    """Ingest what is new or changed among the `*.csv` files of `folder`."""
    ensure_tables(conn)
    known = dict(
        conn.execute(
            "select file_name, sha256 from meta.ingest_log "
            "where source = $source and status in ('loaded', 'rejected')",
            {"source": SOURCE},
        ).fetchall()
    )
    summary = LoadSummary()
    for path in landing_files(folder):
        data = path.read_bytes()
        previous = known.get(path.name)
        if previous == hashlib.sha256(data).hexdigest():
            summary.files.append(FileOutcome(path.name, "inchangé"))
            continue
        result = read_bytes(path.name, data)
        _write(conn, result, replaces=previous is not None)
        if result.status == "rejected":
            action = "refusé"
        else:
            action = "remplacé" if previous is not None else "chargé"
        summary.files.append(FileOutcome(path.name, action, result))
    return summary
