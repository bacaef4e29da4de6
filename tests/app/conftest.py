"""A tiny hand-made publication file and the env var pointing the app at it."""

from __future__ import annotations

import duckdb
import pytest
import streamlit as st

CATALOGUE = [
    ("ATTR_SD", "Attributions à des ménages sans domicile", "nombre", "A", "Attributions aux ménages sans domicile", "attributions SD", None, "sne", "annuelle", "count"),
    ("TX_ATTR_SD", "Part des attributions aux ménages sans domicile (%)", "%", "A", "Part des attributions", "attributions SD", "attributions", "sne", "annuelle", "rate"),
    ("DEM_URG", "Demandes d'hébergement d'urgence", "nombre", "B", "Demandes d'urgence", "demandes", None, "siao", "annuelle", "count"),
    ("NDLS_PERS", "Personnes sans abri décomptées", "nombre", "D", "Décompte de la Nuit", "personnes", None, "ndls", "annuelle", "count"),
    ("NDLS_PERS_RUE", "… dont dans la rue", "nombre", "D", "Personnes décomptées dans la rue", "personnes", None, "ndls", "annuelle", "count"),
    ("NDLS_EVOL_PC", "Évolution à périmètre constant (%)", "%", "D", "Évolution sur les secteurs couverts deux ans de suite", "personnes", "personnes", "ndls", "annuelle", "rate"),
    ("NDLS_TAUX", "Personnes sans abri décomptées pour 10 000 habitants", "pour 10 000 habitants", "D", "Taux", "personnes", "population", "ndls", "annuelle", "rate"),
    ("ATTR_SD_PERS", "Personnes sans domicile relogées (convention ×2,2)", "nombre", "A", "Attributions × 2,2", "personnes", None, "sne", "annuelle", "count"),
    ("PLACES_PF", "Places en pension de famille et résidence accueil", "nombre", "E", "Places", "places", None, "offre", "annuelle", "count"),
]

TERRITOIRES = [
    ("france", "FR", "France", None, None, 1_000_000),
    ("groupe", "LDA", "Territoires Logement d'abord", None, None, 400_000),
    ("groupe", "HORS_LDA", "Reste de la France", None, None, 600_000),
    ("departement", "01", "Ain", None, None, 500_000),
    ("departement", "02", "Aisne", None, None, 500_000),
    ("territoire_lda", "LDA-2018-01", "Ville de Test", 2018, "commune", 100_000),
]

# (indicateur, type, code, libelle, periode, valeur, statut, source)
VALEURS = {
    "ATTR_SD": {"FR": (1100, 1234), "LDA": (500, 600), "HORS_LDA": (600, 634), "01": (700, 1226), "02": (400, 8), "LDA-2018-01": (50, 60)},
    "TX_ATTR_SD": {"FR": (5.5, 6.25), "LDA": (7.0, 8.0), "HORS_LDA": (4.0, 4.5), "01": (6.0, 7.0), "02": (5.0, 5.5), "LDA-2018-01": (9.0, 10.0)},
    "DEM_URG": {"FR": (20000, 21000), "LDA": (8000, 9000), "HORS_LDA": (12000, 12000), "01": (10000, 11000), "02": (10000, 10000), "LDA-2018-01": (900, 950)},
    "NDLS_PERS": {"FR": (3000, 3100), "LDA": (2000, 2100), "HORS_LDA": (1000, 1000), "01": (1500, 1600), "02": (1500, 1500), "LDA-2018-01": (300, 310)},
    "NDLS_PERS_RUE": {"LDA-2018-01": (120, 7)},
    # Published constant-perimeter changes, on purpose unlike the raw-total changes (France: raw
    # 3 000 → 3 100 is +3,3 %, the constant-perimeter change +2,8 %; LDA: raw +5,0 %, published +4,1 %).
    "NDLS_EVOL_PC": {"FR": (1.2, 2.8), "LDA": (0.5, 4.1), "LDA-2018-01": (4.2, -1.5)},
    "NDLS_TAUX": {"LDA-2018-01": (30.0, 31.0)},
    "ATTR_SD_PERS": {"FR": (2420, 2714.8)},
    "PLACES_PF": {"FR": (500, 550), "LDA": (200, 250), "HORS_LDA": (300, 300), "01": (250, 270), "02": (250, 280), "LDA-2018-01": (0, 0)},
}
# The offer is known only by département: for the LDA territory (a city) the pipeline publishes 0
# with part_non_localisable = 100 — not known there, never « 0 places ».
NON_LOCALISABLE = ("PLACES_PF", "LDA-2018-01")
SECRET = ("ATTR_SD", "02", "2024")  # 8 attributions: below the threshold, published as secret
SECRET_NDLS = ("NDLS_PERS_RUE", "LDA-2018-01", "2024")  # 7 people in the street: secret too

# publication.qualite: one row per loaded lot (source, year) and rule, the lot's counts summed over
# its files (null when secret), and one row per file refused whole (name, French reason, no count).
# (source, lot, lues, acceptées, quarantaine, règle, n, chargé le, ignorées, statut, motif, fichiers)
QUALITE = [
    # 12 monthly SIAO files of 2023: 1 000 rows read, 10 in quarantine (7 + 3)
    ("siao", "siao 2023", 1000, 990, 10, "malformed_row", 7, "2025-01-02 03:00:00", 0, "charge", None, 12),
    ("siao", "siao 2023", 1000, 990, 10, "invalid_date", 3, "2025-01-02 03:00:00", 0, "charge", None, 12),
    ("sne", "sne 2024", 500, 500, 0, None, 0, "2025-03-04 05:06:07", 0, "charge", None, 1),
    # a Baromètre file of which 300 synthesis rows are read but skipped (neither accepted nor faulty)
    ("barometre", "barometre", 1080, 780, 0, None, 0, "2025-03-04 05:06:07", 300, "charge", None, 1),
    # an NdlS lot of 2 files with 4 rows in quarantine: counts suppressed (secret), shown « s »
    ("ndls", "ndls 2024", None, None, None, "required_value_missing", None, "2025-02-01 10:00:00", 0, "charge", None, 2),
    # a SNE file refused whole: listed with its reason, no count
    ("sne", "sne_attributions_2024.csv", None, None, None, None, None, "2025-03-04 05:07:00", None, "refuse",
     "colonne obligatoire absente : date_attribution", 1),
]


# Reference year 2017 of the LDA territory of the 2018 call: its gap to the trajectory in 2024 is
# (10.0 − 6.0) − (4.5 − 4.0) = 3.5 points.
VALEURS_2017 = [("TX_ATTR_SD", "territoire_lda", "LDA-2018-01", "Ville de Test", 6.0),
                ("TX_ATTR_SD", "groupe", "HORS_LDA", "Reste de la France", 4.0)]

E = "Ensemble"
# SIAO pathway of the Ain in 2024: 60 requests; the flow Rue → CHRS is secret.
PARCOURS = [
    ("situation_orientation", E, 0, E, 0, 60, "ok"),
    ("situation_orientation", "Rue, squat", 1, E, 0, 60, "ok"),
    ("situation_orientation", E, 0, "Urgence ou hôtel", 1, 35, "ok"),
    ("situation_orientation", E, 0, "Insertion (CHRS)", 2, None, "secret"),
    ("situation_orientation", E, 0, "Sans orientation", 6, 20, "ok"),
    ("situation_orientation", "Rue, squat", 1, "Urgence ou hôtel", 1, 35, "ok"),
    ("situation_orientation", "Rue, squat", 1, "Insertion (CHRS)", 2, None, "secret"),
    ("situation_orientation", "Rue, squat", 1, "Sans orientation", 6, 20, "ok"),
    ("orientation_sortie", E, 0, E, 0, 60, "ok"),
    ("orientation_sortie", "Urgence ou hôtel", 1, E, 0, 35, "ok"),
    ("orientation_sortie", "Sans orientation", 6, E, 0, 20, "ok"),
    ("orientation_sortie", "Insertion (CHRS)", 2, E, 0, None, "secret"),
    ("orientation_sortie", E, 0, "Autre hébergement", 3, 35, "ok"),
    ("orientation_sortie", E, 0, "Pas de sortie", 6, None, "secret"),
    ("orientation_sortie", "Urgence ou hôtel", 1, "Autre hébergement", 3, 35, "ok"),
    ("orientation_sortie", "Sans orientation", 6, "Pas de sortie", 6, 20, "ok"),
    ("orientation_sortie", "Insertion (CHRS)", 2, "Pas de sortie", 6, None, "secret"),
]

# Evaluation of the group LDA: (indicateur, periode, did, ic_bas, ic_haut, statut)
EVALUATION = [
    ("TX_ATTR_SD", "2023", 1.25, 0.5, 2.0, "ok"),
    ("TX_ATTR_SD", "2024", 1.5, -0.25, 3.0, "ok"),
    ("ATTR_SD_100K", "2024", None, None, None, "secret"),
]


def construire(chemin) -> None:
    libelles = {t[1]: (t[0], t[2]) for t in TERRITOIRES}
    with duckdb.connect(str(chemin)) as conn:
        conn.execute("create schema publication")
        conn.execute(
            """create table publication.indicateurs (indicateur varchar, territoire_type varchar,
            territoire_code varchar, territoire_libelle varchar, periode varchar, valeur double,
            numerateur double, denominateur double, statut varchar, source varchar,
            part_non_localisable double)"""
        )
        sources = {c[0]: c[7] for c in CATALOGUE}
        for code, par_territoire in VALEURS.items():
            for territoire, (v2023, v2024) in par_territoire.items():
                ttype, libelle = libelles[territoire]
                for periode, valeur in (("2023", v2023), ("2024", v2024)):
                    statut = "ok"
                    if (code, territoire, periode) in (SECRET, SECRET_NDLS):
                        statut, valeur = "secret", None
                    conn.execute(
                        "insert into publication.indicateurs values (?, ?, ?, ?, ?, ?, null, null, ?, ?, ?)",
                        [code, ttype, territoire, libelle, periode, valeur, statut, sources[code],
                         100.0 if (code, territoire) == NON_LOCALISABLE else 0.0],
                    )
        conn.executemany(
            "insert into publication.indicateurs values (?, ?, ?, ?, '2017', ?, null, null, 'ok', 'sne', 0)",
            VALEURS_2017,
        )
        conn.execute(
            """create table publication.parcours_siao (territoire_type varchar, territoire_code varchar,
            territoire_libelle varchar, periode varchar, etape varchar, origine varchar, origine_ordre integer,
            destination varchar, destination_ordre integer, n bigint, statut varchar)"""
        )
        conn.executemany(
            "insert into publication.parcours_siao values ('departement', '01', 'Ain', '2024', ?, ?, ?, ?, ?, ?, ?)",
            PARCOURS,
        )
        conn.execute(
            """create table publication.evaluation_lda (indicateur varchar, territoire_type varchar,
            territoire_code varchar, territoire_libelle varchar, annee_reference integer, periode varchar,
            valeur_reference double, valeur double, evolution_territoire double, evolution_reste_france double,
            did double, ic_bas double, ic_haut double, n_departements_controle integer, statut varchar,
            methode varchar)"""
        )
        conn.executemany(
            "insert into publication.evaluation_lda values (?, 'groupe', 'LDA', 'Territoires Logement d''abord', "
            "2017, ?, null, null, null, null, ?, ?, ?, 70, ?, 'DiD')",
            EVALUATION,
        )
        # the Ville de Test's gap to its trajectory, as the évaluation asset computes it (VALEURS_2017)
        conn.execute(
            "insert into publication.evaluation_lda values ('TX_ATTR_SD', 'territoire_lda', 'LDA-2018-01', "
            "'Ville de Test', 2017, '2024', 6.0, 10.0, 4.0, 0.5, 3.5, 1.0, 6.0, 70, 'ok', 'DiD')"
        )
        conn.execute("create table publication.evaluation_methode as select 'Comparaison descriptive, "
                     "pas une mesure d''effet causal (note de test).' as texte")
        conn.execute(
            """create table publication.territoires (territoire_type varchar, territoire_code varchar,
            territoire_libelle varchar, ami integer, nature varchar, population bigint)"""
        )
        conn.executemany("insert into publication.territoires values (?, ?, ?, ?, ?, ?)", TERRITOIRES)
        conn.execute(
            """create table publication.catalogue (code varchar, libelle varchar, unite varchar,
            section varchar, definition varchar, numerateur varchar, denominateur varchar,
            source varchar, periodicite varchar, type varchar)"""
        )
        conn.executemany("insert into publication.catalogue values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", CATALOGUE)
        conn.execute(
            """create table publication.qualite (source varchar, file_name varchar, rows_read bigint,
            rows_accepted bigint, rows_quarantined bigint, rule varchar, n bigint, ingested_at timestamp,
            rows_skipped bigint, statut varchar, motif varchar, fichiers bigint)"""
        )
        conn.executemany("insert into publication.qualite values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", QUALITE)
        conn.execute(
            """create table publication.qualite_controles (suite varchar, expectation varchar,
            table_name varchar, success boolean, observed varchar, details varchar, run_at timestamp)"""
        )
        conn.execute(
            """insert into publication.qualite_controles values
            ('publication_indicateurs', 'expect_column_values_to_not_be_null', 'publication.indicateurs',
             true, '0 lignes en défaut sur 60', '', timestamp '2025-01-02 03:04:05')"""
        )
        conn.execute(
            """create table publication.series_publiees (serie varchar, territoire_type varchar,
            territoire_code varchar, periode varchar, valeur double, unite varchar, source varchar, statut varchar)"""
        )
        conn.execute(
            """insert into publication.series_publiees values
            ('BAROMETRE_LDA_PERSONNES', 'france', 'FR', '2023', 2500, 'personnes', 'Baromètre', 'ok'),
            ('BAROMETRE_LDA_PERSONNES', 'france', 'FR', '2024', 2600, 'personnes', 'Baromètre', 'ok')"""
        )
        conn.execute(
            """create table publication.dictionnaire (table_name varchar, column_name varchar,
            libelle varchar, definition varchar, unite varchar, source varchar)"""
        )
        conn.execute("create table publication.a_propos (cle varchar, valeur varchar)")
        conn.executemany(
            "insert into publication.a_propos values (?, ?)",
            [
                ("donnees", "synthétiques"),
                ("avertissement", "Données synthétiques de démonstration (test)."),
                ("seuil_secret_statistique", "11"),
                ("generateur_scale", "0.05"),
                ("date_construction", "2025-01-02T03:04:05+00:00"),
            ],
        )


@pytest.fixture
def publication(tmp_path, monkeypatch):
    chemin = tmp_path / "observatoire.duckdb"
    construire(chemin)
    monkeypatch.setenv("OBSERVATOIRE_PUBLICATION", str(chemin))
    st.cache_data.clear()
    yield chemin
    st.cache_data.clear()
