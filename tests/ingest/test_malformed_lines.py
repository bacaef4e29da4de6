"""Malformed lines of any kind (lone carriage return, NUL byte, huge field, unbalanced quotes,
10 000 columns) are quarantined with file, line and rule; the rest of their file loads."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from assets.ingest import loader

HEADER = (
    "Numéro demande;Numéro ménage;Date d'extraction;Date de la demande;Type de demande;Département SIAO;"
    "Commune de la demande;Composition familiale;Nombre de personnes;Nombre d'enfants;Sexe;Année de naissance;"
    "Situation à la demande;Statut de la demande;Motif de non-attribution;Date d'orientation;Type d'orientation;"
    "Date d'admission;Date de sortie;Destination à la sortie;NUR"
)


def _line(n: int) -> str:
    return (f"13-{n:07d};MEN{n:09d};31/01/2025;10/01/2025;Urgence;13;13055;Personne seule;1;0;F;1980;"
            "Rue / abri de fortune;En attente;;;;;;;")


BAD_LINES = {
    "lone_cr": _line(900).replace(";Urgence;", ";Urg\rence;"),
    "nul_byte": _line(901).replace(";Urgence;", ";Urg\x00ence;"),
    "huge_field": _line(902).replace(";Urgence;", ";" + "x" * (140 * 1024) + ";"),
    "unbalanced_quote": _line(903).replace(";Urgence;", ';"Urgence;'),
    "ten_thousand_columns": _line(904) + ";x" * 10_000,
}


@pytest.mark.parametrize("kind", list(BAD_LINES))
def test_a_malformed_line_is_quarantined_and_the_rest_of_its_file_loads(tmp_path: Path, kind: str):
    folder = tmp_path / "siao"
    folder.mkdir()
    lines = [_line(1), _line(2), BAD_LINES[kind], _line(3), _line(4)]
    (folder / "siao_13_2025-01.csv").write_bytes(("\n".join([HEADER, *lines]) + "\n").encode("utf-8"))
    conn = duckdb.connect(str(tmp_path / "w.duckdb"))
    summary = loader.load_folder(conn, "siao", folder, pseudo_key="cle", communes=frozenset({"13055"}))
    assert summary.errors == []
    accepted = conn.execute("select line_number from raw.siao order by 1").fetchall()
    assert [n for (n,) in accepted] == [2, 3, 5, 6]
    quarantined = conn.execute("select file_name, line_number, rule from meta.quarantine").fetchall()
    assert quarantined == [("siao_13_2025-01.csv", 4, "malformed_row")]
    log = conn.execute("select status, rows_accepted, rows_quarantined from meta.ingest_log").fetchall()
    assert log == [("loaded", 4, 1)]


def test_check_names_file_and_line_of_each_malformed_line_without_a_traceback(tmp_path: Path):
    from assets.ingest.report import check_file

    path = tmp_path / "siao_13_2025-01.csv"
    lines = [_line(1), *BAD_LINES.values(), _line(3)]
    path.write_bytes(("\n".join([HEADER, *lines]) + "\n").encode("utf-8"))
    code, text = check_file(path, communes=frozenset({"13055"}))
    assert code == 1
    assert "Traceback" not in text
    assert "Fichier : siao_13_2025-01.csv" in text
    for line_number in range(3, 3 + len(BAD_LINES)):
        assert f"ligne {line_number} : [malformed_row]" in text
    assert "acceptées : 2" in text
