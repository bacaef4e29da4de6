"""Encodings, separators, physical lines, blank lines, footers, quoting."""

from __future__ import annotations

import codecs

import pytest

from assets.ingest.errors import EncodingDetectionError
from assets.ingest.reading import detect_encoding, detect_separator, split_rows
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
    csv_text,
    row,
    write,
)

KEY = "cle-de-test"


def _validate(path, **kwargs):
    return validate_file(path, pseudo_key=KEY, communes=COMMUNES, **kwargs)


# ---------------------------------------------------------------------------------------------
# Encodings
# ---------------------------------------------------------------------------------------------
def test_utf8_with_bom(tmp_path):
    path = tmp_path / "siao_75_2023-04.csv"
    path.write_bytes(codecs.BOM_UTF8 + csv_text(SIAO_HEADER, [SIAO_ROW]).encode("utf-8"))
    result = _validate(path)
    assert result.encoding == "utf-8-sig"
    assert (result.status, result.rows_accepted) == ("loaded", 1)
    assert result.unknown_columns == []  # the BOM is not glued to "Numéro demande"


def test_plain_utf8(tmp_path):
    result = _validate(write(tmp_path / "siao_75_2023-04.csv", csv_text(SIAO_HEADER, [SIAO_ROW])))
    assert result.encoding == "utf-8"
    assert result.accepted.get_column("situation_at_request").to_list() == ["Rue / abri de fortune"]


def test_cp1252_with_ascii_header_and_late_accent(tmp_path):
    # SNE headers are pure ASCII; the only non-ASCII byte is far down the file.
    rows = [row(SNE_ATTR_ROW, situation_logement="Squat", numero_unique=f"N{i:06d}") for i in range(600)]
    rows[550] = row(rows[550], situation_logement="Hôtel")
    path = write(tmp_path / "sne_attributions_2023.csv", csv_text(SNE_ATTR_HEADER, rows), encoding="cp1252")
    assert b"H\xf4tel" in path.read_bytes()
    result = _validate(path)
    assert result.encoding == "cp1252"
    assert (result.rows_accepted, result.rows_quarantined) == (600, 0)
    situations = result.accepted.get_column("housing_situation").to_list()
    assert situations[550] == "Hôtel" and situations.count("Hôtel") == 1


def test_cp1252_detection_functions():
    assert detect_encoding("a;b\n1;Hébergé chez un tiers\n".encode("cp1252")) == "cp1252"
    assert detect_encoding("a;b\n1;x\n".encode("ascii")) == "utf-8"
    assert detect_encoding(codecs.BOM_UTF8 + "é".encode()) == "utf-8-sig"


@pytest.mark.parametrize(
    "data",
    [
        "Numero;Situation\n1;Hôtel\n2;Hébergé chez un tiers\n".encode("cp437"),  # H“tel read as cp1252
        "Numero;Situation\n1;Hôtel\n".encode("mac_roman"),
        "Numero;Situation\n1;Hôtel\n".encode("utf-16"),
        "a;b\n1;é\n".encode("utf-8") + "2;é\n".encode("cp1252"),  # mixed: HÃ©… then a cp1252 byte
        "テスト;データ\n日本語;ファイル\n".encode("shift_jis"),
    ],
    ids=["cp437", "mac_roman", "utf16", "mixed", "shift_jis"],
)
def test_other_encodings_are_refused_not_guessed(data):
    with pytest.raises(EncodingDetectionError):
        detect_encoding(data)


def test_unreadable_file_is_rejected_whole(tmp_path):
    path = tmp_path / "siao_75_2023-04.csv"
    path.write_bytes(csv_text(SIAO_HEADER, [SIAO_ROW]).encode("utf-16"))
    result = _validate(path)
    assert (result.status, result.error_rule, result.rows_read) == ("rejected", "unreadable_file", 0)
    assert result.error.startswith("siao_75_2023-04.csv : fichier illisible")
    assert result.sha256 and result.bytes == path.stat().st_size


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "offre_2023.csv"
    path.write_bytes(b"")
    result = _validate(path)
    assert (result.status, result.error_rule) == ("rejected", "unreadable_file")


# ---------------------------------------------------------------------------------------------
# Separators
# ---------------------------------------------------------------------------------------------
def test_detect_separator():
    assert detect_separator("a;b;c") == ";"
    assert detect_separator("a,b,c") == ","
    assert detect_separator("a\tb\tc") == "\t"
    assert detect_separator('"a;b",c,d') == ","
    assert detect_separator("single") == ";"


@pytest.mark.parametrize("sep", [",", "\t"])
def test_comma_and_tab_separated_files(tmp_path, sep):
    # a comma inside a value is quoted in a comma-separated file
    rows = [row(SNE_ATTR_ROW, situation_logement="Résidence sociale, foyer, pension de famille"), SNE_ATTR_ROW]
    if sep == ",":
        lines = [",".join(SNE_ATTR_HEADER)] + [
            ",".join(f'"{r[h]}"' if "," in r[h] else r[h] for h in SNE_ATTR_HEADER) for r in rows
        ]
        text = "\n".join(lines) + "\n"
    else:
        text = csv_text(SNE_ATTR_HEADER, rows, sep="\t")
    result = _validate(write(tmp_path / "sne_attributions_2023.csv", text))
    assert result.separator == sep
    assert (result.rows_accepted, result.rows_quarantined) == (2, 0), result.quarantine.to_dicts()
    assert result.accepted.get_column("housing_situation").to_list()[0] == "Résidence sociale, foyer, pension de famille"


# ---------------------------------------------------------------------------------------------
# Physical lines, blank lines, footers, trailing separators, CRLF
# ---------------------------------------------------------------------------------------------
def test_blank_lines_and_final_total_are_skipped(tmp_path):
    good = ";".join(OFFRE_ROW[h] for h in OFFRE_HEADER)
    text = "\n".join([";".join(OFFRE_HEADER), good, "", ";;", good, "  ", good, "Total;;126", ""]) + "\n"
    result = _validate(write(tmp_path / "offre_2023.csv", text))
    # lines: 1 header, 2 row, 3 blank, 4 blank, 5 row, 6 blank, 7 row, 8 footer, 9 blank
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined, result.rows_skipped) == (3, 3, 0, 5)
    assert result.accepted.get_column("line_number").to_list() == [2, 5, 7]


def test_total_line_in_the_middle_is_malformed(tmp_path):
    good = ";".join(OFFRE_ROW[h] for h in OFFRE_HEADER)
    text = "\n".join([";".join(OFFRE_HEADER), good, "TOTAL;;42", good]) + "\n"
    result = _validate(write(tmp_path / "offre_2023.csv", text))
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined, result.rows_skipped) == (3, 2, 1, 0)
    q = result.quarantine.row(0, named=True)
    assert (q["line_number"], q["rule"], q["column_name"]) == (3, "malformed_row", None)


def test_crlf_line_endings(tmp_path):
    text = csv_text(NDLS_HEADER, [NDLS_ROW, row(NDLS_ROW, personnes="x"), NDLS_ROW])
    result = _validate(write(tmp_path / "ndls_75056_2023.csv", text, newline="\r\n"))
    assert (result.rows_accepted, result.rows_quarantined) == (2, 1)
    q = result.quarantine.row(0, named=True)
    assert q["line_number"] == 3 and not q["raw_line"].endswith("\r")
    assert result.accepted.get_column("persons").to_list() == [4, 4]


def test_trailing_separators_everywhere(tmp_path):
    text = "\n".join(
        [";".join(OFFRE_HEADER) + ";", *(";".join(OFFRE_ROW[h] for h in OFFRE_HEADER) + ";" for _ in range(3))]
    )
    result = _validate(write(tmp_path / "offre_2023.csv", text + "\n"))
    assert (result.rows_accepted, result.rows_quarantined, result.unknown_columns) == (3, 0, [])


def test_excel_quoting_and_csv_quotes(tmp_path):
    text = "\n".join(
        [
            '"departement";"type_place";"places"',
            '="01";"Pension de famille";12',
            '="2A";CHRS;="7"',
            '="971";"IML location / sous-location";0',
        ]
    )
    result = _validate(write(tmp_path / "offre_2023.csv", text + "\n"))
    assert (result.rows_accepted, result.rows_quarantined) == (3, 0), result.quarantine.to_dicts()
    assert result.accepted.get_column("departement").to_list() == ["01", "2A", "971"]
    assert result.accepted.get_column("places").to_list() == [12, 7, 0]


def test_quoted_field_spanning_lines_keeps_physical_numbers(tmp_path):
    text = "\n".join(
        [
            ";".join(NDLS_HEADER),
            "26/01/2023;75056;S1;Oui;Rue;3",
            '26/01/2023;75056;"S2\nbis";Oui;Gare;2',
            "26/01/2023;75056;S3;Oui;Parking;x",
        ]
    )
    result = _validate(write(tmp_path / "ndls_75056_2023.csv", text + "\n"))
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined) == (3, 2, 1)
    assert result.accepted.get_column("line_number").to_list() == [2, 3]
    assert result.accepted.get_column("sector").to_list() == ["S1", "S2\nbis"]
    assert result.quarantine.get_column("line_number").to_list() == [5]


def test_split_rows_low_level():
    table = split_rows("a;b;c\r\n1;2;3\r\n\r\n;;\r\n4;5\r\nTotal;9\r\n1;2;3;;\r\nTotal;3\r\n\r\n")
    assert table.header == ["a", "b", "c"]
    assert table.rows.get_column("line_number").to_list() == [2, 5, 6, 7]
    assert table.rows.get_column("raw_line").to_list()[0] == "1;2;3"
    assert table.rows_skipped == 4
    malformed = table.rows.get_column("malformed").to_list()
    assert malformed[0] is None and malformed[1].startswith("Ligne mal formée : 2 champs")
    assert "Total" in malformed[2]
