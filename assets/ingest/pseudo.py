"""Pseudonymisation of personal identifiers: HMAC-SHA-256 keyed by a secret (hex digest).

- SIAO `Numéro ménage` -> `menage_id`; SIAO `NUR` and SNE `numero_unique` -> `nur_id`. The same
  function and key serve both sources so that a household's NUR links SIAO and SNE rows.
- The value is normalised first (every space removed, upper case): `" ab 12 "` and `"AB12"`
  give the same pseudonym.
- The key is the secret of the observatory (`OBSERVATOIRE_PSEUDO_KEY`); it is passed in, never
  read here. Without a key nothing can be pseudonymised: `PseudoKeyError`.

A column is normalised with polars and hashed in an in-memory DuckDB connection (HMAC written
with its `sha256`, vectorised and multi-threaded), once per distinct value: an identifier recurs in
every monthly extraction. One value alone goes through `hmac.digest`. Both give the same hex digest
(tested). The warehouse stores its first 128 bits as an integer (`loader.PSEUDONYM_SQL`).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import threading

import duckdb
import polars as pl

from assets.ingest.errors import PseudoKeyError

_SPACES = re.compile(r"\s+")
_BLOCK = 64  # SHA-256 block size, for the HMAC pads

_HMAC_SQL = "select sha256($outer || unhex(sha256($inner || encode(v)))) as h from identifiers"  # row order kept
_connection: duckdb.DuckDBPyConnection | None = None
_connection_pid: int | None = None
_connection_lock = threading.Lock()


def _cursor() -> duckdb.DuckDBPyConnection:
    """A cursor on a process-wide in-memory DuckDB (no file, nothing stored); a new one after a fork."""
    global _connection, _connection_pid
    with _connection_lock:
        if _connection is None or _connection_pid != os.getpid():
            _connection = duckdb.connect(":memory:")
            _connection_pid = os.getpid()
        return _connection.cursor()


class Pseudonymiser:
    """Keyed pseudonymisation of identifiers (HMAC-SHA-256, hex)."""

    def __init__(self, key: str | None) -> None:
        if key is None or not str(key).strip():
            raise PseudoKeyError(
                "clé de pseudonymisation absente : définir OBSERVATOIRE_PSEUDO_KEY (ou la passer explicitement)"
            )
        self._key = str(key).encode("utf-8")
        block_key = hashlib.sha256(self._key).digest() if len(self._key) > _BLOCK else self._key
        block_key = block_key.ljust(_BLOCK, b"\0")
        self._inner_pad = bytes(b ^ 0x36 for b in block_key)
        self._outer_pad = bytes(b ^ 0x5C for b in block_key)

    @staticmethod
    def normalise(value: str) -> str:
        """Identifier as compared: spaces removed, upper case."""
        return _SPACES.sub("", value).upper()

    def pseudonym(self, value: str) -> str | None:
        """Hex HMAC-SHA-256 of the normalised value; None for an empty value."""
        normalised = self.normalise(value)
        if not normalised:
            return None
        return hmac.digest(self._key, normalised.encode("utf-8"), "sha256").hex()

    def series(self, values: pl.Series) -> pl.Series:
        """Pseudonymise a column (nulls and empty values give null), vectorised."""
        normalised = pl.select(values.cast(pl.String).str.replace_all(r"\s+", "").str.to_uppercase()).to_series()
        normalised = pl.select(pl.when(normalised.str.len_bytes() > 0).then(normalised)).to_series().alias("v")
        # A household or NUR recurs in every monthly extraction: each distinct value is hashed once.
        distinct = normalised.drop_nulls().unique()
        if distinct.is_empty():
            return pl.Series(values.name, [None] * len(values), dtype=pl.String)
        cursor = _cursor()
        try:
            cursor.register("identifiers", pl.DataFrame({"v": distinct}).to_arrow())
            relation = cursor.sql(_HMAC_SQL, params={"inner": self._inner_pad, "outer": self._outer_pad})
            hashed = pl.from_arrow(relation.to_arrow_table()).get_column("h").cast(pl.String)
        finally:
            cursor.close()
        mapping = pl.DataFrame({"v": distinct, "h": hashed})
        joined = pl.DataFrame({"v": normalised}).join(mapping, on="v", how="left", maintain_order="left")
        return joined.get_column("h").alias(values.name)


def pseudonymise(value: str, key: str) -> str | None:
    """Pseudonym of one identifier (convenience for tests and ad hoc linking)."""
    return Pseudonymiser(key).pseudonym(value)
