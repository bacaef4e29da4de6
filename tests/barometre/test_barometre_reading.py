"""Reading one Baromètre file: encoding, separator, layout recognised by the header, and every
row rule (kept, quarantined with its reason, skipped), on small hand-made files."""

import pytest

from assets.barometre.reading import (
    FileRejected,
    detect_encoding,
    detect_separator,
    parse_month,
    read_bytes,
    territory_ind,
)

HEADER_2017 = "mesure,indicateur,id_indicateur,code_departement,libelle_departement,date,valeur,unite"
LDA = "Accès au logement,Nombre de personnes,logement-sans-domicile-hebergement-urgence"
HEADER_IND = "indic_id,enforce_zone_id,metric_enforce_date,maille,indic_vi,indic_va,indic_vc,indic_ta"


def csv_bytes(*lines: str, encoding: str = "utf-8", separator: str = ",") -> bytes:
    return ("\n".join(line.replace(",", separator) for line in lines) + "\n").encode(encoding)


def assert_balanced(result):
    assert result.rows_read == result.rows_accepted + result.rows_quarantined + result.rows_skipped


# --- encoding and separator ---------------------------------------------------------------------


@pytest.mark.parametrize("encoding, expected", [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("cp1252", "cp1252")])
def test_encoding_is_decided_on_the_whole_file(encoding, expected):
    # An ASCII header and many ASCII lines: the accented line comes last.
    lines = [HEADER_2017] + [f"{LDA},75,Paris,2019-{m:02d}-28,{m}.0,personnes" for m in range(1, 12)]
    lines.append(f"{LDA},2A,Corse-du-Sud,2019-12-31,12.0,personnes dans l'année*")
    lines[1] = lines[1].replace("Paris", "Pâris-Élysées")
    result = read_bytes("f.csv", csv_bytes(*lines, encoding=encoding))
    assert result.encoding == expected
    assert result.status == "loaded" and result.rows_accepted == 12


def test_undecodable_bytes_reject_the_file():
    with pytest.raises(FileRejected):
        detect_encoding(HEADER_IND.encode("utf-16"))
    result = read_bytes("binaire.csv", b"\x00\x01\x02")
    assert result.status == "rejected" and result.error.startswith("binaire.csv :")


def test_separator_from_the_header():
    assert detect_separator(HEADER_IND) == ","
    assert detect_separator(HEADER_IND.replace(",", ";")) == ";"
    assert detect_separator(HEADER_IND.replace(",", "\t")) == "\t"
    result = read_bytes("pv.csv", csv_bytes(HEADER_IND, "IND-295,D75,2023-12-01,DEPT,,3465,,", separator=";"))
    assert (result.separator, result.rows_accepted) == (";", 1)
    assert result.accepted["valeur"].to_list() == [3465.0]


# --- layouts ------------------------------------------------------------------------------------


def test_layout_is_recognised_by_the_header_not_the_name():
    result = read_bytes("export.csv", csv_bytes(HEADER_IND, "IND-295,FRANCE,2023-12-01,NAT,,62460.0,,"))
    assert result.layout == "IND-295"
    row = result.accepted.row(0, named=True)
    assert (row["territoire_type"], row["territoire_code"], row["valeur"], row["nature"]) == ("france", "FR", 62460.0,
                                                                                               "cumul")
    result = read_bytes("ind-295.csv", csv_bytes(HEADER_2017, f"{LDA},75,Paris,2019-12-31,2486.0,personnes"))
    assert result.layout == "2017-2022"
    row = result.accepted.row(0, named=True)
    assert (row["territoire_code"], str(row["date"]), row["valeur"]) == ("75", "2019-12-01", 2486.0)


def test_regional_and_national_2017_files():
    regional = read_bytes("r.csv", csv_bytes(
        "mesure,indicateur,id_indicateur,code_region,libelle_region,date,valeur,unite",
        f"{LDA},84,Auvergne-Rhône-Alpes,2021-12-31,7000.0,personnes",
        f"{LDA},4,La Réunion,2021-12-31,300.0,personnes",
    ))
    assert regional.accepted.select("territoire_type", "territoire_code").rows() == [("region", "84"), ("region", "04")]
    national = read_bytes("n.csv", csv_bytes(
        "mesure,indicateur,id_indicateur,maille_geographique,date,valeur,unite",
        f"{LDA},national,2021-12-31,60733.0,personnes",
    ))
    assert national.accepted.select("territoire_type", "territoire_code").rows() == [("france", "FR")]


def test_ind295_zones_and_natures():
    assert territory_ind("D2A", "DEPT") == ("departement", "2A")
    assert territory_ind("D971", "DEPT") == ("departement", "971")
    assert territory_ind("R06", "REG") == ("region", "06")
    assert territory_ind("FRANCE", "NAT") == ("france", "FR")
    result = read_bytes("ind.csv", csv_bytes(
        HEADER_IND,
        "IND-295,D75,2022-12-01,DEPT,0.0,,,",
        "IND-295,D75,2024-05-01,DEPT,,4792.0,,35.9",
        "IND-295,D75,2026-12-01,DEPT,,,12126.0,",
    ))
    assert result.accepted.select("nature", "valeur", "indic_vi", "indic_vc", "indic_ta").rows() == [
        ("valeur_initiale", None, 0.0, None, None),
        ("cumul", 4792.0, None, None, 35.9),
        ("cible", None, None, 12126.0, None),
    ]


def test_other_indicators_are_skipped_and_said_in_the_log():
    result = read_bytes("ind-302.csv", csv_bytes(HEADER_IND, "IND-302,D01,2019-12-01,DEPT,,17.0,,"))
    assert (result.status, result.rows_read, result.rows_accepted, result.rows_skipped) == ("loaded", 1, 0, 1)
    assert "IND-302" in result.error
    mixed = read_bytes("d.csv", csv_bytes(
        HEADER_2017,
        "MaPrimeRénov',Dossiers,nb-maprimerenov-valides,01,Ain,2020-04-30,4.0,dossiers validés",
        f"{LDA},01,Ain,2020-04-30,40.0,personnes",
    ))
    assert (mixed.rows_accepted, mixed.rows_skipped, mixed.error) == (1, 1, None)


def test_summary_files_keep_no_row():
    result = read_bytes("s.csv", csv_bytes(
        "mesure,indicateur,id_indicateur,maille_geographique,valeur_actuelle,date_valeur_actuelle,valeur_initiale,"
        "date_valeur_initiale,progression,pourcentage_progression,cible,pourcentage_cible,date_cible,unite",
        f"{LDA},national,55524.0,2022-11-30,41743.0,2017-12-31,13781.0,33.0,64903.0,60.0,2022-12-31,personnes",
    ))
    assert (result.status, result.rows_read, result.rows_accepted, result.rows_skipped) == ("loaded", 1, 0, 1)
    assert "synthèse" in result.error
    assert result.unknown_columns == []


@pytest.mark.parametrize(
    "header, missing",
    [
        (HEADER_IND.replace(",indic_va", ""), "indic_va"),
        (HEADER_IND.replace("metric_enforce_date,", ""), "metric_enforce_date"),
        (HEADER_2017.replace(",valeur", ""), "valeur"),
        (HEADER_2017.replace("code_departement", "departement"), "code_departement"),
    ],
)
def test_missing_column_rejects_the_file_naming_file_and_column(header, missing):
    result = read_bytes("incomplet.csv", csv_bytes(header))
    assert result.status == "rejected"
    assert result.error.startswith("incomplet.csv") and missing in result.error


def test_unknown_header_is_rejected():
    result = read_bytes("meta_chantiers.csv", csv_bytes("chantier_id,ch_nom,engagement_short", "CH-114,LDA,X"))
    assert result.status == "rejected" and "en-tête non reconnu" in result.error


def test_extra_columns_are_reported():
    result = read_bytes("plus.csv", csv_bytes(HEADER_IND + ",commentaire", "IND-295,D75,2023-12-01,DEPT,,3465,,,ok"))
    assert result.unknown_columns == ["commentaire"]
    assert result.log_row()["unknown_columns"] == "commentaire"
    assert result.rows_accepted == 1


# --- row rules ----------------------------------------------------------------------------------


def test_every_bad_row_is_quarantined_with_its_reason():
    result = read_bytes("ind.csv", csv_bytes(
        HEADER_IND,
        "IND-295,D75,2023-12-01,DEPT,,3465.0,,",   # kept
        "IND-295,D20,2023-12-01,DEPT,,10.0,,",     # 20 is not a département (2A / 2B)
        "IND-295,R75,2023-12-01,DEPT,,10.0,,",     # a région with maille DEPT
        "IND-295,D13,2023-13-01,DEPT,,10.0,,",     # month 13
        "IND-295,D13,2023-12-01,DEPT,,dix,,",      # not a number
        "IND-295,D13,2023-11-01,DEPT,,-4,,",       # negative count
        "IND-295,D13,2023-10-01,DEPT,,10.0",       # 7 fields instead of 8
        "IND-295,D75,2023-12-01,DEPT,,3470.0,,",   # same territory and month twice
        ",,,,,,,",                                 # blank: skipped
    ))
    assert result.rows_accepted == 1
    assert result.quarantine.select("line_number", "column_name", "rule").rows() == [
        (3, "enforce_zone_id", "territoire_inconnu"),
        (4, "maille", "maille_incoherente"),
        (5, "metric_enforce_date", "date_invalide"),
        (6, "indic_va", "valeur_invalide"),
        (7, "indic_va", "valeur_negative"),
        (8, None, "nombre_de_champs"),
        (9, None, "doublon"),
    ]
    assert result.quarantine["raw_line"][0] == "IND-295,D20,2023-12-01,DEPT,,10.0,,"
    assert "ligne 2" in result.quarantine["message"][-1]
    assert (result.rows_read, result.rows_quarantined, result.rows_skipped) == (9, 7, 1)
    assert_balanced(result)


def test_empty_value_is_kept_as_null():
    result = read_bytes("d.csv", csv_bytes(HEADER_2017, f"{LDA},976,Mayotte,2021-12-31,,personnes"))
    assert result.accepted["valeur"].to_list() == [None]


def test_dates_are_months():
    assert str(parse_month("2017-12-31", "date")) == "2017-12-01"
    assert str(parse_month("2023-01-01", "date")) == "2023-01-01"
    assert str(parse_month("2023-02", "date")) == "2023-02-01"
    assert str(parse_month("31/12/2019", "date")) == "2019-12-01"


def test_crlf_lines_and_quoted_fields():
    data = (HEADER_2017 + "\r\n" + f'"{LDA.split(",")[0]}, sans-abri",Nombre,logement-sans-domicile-hebergement-urgence,'
            '01,Ain,2019-12-31,363.0,personnes\r\n').encode("utf-8-sig")
    result = read_bytes("crlf.csv", data)
    assert (result.encoding, result.rows_accepted) == ("utf-8-sig", 1)
    assert result.accepted["line_number"].to_list() == [2]
    assert result.accepted["valeur"].to_list() == [363.0]
