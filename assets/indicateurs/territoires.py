"""Incremental rebuild of a SIAO mart: only the territories a changed département touches.

`marts.indicateurs_siao` and `marts.parcours_siao` aggregate `intermediate.siao_demandes_territoires`
per territory (and period): each territory's rows come from that territory's request rows, its
coverage (`intermediate.couverture_siao`) and inputs the same for every territory (the territories,
the periods, the SQL and its parameters). The request rows of a Département SIAO can be placed in any
territory (by the request's commune, even in another département), so the mart keeps, in
`meta.territoires_touches`, the territories the rows of each département were placed in at its last
build. A run recomputes the territories touched by the changed départements (now or at the last
build) and those whose coverage changed: their rows are deleted and recomputed; the mart's SQL reads
the territories, coverage and requests restricted, when `$partiel`, to the temporary table
`territoires_a_recalculer`. A changed fixed input, a missing table or no recorded state rebuilds the
whole table. The rows are the same as a full rebuild's.

Territories are written `<territoire_type>:<territoire_code>` in the fingerprints (codes alone are
ambiguous: région 84 and département 84).
"""

from __future__ import annotations

import duckdb

from assets.indicateurs.menages import (
    fixed_fingerprints,
    replace_by_departement,
    upstream_fingerprints,
)
from assets.ingest.incremental import changed_partitions, new_fingerprints, recording

UPSTREAM = "intermediate.siao_demandes_territoires"
COVERAGE = "intermediate.couverture_siao"
TOUCHED_TABLE = "meta.territoires_touches"
_COVERAGE_PREFIX = "couverture:"
#: Fingerprint of each territory's coverage: a partition `couverture:<type>:<code>`.
COVERAGE_FINGERPRINTS = f"""
    select '{_COVERAGE_PREFIX}' || territoire_type || ':' || territoire_code as partition,
        count(*) as nb_lignes, sum(hash(t)) as empreinte
    from {COVERAGE} as t
    group by all
"""
_TOUCHED = (f"select distinct departement_siao, territoire_type, territoire_code from {UPSTREAM} "
            "where territoire_type is not null")


def build_by_territory(
    conn: duckdb.DuckDBPyConnection,
    target: str,
    sql: str,
    params: dict[str, object],
    fixed_inputs: list[str],
) -> str:
    """(Re)build table `target` (with columns `territoire_type`, `territoire_code`) from `sql`,
    recomputing only the territories touched by the changed départements or whose coverage changed;
    return what was recomputed ('tout', 'aucun territoire', 'aucun territoire touché' when the changed
    départements place no request anywhere, or the number of territories)."""
    conn.execute(f"create table if not exists {TOUCHED_TABLE} "
                 "(modele varchar, departement_siao varchar, territoire_type varchar, territoire_code varchar)"
                 ).fetchall()
    has_upstream = new_fingerprints(conn, upstream_fingerprints(conn, UPSTREAM),
                                    fixed_fingerprints(conn, sql, params, fixed_inputs),
                                    aligned_sql=COVERAGE_FINGERPRINTS)
    changed, full = changed_partitions(conn, target)
    full = full or not has_upstream
    departements = [p for p in changed if not p.startswith(_COVERAGE_PREFIX)]
    coverage = [p.removeprefix(_COVERAGE_PREFIX) for p in changed if p.startswith(_COVERAGE_PREFIX)]
    conn.execute("create or replace temp table territoires_a_recalculer "
                 "(territoire_type varchar, territoire_code varchar)").fetchall()
    if not full and changed:
        # the territories the changed départements touch now, scanned once: to recompute and to record
        conn.execute("create or replace temp table territoires_touches_changes as "
                     f"select * from ({_TOUCHED}) where list_contains($d, departement_siao)",
                     {"d": departements}).fetchall()
        conn.execute(
            "insert into territoires_a_recalculer "
            "select territoire_type, territoire_code from territoires_touches_changes "
            f"union select territoire_type, territoire_code from {TOUCHED_TABLE} "
            "where modele = $m and list_contains($d, departement_siao) "
            "union select split_part(c, ':', 1), split_part(c, ':', 2) from (select unnest($c) as c)",
            {"d": departements, "m": target, "c": coverage},
        ).fetchall()
    n = conn.execute("select count(*) from territoires_a_recalculer").fetchall()[0][0]
    with recording(conn, target):
        if full:
            conn.execute(f"create or replace table {target} as\n{sql}", {**params, "partiel": False}).fetchall()
            replace_by_departement(conn, TOUCHED_TABLE, target, _TOUCHED, None)
        elif n:
            conn.execute(f"delete from {target} as t where exists (select 1 from territoires_a_recalculer as r "
                         "where r.territoire_type = t.territoire_type and r.territoire_code = t.territoire_code)"
                         ).fetchall()
            conn.execute(f"insert into {target} select * from (\n{sql}\n)", {**params, "partiel": True}).fetchall()
        if not full and departements:
            replace_by_departement(conn, TOUCHED_TABLE, target, "select * from territoires_touches_changes",
                                   departements)
    if full:
        return "tout"
    if n:
        return f"{n} territoires"
    return "aucun territoire touché" if changed else "aucun territoire"
