"""The SIAO pathway of the Sankey under the disclosure control (`publication.parcours_siao`), on
a hand-made `marts.parcours_siao` whose suppressed cells are worked out by hand below."""

from __future__ import annotations

import duckdb

from assets.publication.parcours import publish_parcours
from assets.publication.secret import SecretConfig
from tests.publication.conftest import make_warehouse, row

E = "Ensemble"
S1, S2 = "situation_orientation", "orientation_sortie"

# Département A, 2024, 79 requests.
#   situation → orientation        Rue→CHU 30, Rue→Sans 4, Tiers→CHU 20, Tiers→Sans 25
#   orientation → sortie           CHU→Logement 50, Sans→Pas de sortie 29
CELLULES = {
    (S1, "Rue", "CHU"): 30, (S1, "Rue", "Sans"): 4, (S1, "Tiers", "CHU"): 20, (S1, "Tiers", "Sans"): 25,
    (S1, "Rue", E): 34, (S1, "Tiers", E): 45, (S1, E, "CHU"): 50, (S1, E, "Sans"): 29, (S1, E, E): 79,
    (S2, "CHU", "Logement"): 50, (S2, "Sans", "Pas"): 29,
    (S2, "CHU", E): 50, (S2, "Sans", E): 29, (S2, E, "Logement"): 50, (S2, E, "Pas"): 29, (S2, E, E): 79,
}


def warehouse(tmp_path, dem_urg_secret: bool) -> duckdb.DuckDBPyConnection:
    path = make_warehouse(tmp_path / "w.duckdb", [row("DEM_URG", ("departement", "A"), valeur=60)])
    conn = duckdb.connect(str(path))
    conn.execute("create table reference.territoires as select 'departement' as territoire_type, "
                 "'A' as territoire_code, 'Dép. A' as territoire_libelle").fetchall()
    conn.execute("create table marts.parcours_siao (territoire_type varchar, territoire_code varchar, "
                 "periode varchar, etape varchar, origine varchar, origine_ordre integer, destination varchar, "
                 "destination_ordre integer, n bigint)").fetchall()
    conn.executemany(
        "insert into marts.parcours_siao values ('departement', 'A', '2024', ?, ?, 1, ?, 1, ?)",
        [(etape, o, d, n) for (etape, o, d), n in CELLULES.items()],
    )
    conn.execute("create schema publication").fetchall()
    conn.execute("create table publication.indicateurs as select indicateur, territoire_type, territoire_code, "
                 "periode, $s as statut from marts.indicateurs", {"s": "secret" if dem_urg_secret else "ok"}).fetchall()
    return conn


def statuts(conn) -> dict[tuple[str, str, str], tuple[str, int | None]]:
    rows = conn.sql("select etape, origine, destination, statut, n from publication.parcours_siao").fetchall()
    return {(e, o, d): (s, n) for e, o, d, s, n in rows}


def test_secondary_suppression_within_the_pathway(tmp_path):
    """Rue→Sans (4) is secret; the row Rue then has one secret part → Rue→CHU too; the column
    Sans → Tiers→Sans; the column CHU → Tiers→CHU. Every margin stays published."""
    conn = warehouse(tmp_path, dem_urg_secret=False)
    publish_parcours(conn, SecretConfig(seuil=11))
    result = statuts(conn)
    secrets = {k for k, (s, _) in result.items() if s == "secret"}
    assert secrets == {(S1, "Rue", "CHU"), (S1, "Rue", "Sans"), (S1, "Tiers", "CHU"), (S1, "Tiers", "Sans")}
    assert all(n is None for k, (s, n) in result.items() if s == "secret")
    assert result[(S1, E, E)] == ("ok", 79) and result[(S2, "CHU", "Logement")] == ("ok", 50)
    assert conn.sql("select distinct territoire_libelle from publication.parcours_siao").fetchall() == [("Dép. A",)]


def test_grand_total_secret_where_dem_urg_is(tmp_path):
    """DEM_URG secret in publication.indicateurs → the year's total (both steps) is secret; a secret
    total whose parts are all published is their sum, so its smallest non-zero part goes too, and so
    on: by hand, Rue/Ensemble (34), Ensemble/Sans (29) and its twin Sans/Ensemble in step 2,
    Ensemble/Pas (29) and Sans→Pas (29)."""
    conn = warehouse(tmp_path, dem_urg_secret=True)
    publish_parcours(conn, SecretConfig(seuil=11))
    secrets = {k for k, (s, _) in statuts(conn).items() if s == "secret"}
    assert secrets == {
        (S1, "Rue", "CHU"), (S1, "Rue", "Sans"), (S1, "Tiers", "CHU"), (S1, "Tiers", "Sans"),
        (S1, E, E), (S2, E, E),
        (S1, "Rue", E), (S1, E, "Sans"), (S2, "Sans", E), (S2, E, "Pas"), (S2, "Sans", "Pas"),
    }


def test_ties_are_broken_by_the_indicator_code(tmp_path):
    """Rue→Sans (4) is secret; the row Rue and the grand total each need a second secret among two
    flows of 20 (CHU, Autre): the tie is broken by the code, `…|Autre` before `…|CHU`, whatever
    order the cells arrive in (the order of the input rows is reversed for the second build)."""
    cellules = {(S1, "Rue", "CHU"): 20, (S1, "Rue", "Sans"): 4, (S1, "Rue", "Autre"): 20, (S1, "Rue", E): 44,
                (S1, E, "CHU"): 20, (S1, E, "Sans"): 4, (S1, E, "Autre"): 20, (S1, E, E): 44}
    results = []
    for order, name in ((1, "a"), (-1, "b")):
        (tmp_path / name).mkdir()
        conn = warehouse(tmp_path / name, dem_urg_secret=False)
        conn.execute("delete from marts.parcours_siao").fetchall()
        conn.executemany(
            "insert into marts.parcours_siao values ('departement', 'A', '2024', ?, ?, 1, ?, 1, ?)",
            [(etape, o, d, n) for (etape, o, d), n in list(cellules.items())[::order]],
        )
        publish_parcours(conn, SecretConfig(seuil=11))
        results.append(conn.sql("select * from publication.parcours_siao").fetchall())
        secrets = {k for k, (s, _) in statuts(conn).items() if s == "secret"}
        assert secrets == {(S1, "Rue", "Sans"), (S1, E, "Sans"), (S1, "Rue", "Autre"), (S1, E, "Autre")}
    assert results[0] == results[1]
