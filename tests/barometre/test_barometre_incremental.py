"""Idempotent, incremental ingestion: re-running changes nothing, a file with new bytes replaces
exactly its own rows, a file with a broken header is rejected while the others load."""

from assets.barometre import ASSETS

from .conftest import evaluations, materialisations

TABLES = {
    "raw": "select * from raw.barometre",
    "mensuel": "select * from staging.barometre_mensuel",
    "annuel": "select * from staging.barometre_annuel",
    "log": "select * exclude (ingested_at) from meta.ingest_log where source = 'barometre'",
    "quarantine": "select * from meta.quarantine where source = 'barometre'",
}


def snapshot(barometre) -> dict[str, tuple[int, str]]:
    return {name: (len(barometre.query(sql)), barometre.content_hash(sql)) for name, sql in TABLES.items()}


def test_rerun_with_the_same_files_changes_nothing(barometre):
    assert barometre.materialise().success
    before = snapshot(barometre)
    ingested_at = barometre.query("select file_name, ingested_at from meta.ingest_log order by 1")

    second = barometre.materialise()
    assert second.success
    assert snapshot(barometre) == before
    assert barometre.query("select file_name, ingested_at from meta.ingest_log order by 1") == ingested_at
    raw = materialisations(second)["raw/barometre"]
    assert (raw["files_unchanged"].value, raw["files_loaded"].value, raw["rows_read"].value) == (8, 0, 0)


def test_modified_file_replaces_only_its_rows(barometre):
    assert barometre.materialise(selection=ASSETS).success
    other_files = "select * from raw.barometre where file_name <> 'ind-295.csv'"
    others_before = barometre.content_hash(other_files)
    other_logs = ("select * from meta.ingest_log "
                  "where source = 'barometre' and file_name <> 'ind-295.csv'")
    other_logs_before = barometre.content_hash(other_logs)
    old_sha = barometre.scalar("select sha256 from meta.ingest_log where file_name = 'ind-295.csv'")

    path = barometre.folder / "ind-295.csv"
    text = path.read_text(encoding="utf-8")
    assert text.count("IND-295,FRANCE,2023-12-01,NAT,,62460.0,,") == 1
    path.write_text(text.replace("IND-295,FRANCE,2023-12-01,NAT,,62460.0,,", "IND-295,FRANCE,2023-12-01,NAT,,62470.0,,"),
                    encoding="utf-8")

    result = barometre.materialise(selection=ASSETS)
    assert result.success
    raw = materialisations(result)["raw/barometre"]
    assert (raw["files_replaced"].value, raw["files_unchanged"].value) == (1, 7)
    assert barometre.query(
        "select status, sha256 = $old from meta.ingest_log where file_name = 'ind-295.csv' order by ingested_at",
        {"old": old_sha},
    ) == [("replaced", True), ("loaded", False)]
    assert barometre.content_hash(other_files) == others_before
    assert barometre.content_hash(other_logs) == other_logs_before
    assert barometre.scalar("select count(*) from raw.barometre where file_name = 'ind-295.csv'") == 2280
    assert barometre.annuel("france", "FR", "2023") == (62470.0, "ok", "2023-12")
    assert barometre.annuel("france", "FR", "2024") == (87802.0 - 62470.0, "partiel", "2024-05")
    assert barometre.annuel("france", "FR", "2021") == (60733.0, "ok", "2021-12")


def test_header_missing_a_column_is_rejected_and_the_others_load(barometre):
    lines = (barometre.folder / "ind-295.csv").read_text(encoding="utf-8").splitlines()
    without_va = [",".join(c for i, c in enumerate(line.split(",")) if i != 5) for line in lines]
    assert without_va[0] == "indic_id,enforce_zone_id,metric_enforce_date,maille,indic_vi,indic_vc,indic_ta"
    (barometre.folder / "ind-295-sans-va.csv").write_text("\n".join(without_va) + "\n", encoding="utf-8")

    result = barometre.materialise(selection=ASSETS)
    assert result.success
    status, error, accepted = barometre.query(
        "select status, error, rows_accepted from meta.ingest_log where file_name = 'ind-295-sans-va.csv'"
    )[0]
    assert status == "rejected" and accepted == 0
    assert "ind-295-sans-va.csv" in error and "indic_va" in error
    assert materialisations(result)["raw/barometre"]["files_rejected"].value == 1
    assert barometre.scalar("select count(*) from raw.barometre where file_name = 'ind-295-sans-va.csv'") == 0
    assert barometre.scalar(
        "select count(*) from meta.ingest_log where source = 'barometre' and status = 'loaded'"
    ) == 8
    assert barometre.annuel("france", "FR", "2021") == (60733.0, "ok", "2021-12")
    assert barometre.annuel("france", "FR", "2023") == (62460.0, "ok", "2023-12")

    # Re-running does not log the rejected file again.
    assert barometre.materialise(selection=ASSETS).success
    assert barometre.scalar("select count(*) from meta.ingest_log where file_name = 'ind-295-sans-va.csv'") == 1


def test_a_second_file_for_the_same_months_wins_when_ingested_later(barometre):
    assert barometre.materialise().success
    text = (barometre.folder / "ind-295.csv").read_text(encoding="utf-8")
    newer = text.replace("IND-295,FRANCE,2023-12-01,NAT,,62460.0,,", "IND-295,FRANCE,2023-12-01,NAT,,62500.0,,")
    (barometre.folder / "ind-295-nouvelle-version.csv").write_text(newer, encoding="utf-8")

    result = barometre.materialise()
    assert result.success
    assert barometre.scalar("select count(*) from raw.barometre where layout = 'IND-295'") == 2 * 2280
    assert barometre.query(
        "select valeur, file_name from staging.barometre_mensuel "
        "where territoire_code = 'FR' and date = date '2023-12-01'"
    ) == [(62500.0, "ind-295-nouvelle-version.csv")]
    assert barometre.annuel("france", "FR", "2023") == (62500.0, "ok", "2023-12")
    assert evaluations(result)["barometre_annuel_cle_unique"].passed


def test_empty_landing_folder(tmp_path):
    from .conftest import Barometre

    empty = Barometre(database=tmp_path / "w.duckdb", landing=tmp_path / "landing")
    result = empty.materialise()
    assert result.success
    assert empty.scalar("select count(*) from raw.barometre") == 0
    assert empty.scalar("select count(*) from staging.barometre_annuel") == 0
    assert all(evaluation.passed for evaluation in result.get_asset_check_evaluations())
