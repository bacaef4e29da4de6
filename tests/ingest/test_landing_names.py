"""Only files named exactly as a contract says are loaded; links and non-regular files are refused,
never followed; each refused file has a `rejected` log row with a French reason."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

from assets.ingest import loader
from assets.ingest.naming import landing_file_name

SNE_HEADER = "numero_unique;date_depot;date_attribution;commune;reservataire;situation_logement;composition;nb_personnes;prioritaire_dalo;demandeur_asile"


def _sne_file(rows: int) -> str:
    lines = [f"0751123{n:06d};15/01/2021;20/06/2023;75056;Etat;Hôtel;Famille monoparentale;3;Oui;Non" for n in range(rows)]
    return "\n".join([SNE_HEADER, *lines]) + "\n"


def test_the_grammar_is_exact():
    assert landing_file_name("siao_01_2023-12.csv").departement == "01"
    assert landing_file_name("siao_2A_2023-12.csv").departement == "2A"
    assert landing_file_name("siao_971_2023-01.csv").month == "2023-01"
    assert landing_file_name("sne_attributions_2023.csv").kind == "sne_attributions"
    for bad in ("siao_1_2023-12.csv", "SIAO_01_2023-12.csv", "siao_01_2023-12.CSV", "siao_2a_2023-12.csv",
                "siao_01_2023-1.csv", "sne_attributions_2023 (copie).csv", "SNE_ATTRIBUTIONS_2023.CSV",
                "sne_attributions_2023.csv.bak", "sne_attributions_2023.txt", "sne_2023.csv"):
        assert landing_file_name(bad) is None, bad


def test_copies_and_misnamed_files_beside_the_real_one_are_refused_and_do_not_double_the_rows(tmp_path: Path):
    folder = tmp_path / "sne"
    folder.mkdir()
    for name in ("sne_attributions_2023.csv", "sne_attributions_2023 (copie).csv", "SNE_ATTRIBUTIONS_2023.CSV",
                 "sne_attributions_2023.txt"):
        (folder / name).write_text(_sne_file(7), encoding="utf-8")
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    loader.load_folder(conn, "sne", folder, pseudo_key="cle", communes=frozenset({"75056"}))
    assert conn.execute("select count(*) from raw.sne_attributions").fetchone()[0] == 7
    log = conn.execute("select file_name, status, error from meta.ingest_log order by file_name").fetchall()
    assert [(n, s) for n, s, _ in log] == [
        ("SNE_ATTRIBUTIONS_2023.CSV", "rejected"),
        ("sne_attributions_2023 (copie).csv", "rejected"),
        ("sne_attributions_2023.csv", "loaded"),
        ("sne_attributions_2023.txt", "rejected"),
    ]
    assert all("nom de fichier non conforme" in e for n, s, e in log if s == "rejected")
    # a second run changes nothing
    loader.load_folder(conn, "sne", folder, pseudo_key="cle", communes=frozenset({"75056"}))
    assert conn.execute("select count(*) from raw.sne_attributions").fetchone()[0] == 7
    assert conn.execute("select count(*) from meta.ingest_log").fetchone()[0] == 4


def test_a_link_or_a_pipe_in_the_landing_folder_is_refused_and_never_followed(tmp_path: Path):
    folder = tmp_path / "sne"
    folder.mkdir()
    outside = tmp_path / "dehors.csv"
    outside.write_text(_sne_file(5), encoding="utf-8")
    os.symlink(outside, folder / "sne_attributions_2023.csv")
    os.mkfifo(folder / "sne_attributions_2024.csv")
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    loader.load_folder(conn, "sne", folder, pseudo_key="cle", communes=frozenset({"75056"}))
    assert conn.execute("select count(*) from raw.sne_attributions").fetchone()[0] == 0
    log = conn.execute("select file_name, status, error from meta.ingest_log order by file_name").fetchall()
    assert [(n, s) for n, s, _ in log] == [("sne_attributions_2023.csv", "rejected"),
                                           ("sne_attributions_2024.csv", "rejected")]
    assert "lien symbolique" in log[0][2] and "pas un fichier ordinaire" in log[1][2]
