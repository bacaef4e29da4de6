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

FINGERPRINTS_TABLE = "meta.empreintes"
HOUSEHOLDS_TABLE = "meta.menages_departements"
UPSTREAM = "staging.siao_demandes"
_FIXED = "*"


def _ensure_tables(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists meta").fetchall()
    conn.execute(f"create table if not exists {FINGERPRINTS_TABLE} "
                 "(modele varchar, partition varchar, nb_lignes bigint, empreinte hugeint)").fetchall()
    conn.execute(f"create table if not exists {HOUSEHOLDS_TABLE} "
                 "(modele varchar, departement_siao varchar, menage_hash ubigint)").fetchall()


def new_fingerprints(conn: duckdb.DuckDBPyConnection, upstream: str, fixed: dict[str, str],
                     aligned_sql: str | None = None) -> bool:
    """Fill the temporary table `empreintes_nouvelles` with the fingerprints of this run: the ones
    `upstream` recorded by département in `meta.empreintes` (else its rows hashed by
    `departement_siao`), those of `aligned_sql` (partition, nb_lignes, empreinte) if given, and one per
    entry of `fixed` (name → text). False when the upstream has no row (everything is rebuilt)."""
    _ensure_tables(conn)
    recorded = conn.execute(f"select count(*) from {FINGERPRINTS_TABLE} where modele = ?", [upstream]).fetchall()[0][0]
    if recorded:
        upstream_sql = f"select partition, nb_lignes, empreinte from {FINGERPRINTS_TABLE} where modele = '{upstream}'"
    else:
        upstream_sql = (f"select departement_siao as partition, count(*) as nb_lignes, sum(hash(t)) as empreinte "
                        f"from {upstream} as t group by all")
    conn.execute(
        "create or replace temp table empreintes_nouvelles as "
        "select case when starts_with(cast(partition as varchar), '*') then '*amont' || partition "
        "else cast(partition as varchar) end as partition, "
        "cast(nb_lignes as bigint) as nb_lignes, cast(empreinte as hugeint) as empreinte "
        f"from ({upstream_sql})"
    ).fetchall()
    has_upstream = conn.execute("select count(*) from empreintes_nouvelles").fetchall()[0][0] > 0
    if aligned_sql:
        conn.execute("insert into empreintes_nouvelles select cast(partition as varchar), cast(nb_lignes as bigint), "
                     f"cast(empreinte as hugeint) from ({aligned_sql})").fetchall()
    for partition, text in fixed.items():
        conn.execute("insert into empreintes_nouvelles select ?, 1, hash(?)", [_FIXED + partition, text]).fetchall()
    return has_upstream


def changed_partitions(conn: duckdb.DuckDBPyConnection, target: str) -> tuple[list[str], bool]:
    """The partitions whose fingerprint differs from the one `target` recorded, and whether the whole
    table must be rebuilt (no table, nothing recorded, a fixed input changed)."""
    changed = [r[0] for r in conn.execute(
        f"with anciennes as (select * from {FINGERPRINTS_TABLE} where modele = ?) "
        "select coalesce(n.partition, a.partition) from empreintes_nouvelles as n "
        "full join anciennes as a on a.partition is not distinct from n.partition "
        "where n.nb_lignes is distinct from a.nb_lignes or n.empreinte is distinct from a.empreinte",
        [target],
    ).fetchall()]
    stored = conn.execute(f"select count(*) from {FINGERPRINTS_TABLE} where modele = ?", [target]).fetchall()[0][0]
    full = (versions.relation_type(conn, target) != "BASE TABLE" or stored == 0
            or any(p is None or p.startswith(_FIXED) for p in changed))
    return sorted(changed), full


def record_fingerprints(conn: duckdb.DuckDBPyConnection, target: str) -> None:
    conn.execute(f"delete from {FINGERPRINTS_TABLE} where modele = ?", [target]).fetchall()
    conn.execute(f"insert into {FINGERPRINTS_TABLE} select ?, * from empreintes_nouvelles", [target]).fetchall()


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
    has_upstream = new_fingerprints(conn, UPSTREAM, fixed_fingerprints(conn, sql, params, fixed_inputs, extra))
    changed, full = changed_partitions(conn, target)
    full = full or not has_upstream
    households = (f"select distinct departement_siao, hash(menage_id) as menage_hash from {UPSTREAM} "
                  "where menage_id is not null")
    if full:
        conn.execute("create or replace temp table menages_a_recalculer (menage_hash ubigint)").fetchall()
    elif changed:
        conn.execute(
            "create or replace temp table menages_a_recalculer as "
            f"select menage_hash from ({households}) where list_contains($d, departement_siao) "
            f"union select menage_hash from {HOUSEHOLDS_TABLE} where modele = $m and list_contains($d, departement_siao)",
            {"d": changed, "m": target},
        ).fetchall()
    conn.execute("begin transaction").fetchall()
    try:
        if full:
            conn.execute(f"create or replace table {target} as\n{sql}", {**params, "partiel": False}).fetchall()
            conn.execute(f"delete from {HOUSEHOLDS_TABLE} where modele = ?", [target]).fetchall()
            conn.execute(f"insert into {HOUSEHOLDS_TABLE} select ?, * from ({households})", [target]).fetchall()
        elif changed:
            conn.execute(f"delete from {target} where hash(menage_id) in (select menage_hash from menages_a_recalculer)"
                         ).fetchall()
            conn.execute(f"insert into {target} select * from (\n{sql}\n)", {**params, "partiel": True}).fetchall()
            conn.execute(f"delete from {HOUSEHOLDS_TABLE} where modele = $m and list_contains($d, departement_siao)",
                         {"d": changed, "m": target}).fetchall()
            conn.execute(f"insert into {HOUSEHOLDS_TABLE} select $m, * from ({households}) "
                         "where list_contains($d, departement_siao)", {"d": changed, "m": target}).fetchall()
        record_fingerprints(conn, target)
        conn.execute("commit").fetchall()
    except Exception:
        conn.execute("rollback").fetchall()
        raise
    if full:
        return "tout"
    return ", ".join(changed) or "aucun ménage"
