"""The layer `reference` materialised into a temporary DuckDB, compared with values known
independently (counts published with the COG 2026, the flat CSV files read with the csv module)."""

import csv
import re

import dagster as dg

from pipelines.config import CONFIG_DIR, REFERENCE_DIR

COG = REFERENCE_DIR / "cog"

DEPARTEMENTS_FRANCE = (
    [f"{n:02d}" for n in range(1, 20)]
    + ["2A", "2B"]
    + [f"{n:02d}" for n in range(21, 96)]
    + ["971", "972", "973", "974", "976"]
)


def read_csv(path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def communes_csv() -> list[dict[str, str]]:
    return read_csv(COG / "commune_epci_2026.csv")


def departement_populations_csv() -> dict[str, int]:
    return {
        row["code_departement"]: int(row["population_communes_json"])
        for row in read_csv(COG / "departement_population_2026.csv")
        if row["zone"] in ("metro", "drom")
    }


def perimetre(reference, territoire_type: str, territoire_code: str) -> set[str]:
    return set(
        reference.column(
            "select code_commune from reference.perimetres where territoire_type = $t and territoire_code = $c",
            {"t": territoire_type, "c": territoire_code},
        )
    )


def departements_entiers(reference, territoire_type: str, territoire_code: str) -> set[str]:
    return set(
        reference.column(
            "select code_departement from reference.perimetres_departements "
            "where territoire_type = $t and territoire_code = $c",
            {"t": territoire_type, "c": territoire_code},
        )
    )


# --- tables and counts -------------------------------------------------------------------------


def test_row_counts(reference):
    counts = {
        table: reference.scalar(f"select count(*) from reference.{table}")
        for table in ("communes", "arrondissements", "epci", "departements", "regions", "territoires_lda")
    }
    assert counts == {
        "communes": 34_969,
        "arrondissements": 45,
        "epci": 1_255,
        "departements": 101,
        "regions": 18,
        "territoires_lda": 33,
    }


def test_departements_are_exactly_the_101_of_france(reference):
    codes = reference.column("select code_departement from reference.departements order by 1")
    assert codes == sorted(DEPARTEMENTS_FRANCE)
    assert "975" not in codes and "988" not in codes


def test_regions_are_the_18_of_france(reference):
    rows = dict(reference.query("select code_region, nom_region from reference.regions"))
    assert sorted(rows) == sorted(
        ["01", "02", "03", "04", "06", "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"]
    )
    assert rows["06"] == "Mayotte"
    assert rows["11"] == "Île-de-France"


def test_codes_are_text_and_populations_bigint(reference):
    types = dict(
        reference.query(
            "select table_name || '.' || column_name, data_type from information_schema.columns "
            "where table_schema = 'reference'"
        )
    )
    for column in (
        "communes.code_commune",
        "communes.code_departement",
        "communes.code_region",
        "communes.siren_epci",
        "departements.code_departement",
        "regions.code_region",
        "epci.siren_epci",
        "territoires.territoire_code",
        "perimetres.code_commune",
        "perimetres_departements.code_departement",
        "arrondissements.code_arrondissement",
    ):
        assert types[column] == "VARCHAR", column
    for column in (
        "communes.population",
        "epci.population",
        "departements.population",
        "regions.population",
        "populations.population",
        "territoires.population",
    ):
        assert types[column] == "BIGINT", column
    assert types["territoires_lda.ami"] == "INTEGER"
    assert types["situations_logement.sans_domicile"] == "BOOLEAN"
    assert reference.query(
        "select nom_commune, code_departement, code_region from reference.communes where code_commune = '01001'"
    ) == [("L'Abergement-Clémenciat", "01", "84")]
    assert reference.scalar("select nom_departement from reference.departements where code_departement = '2A'") == (
        "Corse-du-Sud"
    )


def test_commune_population_is_the_communes_json_vintage(reference):
    # Paris: 2 103 778 in communes.json, 2 113 705 in the EPCI file (SOURCE.md caveat).
    assert reference.scalar("select population from reference.communes where code_commune = '75056'") == 2_103_778


def test_arrondissements_point_to_their_commune(reference):
    rows = dict(reference.query("select code_arrondissement, code_commune from reference.arrondissements"))
    assert rows["75116"] == "75056"
    assert rows["69381"] == "69123"
    assert rows["13216"] == "13055"


def test_epci_members_and_population(reference):
    expected_members = sum(1 for row in communes_csv() if row["siren_epci"] == "200046977")
    row = reference.query(
        "select nom_epci, type_epci, nb_communes, population from reference.epci where siren_epci = '200046977'"
    )
    assert row[0][:3] == ("Métropole de Lyon", "MET69", expected_members)
    nb_from_csv = {row["siren_epci"]: int(row["nb_communes"]) for row in read_csv(COG / "epci_2026.csv")}
    nb_from_warehouse = dict(reference.query("select siren_epci, nb_communes from reference.epci"))
    assert nb_from_warehouse == nb_from_csv


# --- populations -------------------------------------------------------------------------------


def test_departement_populations_equal_the_source_csv(reference):
    expected = departement_populations_csv()
    assert len(expected) == 101
    assert dict(reference.query("select code_departement, population from reference.departements")) == expected


def test_france_population_is_the_sum_of_the_101_departements(reference):
    expected = sum(departement_populations_csv().values())
    assert reference.scalar("select population from reference.populations where territoire_code = 'FR'") == expected
    assert (
        reference.scalar("select population from reference.territoires where territoire_type = 'france'") == expected
    )


def test_region_population_adds_up_its_departements(reference):
    expected: dict[str, int] = {}
    for row in read_csv(COG / "departement_population_2026.csv"):
        if row["zone"] in ("metro", "drom"):
            expected[row["code_region"]] = expected.get(row["code_region"], 0) + int(row["population_communes_json"])
    assert dict(reference.query("select code_region, population from reference.regions")) == expected


def test_territoires_population_comes_from_populations(reference):
    mismatches = reference.query(
        """
        select t.territoire_type, t.territoire_code
        from reference.territoires as t
        left join reference.populations as p using (territoire_type, territoire_code)
        where p.population is distinct from t.population
        """
    )
    assert mismatches == []


# --- territories -------------------------------------------------------------------------------


def test_territoires_by_type(reference):
    counts = dict(reference.query("select territoire_type, count(*) from reference.territoires group by 1"))
    assert counts == {"departement": 101, "region": 18, "france": 1, "territoire_lda": 33, "groupe": 2, "epci": 1255}
    assert reference.query(
        "select territoire_code, territoire_libelle from reference.territoires "
        "where territoire_type in ('france', 'groupe') order by 1"
    ) == [("FR", "France"), ("HORS_LDA", "Reste de la France"), ("LDA", "Territoires Logement d'abord")]
    assert (
        reference.scalar(
            "select count(*) from reference.territoires where territoire_type <> 'territoire_lda' "
            "and (ami is not null or nature is not null or annee_reference is not null)"
        )
        == 0
    )


def expected_lda_codes() -> list[str]:
    """Territory codes derived from data/config/territoires_lda.csv by the rule of the spec."""
    codes = []
    for row in read_csv(CONFIG_DIR / "territoires_lda.csv"):
        components = [part.split(":", 1) for part in row["perimetre"].split("|")]
        by_type: dict[str, str] = {}
        for kind, code in components:
            by_type.setdefault(kind, code)
        code = by_type.get("epci") or by_type.get("departement") or by_type.get("commune")
        codes.append(f"LDA-{row['ami']}-{code}")
    return codes


def test_lda_territory_codes(reference):
    codes = reference.column("select territoire_code from reference.territoires_lda")
    assert len(codes) == 33
    assert sorted(codes) == sorted(expected_lda_codes())
    assert all(re.fullmatch(r"LDA-(2018|2021)-(\d{9}|\d{2}|2[AB]|97\d|\d{5}|2[AB]\d{3})", code) for code in codes)
    for code in ("LDA-2018-200040715", "LDA-2018-93", "LDA-2021-75056", "LDA-2018-246300701", "LDA-2021-2A247"):
        assert code in codes
    assert set(codes) == set(
        reference.column("select territoire_code from reference.territoires where territoire_type = 'territoire_lda'")
    )


def test_reference_year_is_the_year_before_the_call(reference):
    rows = reference.query("select distinct ami, annee_reference from reference.territoires_lda order by 1")
    assert rows == [(2018, 2017), (2021, 2020)]
    assert (
        reference.scalar("select annee_reference from reference.territoires where territoire_code = 'LDA-2021-75056'")
        == 2020
    )


def test_commune_territory_is_the_commune(reference):
    assert perimetre(reference, "territoire_lda", "LDA-2021-75056") == {"75056"}
    assert reference.scalar(
        "select population from reference.territoires where territoire_code = 'LDA-2021-75056'"
    ) == 2_103_778


def test_joint_candidacy_is_the_whole_departement(reference):
    communes_63 = {row["code_commune"] for row in communes_csv() if row["code_departement"] == "63"}
    assert len(communes_63) > 400
    assert perimetre(reference, "territoire_lda", "LDA-2018-246300701") == communes_63
    assert departements_entiers(reference, "territoire_lda", "LDA-2018-246300701") == {"63"}


def test_epci_territory_is_its_member_communes(reference):
    lyon = {row["code_commune"] for row in communes_csv() if row["siren_epci"] == "200046977"}
    assert perimetre(reference, "territoire_lda", "LDA-2018-200046977") == lyon
    assert departements_entiers(reference, "territoire_lda", "LDA-2018-200046977") == set()


def test_departement_territory_is_all_its_communes(reference):
    communes_93 = {row["code_commune"] for row in communes_csv() if row["code_departement"] == "93"}
    assert perimetre(reference, "territoire_lda", "LDA-2018-93") == communes_93
    assert perimetre(reference, "departement", "93") == communes_93
    assert departements_entiers(reference, "territoire_lda", "LDA-2018-93") == {"93"}


def test_every_lda_territory_has_communes(reference):
    assert reference.query("select territoire_code from reference.territoires_lda where nb_communes = 0") == []
    assert (
        reference.scalar("select count(distinct territoire_code) from reference.perimetres_lda")
        == 33
    )


# --- perimeters --------------------------------------------------------------------------------


def test_france_is_the_communes_of_the_101_departements(reference):
    france = perimetre(reference, "france", "FR")
    expected = {row["code_commune"] for row in communes_csv() if row["code_departement"] in DEPARTEMENTS_FRANCE}
    assert france == expected
    assert len(france) == 34_969 - 94  # the 94 communes of the COM are not France
    assert departements_entiers(reference, "france", "FR") == set(DEPARTEMENTS_FRANCE)


def test_groups_partition_france(reference):
    france = perimetre(reference, "france", "FR")
    lda = perimetre(reference, "groupe", "LDA")
    hors_lda = perimetre(reference, "groupe", "HORS_LDA")
    assert lda | hors_lda == france
    assert lda & hors_lda == set()
    union_of_territories = set(
        reference.column("select code_commune from reference.perimetres where territoire_type = 'territoire_lda'")
    )
    assert lda == union_of_territories


def test_groups_whole_departements(reference):
    assert departements_entiers(reference, "groupe", "LDA") == {"25", "33", "62", "63", "72", "75", "93"}
    lda_departements = set(
        reference.column(
            "select distinct c.code_departement from reference.perimetres as p "
            "join reference.communes as c using (code_commune) "
            "where p.territoire_type = 'groupe' and p.territoire_code = 'LDA'"
        )
    )
    assert departements_entiers(reference, "groupe", "HORS_LDA") == set(DEPARTEMENTS_FRANCE) - lda_departements
    assert "69" not in departements_entiers(reference, "groupe", "HORS_LDA")  # Lyon is in LDA


def test_departement_and_region_perimeters(reference):
    assert departements_entiers(reference, "departement", "2A") == {"2A"}
    regions = {}
    for row in read_csv(COG / "departement_population_2026.csv"):
        if row["zone"] in ("metro", "drom"):
            regions.setdefault(row["code_region"], set()).add(row["code_departement"])
    for code_region, departements in regions.items():
        assert departements_entiers(reference, "region", code_region) == departements
    assert departements_entiers(reference, "region", "94") == {"2A", "2B"}


def test_epci_territories(reference):
    """Every EPCI of the COG 2026 is a territory (code = SIREN, label and population from the COG
    files); one that straddles départements has its communes in each, and touches each département
    without containing it whole; the Métropole du Grand Paris contains Paris and the petite couronne
    whole."""
    assert reference.query(
        "select territoire_libelle, population from reference.territoires "
        "where territoire_type = 'epci' and territoire_code = '200054781'"
    ) == [("Métropole du Grand Paris", reference.scalar(
        "select sum(population) from reference.communes where siren_epci = '200054781'"))]
    siren, n = reference.query(
        "select p.territoire_code, count(distinct c.code_departement) from reference.perimetres as p "
        "join reference.communes as c using (code_commune) where p.territoire_type = 'epci' "
        "group by 1 having count(distinct c.code_departement) = 2 order by 1 limit 1"
    )[0]
    assert reference.column(
        "select code_commune from reference.perimetres where territoire_type = 'epci' and territoire_code = $s "
        "order by 1", {"s": siren}
    ) == reference.column("select code_commune from reference.communes where siren_epci = $s order by 1", {"s": siren})
    assert departements_entiers(reference, "epci", siren) == set()
    assert departements_entiers(reference, "epci", "200054781") == {"75", "92", "93", "94"}


def test_every_territory_has_a_perimeter(reference):
    territories = set(reference.query("select territoire_type, territoire_code from reference.territoires"))
    perimeters = set(reference.query("select distinct territoire_type, territoire_code from reference.perimetres"))
    assert territories == perimeters


# --- configuration tables ----------------------------------------------------------------------


def test_sne_sans_domicile_situations(reference):
    situations = set(
        reference.column(
            "select situation from reference.situations_logement where source = 'sne' and sans_domicile"
        )
    )
    assert situations == {"Sans abri ou habitat de fortune", "Squat", "Hôtel", "Structure d'hébergement"}


# --- Dagster -----------------------------------------------------------------------------------


def test_every_asset_reports_row_count_and_preview(reference):
    materialisations = reference.result.get_asset_materialization_events()
    keys = {event.asset_key.to_user_string() for event in materialisations}
    assert len(keys) == 13  # with reference/categories (data/config/categories.csv)
    for event in materialisations:
        metadata = event.materialization.metadata
        assert metadata["dagster/row_count"].value > 0
        assert isinstance(metadata["preview"], dg.MarkdownMetadataValue)
        assert metadata["preview"].value.startswith("| ")


def test_every_asset_check_passes(reference):
    evaluations = reference.result.get_asset_check_evaluations()
    assert len(evaluations) == 13
    failed = [evaluation.check_name for evaluation in evaluations if not evaluation.passed]
    assert failed == []
