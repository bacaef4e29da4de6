"""Normalisation of cell values, vectorised with polars.

Every function takes or returns polars expressions / series: no Python loop runs per row. Values
whose domain is small by nature (enumerations, département and commune codes) are normalised once
per *distinct* value in Python, then mapped onto the column with `replace_strict`.

- Missing-value markers (empty, `NR`, `Non renseigné`, `NC`, `-`, any case) become null.
- Dates: `JJ/MM/AAAA`, `JJ/MM/AAAA HH:MM[:SS]`, ISO `AAAA-MM-JJ` (with an optional time); the
  time is dropped. A well-formed but impossible date (`31/02/2023`) is told apart from an
  unreadable one, both refused by the rule `invalid_date`.
- Integers: digits (spaces as thousands separators and a `,0` decimal part tolerated).
- Département codes: `1` -> `01`, `2A`/`2B`, `971`..`976`; `20` and anything else is invalid.
- Commune codes: `1004` -> `01004`, municipal arrondissements rolled up (Paris, Lyon, Marseille,
  from `data/config/arrondissements.csv`), then looked up in the COG 2026 communes.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path

import polars as pl

from assets.ingest.errors import ReferenceDataError
from assets.ingest.headers import header_key
from pipelines.config import CONFIG_DIR, REFERENCE_DIR

COMMUNES_FILE = REFERENCE_DIR / "cog" / "commune_epci_2026.csv"
ARRONDISSEMENTS_FILE = CONFIG_DIR / "arrondissements.csv"

MISSING_MARKERS: tuple[str, ...] = ("", "nr", "non renseigné", "non renseigne", "nc", "-")

# ------------------------------------------------------------------------------------------
# Missing values
# ------------------------------------------------------------------------------------------


_SHORT_MARKERS = ["", "-", *(n + x for n in "nN" for x in "rRcC")]  # every case of NR, NC
_LONG_MARKER_PATTERN = r"^(?i:non renseign[ée])$"


def null_markers(cell: pl.Expr) -> pl.Expr:
    """Null where the (already stripped) cell is empty or a missing-value marker (any case).

    The short markers are compared as values (every case spelled out), the regular expression runs
    only on cells long enough to be « Non renseigné »: twice as fast as one expression for all."""
    long_marker = (cell.str.len_bytes() >= 13) & cell.str.contains(_LONG_MARKER_PATTERN)
    return pl.when(cell.is_in(_SHORT_MARKERS) | long_marker).then(None).otherwise(cell)


# ------------------------------------------------------------------------------------------
# Dates
# ------------------------------------------------------------------------------------------
_TIME = r"(?:[ T]+\d{1,2}[:hH]\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
DATE_PATTERN = (
    r"^(?:(?P<d1>\d{1,2})/(?P<m1>\d{1,2})/(?P<y1>\d{4})"
    r"|(?P<y2>\d{4})-(?P<m2>\d{1,2})-(?P<d2>\d{1,2}))" + _TIME + r"$"
)


def _parse_date_slow(cell: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(date, well_formed) by regular expression: handles times, tells impossible from unreadable."""
    groups = cell.str.extract_groups(DATE_PATTERN)
    year = pl.coalesce(groups.struct.field("y1"), groups.struct.field("y2"))
    month = pl.coalesce(groups.struct.field("m1"), groups.struct.field("m2")).str.zfill(2)
    day = pl.coalesce(groups.struct.field("d1"), groups.struct.field("d2")).str.zfill(2)
    iso = pl.concat_str([year, month, day], separator="-")
    date = iso.str.to_date("%Y-%m-%d", strict=False)
    return pl.when(date.dt.year() >= 1000).then(date), year.is_not_null()


_FAST_DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d")
_FAST_DATETIME_FORMATS = ("%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")


def _fast_dates(cells: pl.Series, datetimes: bool) -> pl.Series:
    cell = pl.col("cell")
    if datetimes:
        parsed = [cell.str.to_datetime(f, strict=False).dt.date() for f in _FAST_DATETIME_FORMATS]
    else:
        parsed = [cell.str.to_date(f, strict=False) for f in _FAST_DATE_FORMATS]
    date = pl.coalesce(parsed)
    # chrono accepts signs and 5-digit years: keep 4-digit years only (others go to the slow path)
    date = pl.when(date.dt.year().is_between(1000, 9999)).then(date)
    return pl.DataFrame({"cell": cells}).select(date.alias("date")).get_column("date")


def parse_date(cells: pl.Series) -> tuple[pl.Series, pl.Series]:
    """(date, well_formed) of a column of stripped cells (null stays null).

    `date` is null when the text is unreadable or the date impossible; `well_formed` says the
    text had a date shape (so a null date there is an impossible date such as 31/02/2023).
    A cascade, each step on the rows still unparsed: `JJ/MM/AAAA` and `AAAA-MM-JJ` (whole
    column), then the usual date-times, then a regular expression (times of any shape, errors).
    """
    dates = _fast_dates(cells, datetimes=False)
    shape = pl.repeat(True, len(cells), eager=True, dtype=pl.Boolean).alias("shape")
    pending = (cells.is_not_null() & dates.is_null()).arg_true()
    if len(pending):
        dates = dates.scatter(pending, _fast_dates(cells.gather(pending), datetimes=True))
        pending = (cells.is_not_null() & dates.is_null()).arg_true()
    if len(pending):
        slow_date, slow_shape = _parse_date_slow(pl.col("cell"))
        slow = pl.DataFrame({"cell": cells.gather(pending)}).select(slow_date.alias("date"), slow_shape.alias("shape"))
        dates = dates.scatter(pending, slow.get_column("date"))
        shape = shape.scatter(pending, slow.get_column("shape"))
    return dates.alias(cells.name), shape


# ------------------------------------------------------------------------------------------
# Integers
# ------------------------------------------------------------------------------------------
_INTEGER_PATTERN = r"^\+?(\d+)(?:[.,]0+)?$"


def parse_integer(cells: pl.Series, minimum: int | None = None, maximum: int | None = None) -> pl.Series:
    """Int64 of a column of stripped cells; null when not an integer or outside [minimum, maximum].

    Spaces as thousands separators and a `,0`/`.0` decimal part are tolerated (slow path, on
    the rows that need it only).
    """
    values = cells.cast(pl.Int64, strict=False)
    pending = (cells.is_not_null() & values.is_null()).arg_true()
    if len(pending):
        compact = cells.gather(pending).str.replace_all(r"[\s\u00a0\u202f]", "")
        values = values.scatter(pending, compact.str.extract(_INTEGER_PATTERN, 1).cast(pl.Int64, strict=False))
    ok = pl.lit(True)
    if minimum is not None:
        ok = ok & (pl.col("v") >= minimum)
    if maximum is not None:
        ok = ok & (pl.col("v") <= maximum)
    return pl.DataFrame({"v": values}).select(pl.when(ok).then(pl.col("v"))).to_series().alias(cells.name)


# ------------------------------------------------------------------------------------------
# Per-distinct-value mapping
# ------------------------------------------------------------------------------------------
def map_distinct(values: pl.Series, function: Callable[[str], str | None]) -> pl.Series:
    """Apply `function` once per distinct non-null value, then map the whole column (None -> null)."""
    mapping = {value: function(value) for value in values.drop_nulls().unique().to_list()}
    return values.replace_strict(mapping, default=None, return_dtype=pl.String)


def value_lookup(values: Iterable[str]) -> dict[str, str]:
    """Comparison key (case, accents, spaces, punctuation ignored) -> canonical spelling."""
    lookup: dict[str, str] = {}
    for value in values:
        key = header_key(value)
        if key in lookup and lookup[key] != value:
            raise ValueError(f"values {lookup[key]!r} and {value!r} share the key {key!r}")
        lookup[key] = value
    return lookup


def map_values(values: pl.Series, allowed: Iterable[str]) -> pl.Series:
    """Canonical spelling of each value of an enumerated column, null when it is not in the list."""
    lookup = value_lookup(allowed)
    return map_distinct(values, lambda v: lookup.get(header_key(v)))


# ------------------------------------------------------------------------------------------
# Départements and communes
# ------------------------------------------------------------------------------------------
VALID_DEPARTEMENTS: frozenset[str] = frozenset(
    [f"{n:02d}" for n in range(1, 96) if n != 20] + ["2A", "2B"] + [str(n) for n in range(971, 977)]
)


def normalise_departement(value: str) -> str | None:
    """`1` -> `01`, `2a` -> `2A`, `971`; None when it is not a département code (`20`, `99`, …)."""
    code = value.strip().upper()
    if re.fullmatch(r"\d{1,3}", code):
        code = f"{int(code):02d}"
    elif re.fullmatch(r"0?2[AB]", code):
        code = code[-2:]
    return code if code in VALID_DEPARTEMENTS else None


@lru_cache(maxsize=4)
def load_communes(path: Path = COMMUNES_FILE) -> frozenset[str]:
    """Codes of the COG 2026 communes (column `code_commune`, read as strings)."""
    if not Path(path).exists():
        raise ReferenceDataError(f"référentiel des communes introuvable : {path}")
    frame = pl.read_csv(path, infer_schema=False, columns=["code_commune"])
    return frozenset(frame.get_column("code_commune").drop_nulls().to_list())


@lru_cache(maxsize=4)
def load_arrondissements(path: Path = ARRONDISSEMENTS_FILE) -> dict[str, str]:
    """Municipal arrondissement code -> commune code (Paris, Lyon, Marseille)."""
    if not Path(path).exists():
        raise ReferenceDataError(f"table des arrondissements introuvable : {path}")
    frame = pl.read_csv(path, infer_schema=False)
    return dict(zip(frame.get_column("code_arrondissement").to_list(), frame.get_column("code_commune").to_list()))


def commune_code_shape(value: str) -> str:
    """Upper-case, lost leading zero restored (`1004` -> `01004`); no validity check."""
    code = value.strip().upper()
    if re.fullmatch(r"\d{4}", code):
        code = "0" + code
    return code


def normalise_commune(value: str, communes: frozenset[str], arrondissements: dict[str, str]) -> str | None:
    """COG 2026 commune code of a cell, arrondissements rolled up; None when unknown."""
    code = commune_code_shape(value)
    code = arrondissements.get(code, code)
    return code if code in communes else None


# ------------------------------------------------------------------------------------------
# Age bands
# ------------------------------------------------------------------------------------------
AGE_BANDS: tuple[tuple[int, str], ...] = ((18, "<18"), (25, "18-24"), (35, "25-34"), (45, "35-44"), (55, "45-54"), (65, "55-64"))


def tranche_age(age: pl.Expr) -> pl.Expr:
    """Age band (`<18`, `18-24`, …, `65+`) of an age in years; null when the age is null or negative."""
    expr = pl.when(age.is_null() | (age < 0)).then(pl.lit(None, dtype=pl.String))
    for upper, label in AGE_BANDS:
        expr = expr.when(age < upper).then(pl.lit(label))
    return expr.otherwise(pl.lit("65+"))
