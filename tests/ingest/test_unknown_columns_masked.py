"""Columns the contract does not know (an identifier, a name) never stay in clear in the quarantine."""

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


def _row(n: int, persons: str = "1") -> str:
    return (f"13-{n:07d};MEN{n:09d};31/01/2025;10/01/2025;Urgence;13;13055;Personne seule;{persons};0;F;1980;"
            "Rue / abri de fortune;En attente;;;;;;;")


def test_values_of_unknown_columns_are_masked_in_quarantined_raw_lines(tmp_path: Path):
    folder = tmp_path / "siao"
    folder.mkdir()
    lines = [
        f"N° allocataire CAF;{HEADER};Nom du demandeur",
        f"CAF-7788123;{_row(1)};DUPONT Jeanne",
        f"CAF-5566001;{_row(2, persons='zéro')};MARTIN Paul",  # refused: invalid integer
        f"CAF-9900111;{_row(3)};DURAND Luc;en trop",  # refused: malformed (one field too many)
    ]
    (folder / "siao_13_2025-01.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    loader.load_folder(conn, "siao", folder, pseudo_key="cle", communes=frozenset({"13055"}))
    assert conn.execute("select count(*) from raw.siao").fetchone()[0] == 1
    quarantined = conn.execute("select line_number, rule, raw_line from meta.quarantine order by 1").fetchall()
    assert [(n, r) for n, r, _ in quarantined] == [(3, "invalid_integer"), (4, "malformed_row")]
    stored = " ".join(raw for _, _, raw in quarantined)
    for clear in ("CAF-5566001", "MARTIN", "Paul", "CAF-9900111", "DURAND", "MEN000000002", "MEN000000003"):
        assert clear not in stored, clear
    assert quarantined[0][2].startswith("[masqué];13-0000002;")
    assert quarantined[0][2].endswith(";[masqué]")
    assert "zéro" in quarantined[0][2]  # the cell that explains the refusal stays readable
    log = conn.execute("select unknown_columns from meta.ingest_log").fetchone()[0]
    assert "CAF" in log and "Nom du demandeur" in log
