"""Ingestion through the real assets: every row accounted for, every injected quirk handled as the
generator's manifest says, pseudonymisation, idempotent and incremental runs."""

from __future__ import annotations

import hashlib
import re

import duckdb
import polars as pl
import pytest

from pipelines.config import SQL_DIR
from tests.pipeline.conftest import Built, materialise

TABLES = ["raw.siao", "raw.sne_attributions", "raw.sne_demandes", "raw.ndls", "raw.offre"]


def _conn(built: Built) -> duckdb.DuckDBPyConnection:
    return duckdb.connect(str(built.warehouse), read_only=True)


def _manifest(simulated) -> pl.DataFrame:
    return pl.read_csv(simulated / "quirks_manifest.csv", schema_overrides={"line_number": pl.Int64})


def test_every_row_read_is_accepted_or_quarantined(built: Built):
    with _conn(built) as c:
        log = c.sql("select * from meta.ingest_log").pl()
        assert log.height > 1000
        bad = log.filter(pl.col("rows_read") != pl.col("rows_accepted") + pl.col("rows_quarantined"))
        assert bad.height == 0
        accepted = pl.concat([
            c.sql(f"select source_file, count(*) as n from {t} group by source_file").pl() for t in TABLES])
        quarantined = c.sql("select file_name, count(*) as q from meta.quarantine group by file_name").pl()
    check = (log.filter(pl.col("status") == "loaded")
             .join(accepted, left_on="file_name", right_on="source_file", how="left")
             .join(quarantined, on="file_name", how="left")
             .with_columns(pl.col("n").fill_null(0), pl.col("q").fill_null(0)))
    assert check.filter(pl.col("n") != pl.col("rows_accepted")).height == 0
    assert check.filter(pl.col("q") != pl.col("rows_quarantined")).height == 0


def test_quarantine_explains_every_injected_bad_row(built: Built, simulated):
    manifest = _manifest(simulated)
    expected = manifest.filter(pl.col("expected") == "quarantined").select("file_name", "line_number", "rule")
    with _conn(built) as c:
        quarantine = c.sql("select file_name, line_number, rule, message from meta.quarantine").pl()
    # the generator's clean rows are all valid: what is quarantined is exactly what was injected
    got = quarantine.select("file_name", "line_number", "rule").sort(["file_name", "line_number"])
    assert got.to_dicts() == expected.sort(["file_name", "line_number"]).to_dicts()
    assert quarantine["message"].null_count() == 0
    assert expected.height >= 13  # every bad-row kind at least once


@pytest.mark.parametrize("kind", ["blank_line", "total_footer"])
def test_skipped_lines_are_counted_apart(built: Built, simulated, kind):
    manifest = _manifest(simulated).filter(pl.col("expected") == "skipped")
    per_file = manifest.group_by("file_name").agg(pl.len().alias("skipped"))
    with _conn(built) as c:
        log = c.sql("select file_name, rows_skipped from meta.ingest_log where status = 'loaded'").pl()
    joined = log.join(per_file, on="file_name", how="left").with_columns(pl.col("skipped").fill_null(0))
    assert joined.filter(pl.col("rows_skipped") != pl.col("skipped")).height == 0
    assert manifest.filter(pl.col("kind") == kind).height >= 1


def test_files_missing_a_required_column_are_rejected_whole(built: Built, simulated):
    rejected = _manifest(simulated).filter(pl.col("expected") == "rejected")
    with _conn(built) as c:
        log = c.sql("select file_name, status, error, rows_accepted from meta.ingest_log where status = 'rejected'").pl()
    assert sorted(log["file_name"]) == sorted(rejected["file_name"])
    for row in rejected.iter_rows(named=True):
        error = log.filter(pl.col("file_name") == row["file_name"])["error"][0]
        assert row["file_name"] in error and row["column_name"] in error


def test_accepted_quirk_lines_are_loaded_with_normalised_codes(built: Built, simulated):
    lines = _manifest(simulated).filter((pl.col("expected") == "accepted") & pl.col("line_number").is_not_null())
    kinds = set(lines["kind"])
    assert {"date_with_time", "date_iso", "missing_marker", "departement_lost_zero", "commune_lost_zero",
            "arrondissement"} <= kinds
    with _conn(built) as c:
        communes = {r[0] for r in c.sql("select code_commune from reference.communes").fetchall()}
        for row in lines.iter_rows(named=True):
            table = {"siao": "raw.siao", "ndls": "raw.ndls", "offre": "raw.offre"}.get(row["source"])
            if table is None:
                table = "raw.sne_attributions" if "attributions" in row["file_name"] else "raw.sne_demandes"
            found = c.sql(f"select * from {table} where source_file = $f and line_number = $n",
                          params={"f": row["file_name"], "n": row["line_number"]}).pl()
            assert found.height == 1, row
            if row["kind"] in ("commune_lost_zero", "arrondissement"):
                assert found["commune"][0] in communes
            if row["kind"] == "arrondissement":
                assert found["commune"][0] in {"75056", "69123", "13055"}
            if row["kind"] == "departement_lost_zero":
                assert re.fullmatch(r"0[1-9]", found["departement"][0])


def test_siao_latest_state_is_the_last_extraction(built: Built):
    with _conn(built) as c:
        n_requests = c.sql("select count(distinct (departement_siao, numero_demande)) from staging.siao_demandes_historique").fetchall()[0][0]
        state = c.sql("select * from staging.siao_demandes").pl()
        hist = c.sql("select * from staging.siao_demandes_historique").pl()
    assert state.height == n_requests
    multi = state.filter(pl.col("nb_extractions") > 1)
    assert multi.height > 0
    latest = hist.sort("date_extraction").group_by(["departement_siao", "numero_demande"]).last()
    joined = multi.join(latest, on=["departement_siao", "numero_demande"], suffix="_h")
    assert (joined["statut"] == joined["statut_h"]).all()
    assert (joined["date_extraction"] == joined["date_extraction_h"]).all()


CLEAR = re.compile(r"MEN\d{10}|\b\d{5}[A-D]\d{8}\b")  # the generator's household numbers and NUR


def test_no_clear_identifier_in_the_warehouse(built: Built):
    text = "".join(p.read_bytes().decode("latin-1") for sub in ("siao", "sne") for p in (built.landing / sub).glob("*.csv"))
    assert len(set(CLEAR.findall(text))) > 1000  # the input does hold clear identifiers
    with _conn(built) as c:
        columns = c.sql("select table_schema, table_name, column_name from information_schema.columns "
                        "where data_type = 'VARCHAR'").fetchall()
        assert len(columns) > 30
        for schema, table, column in columns:
            values = [r[0] for r in c.sql(f'select distinct "{column}" from "{schema}"."{table}"').fetchall() if r[0]]
            hits = [v for v in values if CLEAR.search(v)]
            assert not hits, (schema, table, column, hits[:3])


# a file the generator wrote without any quirk (plain UTF-8, `;`, no blank or footer line)
CLEAN_FILE = "siao_13_2025-11.csv"


def _content_hash(path) -> str:
    digest = hashlib.sha256()
    with duckdb.connect(str(path), read_only=True) as c:
        for table in [*TABLES, "meta.quarantine", "staging.siao_demandes"]:
            rows = c.sql(f"select * from {table} order by all").fetchall()
            digest.update(repr(rows).encode())
        log = c.sql("select * exclude (ingested_at) from meta.ingest_log order by all").fetchall()
        digest.update(repr(log).encode())
    return digest.hexdigest()


def test_rerun_changes_nothing_and_new_or_replaced_files_touch_only_themselves(private_copy: Built, simulated):
    assert CLEAN_FILE not in set(_manifest(simulated)["file_name"])
    materialise(private_copy)
    first = _content_hash(private_copy.warehouse)
    materialise(private_copy)
    assert _content_hash(private_copy.warehouse) == first
    with duckdb.connect(str(private_copy.warehouse), read_only=True) as c:
        before = c.sql("select file_name, ingested_at from meta.ingest_log").pl()
        counts = c.sql("select source_file, count(*) as n from raw.siao group by all").pl()
    # a corrected version of one file (one data line less) and one new file
    target = private_copy.landing / "siao" / CLEAN_FILE
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    target.write_text("".join(lines[:-1]), encoding="utf-8")
    new = private_copy.landing / "siao" / "siao_13_2026-01.csv"
    new.write_text(lines[0] + lines[1], encoding="utf-8")
    materialise(private_copy)
    with duckdb.connect(str(private_copy.warehouse), read_only=True) as c:
        after = c.sql("select file_name, status, ingested_at from meta.ingest_log").pl()
        counts_after = c.sql("select source_file, count(*) as n from raw.siao group by all").pl()
    assert after.height == before.height + 2
    statuses = after.filter(pl.col("file_name") == CLEAN_FILE)["status"].sort().to_list()
    assert statuses == ["loaded", "replaced"]
    untouched = before.filter(~pl.col("file_name").is_in([CLEAN_FILE, "siao_13_2026-01.csv"]))
    assert untouched.join(after, on=["file_name", "ingested_at"]).height == untouched.height
    old_n = counts.filter(pl.col("source_file") == CLEAN_FILE)["n"][0]
    assert counts_after.filter(pl.col("source_file") == CLEAN_FILE)["n"][0] == old_n - 1
    assert counts_after.filter(pl.col("source_file") == "siao_13_2026-01.csv")["n"][0] == 1
    others = counts.filter(~pl.col("source_file").is_in([CLEAN_FILE]))
    assert others.join(counts_after, on=["source_file", "n"]).height == others.height
    # the state of the requests, recomputed for the changed départements only, is the full computation's
    sql = (SQL_DIR / "staging" / "stg_siao__demandes.sql").read_text(encoding="utf-8")
    with duckdb.connect(str(private_copy.warehouse), read_only=True) as c:
        incremental = c.sql("select * from staging.siao_demandes order by all").fetchall()
        full = c.sql(f"select * from ({sql}) order by all").fetchall()
        recorded = c.sql("select count(*) from meta.empreintes where modele = 'staging.siao_demandes'").fetchall()[0][0]
    assert incremental == full
    assert recorded > 50
