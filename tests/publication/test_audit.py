"""The audit of a hand-made publication whose recoverable cells are known by hand."""

from __future__ import annotations

import duckdb

from assets.publication.audit import audit_connection

CATALOGUE = [("ATTR_SD", "count"), ("DEM_URG", "count")]


def publication(rows):
    conn = duckdb.connect()
    conn.execute("create schema publication").fetchall()
    conn.execute("create table publication.catalogue (code varchar, type varchar)").fetchall()
    conn.executemany("insert into publication.catalogue values (?, ?)", CATALOGUE)
    conn.execute("create table publication.indicateurs (indicateur varchar, territoire_type varchar, "
                 "territoire_code varchar, periode varchar, numerateur double, statut varchar)").fetchall()
    conn.executemany("insert into publication.indicateurs values (?, ?, ?, ?, ?, ?)",
                     [(i, t, c, p, v, "secret" if v is None else "ok") for i, t, c, p, v in rows])
    conn.execute("create table publication.parcours_siao (territoire_type varchar, territoire_code varchar, "
                 "periode varchar, etape varchar, origine varchar, destination varchar, n bigint, statut varchar)"
                 ).fetchall()
    return conn


REGIONS = {"A": "R1", "B": "R1", "C": "R1", "D": "R2", "E": "R2", "F": "R2"}


def test_a_single_secret_in_a_total_is_pinned_two_are_not():
    conn = publication([
        # R1 = A + B + C: only B secret → B = 25 − 20 − 0 = 5, pinned.
        ("ATTR_SD", "region", "R1", "2024", 25), ("ATTR_SD", "departement", "A", "2024", 20),
        ("ATTR_SD", "departement", "B", "2024", None), ("ATTR_SD", "departement", "C", "2024", 0),
        # R2 = D + E + F: E and F secret, sharing 30 − 12 = 18: each in [0, 18], neither pinned.
        ("ATTR_SD", "region", "R2", "2024", 30), ("ATTR_SD", "departement", "D", "2024", 12),
        ("ATTR_SD", "departement", "E", "2024", None), ("ATTR_SD", "departement", "F", "2024", None),
    ])
    report = audit_connection(conn, REGIONS)
    assert report.secrets == 3
    assert report.epingles == [("ATTR_SD|departement|B|2024", 5)]
    assert report.etroits == [] and report.echec


def test_months_and_territories_together_pin_a_cell():
    """Each total has two secret parts (so each is protected on its own), but the year of E and the
    région together pin every month: E-01 + E-02 = 12 (year), E-01 + F-01 = 15 (région, January),
    F-01 + F-02 = 20, F-02 + E-02 = 17 would be a cycle; F-02 is published here: F-01 = 20 − 9 = 11,
    E-01 = 4, E-02 = 8."""
    conn = publication([
        ("DEM_URG", "departement", "E", "2024", 12),
        ("DEM_URG", "departement", "E", "2024-01", None), ("DEM_URG", "departement", "E", "2024-02", None),
        ("DEM_URG", "departement", "F", "2024", 20),
        ("DEM_URG", "departement", "F", "2024-01", None), ("DEM_URG", "departement", "F", "2024-02", 9),
        ("DEM_URG", "region", "R2", "2024-01", 15),
        ("DEM_URG", "departement", "D", "2024-01", 0),
    ])
    report = audit_connection(conn, REGIONS)
    assert sorted(report.epingles) == [
        ("DEM_URG|departement|E|2024-01", 4), ("DEM_URG|departement|E|2024-02", 8),
        ("DEM_URG|departement|F|2024-01", 11),
    ]


def test_departement_minus_its_lda_territory_is_a_disclosed_small_count():
    """Rhône 40, Métropole de Lyon (wholly inside) 31: the rest of the département is 9, a count of
    1..10 published by subtraction; Ain 50 − its territory 20 = 30 is fine."""
    conn = publication([
        ("ATTR_SD", "departement", "69", "2021", 40), ("ATTR_SD", "territoire_lda", "LDA-1-LYON", "2021", 31),
        ("ATTR_SD", "departement", "01", "2021", 50), ("ATTR_SD", "territoire_lda", "LDA-1-AIN", "2021", 20),
    ])
    report = audit_connection(conn, {}, {"69": ["LDA-1-LYON"], "01": ["LDA-1-AIN"]})
    assert report.implicites == [("IMPLICITE|ATTR_SD|69 − territoires LDA|2021", 9)]
    assert report.echec
    # A protected file passes: Lyon secret too, the rest of Rhône is only known to be 0..40.
    conn = publication([
        ("ATTR_SD", "departement", "69", "2021", 40), ("ATTR_SD", "territoire_lda", "LDA-1-LYON", "2021", None),
    ])
    report = audit_connection(conn, {}, {"69": ["LDA-1-LYON"]})
    assert not report.echec and report.etroits == []


def test_departement_minus_its_epci_recovers_a_secret_epci_or_a_small_remainder():
    """Département A contains the EPCI E1, E2, E3 wholly (E4 straddles A and B: in no sum of A).
    A = 100 with every EPCI published: the remainder A − 20 − 30 − 45 = 5 is a small count published
    by subtraction."""
    epci = {("departement", "A"): ["E1", "E2", "E3"]}
    conn = publication([
        ("ATTR_SD", "departement", "A", "2024", 100), ("ATTR_SD", "epci", "E1", "2024", 20),
        ("ATTR_SD", "epci", "E2", "2024", 30), ("ATTR_SD", "epci", "E3", "2024", 45),
        ("ATTR_SD", "epci", "E4", "2024", 30),
    ])
    report = audit_connection(conn, {}, epci=epci)
    assert report.implicites == [("IMPLICITE|ATTR_SD|departement A − EPCI inclus|2024", 5)]
    assert report.echec
    # E1 secret, A = 76: E1 + the remainder = 76 − 30 − 45 = 1, so E1 is in [0, 1] (narrow).
    conn = publication([
        ("ATTR_SD", "departement", "A", "2024", 76), ("ATTR_SD", "epci", "E1", "2024", None),
        ("ATTR_SD", "epci", "E2", "2024", 30), ("ATTR_SD", "epci", "E3", "2024", 45),
    ])
    report = audit_connection(conn, {}, epci=epci)
    assert report.etroits == [("ATTR_SD|epci|E1|2024", 0.0, 1.0)]
    # As a primary secret (≥ 1), E1 is pinned to 1 and the remainder to 0.
    report = audit_connection(conn, {}, epci=epci, primaires={("ATTR_SD", "epci", "E1", "2024")})
    assert report.epingles == [("ATTR_SD|epci|E1|2024", 1)]


LEDGER = [("ACTIFS", "count"), ("ACTIFS_DEBUT", "count"), ("ENTREES_NOUVEAUX", "count"),
          ("ENTREES_RETOUR_LOGEMENT", "count"), ("ENTREES_RETOUR_INACTIVITE", "count"),
          ("TRANSFERTS_ENTRANTS", "count"), ("SORTIES_LOGEMENT", "count"), ("SORTIES_INACTIVITE", "count"),
          ("TRANSFERTS_SORTANTS", "count"), ("SOLDE_ACTIFS", "count")]


def ledger_publication(rows):
    conn = publication(rows)
    conn.executemany("insert into publication.catalogue values (?, ?)", LEDGER)
    return conn


def test_the_ledger_identity_recovers_a_single_secret_flow():
    """A, 2024-03: ACTIFS 80 = 95 + 20 + 0 + 0 + 0 − SORTIES_LOGEMENT − 30 − 0: the secret exit to
    housing is 5, and SOLDE_ACTIFS (secret) = 80 − 95 = −15 (a balance may be negative)."""
    values = {"ACTIFS": 80, "ACTIFS_DEBUT": 95, "ENTREES_NOUVEAUX": 20, "ENTREES_RETOUR_LOGEMENT": 0,
              "ENTREES_RETOUR_INACTIVITE": 0, "TRANSFERTS_ENTRANTS": 0, "SORTIES_LOGEMENT": None,
              "SORTIES_INACTIVITE": 30, "TRANSFERTS_SORTANTS": 0, "SOLDE_ACTIFS": None}
    conn = ledger_publication([(code, "departement", "A", "2024-03", v) for code, v in values.items()])
    report = audit_connection(conn, {})
    assert sorted(report.epingles) == [("SOLDE_ACTIFS|departement|A|2024-03", -15),
                                       ("SORTIES_LOGEMENT|departement|A|2024-03", 5)]
    # Two secret flows of the identity share 35 households: neither is recovered.
    values["SORTIES_INACTIVITE"] = None
    conn = ledger_publication([(code, "departement", "A", "2024-03", v) for code, v in values.items()])
    report = audit_connection(conn, {})
    assert report.epingles == [("SOLDE_ACTIFS|departement|A|2024-03", -15)]


def test_a_stock_of_the_year_is_december_not_the_sum_of_the_months():
    """ACTIFS of 2024 (30) is December's: a secret December is 30 (November's 40 is not added); the
    year of ACTIFS_DEBUT is January's."""
    conn = ledger_publication([
        ("ACTIFS", "departement", "A", "2024", 30), ("ACTIFS", "departement", "A", "2024-11", 40),
        ("ACTIFS", "departement", "A", "2024-12", None),
        ("ACTIFS_DEBUT", "departement", "B", "2024", 25), ("ACTIFS_DEBUT", "departement", "B", "2024-01", None),
        ("ACTIFS_DEBUT", "departement", "B", "2024-02", 60),
    ])
    report = audit_connection(conn, {})
    assert sorted(report.epingles) == [("ACTIFS_DEBUT|departement|B|2024-01", 25),
                                       ("ACTIFS|departement|A|2024-12", 30)]


def test_the_start_of_a_month_is_the_end_of_the_previous_one_in_a_departement():
    """A département published both months has the same perimeter both months: its ACTIFS_DEBUT of
    February is its ACTIFS of January. Not claimed for a région (its perimeter may change)."""
    conn = ledger_publication([
        ("ACTIFS", "departement", "A", "2024-01", 30), ("ACTIFS_DEBUT", "departement", "A", "2024-02", None),
        ("ACTIFS_DEBUT", "departement", "A", "2024-03", 41),
        ("ACTIFS", "region", "R1", "2024-01", 300), ("ACTIFS_DEBUT", "region", "R1", "2024-02", None),
    ])
    report = audit_connection(conn, {})
    assert report.epingles == [("ACTIFS_DEBUT|departement|A|2024-02", 30)]


def test_transfers_are_not_added_over_territories_and_france_may_exceed_its_two_groups():
    """A move between two départements of R1 is a transfer of each, not of R1: the région's
    transfers (10) are not the sum of its départements' (A 12 published, B secret): B is not pinned
    (a relation read as an equality would give −2, an infeasible component the audit skipped).
    France ≥ LDA + HORS_LDA (records placed only by a split département count in neither): with
    HORS_LDA secret, France 50 and LDA 30, HORS_LDA is anywhere in 0..20, the rest being unknown."""
    conn = ledger_publication([
        ("TRANSFERTS_ENTRANTS", "region", "R1", "2024-03", 10),
        ("TRANSFERTS_ENTRANTS", "departement", "A", "2024-03", 12),
        ("TRANSFERTS_ENTRANTS", "departement", "B", "2024-03", None),
        ("ATTR_SD", "france", "FR", "2024", 50), ("ATTR_SD", "groupe", "LDA", "2024", 30),
        ("ATTR_SD", "groupe", "HORS_LDA", "2024", None),
    ])
    report = audit_connection(conn, {"A": "R1", "B": "R1"})
    assert report.epingles == [] and report.etroits == [] and report.infaisables == 0
