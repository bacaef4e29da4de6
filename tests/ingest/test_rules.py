"""Every quarantine rule fires on a bad row: exact counts, rule, physical line and column."""

from __future__ import annotations

import pytest

from assets.ingest.contracts import QUARANTINE_SCHEMA, ROW_RULES
from assets.ingest.validate import validate_file

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


def _check_one_refused(tmp_path, name, header, base, bad, rule, column):
    """A file of 3 rows, the middle one bad (physical line 3): 2 accepted, 1 quarantined."""
    path = write(tmp_path / name, csv_text(header, [base, row(base, **bad), base]))
    result = validate_file(path, pseudo_key=KEY, communes=COMMUNES)
    assert result.status == "loaded", result.error
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined) == (3, 2, 1), result.quarantine.to_dicts()
    assert result.accepted.get_column("line_number").to_list() == [2, 4]
    q = result.quarantine.row(0, named=True)
    assert (q["rule"], q["line_number"], q["column_name"]) == (rule, 3, column), q
    assert q["file_name"] == name
    assert result.quarantine.schema == QUARANTINE_SCHEMA
    return q


SIAO_CASES = [
    # (id, changed cells, rule, column)
    ("menage_missing", {"Numéro ménage": ""}, "required_value_missing", "Numéro ménage"),
    ("type_marker", {"Type de demande": "NR"}, "required_value_missing", "Type de demande"),
    ("extraction_missing", {"Date d'extraction": "Non renseigné"}, "required_value_missing", "Date d'extraction"),
    ("type_invalid", {"Type de demande": "Urgent"}, "invalid_value", "Type de demande"),
    ("sexe_invalid", {"Sexe": "X"}, "invalid_value", "Sexe"),
    ("statut_invalid", {"Statut de la demande": "Close"}, "invalid_value", "Statut de la demande"),
    ("situation_invalid", {"Situation à la demande": "Caravane"}, "invalid_value", "Situation à la demande"),
    ("orientation_type_invalid", {"Type d'orientation": "Palace"}, "invalid_value", "Type d'orientation"),
    ("composition_invalid", {"Composition familiale": "Tribu"}, "invalid_value", "Composition familiale"),
    ("persons_zero", {"Nombre de personnes": "0"}, "invalid_integer", "Nombre de personnes"),
    ("persons_text", {"Nombre de personnes": "deux"}, "invalid_integer", "Nombre de personnes"),
    ("children_negative", {"Nombre d'enfants": "-1"}, "invalid_integer", "Nombre d'enfants"),
    ("birth_year_text", {"Année de naissance": "19x5"}, "invalid_integer", "Année de naissance"),
    ("birth_after_request", {"Année de naissance": "2024"}, "invalid_integer", "Année de naissance"),
    ("date_impossible", {"Date de la demande": "31/02/2023"}, "invalid_date", "Date de la demande"),
    ("date_unreadable", {"Date d'admission": "12 mars"}, "invalid_date", "Date d'admission"),
    ("departement_20", {"Département SIAO": "20"}, "invalid_departement", "Département SIAO"),
    ("departement_99", {"Département SIAO": "99"}, "invalid_departement", "Département SIAO"),
    ("commune_unknown", {"Commune de la demande": "99999"}, "unknown_commune", "Commune de la demande"),
    ("commune_garbage", {"Commune de la demande": "Paris"}, "unknown_commune", "Commune de la demande"),
    ("request_before_2010", {"Date de la demande": "15/12/2009"}, "date_out_of_range", "Date de la demande"),
    ("exit_after_extraction", {"Date de sortie": "01/05/2023"}, "date_out_of_range", "Date de sortie"),
    ("extraction_before_2010", {"Date d'extraction": "30/04/2009"}, "date_out_of_range", "Date d'extraction"),
    ("orientation_before_request", {"Date d'orientation": "01/03/2023"}, "date_chain", "Date d'orientation"),
    ("admission_before_orientation", {"Date d'admission": "09/03/2023"}, "date_chain", "Date d'admission"),
    ("exit_before_admission", {"Date de sortie": "11/03/2023"}, "date_chain", "Date de sortie"),
    (
        "admission_before_request_no_orientation",
        {"Statut de la demande": "En attente", "Date d'orientation": "", "Type d'orientation": "", "Date d'admission": "01/03/2023"},
        "date_chain",
        "Date d'admission",
    ),
    ("pourvue_no_orientation_date", {"Date d'orientation": ""}, "pourvue_without_orientation", "Date d'orientation"),
    ("pourvue_no_orientation_type", {"Type d'orientation": "-"}, "pourvue_without_orientation", "Type d'orientation"),
    (
        "non_pourvue_no_motif",
        {"Statut de la demande": "Non pourvue", "Date d'orientation": "", "Type d'orientation": "", "Date d'admission": ""},
        "non_pourvue_without_motif",
        "Motif de non-attribution",
    ),
    ("children_equal_persons", {"Nombre de personnes": "2", "Nombre d'enfants": "2"}, "children_not_less_than_persons", "Nombre d'enfants"),
    ("children_more_than_persons", {"Nombre d'enfants": "3"}, "children_not_less_than_persons", "Nombre d'enfants"),
]


@pytest.mark.parametrize(("case", "bad", "rule", "column"), SIAO_CASES, ids=[c[0] for c in SIAO_CASES])
def test_siao_row_rules(tmp_path, case, bad, rule, column):
    q = _check_one_refused(tmp_path, "siao_75_2023-04.csv", SIAO_HEADER, SIAO_ROW, bad, rule, column)
    assert f"« {column} »" in q["message"]


def test_every_row_rule_is_covered():
    covered = {c[2] for c in SIAO_CASES} | {"malformed_row"}
    assert covered == set(ROW_RULES)


def test_messages_are_french_sentences_with_value(tmp_path):
    q = _check_one_refused(
        tmp_path, "siao_75_2023-04.csv", SIAO_HEADER, SIAO_ROW, {"Date de la demande": "31/02/2023"}, "invalid_date", "Date de la demande"
    )
    assert q["message"] == "Date impossible « 31/02/2023 » dans la colonne « Date de la demande »"
    q = _check_one_refused(
        tmp_path, "siao_75_2023-04.csv", SIAO_HEADER, SIAO_ROW, {"Date de la demande": "2023/02/31"}, "invalid_date", "Date de la demande"
    )
    assert q["message"].startswith("Date illisible « 2023/02/31 » dans la colonne « Date de la demande »")
    q = _check_one_refused(
        tmp_path, "siao_75_2023-04.csv", SIAO_HEADER, SIAO_ROW, {"Type de demande": "Urgent"}, "invalid_value", "Type de demande"
    )
    assert q["message"] == (
        "Valeur « Urgent » non admise dans la colonne « Type de demande » (valeurs admises : Urgence, Insertion)"
    )
    q = _check_one_refused(
        tmp_path, "siao_75_2023-04.csv", SIAO_HEADER, SIAO_ROW, {"Date d'orientation": "01/03/2023"}, "date_chain", "Date d'orientation"
    )
    assert q["message"] == (
        "Chronologie incohérente : « Date d'orientation » (01/03/2023) est antérieure à « Date de la demande » (02/03/2023)"
    )


def test_priority_first_failing_rule_and_others_listed(tmp_path):
    # invalid_value (priority 3) beats invalid_date (5) and children_not_less_than_persons (12)
    bad = {"Type de demande": "Urgent", "Date de la demande": "31/02/2023", "Nombre d'enfants": "5"}
    q = _check_one_refused(tmp_path, "siao_75_2023-04.csv", SIAO_HEADER, SIAO_ROW, bad, "invalid_value", "Type de demande")
    assert "[autres règles en échec : invalid_date, children_not_less_than_persons]" in q["message"]
    # within a rule, the first column of the contract is reported
    bad = {"Date de la demande": "31/02/2023", "Date d'extraction": "32/04/2023"}
    _check_one_refused(tmp_path, "siao_75_2023-04.csv", SIAO_HEADER, SIAO_ROW, bad, "invalid_date", "Date d'extraction")
    # required_value_missing beats malformed? no: malformed_row is first
    bad = {"Numéro ménage": "", "NUR": "X;Y"}
    _check_one_refused(tmp_path, "siao_75_2023-04.csv", SIAO_HEADER, SIAO_ROW, bad, "malformed_row", None)


def test_out_of_range_beats_chain(tmp_path):
    # a sortie after the extraction date breaks both; date_out_of_range comes first
    q = _check_one_refused(
        tmp_path, "siao_75_2023-04.csv", SIAO_HEADER, SIAO_ROW, {"Date de sortie": "02/05/2023"}, "date_out_of_range", "Date de sortie"
    )
    assert "postérieure à la date d'extraction (30/04/2023)" in q["message"]


def test_optional_cells_may_be_empty_or_markers(tmp_path):
    ok = row(
        SIAO_ROW,
        **{
            "Commune de la demande": "NC",
            "Sexe": "-",
            "Année de naissance": "NR",
            "Situation à la demande": "Non renseigné",
            "Statut de la demande": "En attente",
            "Date d'orientation": "",
            "Type d'orientation": "nr",
            "Date d'admission": "",
            "NUR": "",
        },
    )
    path = write(tmp_path / "siao_75_2023-04.csv", csv_text(SIAO_HEADER, [ok]))
    result = validate_file(path, pseudo_key=KEY, communes=COMMUNES)
    assert (result.rows_accepted, result.rows_quarantined) == (1, 0), result.quarantine.to_dicts()
    got = result.accepted.row(0, named=True)
    for field in ("commune", "sex", "tranche_age", "situation_at_request", "orientation_type", "orientation_date", "nur_id"):
        assert got[field] is None, field


def test_extraction_month_differs_from_file_name_is_accepted(tmp_path):
    path = write(
        tmp_path / "siao_75_2023-04.csv", csv_text(SIAO_HEADER, [row(SIAO_ROW, **{"Date d'extraction": "15/06/2023"})])
    )
    result = validate_file(path, pseudo_key=KEY, communes=COMMUNES)
    assert result.rows_accepted == 1 and result.month == "2023-04"


# ---------------------------------------------------------------------------------------------
# malformed_row
# ---------------------------------------------------------------------------------------------
def test_malformed_rows_wrong_field_count_and_middle_total(tmp_path):
    good = ";".join(SIAO_ROW[h] for h in SIAO_HEADER)
    cells = [SIAO_ROW[h] for h in SIAO_HEADER]
    too_many = ";".join(cells[:5] + ["EXTRA"] + cells[5:])
    too_few = ";".join(cells[:-2])
    total_middle = ";".join(["Total"] + [""] * (len(cells) - 1))
    text = "\n".join([";".join(SIAO_HEADER), good, too_many, good, too_few, total_middle, good, "Total;3"]) + "\n"
    path = write(tmp_path / "siao_75_2023-04.csv", text)
    result = validate_file(path, pseudo_key=KEY, communes=COMMUNES)
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined, result.rows_skipped) == (6, 3, 3, 1)
    q = result.quarantine.sort("line_number")
    assert q.get_column("line_number").to_list() == [3, 5, 6]
    assert set(q.get_column("rule").to_list()) == {"malformed_row"}
    assert q.get_column("column_name").to_list() == [None, None, None]
    messages = q.get_column("message").to_list()
    assert messages[0].startswith("Ligne mal formée : 22 champs au lieu de 21 (en-tête), valeurs probablement décalées")
    # the shifted row's personal cells are masked wherever they may have moved
    assert "1985" not in q.get_column("raw_line")[0]
    assert "MEN-CLEAR-0001" not in "".join(q.get_column("raw_line").to_list())
    assert messages[1] == "Ligne mal formée : 19 champs au lieu de 21 (en-tête)"
    assert "Total" in messages[2]


# ---------------------------------------------------------------------------------------------
# SNE, NdlS, offre
# ---------------------------------------------------------------------------------------------
SNE_CASES = [
    ("nur_missing", {"numero_unique": ""}, "required_value_missing", "numero_unique"),
    ("commune_missing", {"commune": "NR"}, "required_value_missing", "commune"),
    ("attribution_missing", {"date_attribution": ""}, "required_value_missing", "date_attribution"),
    ("dalo_invalid", {"prioritaire_dalo": "Peut-être"}, "invalid_value", "prioritaire_dalo"),
    ("reservataire_invalid", {"reservataire": "Préfet"}, "invalid_value", "reservataire"),
    ("situation_invalid", {"situation_logement": "Rue"}, "invalid_value", "situation_logement"),
    ("persons_zero", {"nb_personnes": "0"}, "invalid_integer", "nb_personnes"),
    ("attribution_impossible", {"date_attribution": "29/02/2023"}, "invalid_date", "date_attribution"),
    ("depot_unreadable", {"date_depot": "hier"}, "invalid_date", "date_depot"),
    ("commune_unknown", {"commune": "75000"}, "unknown_commune", "commune"),
]


@pytest.mark.parametrize(("case", "bad", "rule", "column"), SNE_CASES, ids=[c[0] for c in SNE_CASES])
def test_sne_attributions_rules(tmp_path, case, bad, rule, column):
    _check_one_refused(tmp_path, "sne_attributions_2023.csv", SNE_ATTR_HEADER, SNE_ATTR_ROW, bad, rule, column)


def test_sne_date_depot_may_be_empty(tmp_path):
    path = write(tmp_path / "sne_demandes_2023.csv", csv_text(SNE_DEM_HEADER, [row(SNE_DEM_ROW, date_depot="")]))
    result = validate_file(path, pseudo_key=KEY, communes=COMMUNES)
    assert (result.rows_accepted, result.rows_quarantined) == (1, 0)
    assert result.accepted.get_column("filing_date").to_list() == [None]


def test_sne_demandes_rule(tmp_path):
    _check_one_refused(
        tmp_path, "sne_demandes_2023.csv", SNE_DEM_HEADER, SNE_DEM_ROW, {"demandeur_asile": "peut-être"}, "invalid_value", "demandeur_asile"
    )


NDLS_CASES = [
    ("persons_negative", {"personnes": "-3"}, "invalid_integer", "personnes"),
    ("persons_missing", {"personnes": ""}, "required_value_missing", "personnes"),
    ("covered_invalid", {"secteur_couvert": "O"}, "invalid_value", "secteur_couvert"),
    ("lieu_invalid", {"type_lieu": "Plage"}, "invalid_value", "type_lieu"),
    ("date_impossible", {"date_nuit": "30/02/2023"}, "invalid_date", "date_nuit"),
    ("commune_unknown", {"code_commune": "75121"}, "unknown_commune", "code_commune"),
]


@pytest.mark.parametrize(("case", "bad", "rule", "column"), NDLS_CASES, ids=[c[0] for c in NDLS_CASES])
def test_ndls_rules(tmp_path, case, bad, rule, column):
    _check_one_refused(tmp_path, "ndls_75056_2023.csv", NDLS_HEADER, NDLS_ROW, bad, rule, column)


OFFRE_CASES = [
    ("departement_20", {"departement": "20"}, "invalid_departement", "departement"),
    ("departement_977", {"departement": "977"}, "invalid_departement", "departement"),
    ("departement_text", {"departement": "Ain"}, "invalid_departement", "departement"),
    ("places_negative", {"places": "-1"}, "invalid_integer", "places"),
    ("places_decimal", {"places": "4,5"}, "invalid_integer", "places"),
    ("type_invalid", {"type_place": "Gîte"}, "invalid_value", "type_place"),
]


@pytest.mark.parametrize(("case", "bad", "rule", "column"), OFFRE_CASES, ids=[c[0] for c in OFFRE_CASES])
def test_offre_rules(tmp_path, case, bad, rule, column):
    _check_one_refused(tmp_path, "offre_2023.csv", OFFRE_HEADER, OFFRE_ROW, bad, rule, column)


def test_trailing_separators_on_every_row_or_on_a_valid_row_are_fine(tmp_path):
    lines = [";".join(SIAO_HEADER) + ";"] + [";".join(SIAO_ROW[h] for h in SIAO_HEADER) + ";;" for _ in range(3)]
    lines[2] = lines[2] + ";"  # one row with one more trailing separator, valid values
    bad = dict(SIAO_ROW, **{"Date de la demande": "31/02/2023"})
    lines.append(";".join(bad[h] for h in SIAO_HEADER) + ";;")  # usual trailing separators, real error
    path = write(tmp_path / "siao_75_2023-04.csv", "\n".join(lines) + "\n")
    result = validate_file(path, pseudo_key=KEY, communes=COMMUNES)
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined) == (4, 3, 1)
    q = result.quarantine.row(0, named=True)
    assert (q["line_number"], q["rule"], q["column_name"]) == (5, "invalid_date", "Date de la demande")
    assert result.unknown_columns == []
