"""A tiny hand-made warehouse (reference, staging and meta tables written by hand) on which the
`indicateurs` assets run; the expected values are computed by hand in the tests.

Communes: 01001 (1 000 inhabitants), 01002 (2 000), 01003 (3 000) in département 01; 02001 (4 000),
02002 (5 000) in 02 — both in région 84 — and 75056 (Paris, 2 000 000) in 75, région 11.
Logement d'abord territory LDA-2018-200000001 = the EPCI {01001, 01002} (not the whole of 01);
groups LDA = {01001, 01002}, HORS_LDA = the rest.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import duckdb
import pytest

from pipelines.config import CONFIG_DIR, SQL_DIR
from pipelines.resources import WarehouseResource

LDA = "LDA-2018-200000001"
COMMUNES = [  # code, département, région, population
    ("01001", "01", "84", 1000), ("01002", "01", "84", 2000), ("01003", "01", "84", 3000),
    ("02001", "02", "84", 4000), ("02002", "02", "84", 5000), ("75056", "75", "11", 2_000_000),
]
TERRITOIRES = {  # (type, code) -> (libellé, communes)
    ("departement", "01"): ("Ain", ["01001", "01002", "01003"]),
    ("departement", "02"): ("Aisne", ["02001", "02002"]),
    ("departement", "75"): ("Paris", ["75056"]),
    ("region", "84"): ("Auvergne-Rhône-Alpes", ["01001", "01002", "01003", "02001", "02002"]),
    ("region", "11"): ("Île-de-France", ["75056"]),
    ("france", "FR"): ("France", [c[0] for c in COMMUNES]),
    ("territoire_lda", LDA): ("EPCI test", ["01001", "01002"]),
    ("groupe", "LDA"): ("Territoires Logement d'abord", ["01001", "01002"]),
    ("groupe", "HORS_LDA"): ("Reste de la France", ["01003", "02001", "02002", "75056"]),
}

# SNE attributions: nur, commune, date_attribution, date_depot, réservataire, situation, demandeur d'asile
ATTRIBUTIONS = [
    ("N1", "01001", "2023-03-01", "2023-01-01", "Etat", "Squat", False),
    ("N2", "01002", "2023-06-01", "2023-05-01", "Etat", "Hôtel", False),
    ("N3", "01003", "2023-07-01", "2023-01-01", "Action Logement", "Locataire parc privé", False),
    ("N4", "02001", "2023-08-01", None, "Etat", "Sans abri ou habitat de fortune", True),
    ("N5", "02002", "2023-09-10", "2023-09-01", "Bailleur", "Structure d'hébergement", False),
    ("N6", None, "2023-10-01", "2023-01-01", "Autre", "Squat", False),
    ("N7", "01001", "2024-02-01", "2023-02-01", "Collectivité", "Squat", False),
]
# SNE demands active on 31/12/2023: nur, commune, situation, demandeur d'asile
DEMANDES_SNE = [
    ("D1", "01001", "Squat", False),
    ("D2", "01002", "Hôtel", False),
    ("D3", "01003", "Locataire parc privé", False),
    ("D4", "02001", "Squat", True),
]
# SIAO requests (latest state): dep, numéro, ménage, date, type, commune, situation, statut, motif,
# orientation, admission, sortie, destination, nur
SIAO = [
    ("01", "U1", "M1", "2023-01-10", "Urgence", "01001", "Rue / abri de fortune", "Pourvue", None,
     "Logement ordinaire", "2023-02-10", "2023-06-01", "Logement social", "N1"),
    ("01", "U2", "M2", "2023-01-15", "Urgence", None, "Hôtel", "Non pourvue", "Absence de place",
     None, None, None, None, None),
    ("01", "U3", "M3", "2023-02-01", "Urgence", "02001", "Hôtel", "Non pourvue", "Autre",
     None, None, None, None, None),
    ("02", "U4", "M3", "2023-03-05", "Urgence", "02002", "Hôtel", "En attente", None,
     None, None, None, None, "N5"),
    ("02", "U5", "M1", "2023-03-20", "Urgence", "02001", "Hôtel", "Annulée", None,
     None, None, None, None, None),
    ("01", "I1", "M4", "2023-01-05", "Insertion", "01003", "Hôtel", "Pourvue", None,
     "CHRS", "2023-03-06", "2023-12-01", "Inconnue", None),
    ("01", "I2", "M5", "2023-02-01", "Insertion", "01002", "Hôtel", "Pourvue", None,
     "CHRS", "2023-02-11", "2023-05-01", "Rue", "N2"),
    ("01", "I3", "M6", "2022-11-01", "Insertion", "01001", "Hôtel", "Pourvue", None,
     "CHRS", "2023-01-31", None, None, None),
    ("01", "U6", "M2", "2024-01-10", "Urgence", "01001", "Squat / bidonville", "Pourvue", None,
     "Pension de famille", "2024-01-20", None, None, None),
    ("01", "U7", "M1", "2021-06-01", "Urgence", "01001", "Hôtel", "Pourvue", None,
     None, None, None, None, None),
    ("02", "A9", "M7", "2023-01-20", "Urgence", "02002", "Hôtel", "En attente", None,
     None, None, None, None, None),
    ("01", "Z8", "M7", "2023-01-20", "Urgence", "01003", "Hôtel", "En attente", None,
     None, None, None, None, None),
]
SIAO_COUVERTURE = [("01", "2023-01"), ("01", "2023-02"), ("02", "2023-03"), ("01", "2024-01")]
# NdlS sector rows: city, edition, night, commune, sector, covered, type de lieu, persons
NDLS = [
    ("01001", 2022, "2022-01-27", "01001", "S1", True, "Rue", 5),
    ("01001", 2022, "2022-01-27", "01001", "S1", True, "Abri", 2),
    ("01001", 2022, "2022-01-27", "01001", "S2", True, "Rue", 3),
    ("01001", 2022, "2022-01-27", "01001", "S3", False, "Rue", 0),
    ("01001", 2023, "2023-01-26", "01001", "S1", True, "Rue", 8),
    ("01001", 2023, "2023-01-26", "01001", "S2", False, "Rue", 4),
    ("01001", 2023, "2023-01-26", "01001", "S3", True, "Rue", 2),
    ("01001", 2023, "2023-01-26", "01001", "S3", True, "Parking", 1),
    ("75056", 2025, "2025-01-23", "75056", "P1", True, "Rue", 100),
]
# offer 2023: département, type, places
OFFRE = [
    ("01", "Pension de famille", 10), ("01", "Résidence accueil", 5), ("01", "IML mandat de gestion", 3),
    ("01", "CHU", 20), ("01", "CHRS", 7), ("02", "IML location / sous-location", 4), ("02", "Hôtel", 6),
]
FICHIERS = [("sne", "sne_attributions_2023.csv", "loaded"), ("sne", "sne_attributions_2024.csv", "loaded"),
            ("sne", "sne_demandes_2023.csv", "loaded"), ("sne", "sne_demandes_2022.csv", "rejected"),
            ("offre", "offre_2023.csv", "loaded")]


def write_tables(conn: duckdb.DuckDBPyConnection) -> None:
    for schema in ("reference", "staging", "meta"):
        conn.execute(f"create schema if not exists {schema}")
    conn.execute("create table reference.communes (code_commune varchar, code_departement varchar, "
                 "code_region varchar, population bigint)")
    conn.executemany("insert into reference.communes values (?, ?, ?, ?)", COMMUNES)
    conn.execute("create table reference.perimetres (territoire_type varchar, territoire_code varchar, code_commune varchar)")
    conn.executemany("insert into reference.perimetres values (?, ?, ?)",
                     [(t, c, commune) for (t, c), (_, communes) in TERRITOIRES.items() for commune in communes])
    conn.execute("""
        create table reference.perimetres_departements as
        with n as (select code_departement, count(*) as n from reference.communes group by all),
        k as (select territoire_type, territoire_code, code_departement, count(*) as k
              from reference.perimetres join reference.communes using (code_commune) group by all)
        select territoire_type, territoire_code, code_departement from k join n using (code_departement)
        where k = n
    """)
    conn.execute("create table reference.territoires (territoire_type varchar, territoire_code varchar, "
                 "territoire_libelle varchar, ami integer, nature varchar, population bigint, annee_reference integer)")
    pops = dict((c[0], c[3]) for c in COMMUNES)
    conn.executemany("insert into reference.territoires values (?, ?, ?, ?, ?, ?, ?)", [
        (t, c, lib, 2018 if t == "territoire_lda" else None, None, sum(pops[x] for x in communes),
         2017 if t == "territoire_lda" else None)
        for (t, c), (lib, communes) in TERRITOIRES.items()])
    conn.execute("create table reference.populations as select territoire_type, territoire_code, population "
                 "from reference.territoires")
    conn.execute("create table reference.situations_logement (source varchar, situation varchar, "
                 "sans_domicile boolean, categorie varchar)")
    conn.executemany("insert into reference.situations_logement values (?, ?, ?, ?)", [
        ("sne", "Sans abri ou habitat de fortune", True, "rue"), ("sne", "Squat", True, "rue"),
        ("sne", "Hôtel", True, "hebergement"), ("sne", "Structure d'hébergement", True, "hebergement"),
        ("sne", "Locataire parc privé", False, "logement"), ("siao", "Hôtel", True, "hebergement"),
        ("siao", "Rue / abri de fortune", True, "rue"), ("siao", "Squat / bidonville", True, "rue"),
    ])
    # the category lists are the project's own (data/config/categories.csv), read as the pipeline does
    conn.execute((SQL_DIR / "reference" / "categories.sql").read_text(encoding="utf-8"),
                 {"path": str(CONFIG_DIR / "categories.csv")})
    conn.execute("create table staging.sne_attributions (nur_id varchar, date_depot date, date_attribution date, "
                 "commune varchar, reservataire varchar, situation_logement varchar, composition varchar, "
                 "nb_personnes integer, prioritaire_dalo boolean, demandeur_asile boolean, source_file varchar, "
                 "line_number integer)")
    conn.executemany("insert into staging.sne_attributions values (?, ?, ?, ?, ?, ?, 'Personne seule', 1, false, ?, ?, ?)",
                     [(n, d, a, c, r, s, asile, f"sne_attributions_{a[:4]}.csv", i + 2)
                      for i, (n, c, a, d, r, s, asile) in enumerate(ATTRIBUTIONS)])
    conn.execute("create table staging.sne_demandes (annee integer, nur_id varchar, date_depot date, commune varchar, "
                 "situation_logement varchar, composition varchar, nb_personnes integer, prioritaire_dalo boolean, "
                 "demandeur_asile boolean, source_file varchar, line_number integer)")
    conn.executemany("insert into staging.sne_demandes values (2023, ?, date '2023-01-01', ?, ?, 'Personne seule', 1, "
                     "false, ?, 'sne_demandes_2023.csv', ?)",
                     [(n, c, s, asile, i + 2) for i, (n, c, s, asile) in enumerate(DEMANDES_SNE)])
    conn.execute("""create table staging.siao_demandes (departement_siao varchar, numero_demande varchar,
        menage_id varchar, date_extraction date, date_demande date, type_demande varchar, commune varchar,
        composition varchar, nb_personnes integer, nb_enfants integer, sexe varchar, tranche_age varchar,
        situation varchar, statut varchar, motif_non_attribution varchar, date_orientation date,
        type_orientation varchar, date_admission date, date_sortie date, destination varchar, nur_id varchar,
        source_file varchar, line_number integer, nb_extractions bigint)""")
    conn.executemany("""insert into staging.siao_demandes values (?, ?, ?, date '2024-01-31', ?, ?, ?, 'Personne seule',
        1, 0, 'M', '25-34 ans', ?, ?, ?, null, ?, ?, ?, ?, ?, 'siao.csv', 2, 1)""", SIAO)
    conn.execute("create table staging.siao_couverture (departement varchar, mois varchar, annee varchar)")
    conn.executemany("insert into staging.siao_couverture values (?, ?, ?)",
                     [(d, m, m[:4]) for d, m in SIAO_COUVERTURE])
    conn.execute("create table staging.ndls_secteurs (commune_ville varchar, edition integer, date_nuit date, "
                 "commune varchar, secteur varchar, secteur_couvert boolean, type_lieu varchar, personnes integer, "
                 "source_file varchar, line_number integer)")
    conn.executemany("insert into staging.ndls_secteurs values (?, ?, ?, ?, ?, ?, ?, ?, 'ndls.csv', 2)", NDLS)
    conn.execute("create table staging.offre_places (annee integer, departement varchar, type_place varchar, "
                 "places integer, source_file varchar, line_number integer)")
    conn.executemany("insert into staging.offre_places values (2023, ?, ?, ?, 'offre_2023.csv', 2)", OFFRE)
    conn.execute("create table meta.ingest_log (source varchar, file_name varchar, status varchar)")
    conn.executemany("insert into meta.ingest_log values (?, ?, ?)", FICHIERS)


def cover_2021_2024(conn: duckdb.DuckDBPyConnection) -> None:
    """SIAO coverage of the household / contribution tests: every month of 2021–2024 covered for 01
    and 75, up to 2024-11 for 02."""
    conn.execute("delete from staging.siao_couverture")
    conn.execute("""insert into staging.siao_couverture
        select d, strftime(m, '%Y-%m'), strftime(m, '%Y')
        from (values ('01'), ('02'), ('75')) as t(d),
             range(date '2021-01-01', date '2025-01-01', interval 1 month) as r(m)
        where not (d = '02' and m = date '2024-12-01')""")


@pytest.fixture(scope="session")
def warehouse(tmp_path_factory) -> Path:
    """The hand-made warehouse with every `indicateurs` asset materialised (checks included)."""
    import assets.indicateurs as indicateurs

    path = tmp_path_factory.mktemp("indicateurs") / "warehouse.duckdb"
    conn = duckdb.connect(str(path))
    write_tables(conn)
    conn.close()
    result = dg.materialize([*indicateurs.ASSETS, *indicateurs.CHECKS],
                            resources={"warehouse": WarehouseResource(database=str(path))})
    assert result.success
    for evaluation in result.get_asset_check_evaluations():
        assert evaluation.passed, evaluation.check_name
    return path


@pytest.fixture(scope="session")
def rows(warehouse: Path) -> dict:
    """(indicateur, territoire_type, territoire_code, periode) → row of marts.indicateurs as a dict."""
    conn = duckdb.connect(str(warehouse), read_only=True)
    frame = conn.sql("select * from marts.indicateurs").pl()
    conn.close()
    return {(r["indicateur"], r["territoire_type"], r["territoire_code"], r["periode"]): r
            for r in frame.iter_rows(named=True)}
