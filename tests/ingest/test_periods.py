"""A file whose period is after the month of the run is refused; a file without any data row is
accepted but flagged (log note and a non-blocking asset check)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import dagster as dg
import duckdb

from assets.ingest import loader
from assets.ingest.checks import CHECKS
from pipelines.config import SQL_DIR
from pipelines.resources import WarehouseResource

HEADER = (
    "Numéro demande;Numéro ménage;Date d'extraction;Date de la demande;Type de demande;Département SIAO;"
    "Commune de la demande;Composition familiale;Nombre de personnes;Nombre d'enfants;Sexe;Année de naissance;"
    "Situation à la demande;Statut de la demande;Motif de non-attribution;Date d'orientation;Type d'orientation;"
    "Date d'admission;Date de sortie;Destination à la sortie;NUR"
)
ROW = ("13-0000001;MEN000000001;31/01/2025;10/01/2025;Urgence;13;13055;Personne seule;1;0;F;1980;"
       "Rue / abri de fortune;En attente;;;;;;;")


def _load(conn, folder, today):
    return loader.load_folder(conn, "siao", folder, pseudo_key="cle", communes=frozenset({"13055"}), today=today)


def test_a_file_after_the_month_of_the_run_is_refused_then_read_once_its_month_has_come(tmp_path: Path):
    folder = tmp_path / "siao"
    folder.mkdir()
    (folder / "siao_13_2025-01.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    (folder / "siao_13_2031-01.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    _load(conn, folder, date(2025, 2, 10))
    log = dict(conn.execute("select file_name, status from meta.ingest_log").fetchall())
    assert log == {"siao_13_2025-01.csv": "loaded", "siao_13_2031-01.csv": "rejected"}
    error = conn.execute("select error from meta.ingest_log where status = 'rejected'").fetchone()[0]
    assert "postérieure au mois du traitement (2025-02)" in error
    assert conn.execute("select count(*) from raw.siao").fetchone()[0] == 1
    months = conn.execute((SQL_DIR / "staging" / "stg_siao__couverture.sql").read_text(encoding="utf-8")).fetchall()
    assert [m for _, m, _ in months] == ["2025-01"]
    _load(conn, folder, date(2025, 2, 10))  # nothing new
    assert conn.execute("select count(*) from meta.ingest_log").fetchone()[0] == 2
    _load(conn, folder, date(2031, 1, 5))  # its month has come: the same bytes are read
    log = conn.execute("select file_name, status from meta.ingest_log order by all").fetchall()
    assert ("siao_13_2031-01.csv", "loaded") in log
    assert conn.execute("select count(*) from raw.siao").fetchone()[0] == 2


def test_a_header_only_file_is_accepted_and_flagged_by_a_non_blocking_check(tmp_path: Path):
    folder = tmp_path / "siao"
    folder.mkdir()
    (folder / "siao_13_2025-01.csv").write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    (folder / "siao_13_2025-02.csv").write_text(f"{HEADER}\n", encoding="utf-8")
    database = tmp_path / "w.duckdb"
    with duckdb.connect(str(database)) as conn:
        _load(conn, folder, date(2025, 3, 1))
        log = conn.execute("select file_name, status, rows_read, error from meta.ingest_log order by 1").fetchall()
    assert log[0] == ("siao_13_2025-01.csv", "loaded", 1, None)
    assert log[1][:3] == ("siao_13_2025-02.csv", "loaded", 0) and "sans ligne de données" in log[1][3]
    check = CHECKS[0]
    result = check(warehouse=WarehouseResource(database=str(database)))
    assert result.passed is False
    assert result.severity == dg.AssetCheckSeverity.WARN
    assert result.metadata["fichiers sans ligne de données"].value == 1
    assert [spec.blocking for spec in check.check_specs] == [False]
