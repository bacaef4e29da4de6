"""A same-name replacement refused whole keeps the rows of the version accepted before."""

from __future__ import annotations

from pathlib import Path

import duckdb

from assets.ingest import loader

HEADER = (
    "Numéro demande;Numéro ménage;Date d'extraction;Date de la demande;Type de demande;Département SIAO;"
    "Commune de la demande;Composition familiale;Nombre de personnes;Nombre d'enfants;Sexe;Année de naissance;"
    "Situation à la demande;Statut de la demande;Motif de non-attribution;Date d'orientation;Type d'orientation;"
    "Date d'admission;Date de sortie;Destination à la sortie;NUR"
)


def _row(n: int) -> str:
    return (f"75-{n:07d};MEN{n:09d};30/06/2024;10/06/2024;Urgence;75;75056;Personne seule;1;0;F;1980;"
            "Rue / abri de fortune;En attente;;;;;;;")


def _load(conn, folder):
    return loader.load_folder(conn, "siao", folder, pseudo_key="cle", communes=frozenset({"75056"}))


def test_a_replacement_refused_whole_keeps_the_previous_rows_and_says_so(tmp_path: Path):
    folder = tmp_path / "siao"
    folder.mkdir()
    path = folder / "siao_75_2024-06.csv"
    path.write_text("\n".join([HEADER, *(_row(n) for n in range(42))]) + "\n", encoding="utf-8")
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    _load(conn, folder)
    assert conn.execute("select count(*) from raw.siao").fetchone()[0] == 42
    # the new version lacks a required column: refused whole
    broken = HEADER.replace("Numéro demande;", "")
    path.write_text("\n".join([broken, *(_row(n).split(";", 1)[1] for n in range(50))]) + "\n", encoding="utf-8")
    _load(conn, folder)
    assert conn.execute("select count(*) from raw.siao").fetchone()[0] == 42
    log = conn.execute("select status, error from meta.ingest_log order by ingested_at").fetchall()
    assert [s for s, _ in log] == ["loaded", "rejected"]
    assert "version précédente acceptée sont conservées" in log[1][1]
    assert "« Numéro demande »" in log[1][1]
    _load(conn, folder)  # nothing new: nothing changes
    assert conn.execute("select count(*) from raw.siao").fetchone()[0] == 42
    assert conn.execute("select count(*) from meta.ingest_log").fetchone()[0] == 2
    # a corrected version replaces the kept rows
    path.write_text("\n".join([HEADER, *(_row(n) for n in range(45))]) + "\n", encoding="utf-8")
    _load(conn, folder)
    assert conn.execute("select count(*) from raw.siao").fetchone()[0] == 45
    log = conn.execute("select status from meta.ingest_log order by ingested_at").fetchall()
    assert [s for (s,) in log] == ["replaced", "replaced", "loaded"]
