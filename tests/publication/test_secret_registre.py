"""Section G's ledger is a published identity: ACTIFS = ACTIFS_DEBUT + entries − exits, for one
territory and period. With every other term published, one secret term would be recovered by the
identity; the secondary suppression therefore treats it as a relation (threshold 11)."""

from __future__ import annotations

from tests.publication.conftest import dep, reg, row
from tests.publication.test_secret import run

TERMES = {
    "ACTIFS_DEBUT": 95,
    "ENTREES_NOUVEAUX": 20,
    "ENTREES_RETOUR_LOGEMENT": 0,
    "ENTREES_RETOUR_INACTIVITE": 0,
    "TRANSFERTS_ENTRANTS": 0,
    "SORTIES_LOGEMENT": 5,
    "SORTIES_INACTIVITE": 30,
    "TRANSFERTS_SORTANTS": 0,
}


def ledger(warehouse, termes: dict) -> dict:
    actifs = (termes["ACTIFS_DEBUT"] + termes["ENTREES_NOUVEAUX"] + termes["ENTREES_RETOUR_LOGEMENT"]
              + termes["ENTREES_RETOUR_INACTIVITE"] + termes["TRANSFERTS_ENTRANTS"] - termes["SORTIES_LOGEMENT"]
              - termes["SORTIES_INACTIVITE"] - termes["TRANSFERTS_SORTANTS"])
    rows = [row("ACTIFS", dep("A"), valeur=actifs)] + [row(code, dep("A"), valeur=v) for code, v in termes.items()]
    _, table = run(warehouse(rows))
    return {ind: values[:2] for (ind, code, periode), values in table.items() if code == "A"}


def test_one_secret_flow_of_the_ledger_gets_a_second_one(warehouse):
    # 80 = 95 + 20 − 5 − 30: SORTIES_LOGEMENT = 5 is a primary secret; with the others published it
    # would be 95 + 20 − 30 − 80. The smallest other non-zero term (ENTREES_NOUVEAUX, 20) goes too.
    table = ledger(warehouse, TERMES)
    secrets = {ind for ind, (statut, _) in table.items() if statut == "secret"}
    assert secrets == {"SORTIES_LOGEMENT", "ENTREES_NOUVEAUX"}
    assert table["ACTIFS"] == ("ok", 80)
    assert table["ACTIFS_DEBUT"] == ("ok", 95)


def test_a_ledger_without_small_terms_is_published_whole(warehouse):
    table = ledger(warehouse, {**TERMES, "SORTIES_LOGEMENT": 25})
    assert {ind for ind, (statut, _) in table.items() if statut == "secret"} == set()
    assert table["ACTIFS"] == ("ok", 60)


def statuts(warehouse, rows) -> dict:
    _, table = run(warehouse(rows))
    return {(ind, code, periode): values[0] for (ind, code, periode), values in table.items()}


def test_a_secret_december_stock_makes_the_year_secret(warehouse):
    """ACTIFS of the year is December's (not Σ months). R1 = A + B in December 2024: A = 5 is
    primary, B = 30 goes with it (secondary); B's year is 30 too, published it would give B's December
    back: it is suppressed with it. A's year (5) is primary."""
    rows = [
        row("ACTIFS", dep("A"), periode="2024-12", valeur=5), row("ACTIFS", dep("B"), periode="2024-12", valeur=30),
        row("ACTIFS", reg("R1"), periode="2024-12", valeur=35),
        row("ACTIFS", dep("A"), periode="2024", valeur=5), row("ACTIFS", dep("B"), periode="2024", valeur=30),
        row("ACTIFS", reg("R1"), periode="2024", valeur=35),
        # November is not part of the year's stock: published, it does not make the year a sum.
        row("ACTIFS", dep("B"), periode="2024-11", valeur=40),
    ]
    table = statuts(warehouse, rows)
    assert {k for k, s in table.items() if s == "secret"} == {
        ("ACTIFS", "A", "2024-12"), ("ACTIFS", "B", "2024-12"), ("ACTIFS", "A", "2024"), ("ACTIFS", "B", "2024"),
    }


def test_a_secret_january_start_stock_makes_the_year_start_secret(warehouse):
    rows = [
        row("ACTIFS_DEBUT", dep("A"), periode="2024-01", valeur=5),
        row("ACTIFS_DEBUT", dep("B"), periode="2024-01", valeur=30),
        row("ACTIFS_DEBUT", reg("R1"), periode="2024-01", valeur=35),
        row("ACTIFS_DEBUT", dep("B"), periode="2024", valeur=30),
    ]
    table = statuts(warehouse, rows)
    assert table[("ACTIFS_DEBUT", "B", "2024-01")] == "secret"
    assert table[("ACTIFS_DEBUT", "B", "2024")] == "secret"


def test_the_start_of_a_month_is_the_end_of_the_previous_one(warehouse):
    """B's ACTIFS of January (30) is suppressed with A's (5) in R1; B's ACTIFS_DEBUT of February is
    the same 30 households: it is suppressed too. And the other way round: A's ACTIFS_DEBUT of
    March (7, primary) makes A's ACTIFS of February (7) secret."""
    rows = [
        row("ACTIFS", dep("A"), periode="2024-01", valeur=5), row("ACTIFS", dep("B"), periode="2024-01", valeur=30),
        row("ACTIFS", reg("R1"), periode="2024-01", valeur=35),
        row("ACTIFS_DEBUT", dep("B"), periode="2024-02", valeur=30),
        row("ACTIFS", dep("A"), periode="2024-02", valeur=7),
        row("ACTIFS_DEBUT", dep("A"), periode="2024-03", valeur=7),
        row("ACTIFS", dep("C"), periode="2024-02", valeur=40),
        row("ACTIFS_DEBUT", dep("C"), periode="2024-03", valeur=40),
    ]
    table = statuts(warehouse, rows)
    assert table[("ACTIFS_DEBUT", "B", "2024-02")] == "secret"
    assert table[("ACTIFS", "A", "2024-02")] == "secret"
    assert table[("ACTIFS", "C", "2024-02")] == "ok" and table[("ACTIFS_DEBUT", "C", "2024-03")] == "ok"


def test_a_yearly_flow_is_the_sum_of_its_covered_months(warehouse):
    """ENTREES_NOUVEAUX of B in 2024 = 4 + 25 + 30 (March absent: not covered). The primary 4 would
    be the year minus the other months: the smallest other month (25) goes too."""
    rows = [
        row("ENTREES_NOUVEAUX", dep("B"), periode="2024-01", valeur=4),
        row("ENTREES_NOUVEAUX", dep("B"), periode="2024-02", valeur=25),
        row("ENTREES_NOUVEAUX", dep("B"), periode="2024-03", statut="absent"),
        row("ENTREES_NOUVEAUX", dep("B"), periode="2024-04", valeur=30),
        row("ENTREES_NOUVEAUX", dep("B"), periode="2024", valeur=59),
    ]
    table = statuts(warehouse, rows)
    assert {k for k, s in table.items() if s == "secret"} == {
        ("ENTREES_NOUVEAUX", "B", "2024-01"), ("ENTREES_NOUVEAUX", "B", "2024-02"),
    }


def test_a_secret_balance_is_not_left_alone_with_its_two_stocks(warehouse):
    """SOLDE_ACTIFS = ACTIFS − ACTIFS_DEBUT = 100 − 95 = 5 is primary; with both stocks published it
    would be 100 − 95. The smaller stock (ACTIFS_DEBUT, 95) is suppressed; the ledger identity
    100 = 95 + 20 − 15 − 0 then has one secret term, and its smallest other non-zero term
    (SORTIES_LOGEMENT, 15) goes too."""
    termes = {**TERMES, "SORTIES_LOGEMENT": 15, "SORTIES_INACTIVITE": 0}
    rows = [row("ACTIFS", dep("A"), valeur=100), row("SOLDE_ACTIFS", dep("A"), valeur=5)]
    rows += [row(code, dep("A"), valeur=v) for code, v in termes.items()]
    _, table = run(warehouse(rows))
    secrets = {ind for (ind, code, periode), values in table.items() if values[0] == "secret"}
    assert secrets == {"SOLDE_ACTIFS", "ACTIFS_DEBUT", "SORTIES_LOGEMENT"}
    assert table[("ACTIFS", "A", "2024")][:2] == ("ok", 100)
