"""Pseudonymisation: keyed HMAC, SIAO/SNE linkage, no clear identifier anywhere, age bands."""

from __future__ import annotations

import hashlib
import hmac

import polars as pl
import pytest

from assets.ingest.errors import PseudoKeyError
from assets.ingest.pseudo import Pseudonymiser, pseudonymise
from assets.ingest.validate import validate_file

from .samples import COMMUNES, SIAO_HEADER, SIAO_ROW, SNE_ATTR_HEADER, SNE_ATTR_ROW, csv_text, row, write

KEY = "cle-de-test"
NUR = "0751123000042"
MENAGE = "MEN-CLAIR-777"


def _all_text(frame: pl.DataFrame) -> str:
    return "\n".join(str(v) for col in frame.columns for v in frame.get_column(col).to_list())


def test_hmac_sha256_hex_of_the_normalised_value():
    expected = hmac.new(KEY.encode(), b"AB12", hashlib.sha256).hexdigest()
    assert pseudonymise(" ab 12 ", KEY) == pseudonymise("AB12", KEY) == expected
    assert pseudonymise("AB12", "autre-cle") != expected
    assert pseudonymise("   ", KEY) is None


def test_vectorised_and_single_value_agree():
    p = Pseudonymiser("k" * 100)  # a key longer than a SHA-256 block
    values = pl.Series(["ab 12", "AB12", None, "", "Ménage ß", "0751123000042"])
    assert p.series(values).to_list() == [None if v is None else p.pseudonym(v) for v in values.to_list()]


@pytest.mark.parametrize("key", [None, "", "   "])
def test_missing_key_is_a_clear_error(tmp_path, key):
    path = write(tmp_path / "siao_75_2023-04.csv", csv_text(SIAO_HEADER, [SIAO_ROW]))
    with pytest.raises(PseudoKeyError, match="OBSERVATOIRE_PSEUDO_KEY"):
        validate_file(path, pseudo_key=key, communes=COMMUNES)


def test_same_nur_links_siao_and_sne_and_never_appears_in_clear(tmp_path):
    siao_rows = [
        row(SIAO_ROW, **{"Numéro ménage": MENAGE, "NUR": " 075 1123 000042 "}),  # spaces: same NUR
        row(SIAO_ROW, **{"Numéro ménage": MENAGE, "NUR": NUR, "Date de la demande": "31/02/2023"}),  # quarantined
    ]
    cells = [row(SIAO_ROW, **{"Numéro ménage": MENAGE, "NUR": NUR})[h] for h in SIAO_HEADER]
    shifted = ";".join(cells[:1] + ["EN TROP"] + cells[1:])  # malformed: identifiers shifted by one
    text = csv_text(SIAO_HEADER, siao_rows) + shifted + "\n"
    siao = validate_file(write(tmp_path / "siao_75_2023-04.csv", text), pseudo_key=KEY, communes=COMMUNES)
    sne_rows = [row(SNE_ATTR_ROW, numero_unique=NUR), row(SNE_ATTR_ROW, numero_unique=NUR, nb_personnes="0")]
    sne = validate_file(write(tmp_path / "sne_attributions_2023.csv", csv_text(SNE_ATTR_HEADER, sne_rows)), pseudo_key=KEY, communes=COMMUNES)

    assert (siao.rows_accepted, siao.rows_quarantined, sne.rows_accepted, sne.rows_quarantined) == (1, 2, 1, 1)
    expected = pseudonymise(NUR, KEY)
    assert siao.accepted.get_column("nur_id").to_list() == [expected]
    assert sne.accepted.get_column("nur_id").to_list() == [expected]
    assert siao.accepted.get_column("menage_id").to_list() == [pseudonymise(MENAGE, KEY)]

    for frame in (siao.accepted, siao.quarantine, sne.accepted, sne.quarantine):
        text = _all_text(frame)
        assert NUR not in text and "000042" not in text and MENAGE not in text
    # the quarantined raw lines carry the pseudonyms instead
    raw = siao.quarantine.sort("line_number").get_column("raw_line").to_list()
    assert expected in raw[0] and pseudonymise(MENAGE, KEY) in raw[0]
    assert "EN TROP" in raw[1] or pseudonymise("EN TROP", KEY) in raw[1]
    assert expected in sne.quarantine.get_column("raw_line")[0]


def test_birth_year_becomes_an_age_band_and_disappears(tmp_path):
    # request year 2023: 2010 -> 13, 2005 -> 18, 1999 -> 24, 1998 -> 25, 1959 -> 64, 1958 -> 65
    years = ["2010", "2005", "1999", "1998", "1959", "1958", ""]
    rows = [row(SIAO_ROW, **{"Année de naissance": y, "Numéro demande": f"D{i}"}) for i, y in enumerate(years)]
    rows.append(row(SIAO_ROW, **{"Année de naissance": "1971", "Type de demande": "??"}))  # quarantined
    result = validate_file(write(tmp_path / "siao_75_2023-04.csv", csv_text(SIAO_HEADER, rows)), pseudo_key=KEY, communes=COMMUNES)
    assert result.accepted.get_column("tranche_age").to_list() == ["<18", "18-24", "18-24", "25-34", "55-64", "65+", None]
    assert not any("naissance" in c or "birth" in c for c in result.accepted.columns)
    raw = result.quarantine.get_column("raw_line")[0]
    assert "1971" not in raw and ";45-54;" in raw


def test_age_band_uses_the_request_year(tmp_path):
    rows = [row(SIAO_ROW, **{"Année de naissance": "2000", "Date de la demande": "15/01/2018", "Date d'orientation": "10/03/2023"})]
    result = validate_file(write(tmp_path / "siao_75_2023-04.csv", csv_text(SIAO_HEADER, rows)), pseudo_key=KEY, communes=COMMUNES)
    assert result.accepted.get_column("tranche_age").to_list() == ["18-24"]  # 18 in 2018, 23 at extraction
