"""`validate_file` / `validate_files`: file names, the FileResult, schemas, pandera models, batches."""

from __future__ import annotations

import datetime as dt

import pandera.polars as pa
import polars as pl
import pytest

from assets.ingest.contracts import CONTRACTS, MODELS, QUARANTINE_SCHEMA
from assets.ingest.errors import UnknownSourceError
from assets.ingest.validate import parse_file_name, validate_file, validate_files

from .samples import (
    COMMUNES,
    NDLS_HEADER,
    NDLS_ROW,
    OFFRE_HEADER,
    OFFRE_ROW,
    SIAO_HEADER,
    SIAO_ROW,
    SNE_ATTR_HEADER,
    SNE_ATTR_ROW,
    SNE_DEM_HEADER,
    SNE_DEM_ROW,
    csv_text,
    row,
    write,
)

KEY = "cle-de-test"

FILES = {
    "siao_2A_2023-04.csv": (SIAO_HEADER, SIAO_ROW),
    "sne_attributions_2023.csv": (SNE_ATTR_HEADER, SNE_ATTR_ROW),
    "sne_demandes_2023.csv": (SNE_DEM_HEADER, SNE_DEM_ROW),
    "ndls_75056_2024.csv": (NDLS_HEADER, NDLS_ROW),
    "offre_2022.csv": (OFFRE_HEADER, OFFRE_ROW),
}


def test_file_names():
    name = parse_file_name("siao_2A_2023-04.csv")
    assert (name.source, name.kind, name.departement, name.month, name.year) == ("siao", "siao", "2A", "2023-04", 2023)
    assert parse_file_name("siao_1_2023-12.csv").departement == "01"
    assert parse_file_name("sne_attributions_2021.csv").kind == "sne_attributions"
    name = parse_file_name("sne_demandes_2021.csv")
    assert (name.source, name.kind, name.year) == ("sne", "sne_demandes", 2021)
    name = parse_file_name("ndls_75056_2024.csv")
    assert (name.source, name.commune, name.year) == ("ndls", "75056", 2024)
    assert parse_file_name("offre_2022.csv").year == 2022
    for bad in ("siao_75_2023-13.csv", "export.csv", "sne_2023.csv", "offre_22.csv"):
        with pytest.raises(UnknownSourceError, match="nom de fichier non reconnu"):
            parse_file_name(bad)
    assert parse_file_name("export.csv", "siao").kind == "siao"
    assert parse_file_name("export.csv", "sne_demandes").kind == "sne_demandes"
    assert parse_file_name("export.csv", "sne").kind is None  # decided by the header
    with pytest.raises(UnknownSourceError):
        parse_file_name("export.csv", "inconnue")


@pytest.mark.parametrize("file_name", list(FILES))
def test_each_kind_accepted_frame_follows_its_contract(tmp_path, file_name):
    header, base = FILES[file_name]
    path = write(tmp_path / file_name, csv_text(header, [base, base]))
    result = validate_file(path, pseudo_key=KEY, communes=COMMUNES)
    contract = CONTRACTS[result.kind]
    assert result.status == "loaded" and result.error is None
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined, result.rows_skipped) == (2, 2, 0, 0)
    assert result.accepted.schema == pl.Schema(contract.accepted_schema)
    assert result.accepted.get_column("source_file").to_list() == [file_name] * 2
    assert result.accepted.get_column("line_number").to_list() == [2, 3]
    assert result.quarantine.schema == pl.Schema(QUARANTINE_SCHEMA)
    MODELS[result.kind].validate(result.accepted)


def test_file_result_and_ingest_log_row(tmp_path):
    path = write(tmp_path / "siao_75_2023-04.csv", csv_text(SIAO_HEADER, [SIAO_ROW, row(SIAO_ROW, Sexe="X")]) + "Total;2\n")
    result = validate_file(path, pseudo_key=KEY, communes=COMMUNES)
    log = result.ingest_log_row()
    assert log == {
        "source": "siao",
        "file_name": "siao_75_2023-04.csv",
        "sha256": result.sha256,
        "bytes": path.stat().st_size,
        "encoding": "utf-8",
        "separator": ";",
        "status": "loaded",
        "error": None,
        "rows_read": 2,
        "rows_accepted": 1,
        "rows_quarantined": 1,
        "rows_skipped": 1,
    }
    assert len(result.sha256) == 64
    assert (result.departement, result.month, result.year) == ("75", "2023-04", 2023)
    got = result.accepted.row(0, named=True)
    assert got["extraction_date"] == dt.date(2023, 4, 30) and got["request_type"] == "Urgence"
    assert got["orientation_date"] == dt.date(2023, 3, 10) and got["exit_date"] is None


def test_sne_kind_from_header_when_the_name_does_not_say(tmp_path):
    path = write(tmp_path / "export_sne.csv", csv_text(SNE_ATTR_HEADER, [SNE_ATTR_ROW]))
    result = validate_file(path, "sne", pseudo_key=KEY, communes=COMMUNES)
    assert (result.source, result.kind, result.rows_accepted) == ("sne", "sne_attributions", 1)
    path = write(tmp_path / "export_sne2.csv", csv_text(SNE_DEM_HEADER, [SNE_DEM_ROW]))
    assert validate_file(path, "sne", pseudo_key=KEY, communes=COMMUNES).kind == "sne_demandes"


def test_unknown_file_name_raises(tmp_path):
    path = write(tmp_path / "donnees.csv", csv_text(OFFRE_HEADER, [OFFRE_ROW]))
    with pytest.raises(UnknownSourceError):
        validate_file(path, pseudo_key=KEY)


def test_batch_gives_the_same_results_as_one_file_at_a_time(tmp_path):
    paths = []
    for i in range(3):
        rows = [SIAO_ROW, row(SIAO_ROW, **{"Date de la demande": "31/02/2023"}), row(SIAO_ROW, **{"Sexe": "X"})][: i + 1]
        paths.append(write(tmp_path / f"siao_75_2023-0{i + 1}.csv", csv_text(SIAO_HEADER, rows)))
    order = list(reversed(SIAO_HEADER))
    paths.append(write(tmp_path / "siao_13_2023-01.csv", csv_text(order, [SIAO_ROW], sep="\t")))
    header = [h for h in SIAO_HEADER if h != "Date d'extraction"]
    paths.append(write(tmp_path / "siao_13_2023-02.csv", csv_text(header, [SIAO_ROW])))
    paths.append(write(tmp_path / "offre_2023.csv", csv_text(OFFRE_HEADER, [OFFRE_ROW, row(OFFRE_ROW, places="-")])))
    excel_header = '="Numéro demande";' + ";".join(SIAO_HEADER[1:])
    excel_line = '="D1";' + ";".join(SIAO_ROW[h] for h in SIAO_HEADER[1:])
    paths.append(write(tmp_path / "siao_13_2023-03.csv", excel_header + "\n" + excel_line + "\n"))
    batch = validate_files(paths, pseudo_key=KEY, communes=COMMUNES, batch_files=4)
    single = [validate_file(p, pseudo_key=KEY, communes=COMMUNES) for p in paths]
    assert [r.file_name for r in batch] == [p.name for p in paths]
    for b, s in zip(batch, single):
        assert b.ingest_log_row() == s.ingest_log_row()
        assert b.accepted.equals(s.accepted) and b.quarantine.equals(s.quarantine)
    assert [r.status for r in batch] == ["loaded"] * 4 + ["rejected", "loaded", "loaded"]
    assert [r.rows_quarantined for r in batch] == [0, 1, 2, 0, 0, 1, 0]
    assert batch[3].separator == "\t"


def test_pandera_models_refuse_frames_outside_the_contract(tmp_path):
    path = write(tmp_path / "siao_75_2023-04.csv", csv_text(SIAO_HEADER, [SIAO_ROW]))
    accepted = validate_file(path, pseudo_key=KEY, communes=COMMUNES).accepted
    with pytest.raises(pa.errors.SchemaError):
        MODELS["siao"].validate(accepted.with_columns(nb_children=pl.lit(5, dtype=pl.Int64)))  # >= nb_persons
    with pytest.raises(pa.errors.SchemaError):
        MODELS["siao"].validate(accepted.with_columns(birth_year=pl.lit(1980)))  # strict: no clear birth year
    with pytest.raises(pa.errors.SchemaError):
        MODELS["siao"].validate(accepted.with_columns(request_type=pl.lit("Urgent")))


def test_header_only_and_blank_only_files(tmp_path):
    only_header = write(tmp_path / "siao_75_2020-01.csv", ";".join(SIAO_HEADER) + "\n")
    only_blank = write(tmp_path / "sne_demandes_2020.csv", ";".join(SNE_DEM_HEADER) + "\n\n;;\n")
    results = validate_files([only_header, only_blank], pseudo_key=KEY, communes=COMMUNES)
    assert [(r.status, r.rows_read, r.rows_skipped) for r in results] == [("loaded", 0, 0), ("loaded", 0, 2)]
    assert results[0].accepted.schema == pl.Schema(CONTRACTS["siao"].accepted_schema)
