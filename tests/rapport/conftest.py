"""Fixtures of the report tests.

- `publication_pipeline` (session): a publication file built by the real pipeline from small
  generated data (`simulate(scale=0.003, seed=5, years=(2024, 2025))` then `run_all`, ≈ 40 s), and
  `rapport_pipeline` (session): its 2025 report, written once by `generer` (≈ 25 s);
- `minuscule`: a tiny hand-made publication file (two Logement d'abord territories, three years,
  a secret cell, an evaluation table with its bootstrap interval) for the unit tests, the CLI and
  the Dagster asset; the right answers are written here.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from observatoire_commun import ledger
from pipelines.config import DATA_DIR, Settings

ANNEE = 2025

# --- the tiny hand-made publication ----------------------------------------------------------

CATALOGUE = [
    ("ATTR_TOT", "Attributions de logements sociaux", "nombre", "A", "Toutes les attributions", "attributions", None, "sne", "annuelle", "count"),
    ("ATTR_SD", "Attributions à des ménages sans domicile", "nombre", "A", "Attributions aux ménages sans domicile", "attributions SD", None, "sne", "annuelle", "count"),
    ("TX_ATTR_SD", "Part des attributions aux ménages sans domicile (%)", "%", "A", "ATTR_SD / ATTR_TOT × 100", "attributions SD", "attributions", "sne", "annuelle", "rate"),
    ("DEM_URG", "Demandes d'hébergement d'urgence", "nombre", "B", "Demandes d'urgence", "demandes", None, "siao", "annuelle", "count"),
    ("NDLS_PERS", "Personnes sans abri décomptées", "nombre", "D", "Décompte de la Nuit", "personnes", None, "ndls", "annuelle", "count"),
    ("NDLS_EVOL_PC", "Évolution à périmètre constant (%)", "%", "D", "Évolution sur les secteurs couverts les deux années", "personnes N", "personnes N-1", "ndls", "annuelle", "rate"),
    ("PLACES_PF", "Places en pension de famille et résidence accueil", "nombre", "E", "Places", "places", None, "offre", "annuelle", "count"),
]
SOURCES = {c[0]: c[7] for c in CATALOGUE}
LDA_A, LDA_B = "LDA-2018-200000001", "LDA-2021-75056"
TERRITOIRES = [
    ("france", "FR", "France", None, None, 1_000_000),
    ("groupe", "LDA", "Territoires Logement d'abord", None, None, 400_000),
    ("groupe", "HORS_LDA", "Reste de la France", None, None, 600_000),
    ("territoire_lda", LDA_A, "Métropole de Test", 2018, "epci", 300_000),
    ("territoire_lda", LDA_B, "Ville de Test", 2021, "commune", 100_000),
    ("departement", "75", "Paris", None, None, 100_000),
]
ANNEES = ("2017", "2018", "2019")
#: indicator -> territory -> values of 2017, 2018, 2019 (None: secret in that year).
VALEURS = {
    "ATTR_TOT": {"FR": (10_000, 11_000, 12_345), "LDA": (4_000, 4_400, 5_000), "HORS_LDA": (6_000, 6_600, 7_345),
                 LDA_A: (3_000, 3_300, 3_800), LDA_B: (1_000, 1_100, 1_200)},
    "ATTR_SD": {"FR": (500, 600, 789), "LDA": (200, 260, 400), "HORS_LDA": (300, 340, 389),
                LDA_A: (150, 200, None), LDA_B: (50, 60, 80)},
    "TX_ATTR_SD": {"FR": (5.0, 5.4545, 6.3913), "LDA": (5.0, 5.9091, 8.0), "HORS_LDA": (5.0, 5.1515, 5.2961),
                   LDA_A: (5.0, 6.0606, None), LDA_B: (5.0, 5.4545, 6.6667)},
    "DEM_URG": {"FR": (20_000, 21_000, 23_456), "LDA": (8_000, 9_000, 9_500), "HORS_LDA": (12_000, 12_000, 13_956),
                LDA_A: (6_000, 7_000, 7_100), LDA_B: (2_000, 2_000, 2_400)},
    "NDLS_PERS": {"FR": (3_000, 3_100, 3_250), "LDA": (3_000, 3_100, 3_250), LDA_B: (3_000, 3_100, 3_250),
                  "75": (3_000, 3_100, 3_250)},
    # Published change at constant perimeter: −1.2 % in 2019 where the raw totals rise by 4.8 %.
    "NDLS_EVOL_PC": {"FR": (1.5, 2.0, -1.2), "LDA": (1.5, 2.0, -1.2), LDA_B: (1.5, 2.0, -1.2)},
    "PLACES_PF": {"FR": (500, 550, 612), "LDA": (200, 250, 300), "HORS_LDA": (300, 300, 312),
                  LDA_A: (150, 180, 200), LDA_B: (50, 70, 100)},
}
ANNEE_MINUSCULE = 2019
#: marts.evaluation_lda rows as the publication copies them: the group LDA and LDA_A (secret in 2019).
EVALUATION = [
    # indicateur, type, code, libellé, référence, période, v_ref, v, évol. territoire, évol. reste, did, ic_bas, ic_haut, statut
    ("TX_ATTR_SD", "groupe", "LDA", "Territoires Logement d'abord", 2017, "2019", 5.0, 8.0, 3.0, 0.2961, 2.7039, 1.26, 4.5, "ok"),
    ("TX_ATTR_SD", "territoire_lda", LDA_A, "Métropole de Test", 2017, "2019", None, None, None, 0.2961, None, None, None, "secret"),
    ("TX_ATTR_SD", "territoire_lda", LDA_A, "Métropole de Test", 2017, "2018", 5.0, 6.0606, 1.0606, 0.1515, 0.9091, -0.5, 2.25, "ok"),
]


# --- section G (the ledger) of the tiny publication: `construire_minuscule(flux=True)` ----------

#: A label the catalogue of the tiny file gives SORTIES_LOGEMENT (not the real one): the report
#: must show the publication's label, never its own.
LIBELLE_SORTIES_LOGEMENT = "Sorties vers un logement (libellé du fichier)"
#: One month of a territory: inflows (ENTREES_NOUVEAUX, ENTREES_RETOUR_LOGEMENT,
#: ENTREES_RETOUR_INACTIVITE, TRANSFERTS_ENTRANTS) then outflows (SORTIES_LOGEMENT,
#: SORTIES_INACTIVITE, TRANSFERTS_SORTANTS), exact values.
#: territory -> (ACTIFS_DEBUT of its first covered month, usual month, {month: changed terms},
#: first covered month). Not additive (France ≠ the two groups): the report adds nothing up.
FLUX = {
    # France: zéro fonctionnel in March and June (200 > 120 + 15 + 30 + 12 = 177), not in October
    # (177 = 177: not more), unknown in December (ENTREES_RETOUR_LOGEMENT = 8 is secret).
    "FR": (1_000, (120, 15, 30, 12, 150, 40, 14),
           {3: {"SORTIES_LOGEMENT": 200}, 6: {"SORTIES_LOGEMENT": 200}, 10: {"SORTIES_LOGEMENT": 177},
            12: {"ENTREES_RETOUR_LOGEMENT": 8}}, 1),
    "LDA": (400, (60, 12, 15, 11, 70, 20, 13), {}, 1),
    # A month without any departure to another territory: a true 0 (published 0, never « — »).
    "HORS_LDA": (600, (60, 14, 15, 11, 80, 20, 12), {7: {"TRANSFERTS_SORTANTS": 0}}, 1),
    # Métropole de Test: March's returns after inactivity are 4 (secret).
    LDA_A: (200, (30, 11, 12, 11, 40, 15, 11), {3: {"ENTREES_RETOUR_INACTIVITE": 4}}, 1),
    # Ville de Test: no SIAO file before February, so January and February are absent.
    LDA_B: (80, (15, 11, 11, 11, 25, 12, 11), {}, 3),
}
#: Yearly returns and episodes: territory -> code -> (2018, 2019); None: secret, "absent": absent.
ANNUELS_FLUX = {
    "FR": {"RETOUR_0_6M": (11.2, 10.4), "RETOUR_6_12M": (6.1, 5.8), "RETOUR_12_24M": (4.0, "absent"),
           "DUREE_EPISODE": (240, 228), "LONGUE_DUREE": (150, 162)},
    "LDA": {"RETOUR_0_6M": (9.5, 8.75), "RETOUR_6_12M": (5.0, 4.5), "RETOUR_12_24M": (3.0, "absent"),
            "DUREE_EPISODE": (200, 190), "LONGUE_DUREE": (60, 58)},
    "HORS_LDA": {"RETOUR_0_6M": (12.0, 11.5), "RETOUR_6_12M": (7.0, 6.5), "RETOUR_12_24M": (5.0, "absent"),
                 "DUREE_EPISODE": (260, 250), "LONGUE_DUREE": (90, 104)},
    LDA_A: {"RETOUR_0_6M": (12.5, 9.0), "RETOUR_6_12M": (7.5, None), "RETOUR_12_24M": (5.0, "absent"),
            "DUREE_EPISODE": (210, 185), "LONGUE_DUREE": (40, 45)},
    LDA_B: {"RETOUR_0_6M": ("absent", 14.0), "RETOUR_6_12M": ("absent", None), "RETOUR_12_24M": ("absent", "absent"),
            "DUREE_EPISODE": ("absent", 150), "LONGUE_DUREE": ("absent", 12)},
}


def mois_flux(territoire: str) -> dict[int, dict[str, int] | None]:
    """The exact monthly ledger of 2019 of `territoire` (month → code → value; None: absent), each
    month starting from the previous one's end (the identity holds exactly)."""
    debut, usuel, changes, premier = FLUX[territoire]
    mois: dict[int, dict[str, int] | None] = {}
    stock = debut
    for m in range(1, 13):
        if m < premier:
            mois[m] = None
            continue
        termes = dict(zip((*ledger.ENTREES, *ledger.SORTIES), usuel, strict=True)) | changes.get(m, {})
        fin = stock + sum(termes[c] for c in ledger.ENTREES) - sum(termes[c] for c in ledger.SORTIES)
        mois[m] = {ledger.STOCK_DEBUT: stock, **termes, ledger.STOCK: fin, ledger.SOLDE: fin - stock}
        stock = fin
    return mois


def _lignes_flux(libelles: dict[str, tuple[str, str]]) -> list[tuple]:
    """Publication rows of section G: the months, the years (sums of the covered months, January's
    start, December's end) and the returns and episodes. Disclosure as the publication applies it:
    a count from 1 to 10 is secret; the month's identity then has one secret term, so its smallest
    inflow other than it is secret too, and so are both terms in the year (the year's sum would
    reveal the month)."""
    lignes = []
    for territoire in FLUX:
        ttype, libelle = libelles[territoire]
        mois = mois_flux(territoire)
        secrets: set[tuple[str, str]] = set()
        for m, valeurs in mois.items():
            if valeurs is None:
                continue
            primaires = [c for c in ledger.MENSUELS if 1 <= valeurs[c] <= 10]
            for code in primaires:
                secrets |= {(code, f"2019-{m:02d}"), (code, "2019")}
                autre = min((c for c in ledger.ENTREES if c != code), key=lambda c: valeurs[c])
                secrets |= {(autre, f"2019-{m:02d}"), (autre, "2019")}
        couverts = {m: v for m, v in mois.items() if v is not None}
        annee = {c: sum(v[c] for v in couverts.values()) for c in (*ledger.ENTREES, *ledger.SORTIES, ledger.SOLDE)}
        annee[ledger.STOCK] = couverts[12][ledger.STOCK] if 12 in couverts else None
        annee[ledger.STOCK_DEBUT] = couverts[1][ledger.STOCK_DEBUT] if 1 in couverts else None
        cellules = {("2019", c): v for c, v in annee.items()}
        for m, valeurs in mois.items():
            for code in ledger.MENSUELS:
                cellules[(f"2019-{m:02d}", code)] = None if valeurs is None else valeurs[code]
        for (periode, code), valeur in cellules.items():
            statut = "absent" if valeur is None else "secret" if (code, periode) in secrets else "ok"
            lignes.append((code, ttype, territoire, libelle, periode, valeur if statut == "ok" else None, statut))
        for code, valeurs in ANNUELS_FLUX[territoire].items():
            for periode, valeur in zip(("2018", "2019"), valeurs, strict=True):
                statut = "absent" if valeur == "absent" else "secret" if valeur is None else "ok"
                lignes.append((code, ttype, territoire, libelle, periode, valeur if statut == "ok" else None, statut))
    return lignes


def _catalogue_flux() -> list[tuple]:
    """Section G's rows of the real catalogue (data/config/indicateurs.csv), SORTIES_LOGEMENT renamed."""
    with open(DATA_DIR / "config" / "indicateurs.csv", encoding="utf-8") as f:
        lignes = [r for r in csv.DictReader(f) if r["section"] == "G"]
    return [(r["code"], LIBELLE_SORTIES_LOGEMENT if r["code"] == ledger.SORTIE_LOGEMENT else r["libelle"], r["unite"],
             r["section"], r["definition"], r["numerateur"], r["denominateur"] or None, r["source"],
             r["periodicite"], r["type"]) for r in lignes]


def construire_minuscule(chemin: Path, evaluation: bool = True, synthetique: bool = True,
                         annee_ndls_seule: str | None = None, flux: bool = False) -> Path:
    """`annee_ndls_seule`: a later year where only the Nuit de la Solidarité of « Ville de Test » is
    published (as Paris's published total is for the year in progress). `flux`: with section G
    (`FLUX`, `ANNUELS_FLUX`)."""
    libelles = {t[1]: (t[0], t[2]) for t in TERRITOIRES}
    with duckdb.connect(str(chemin)) as conn:
        conn.execute("create schema publication")
        conn.execute(
            """create table publication.indicateurs (indicateur varchar, territoire_type varchar,
            territoire_code varchar, territoire_libelle varchar, periode varchar, valeur double,
            numerateur double, denominateur double, statut varchar, source varchar,
            part_non_localisable double)"""
        )
        for code, par_territoire in VALEURS.items():
            for territoire, valeurs in par_territoire.items():
                ttype, libelle = libelles[territoire]
                for periode, valeur in zip(ANNEES, valeurs):
                    statut = "ok" if valeur is not None else "secret"
                    conn.execute(
                        "insert into publication.indicateurs values (?, ?, ?, ?, ?, ?, null, null, ?, ?, 0)",
                        [code, ttype, territoire, libelle, periode, valeur, statut, SOURCES[code]],
                    )
        if annee_ndls_seule:
            for territoire in ("FR", "LDA", LDA_B, "75"):
                ttype, libelle = libelles[territoire]
                conn.execute(
                    "insert into publication.indicateurs values ('NDLS_PERS', ?, ?, ?, ?, 2500, null, null, 'ok', 'ndls', 0)",
                    [ttype, territoire, libelle, annee_ndls_seule],
                )
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
        if flux:
            conn.executemany("insert into publication.catalogue values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _catalogue_flux())
            conn.executemany("insert into publication.indicateurs values (?, ?, ?, ?, ?, ?, null, null, ?, 'siao', 0)",
                             _lignes_flux(libelles))
        conn.execute(
            """create table publication.qualite (source varchar, file_name varchar, rows_read bigint,
            rows_accepted bigint, rows_quarantined bigint, rule varchar, n bigint, ingested_at timestamp,
            rows_skipped bigint, statut varchar, motif varchar)"""
        )
        conn.executemany(
            "insert into publication.qualite values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [("siao", "siao_01_2019-01.csv", 1000, 990, 10, "invalid_date", 7, "2020-01-02 03:04:05", 0, "charge", None),
             ("siao", "siao_01_2019-01.csv", 1000, 990, 10, "malformed_row", 3, "2020-01-02 03:04:05", 0, "charge", None),
             ("siao", "siao_02_2019-01.csv", 0, 0, 0, None, 0, "2020-01-02 03:04:05", 0, "refuse",
              "siao_02_2019-01.csv : colonne obligatoire absente « Date d'extraction »"),
             ("sne", "sne_attributions_2019.csv", 12_345, 12_345, 0, None, 0, "2020-01-02 03:04:05", 0, "charge", None),
             ("barometre", "ind-302.csv", 1_080, 0, 0, None, 0, "2020-07-02 03:04:05", 1_080, "charge", None)],
        )
        conn.execute(
            """create table publication.qualite_controles (suite varchar, expectation varchar,
            table_name varchar, success boolean, observed varchar, details varchar, run_at timestamp)"""
        )
        conn.execute(
            """insert into publication.qualite_controles values
            ('publication_indicateurs', 'statut ∈ {ok, absent, secret}', 'publication.indicateurs', true,
             '0 lignes en défaut sur 60', '', timestamp '2020-01-02 03:04:05'),
            ('publication_indicateurs', 'valeur nulle si secret', 'publication.indicateurs', false,
             '2 lignes en défaut sur 60', '', timestamp '2020-01-02 03:04:05')"""
        )
        conn.execute(
            """create table publication.series_publiees (serie varchar, territoire_type varchar,
            territoire_code varchar, periode varchar, valeur double, unite varchar, source varchar)"""
        )
        conn.execute(
            """create table publication.dictionnaire (table_name varchar, column_name varchar,
            libelle varchar, definition varchar, unite varchar, source varchar)"""
        )
        conn.execute("insert into publication.dictionnaire values ('indicateurs', null, 'Indicateurs publiés', "
                     "'Une ligne par indicateur, territoire et période', null, 'marts.indicateurs')")
        conn.execute("create table publication.a_propos (cle varchar, valeur varchar)")
        conn.executemany(
            "insert into publication.a_propos values (?, ?)",
            [("donnees", "synthétiques" if synthetique else "réelles"),
             ("avertissement", "Données synthétiques de démonstration (test)." if synthetique else "Données réelles."),
             ("seuil_secret_statistique", "11"), ("date_construction", "2020-01-02T03:04:05+00:00"),
             *([("generateur_scale", "0.05")] if synthetique else [])],
        )
        if evaluation:
            conn.execute(
                """create table publication.evaluation_lda (indicateur varchar, territoire_type varchar,
                territoire_code varchar, territoire_libelle varchar, annee_reference integer, periode varchar,
                valeur_reference double, valeur double, evolution_territoire double,
                evolution_reste_france double, did double, ic_bas double, ic_haut double,
                n_departements_controle integer, statut varchar, methode varchar)"""
            )
            conn.executemany(
                "insert into publication.evaluation_lda values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 60, ?, 'descriptif')",
                EVALUATION,
            )
            conn.execute("create table publication.evaluation_methode (texte varchar)")
            conn.execute("insert into publication.evaluation_methode values ('Note de méthode : descriptive, pas causale.')")
    return chemin


@pytest.fixture
def minuscule(tmp_path: Path) -> Path:
    return construire_minuscule(tmp_path / "observatoire.duckdb")


# --- the publication built by the real pipeline ------------------------------------------------


@pytest.fixture(scope="session")
def publication_pipeline(tmp_path_factory) -> Path:
    from pipelines.run import run_all
    from pipelines.simulate import simulate

    root = tmp_path_factory.mktemp("rapport_pipeline")
    simulate(root / "landing", scale=0.003, seed=5, years=(ANNEE - 1, ANNEE))
    settings = Settings(root / "landing", root / "entrepot.duckdb", root / "publication" / "observatoire.duckdb",
                        "cle-de-test", root / "rapports")
    resultat = run_all(settings, log=lambda _: None)
    if not settings.publication.exists():
        pytest.fail(f"le pipeline n'a pas écrit le fichier de publication : {resultat.errors}")
    return settings.publication


@pytest.fixture(scope="session")
def rapport_pipeline(publication_pipeline: Path, tmp_path_factory):
    from assets.rapport.generation import generer

    out = tmp_path_factory.mktemp("rapports")
    return generer(publication_pipeline, ANNEE, out, log=lambda _: None)
