"""`check_file`: exit codes and the French report of `observatoire check`."""

from __future__ import annotations

from assets.ingest.report import check_file

from .samples import COMMUNES, SIAO_HEADER, SIAO_ROW, csv_text, row, write


def test_clean_file_exit_0(tmp_path):
    path = write(tmp_path / "siao_75_2023-04.csv", csv_text(SIAO_HEADER, [SIAO_ROW, SIAO_ROW]))
    code, text = check_file(path, communes=COMMUNES)
    assert code == 0
    assert "Fichier : siao_75_2023-04.csv" in text
    assert "Source : siao" in text
    assert "Encodage : UTF-8 (utf-8)" in text
    assert "Séparateur : point-virgule" in text
    assert "Lignes lues : 2 ; acceptées : 2 ; refusées : 0 ; ignorées (vides ou total final) : 0" in text
    assert "Aucun problème" in text


def test_problems_exit_1_with_one_line_per_problem_and_counts(tmp_path):
    rows = [
        SIAO_ROW,
        row(SIAO_ROW, **{"Date de la demande": "31/02/2023"}),
        row(SIAO_ROW, **{"Type de demande": "Urgent"}),
        row(SIAO_ROW, **{"Date de la demande": "30/02/2023"}),
    ]
    text_in = csv_text(SIAO_HEADER, rows) + "\nTotal;4\n"
    code, text = check_file(write(tmp_path / "siao_75_2023-04.csv", text_in), "siao", pseudo_key="k", communes=COMMUNES)
    assert code == 1
    assert "ligne 3, colonne « Date de la demande » : [invalid_date] Date impossible « 31/02/2023 » dans la colonne « Date de la demande »" in text
    assert "ligne 4, colonne « Type de demande » : [invalid_value] Valeur « Urgent »" in text
    assert "refusées : 3 ; ignorées (vides ou total final) : 2" in text
    counts = text.split("Lignes refusées par règle :")[1]
    assert "invalid_value : 1" in counts and "invalid_date : 2" in counts
    assert counts.index("invalid_value") < counts.index("invalid_date")  # priority order


def test_rejected_for_missing_column_exit_1(tmp_path):
    header = [h for h in SIAO_HEADER if h != "Date d'extraction"]
    code, text = check_file(write(tmp_path / "siao_75_2023-04.csv", csv_text(header, [SIAO_ROW])), communes=COMMUNES)
    assert code == 1
    assert "Fichier refusé [required_column_missing] : siao_75_2023-04.csv : colonne obligatoire absente « Date d'extraction »" in text


def test_unreadable_or_unknown_files_exit_2(tmp_path):
    path = tmp_path / "siao_75_2023-04.csv"
    path.write_bytes(csv_text(SIAO_HEADER, [SIAO_ROW]).encode("utf-16"))
    code, text = check_file(path, communes=COMMUNES)
    assert code == 2 and "fichier illisible" in text

    unknown = write(tmp_path / "export.csv", csv_text(SIAO_HEADER, [SIAO_ROW]))
    code, text = check_file(unknown, communes=COMMUNES)
    assert code == 2 and "nom de fichier non reconnu" in text
    assert check_file(unknown, "siao", communes=COMMUNES)[0] == 0  # with the source given, it is checked
    assert check_file(unknown, "barometre")[0] == 2

    code, text = check_file(tmp_path / "absent.csv")
    assert code == 2 and "introuvable" in text

    empty = tmp_path / "offre_2023.csv"
    empty.write_bytes(b"")
    assert check_file(empty)[0] == 2


def test_limit_on_problem_lines(tmp_path):
    rows = [row(SIAO_ROW, **{"Sexe": "X"}) for _ in range(5)]
    code, text = check_file(write(tmp_path / "siao_75_2023-04.csv", csv_text(SIAO_HEADER, rows)), communes=COMMUNES, max_problems=2)
    assert code == 1
    assert text.count("[invalid_value]") == 2 and "… et 3 autres lignes refusées" in text
    assert "invalid_value : 5" in text


def test_unknown_columns_are_reported_without_failing(tmp_path):
    header = SIAO_HEADER + ["Commentaire"]
    code, text = check_file(write(tmp_path / "siao_75_2023-04.csv", csv_text(header, [dict(SIAO_ROW, Commentaire="ok")])), communes=COMMUNES)
    assert code == 0 and "Colonnes inconnues ignorées : « Commentaire »" in text
