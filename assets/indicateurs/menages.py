"""Incremental rebuild of a household-level model: only the households a changed département touches.

`intermediate.siao_menages`, `intermediate.siao_primo_demandes_territoires` and
`intermediate.parcours_attributions_territoires` compute each household's rows from that household's
requests only (all its requests, whatever their Département SIAO) and from inputs that are not
SIAO requests (reference tables, SNE attributions, `intermediate.siao_menages`, itself
household-level). A monthly SIAO file changes the requests of one Département SIAO; the households
whose rows can change are those with a request in that département now or at the model's last build.
The model keeps, in `meta.menages_departements`, the (département, hash of the household) pairs of the
requests it was built from, so it knows the latter; it deletes and recomputes the rows of those
households only. Its SQL reads `staging.siao_demandes` restricted, when `$partiel`, to the households of
the temporary table `menages_a_recalculer` (hashes of `menage_id`); a collision of hashes only adds
households to recompute whole.

What changed is found as in `assets.ingest.incremental.build_by_partition`: the fingerprints of
`staging.siao_demandes` by département (recorded in `meta.empreintes`) against those the model
recorded at its last build; the SQL text and parameters, the SQL text of the household-level models it
reads, and the versions of its other inputs (`versions.relation_version`) are fingerprints too, and a
change of one of them — or a missing table, or no recorded state — rebuilds the whole table. The rows
are the same as a full rebuild's.
"""

from __future__ import annotations

import duckdb

from assets.indicateurs import versions
from assets.ingest.incremental import (
    FINGERPRINTS_TABLE,
    changed_partitions,
    new_fingerprints,
    recording,
)

HOUSEHOLDS_TABLE = "meta.menages_departements"
UPSTREAM = "staging.siao_demandes"


def upstream_fingerprints(conn: duckdb.DuckDBPyConnection, upstream: str) -> str:
    """SQL of the upstream's fingerprints by département: those it recorded in `meta.empreintes`, else
    its rows hashed by `departement_siao`."""
    conn.execute("create schema if not exists meta").fetchall()
    conn.execute(f"create table if not exists {FINGERPRINTS_TABLE} "
                 "(modele varchar, partition varchar, nb_lignes bigint, empreinte hugeint)").fetchall()
    recorded = conn.execute(f"select count(*) from {FINGERPRINTS_TABLE} where modele = ?", [upstream]).fetchall()[0][0]
    if recorded:
        return f"select partition, nb_lignes, empreinte from {FINGERPRINTS_TABLE} where modele = '{upstream}'"
    return (f"select departement_siao as partition, count(*) as nb_lignes, sum(hash(t)) as empreinte "
            f"from {upstream} as t group by all")


def replace_by_departement(conn: duckdb.DuckDBPyConnection, table: str, target: str, query: str,
                           departements: list[str] | None) -> None:
    """Replace the rows of `target` in the bookkeeping `table` (modele, departement_siao, …) by those of
    `query`, for the given départements only (all when None)."""
    where = "" if departements is None else " and list_contains($d, departement_siao)"
    params: dict[str, object] = {"m": target} | ({} if departements is None else {"d": departements})
    conn.execute(f"delete from {table} where modele = $m{where}", params).fetchall()
    conn.execute(f"insert into {table} select $m, * from ({query}) where true{where}", params).fetchall()


def fixed_fingerprints(conn: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object],
                       fixed_inputs: list[str], extra: str = "") -> dict[str, str]:
    """Fingerprint texts of the SQL text with its parameters (files by their bytes) and `extra`, and of
    the version of each fixed input."""
    fixed = {"sql": versions.MECHANISM + sql + repr(sorted((k, versions.param_version(v)) for k, v in params.items()))
             + extra}
    fixed.update({name: versions.relation_version(conn, name) for name in fixed_inputs})
    return fixed


def build_by_household(
    conn: duckdb.DuckDBPyConnection,
    target: str,
    sql: str,
    params: dict[str, object],
    fixed_inputs: list[str],
    extra: str = "",
) -> str:
    """(Re)build table `target` from `sql` (which reads `staging.siao_demandes` restricted by `$partiel`
    and `menages_a_recalculer`), recomputing only the households of the changed départements; return
    what was recomputed ('tout', 'aucun ménage' or the départements). `extra`: text whose change
    rebuilds all (the SQL of the household-level models read)."""
    conn.execute(f"create table if not exists {HOUSEHOLDS_TABLE} "
                 "(modele varchar, departement_siao varchar, menage_hash ubigint)").fetchall()
    # `meta.menages_departements` keeps hash() values of this DuckDB version (hash() may change with
    # the engine): in the fingerprint, so that another version rebuilds all instead of missing households
    has_upstream = new_fingerprints(conn, upstream_fingerprints(conn, UPSTREAM),
                                    fixed_fingerprints(conn, sql, params, fixed_inputs,
                                                       extra + f"hash() of DuckDB {duckdb.__version__}"))
    changed, full = changed_partitions(conn, target)
    full = full or not has_upstream
    households = (f"select distinct departement_siao, hash(menage_id) as menage_hash from {UPSTREAM} "
                  "where menage_id is not null")
    if full:
        conn.execute("create or replace temp table menages_a_recalculer (menage_hash ubigint)").fetchall()
    elif changed:
        # the households of the changed départements now, scanned once: to recompute and to record
        conn.execute("create or replace temp table menages_changes as "
                     f"select * from ({households}) where list_contains($d, departement_siao)", {"d": changed}).fetchall()
        conn.execute(
            "create or replace temp table menages_a_recalculer as select menage_hash from menages_changes "
            f"union select menage_hash from {HOUSEHOLDS_TABLE} where modele = $m and list_contains($d, departement_siao)",
            {"d": changed, "m": target},
        ).fetchall()
    with recording(conn, target):
        if full:
            conn.execute(f"create or replace table {target} as\n{sql}", {**params, "partiel": False}).fetchall()
            replace_by_departement(conn, HOUSEHOLDS_TABLE, target, households, None)
        elif changed:
            conn.execute(f"delete from {target} where hash(menage_id) in (select menage_hash from menages_a_recalculer)"
                         ).fetchall()
            conn.execute(f"insert into {target} select * from (\n{sql}\n)", {**params, "partiel": True}).fetchall()
            replace_by_departement(conn, HOUSEHOLDS_TABLE, target, "select * from menages_changes", changed)
    if full:
        return "tout"
    return ", ".join(changed) or "aucun ménage"
