"""Header matching: aliases, order, extra columns, missing columns."""

from __future__ import annotations

from assets.ingest.contracts import CONTRACTS
from assets.ingest.headers import header_key, load_aliases, match_header
from assets.ingest.validate import validate_file

from .samples import COMMUNES, SIAO_HEADER, SIAO_ROW, SNE_DEM_HEADER, SNE_DEM_ROW, csv_text, row, write

KEY = "cle-de-test"


def test_header_key_ignores_case_accents_spaces_punctuation():
    assert header_key("N° demande") == header_key("n_demande") == header_key("N DEMANDE") == "ndemande"
    assert header_key("Date d'extraction") == header_key("DATE D EXTRACTION") == header_key("date_d_extraction")
    assert header_key("Année de naissance") == "anneedenaissance"


def test_alias_file_covers_every_contract_and_has_no_collision():
    aliases = load_aliases()  # raises on a collision
    for contract in CONTRACTS.values():
        section = aliases[contract.source]
        for column in contract.columns:
            assert column.name in section, (contract.kind, column.name)


def test_realistic_variants_are_matched():
    siao = CONTRACTS["siao"]
    variants = {
        "N° demande": "Numéro demande",
        "Numero de la demande": "Numéro demande",
        "num_demande": "Numéro demande",
        "Date extraction": "Date d'extraction",
        "Dpt SIAO": "Département SIAO",
        "nb personnes": "Nombre de personnes",
        "Nbre de personnes": "Nombre de personnes",
        "NUMERO_UNIQUE": "NUR",
        "NUMERO MENAGE": "Numéro ménage",  # upper case without accents, as the generator writes
        "date_de_la_demande": "Date de la demande",
    }
    for variant, canonical in variants.items():
        assert match_header([variant], siao).positions == {canonical: 0}, variant
    offre = match_header(["dep", "Type de place", "Nombre de places"], CONTRACTS["offre"])
    assert offre.positions == {"departement": 0, "type_place": 1, "places": 2}
    offre = match_header(["code_departement", "type_place", "places"], CONTRACTS["offre"])
    assert offre.missing_required == []


def test_renamed_and_reordered_header(tmp_path):
    renamed = {
        "Numéro demande": "N° demande",
        "Date d'extraction": "Date extraction",
        "Département SIAO": "Dpt SIAO",
        "Nombre de personnes": "Nbre de personnes",
        "NUR": "NUMERO_UNIQUE",
    }
    order = list(reversed(SIAO_HEADER))
    header = [renamed.get(h, h) for h in order]
    line = ";".join(SIAO_ROW[h] for h in order)
    result = validate_file(write(tmp_path / "siao_75_2023-04.csv", ";".join(header) + "\n" + line + "\n"), pseudo_key=KEY, communes=COMMUNES)
    assert (result.status, result.rows_accepted, result.unknown_columns) == ("loaded", 1, [])
    got = result.accepted.row(0, named=True)
    assert got["request_id"] == "D0001" and got["departement"] == "75" and got["nb_persons"] == 1


def test_extra_column_is_reported_and_ignored(tmp_path):
    header = SIAO_HEADER[:5] + ["Commentaire libre"] + SIAO_HEADER[5:]
    values = dict(SIAO_ROW, **{"Commentaire libre": "RAS"})
    result = validate_file(write(tmp_path / "siao_75_2023-04.csv", csv_text(header, [values])), pseudo_key=KEY, communes=COMMUNES)
    assert (result.status, result.rows_accepted) == ("loaded", 1)
    assert result.unknown_columns == ["Commentaire libre"]
    assert "Commentaire libre" not in result.accepted.columns


def test_missing_required_column_rejects_the_file(tmp_path):
    header = [h for h in SIAO_HEADER if h != "Date d'extraction"]
    path = write(tmp_path / "siao_75_2023-04.csv", csv_text(header, [SIAO_ROW]))
    result = validate_file(path, pseudo_key=KEY, communes=COMMUNES)
    assert result.status == "rejected"
    assert result.error == "siao_75_2023-04.csv : colonne obligatoire absente « Date d'extraction »"
    assert result.error_rule == "required_column_missing"
    assert (result.rows_read, result.rows_accepted, result.rows_quarantined) == (0, 0, 0)
    assert result.accepted.height == 0 and result.quarantine.height == 0


def test_several_missing_columns_are_all_named(tmp_path):
    header = [h for h in SNE_DEM_HEADER if h not in ("commune", "situation_logement")]
    result = validate_file(write(tmp_path / "sne_demandes_2023.csv", csv_text(header, [SNE_DEM_ROW])), pseudo_key=KEY, communes=COMMUNES)
    assert result.error == "sne_demandes_2023.csv : colonnes obligatoires absentes « commune », « situation_logement »"


def test_missing_optional_siao_column_reads_as_empty(tmp_path):
    header = [h for h in SIAO_HEADER if h not in ("NUR", "Sexe")]
    result = validate_file(write(tmp_path / "siao_75_2023-04.csv", csv_text(header, [SIAO_ROW])), pseudo_key=KEY, communes=COMMUNES)
    assert (result.status, result.rows_accepted) == ("loaded", 1)
    assert result.missing_optional_columns == ["Sexe", "NUR"]
    assert result.accepted.get_column("nur_id").to_list() == [None]


def test_duplicate_column_rejects_the_file(tmp_path):
    header = SIAO_HEADER + ["N° demande"]
    values = dict(SIAO_ROW, **{"N° demande": "D9"})
    result = validate_file(write(tmp_path / "siao_75_2023-04.csv", csv_text(header, [values])), pseudo_key=KEY, communes=COMMUNES)
    assert (result.status, result.error_rule) == ("rejected", "duplicate_column")
    assert "« Numéro demande »" in result.error


def test_sne_attribution_columns_are_unknown_in_a_demandes_file(tmp_path):
    header = SNE_DEM_HEADER + ["reservataire"]
    values = row(SNE_DEM_ROW, reservataire="Etat")
    result = validate_file(write(tmp_path / "sne_demandes_2023.csv", csv_text(header, [values])), pseudo_key=KEY, communes=COMMUNES)
    assert result.unknown_columns == ["reservataire"] and result.rows_accepted == 1
