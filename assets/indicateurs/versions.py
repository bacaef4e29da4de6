"""Skip a model whose inputs did not change: input versions kept in `meta.versions`.

A model's *input version* is a SHA-256 of its SQL text, its parameters (a parameter naming a file
counts by the file's bytes) and the version of each relation it reads (its declared deps and every
`schema.table` its SQL names). When the version recorded at its last build equals the one computed
now and its table exists, the build is skipped: the table is what a rebuild would write.

The version of a relation is cheap to compute, never a scan of a big table:

- a model built here: the version it recorded in `meta.versions` (`contenu`: the hash of its rows
  and columns when it has at most `CONTENT_HASH_MAX_ROWS` rows, so that a rebuild giving the same
  rows does not rebuild what is downstream; else its input version);
- a model built partition by partition (`meta.empreintes`): the hash of its fingerprint rows;
- `raw.<kind>`: the hash of the `meta.ingest_log` rows of its source (file, SHA-256, status, rows);
- a view: the hash of its SQL text and of the versions of the relations it names;
- any other table (reference and small staging tables): its row count and `sum(hash(t))`;
- a missing relation: `absent`.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from pathlib import Path

import duckdb

from assets.ingest.incremental import MECHANISM  # noqa: F401 (part of every model's version)

VERSIONS_TABLE = "meta.versions"
FINGERPRINTS_TABLE = "meta.empreintes"
#: A model with at most this many rows is versioned downstream by its content (early cutoff).
CONTENT_HASH_MAX_ROWS = 2_000_000
#: Source of each raw table in `meta.ingest_log`.
RAW_SOURCES = {"raw.siao": "siao", "raw.sne_attributions": "sne", "raw.sne_demandes": "sne",
               "raw.ndls": "ndls", "raw.offre": "offre"}
_SCHEMAS = ("reference", "raw", "meta", "staging", "intermediate", "marts", "publication")
_NAME = re.compile(r"\b(" + "|".join(_SCHEMAS) + r")\.([a-z_][a-z0-9_]*)\b", re.IGNORECASE)
_COMMENT = re.compile(r"--[^\n]*")


def _sha(value: object) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode("utf-8")).hexdigest()


def relation_type(conn: duckdb.DuckDBPyConnection, name: str) -> str | None:
    """'BASE TABLE', 'VIEW' or None for `schema.table` (temporary relations are not looked at)."""
    schema, table = name.split(".")
    rows = conn.execute(
        "select table_type from information_schema.tables "
        "where table_catalog = current_database() and table_schema = ? and table_name = ?",
        [schema, table],
    ).fetchall()
    return rows[0][0] if rows else None


def referenced_relations(sql: str) -> set[str]:
    """`schema.table` names a SQL text reads (comments ignored); lower-case."""
    return {f"{s}.{t}".lower() for s, t in _NAME.findall(_COMMENT.sub("", sql))}


def ensure_versions_table(conn: duckdb.DuckDBPyConnection) -> None:
    conn.execute("create schema if not exists meta").fetchall()
    conn.execute(f"create table if not exists {VERSIONS_TABLE} (modele varchar, version varchar, "
                 "contenu varchar, nb_lignes bigint, construit_le timestamp)").fetchall()


def _recorded(conn: duckdb.DuckDBPyConnection, name: str) -> tuple[str, str] | None:
    if relation_type(conn, VERSIONS_TABLE) is None:
        return None
    rows = conn.execute(f"select version, contenu from {VERSIONS_TABLE} where modele = ?", [name]).fetchall()
    return rows[0] if rows else None


def relation_version(conn: duckdb.DuckDBPyConnection, name: str, _seen: frozenset[str] = frozenset()) -> str:
    """The version of relation `schema.table` (see the module's docstring)."""
    name = name.lower()
    kind = relation_type(conn, name)
    if kind is None:
        return "absent"
    recorded = _recorded(conn, name)
    if recorded is not None:
        return "modele:" + recorded[1]
    if relation_type(conn, FINGERPRINTS_TABLE) is not None:
        n, fingerprint = conn.execute(
            f"select count(*), sum(hash(partition, nb_lignes, empreinte)) from {FINGERPRINTS_TABLE} where modele = ?",
            [name],
        ).fetchall()[0]
        if n:
            return f"empreintes:{n}:{fingerprint}"
    if name in RAW_SOURCES and relation_type(conn, "meta.ingest_log") is not None:
        try:
            n, fingerprint = conn.execute(
                "select count(*), sum(hash(file_name, sha256, status, rows_accepted)) from meta.ingest_log "
                "where source = ?", [RAW_SOURCES[name]],
            ).fetchall()[0]
            return f"fichiers:{n}:{fingerprint}"
        except duckdb.BinderException:  # a log without these columns: hash the table itself
            pass
    if kind == "VIEW":
        schema, view = name.split(".")
        sql = conn.execute("select sql from duckdb_views() where database_name = current_database() "
                           "and schema_name = ? and view_name = ?", [schema, view]).fetchall()[0][0]
        seen = _seen | {name}
        inputs = sorted(referenced_relations(sql) - seen)
        return "vue:" + _sha([sql, [(r, relation_version(conn, r, seen)) for r in inputs]])
    n, fingerprint = conn.execute(f"select count(*), sum(hash(t)) from {name} as t").fetchall()[0]
    return f"table:{n}:{fingerprint}:{_columns(conn, name)}"


def _columns(conn: duckdb.DuckDBPyConnection, name: str) -> str:
    schema, table = name.split(".")
    rows = conn.execute(
        "select column_name, data_type from information_schema.columns where table_catalog = current_database() "
        "and table_schema = ? and table_name = ? order by ordinal_position", [schema, table]).fetchall()
    return _sha(rows)[:16]


def param_version(value: object) -> str:
    """A parameter as it counts in a version: a file by its path and bytes."""
    text = str(value)
    if isinstance(value, Path) or (isinstance(value, str) and len(text) < 4096 and Path(text).is_file()):
        path = Path(text)
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else "absent"
        return f"{text}#{digest}"
    return repr(value)


def input_version(conn: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object], deps: list[str],
                  extra: object = None) -> str:
    """SHA-256 of (SQL text, parameters, version of every relation read: `deps` and those the SQL names)."""
    inputs = sorted({d.lower() for d in deps} | referenced_relations(sql))
    return _sha({
        "mecanisme": MECHANISM,
        "sql": sql,
        "params": sorted((k, param_version(v)) for k, v in params.items()),
        "entrees": [(name, relation_version(conn, name)) for name in inputs],
        "extra": extra,
    })


def build_if_changed(conn: duckdb.DuckDBPyConnection, target: str, version: str,
                     build: Callable[[duckdb.DuckDBPyConnection], None]) -> bool:
    """Run `build` (which writes table `target`) unless the recorded input version of `target` is
    `version` and the table exists; record the version in the same transaction. True if built."""
    ensure_versions_table(conn)
    recorded = _recorded(conn, target)
    if recorded is not None and recorded[0] == version and relation_type(conn, target) == "BASE TABLE":
        return False
    conn.execute("begin transaction").fetchall()
    try:
        build(conn)
        n = conn.execute(f"select count(*) from {target}").fetchall()[0][0]
        if n <= CONTENT_HASH_MAX_ROWS:
            fingerprint = conn.execute(f"select sum(hash(t)) from {target} as t").fetchall()[0][0]
            content = _sha(["contenu", n, str(fingerprint), _columns(conn, target)])
        else:
            content = _sha(["entrees", version])
        conn.execute(f"delete from {VERSIONS_TABLE} where modele = ?", [target]).fetchall()
        conn.execute(f"insert into {VERSIONS_TABLE} values (?, ?, ?, ?, current_timestamp::timestamp)",
                     [target, version, content, n]).fetchall()
        conn.execute("commit").fetchall()
    except Exception:
        conn.execute("rollback").fetchall()
        raise
    return True


def forget(conn: duckdb.DuckDBPyConnection, target: str) -> None:
    """Drop the recorded version of `target` (built by other means: the next build is a full one)."""
    if relation_type(conn, VERSIONS_TABLE) is not None:
        conn.execute(f"delete from {VERSIONS_TABLE} where modele = ?", [target]).fetchall()
