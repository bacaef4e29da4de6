"""Validation of landing files: accepted rows + quarantined rows + a file report.

`validate_file(path, source=None, *, pseudo_key, communes=None)` reads the file (encoding,
separator, physical lines), matches its header on the source contract, normalises and types
every cell (vectorised), applies the row rules in their fixed priority order (see
`contracts.py`), pseudonymises the personal identifiers and returns a `FileResult`.

`iter_validate_files(paths, ...)` / `validate_files(paths, ...)` give exactly the same
results for many files, but type and check the rows of many files together (batches of about
half a million rows): use them for a landing folder. A lone `validate_file` pays ~100 polars
operations (and the pandera model) for one file, tens of milliseconds even for 20 rows; in a
batch the per-file cost is about 2 ms (reading, decoding, header matching).

Every row read is either accepted or quarantined, with ONE quarantine row naming the first
failing rule: `rows_read == rows_accepted + rows_quarantined` is checked before returning.
Blank lines and the final `Total` footer are `rows_skipped`, not rows. A file whose content
cannot be read or whose header lacks a required column is `rejected` whole (no row read).

Pure library: no Dagster, no warehouse writes, nothing read outside the file, the project's
`data/config/` and `data/reference/cog/`.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import polars as pl

from assets.ingest import normalise as nz
from assets.ingest.contracts import (
    CONTRACTS,
    QUARANTINE_SCHEMA,
    RULE_PRIORITY,
    Check,
    Contract,
    consistency_checks,
)
from assets.ingest.errors import EncodingDetectionError, IngestError, UnknownSourceError
from assets.ingest.headers import header_key, load_aliases, match_header
from assets.ingest.pseudo import Pseudonymiser
from assets.ingest.reading import FilePlan, TextTable, clean_cell, plan_parts, read_part, split_table, detect_encoding, open_text, read_file_bytes, read_rows, unquote_cell

# ------------------------------------------------------------------------------------------
# File names
# ------------------------------------------------------------------------------------------
_NAME_PATTERNS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("siao", "siao", re.compile(r"^siao_(?P<departement>\d{1,3}|2[AB])_(?P<month>\d{4}-(?:0[1-9]|1[0-2]))\.csv$", re.I)),
    ("sne", "sne_attributions", re.compile(r"^sne_attributions_(?P<year>\d{4})\.csv$", re.I)),
    ("sne", "sne_demandes", re.compile(r"^sne_demandes_(?P<year>\d{4})\.csv$", re.I)),
    ("ndls", "ndls", re.compile(r"^ndls_(?P<commune>\d{5}|2[AB]\d{3})_(?P<year>\d{4})\.csv$", re.I)),
    ("offre", "offre", re.compile(r"^offre_(?P<year>\d{4})\.csv$", re.I)),
)
_SOURCE_OF_KIND = {kind: source for source, kind, _ in _NAME_PATTERNS}
ACCEPTED_SOURCES = ("siao", "sne", "sne_attributions", "sne_demandes", "ndls", "offre")
EXPECTED_NAMES = (
    "siao_<DEP>_<AAAA-MM>.csv, sne_attributions_<AAAA>.csv, sne_demandes_<AAAA>.csv, "
    "ndls_<CODE_COMMUNE>_<AAAA>.csv, offre_<AAAA>.csv"
)


@dataclass(frozen=True)
class FileName:
    """What a landing file name says: its source, table kind and edition."""

    source: str
    kind: str | None  # None only for source 'sne' with a non-standard name (decided by the header)
    departement: str | None = None
    month: str | None = None
    year: int | None = None
    commune: str | None = None


def parse_file_name(name: str, source: str | None = None) -> FileName:
    """Infer source and edition from the file name; `source` (a source or a table kind) overrides it."""
    found: FileName | None = None
    for src, kind, pattern in _NAME_PATTERNS:
        match = pattern.match(name)
        if match:
            groups = match.groupdict()
            dep = groups.get("departement")
            year = groups.get("year") or (groups.get("month") or "")[:4] or None
            found = FileName(
                source=src,
                kind=kind,
                departement=(nz.normalise_departement(dep) or dep.upper()) if dep else None,
                month=groups.get("month"),
                year=int(year) if year else None,
                commune=groups.get("commune", None) and groups["commune"].upper(),
            )
            break
    if source is None:
        if found is None:
            raise UnknownSourceError(
                f"{name} : nom de fichier non reconnu, source impossible à déduire "
                f"(noms attendus : {EXPECTED_NAMES} ; ou préciser la source)"
            )
        return found
    wanted = source.strip().lower()
    if wanted == "barometre":
        raise UnknownSourceError(f"{name} : la source « barometre » n'est pas validée par ce module (séries publiées)")
    if wanted not in ACCEPTED_SOURCES:
        raise UnknownSourceError(f"source inconnue « {source} » (sources admises : {', '.join(ACCEPTED_SOURCES)})")
    if found is not None and wanted in (found.source, found.kind):
        return found
    if wanted == "sne":
        return FileName(source="sne", kind=None)
    return FileName(source=_SOURCE_OF_KIND[wanted], kind=wanted)


def _sne_kind_from_header(header: list[str]) -> str:
    """For an SNE file with a non-standard name: attributions when a date_attribution column is there."""
    aliases = load_aliases().get("sne", {})
    keys = {header_key(n) for n in ("date_attribution", *aliases.get("date_attribution", ()))}
    return "sne_attributions" if any(header_key(h) in keys for h in header) else "sne_demandes"


# ------------------------------------------------------------------------------------------
# Result
# ------------------------------------------------------------------------------------------
@dataclass
class FileResult:
    """The outcome of validating one file: its `ingest_log` facts and its two frames."""

    source: str
    kind: str | None
    file_name: str
    sha256: str
    bytes: int
    encoding: str | None
    separator: str | None
    status: str  # 'loaded' or 'rejected'
    error: str | None
    error_rule: str | None  # whole-file rule when rejected
    rows_read: int
    rows_accepted: int
    rows_quarantined: int
    rows_skipped: int
    unknown_columns: list[str] = field(default_factory=list)
    missing_optional_columns: list[str] = field(default_factory=list)
    departement: str | None = None
    month: str | None = None
    year: int | None = None
    commune: str | None = None
    accepted: pl.DataFrame = field(default_factory=pl.DataFrame)
    quarantine: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=QUARANTINE_SCHEMA))

    def ingest_log_row(self) -> dict[str, object]:
        """The columns of `meta.ingest_log` (but `ingested_at`, set by the writer)."""
        return {
            "source": self.source,
            "file_name": self.file_name,
            "sha256": self.sha256,
            "bytes": self.bytes,
            "encoding": self.encoding,
            "separator": self.separator,
            "status": self.status,
            "error": self.error,
            "rows_read": self.rows_read,
            "rows_accepted": self.rows_accepted,
            "rows_quarantined": self.rows_quarantined,
            "rows_skipped": self.rows_skipped,
        }


# ------------------------------------------------------------------------------------------
# Validation
# ------------------------------------------------------------------------------------------
def _raw(fld: str) -> str:
    return f"__raw_{fld}"


_SHAPE = "__date_shape_{}"
_BIRTH_YEAR = "__birth_year"
_CHECK = "__check"
_FILE = "__file"
_WIDTH = "__width"


def _column_checks(contract: Contract) -> list[Check]:
    """The per-cell checks of a contract, in column order (stable-sorted by rule priority later)."""
    checks: list[Check] = []
    for col in contract.columns:
        raw, val, name = pl.col(_raw(col.field)), pl.col(col.field), col.name
        if col.required:
            checks.append(
                Check(
                    "required_value_missing",
                    name,
                    raw.is_null(),
                    pl.lit(f"Valeur obligatoire absente dans la colonne « {name} »"),
                )
            )
        invalid = raw.is_not_null() & val.is_null()
        if col.type in ("enum", "bool"):
            allowed = ", ".join(col.values)
            checks.append(
                Check(
                    "invalid_value",
                    name,
                    invalid,
                    pl.format(f"Valeur « {{}} » non admise dans la colonne « {name} » (valeurs admises : {allowed})", raw),
                )
            )
        elif col.type == "integer":
            checks.append(
                Check(
                    "invalid_integer",
                    name,
                    invalid,
                    pl.format(
                        f"Nombre entier invalide « {{}} » dans la colonne « {name} » (entier ≥ {col.minimum} attendu)", raw
                    ),
                )
            )
        elif col.type == "birth_year":
            age = pl.col("request_date").dt.year().cast(pl.Int64) - pl.col(_BIRTH_YEAR)
            checks.append(
                Check(
                    "invalid_integer",
                    name,
                    raw.is_not_null() & (pl.col(_BIRTH_YEAR).is_null() | (age < 0)),
                    pl.format(
                        f"Année invalide « {{}} » dans la colonne « {name} » "
                        "(année entre 1900 et l'année de la demande attendue)",
                        raw,
                    ),
                )
            )
        elif col.type == "date":
            checks.append(
                Check(
                    "invalid_date",
                    name,
                    invalid,
                    pl.when(pl.col(_SHAPE.format(col.field)))
                    .then(pl.format(f"Date impossible « {{}} » dans la colonne « {name} »", raw))
                    .otherwise(
                        pl.format(
                            f"Date illisible « {{}} » dans la colonne « {name} » (formats admis : JJ/MM/AAAA, AAAA-MM-JJ)",
                            raw,
                        )
                    ),
                )
            )
        elif col.type == "departement":
            checks.append(
                Check(
                    "invalid_departement",
                    name,
                    invalid,
                    pl.format(f"Code département invalide « {{}} » dans la colonne « {name} »", raw),
                )
            )
        elif col.type == "commune":
            checks.append(
                Check(
                    "unknown_commune",
                    name,
                    invalid,
                    pl.format(f"Code commune « {{}} » absent du COG 2026 dans la colonne « {name} »", raw),
                )
            )
    return checks


@lru_cache(maxsize=16)
def all_checks(kind: str) -> tuple[Check, ...]:
    """Every row check of a table kind, in the order that decides the reported rule.

    `malformed_row` fires on a row with a wrong number of fields, a `Total` line before the end,
    and on a `surplus` row (extra empty trailing fields unusual in the file) that fails another
    check: its values are then probably shifted by an inserted field.
    """
    contract = CONTRACTS[kind]
    others = sorted([*_column_checks(contract), *consistency_checks(kind)], key=lambda c: RULE_PRIORITY[c.rule])
    any_other = pl.any_horizontal([c.fail.fill_null(False) for c in others])
    malformed = Check(
        "malformed_row",
        None,
        pl.col("malformed").is_not_null() | (pl.col("surplus") & any_other),
        pl.coalesce(
            pl.col("malformed"),
            pl.format(
                "Ligne mal formée : {} champs au lieu de {} (en-tête), valeurs probablement décalées",
                pl.col("n_fields"),
                pl.col(_WIDTH),
            ),
        ),
    )
    return (malformed, *others)  # sorted is stable: column order kept within a rule


@lru_cache(maxsize=16)
def _check_index(kind: str) -> pl.Expr:
    """Index of the first failing check of a row (null when the row is accepted)."""
    fails = [c.fail.fill_null(False) for c in all_checks(kind)]
    return pl.coalesce([pl.when(f).then(pl.lit(i, dtype=pl.Int32)) for i, f in enumerate(fails)]).alias(_CHECK)


@lru_cache(maxsize=16)
def _quarantine_exprs(kind: str) -> tuple[pl.Expr, pl.Expr, pl.Expr, pl.Expr]:
    """(rule, column_name, message, other failing rules) of a refused row, from its check index."""
    checks = all_checks(kind)
    index = pl.col(_CHECK)
    message: pl.Expr = pl.when(index == 0).then(checks[0].message)
    for i, check in enumerate(checks[1:], start=1):
        message = message.when(index == i).then(check.message)
    rule = index.replace_strict({i: c.rule for i, c in enumerate(checks)}, return_dtype=pl.String)
    column = index.replace_strict({i: c.column for i, c in enumerate(checks)}, return_dtype=pl.String)
    others = pl.concat_list(
        [pl.when(c.fail.fill_null(False) & (pl.col("rule") != c.rule)).then(pl.lit(c.rule)) for c in checks]
    )
    others = others.list.drop_nulls().list.unique(maintain_order=True).list.join(", ")
    return rule, column, message.otherwise(pl.lit(None, dtype=pl.String)), others


def _typed_columns(
    work: pl.DataFrame, contract: Contract, pseudo: Pseudonymiser, communes: frozenset[str] | None
) -> pl.DataFrame:
    """Add the typed column of every contract column (and helpers) to the working frame."""
    exprs: list[pl.Expr] = []
    series: list[pl.Series] = []
    arrondissements = nz.load_arrondissements() if any(c.type == "commune" for c in contract.columns) else {}
    if communes is None and any(c.type == "commune" for c in contract.columns):
        communes = nz.load_communes()
    for col in contract.columns:
        raw = pl.col(_raw(col.field))
        if col.type == "text":
            exprs.append(raw.alias(col.field))
        elif col.type == "date":
            value, shape = nz.parse_date(work.get_column(_raw(col.field)))
            series += [value.alias(col.field), shape.alias(_SHAPE.format(col.field))]
        elif col.type == "integer":
            series.append(nz.parse_integer(work.get_column(_raw(col.field)), col.minimum).alias(col.field))
        elif col.type == "birth_year":
            series.append(nz.parse_integer(work.get_column(_raw(col.field)), 1900, 2100).alias(_BIRTH_YEAR))
        elif col.type in ("menage", "nur"):
            series.append(pseudo.series(work.get_column(_raw(col.field))).alias(col.field))
        elif col.type == "enum":
            series.append(nz.map_values(work.get_column(_raw(col.field)), col.values).alias(col.field))
        elif col.type == "bool":
            mapped = nz.map_values(work.get_column(_raw(col.field)), col.values)
            series.append((mapped == col.values[0]).alias(col.field))
        elif col.type == "departement":
            series.append(nz.map_distinct(work.get_column(_raw(col.field)), nz.normalise_departement).alias(col.field))
        elif col.type == "commune":
            assert communes is not None
            known = communes
            series.append(
                nz.map_distinct(
                    work.get_column(_raw(col.field)), lambda v: nz.normalise_commune(v, known, arrondissements)
                ).alias(col.field)
            )
    work = work.with_columns(*series).with_columns(exprs)
    if any(c.type == "birth_year" for c in contract.columns):
        age = pl.col("request_date").dt.year().cast(pl.Int64) - pl.col(_BIRTH_YEAR)
        work = work.with_columns(nz.tranche_age(age).alias("tranche_age"))
    return work


def _mask_raw_lines(
    quarantined: pl.DataFrame,
    contract: Contract,
    positions: dict[str, int],
    width: int,
    separator: str,
    pseudo: Pseudonymiser,
) -> list[str]:
    """Raw lines of quarantined rows with personal cells replaced (pseudonym, or age band for the birth year).

    In a row with a wrong number of fields the cells may have shifted: every position the
    personal cell may have moved to is replaced, so that no identifier stays in clear.
    """
    personal = [(positions[c.name], c.type) for c in contract.columns if c.type in ("menage", "nur", "birth_year") and c.name in positions]
    # columns the contract does not know (a household number, a name…): never kept in clear
    known = set(positions.values())
    personal += [(index, "unknown") for index in range(width) if index not in known]
    lines = quarantined.get_column("raw_line").to_list()
    if not personal:
        return lines
    masked: list[str] = []
    for raw_line, n_fields, surplus, bands in zip(
        lines,
        quarantined.get_column("n_fields").to_list(),
        quarantined.get_column("surplus").to_list(),
        quarantined.get_column("tranche_age").to_list() if "tranche_age" in quarantined.columns else [None] * len(lines),
    ):
        try:
            cells = next(csv.reader(io.StringIO(raw_line + "\n"), delimiter=separator), [""])
        except csv.Error:  # a lone carriage return, a field over the csv module's limit: cut at separators
            cells = raw_line.split(separator)
        shift = n_fields - width
        well_formed = shift == 0 or (shift > 0 and not "".join(cells[width:]).strip() and not surplus)
        if not well_formed and len(cells) > width and any(kind == "unknown" for _, kind in personal):
            # cells beyond the header in a file with unknown columns may be their shifted values
            cells[width:] = ["[masqué]" if c.strip() else c for c in cells[width:]]
        for pos, kind in personal:
            candidates = [pos] if well_formed else range(min(pos, pos + shift), max(pos, pos + shift) + 1)
            for index in candidates:
                if not 0 <= index < len(cells):
                    continue
                value = unquote_cell(cells[index])
                if value.lower() in nz.MISSING_MARKERS:
                    continue
                if kind == "unknown":
                    cells[index] = "[masqué]"
                elif kind == "birth_year":
                    cells[index] = bands if (well_formed and bands) else "[masqué]"
                else:
                    cells[index] = pseudo.pseudonym(value) or cells[index]
        if '"' in raw_line or "\n" in raw_line:
            buffer = io.StringIO()
            csv.writer(buffer, delimiter=separator, lineterminator="").writerow(cells)
            masked.append(buffer.getvalue())
        else:
            masked.append(separator.join(cells))
    return masked


def _rejected(base: dict, contract: Contract | None, rule: str, error: str) -> FileResult:
    return FileResult(
        **base,
        status="rejected",
        error=error,
        error_rule=rule,
        rows_read=0,
        rows_accepted=0,
        rows_quarantined=0,
        rows_skipped=0,
        accepted=contract.empty_accepted() if contract else pl.DataFrame(),
    )


@dataclass
class _Prepared:
    """A file decoded, cut into lines and its header matched, waiting for its batch."""

    base: dict
    contract: Contract
    table: TextTable
    positions: dict[str, int]
    part: int = 0  # a big file is read in parts (`reading.split_table`), merged into one result
    parts: int = 1
    plan: FilePlan | None = None  # a big file without quotes: its parts are read from disk one by one


def _prepare(path: Path, source: str | None, sha256: str | None = None,
             max_lines: int | None = None) -> FileResult | _Prepared:
    """Per-file work (pure Python): bytes, encoding, lines, header; a rejected file ends here. A file of
    more than `max_lines` lines without quotes is only planned (`reading.plan_parts`), not decoded."""
    naming = parse_file_name(path.name, source)
    content = read_file_bytes(path, sha256)
    name = path.name
    base: dict = {
        "source": naming.source,
        "kind": naming.kind,
        "file_name": name,
        "sha256": content.sha256,
        "bytes": content.size,
        "encoding": None,
        "separator": None,
        "departement": naming.departement,
        "month": naming.month,
        "year": naming.year,
        "commune": naming.commune,
    }
    contract = CONTRACTS.get(naming.kind) if naming.kind else None
    try:
        encoding = detect_encoding(content.data)
    except EncodingDetectionError as exc:
        return _rejected(base, contract, "unreadable_file", f"{name} : fichier illisible, {exc}")
    base["encoding"] = encoding
    plan = plan_parts(path, content.data, encoding, max_lines) if max_lines else None
    if plan is not None:
        del content  # the bytes are not kept: each part is read again from disk when its turn comes
        table = plan.template
    else:
        text = content.data.decode(encoding)
        if not text.strip():
            return _rejected(base, contract, "unreadable_file", f"{name} : fichier vide")
        table = open_text(text)
        del text
    base["separator"] = table.separator
    if contract is None:
        base["kind"] = _sne_kind_from_header(table.header)
        contract = CONTRACTS[base["kind"]]
    header = match_header(table.header, contract)
    base["unknown_columns"] = header.unknown
    base["missing_optional_columns"] = header.missing_optional
    if header.duplicates:
        listed = ", ".join(f"« {c} »" for c in header.duplicates)
        return _rejected(base, contract, "duplicate_column", f"{name} : colonne présente plusieurs fois {listed}")
    if header.missing_required:
        listed = ", ".join(f"« {c} »" for c in header.missing_required)
        plural = "colonnes obligatoires absentes" if len(header.missing_required) > 1 else "colonne obligatoire absente"
        return _rejected(base, contract, "required_column_missing", f"{name} : {plural} {listed}")
    return _Prepared(base, contract, table, header.positions, plan=plan)


def _prepare_parts(path: Path, source: str | None, sha256: str | None,
                   max_lines: int) -> Iterator[FileResult | _Prepared]:
    """`_prepare`, a big file cut into parts of at most `max_lines` lines (bounded memory); the parts of
    a planned file are read from disk one at a time, as the caller asks for them."""
    item = _prepare(path, source, sha256, max_lines)
    if isinstance(item, FileResult):
        yield item
        return
    if item.plan is not None:
        count = len(item.plan.parts)
        for i in range(count):
            yield _Prepared(item.base, item.contract, read_part(item.plan, i), item.positions, i, count)
        return
    tables = split_table(item.table, max_lines)
    for i, t in enumerate(tables):
        yield _Prepared(item.base, item.contract, t, item.positions, i, len(tables))


def _merge_parts(results: list[FileResult]) -> FileResult:
    """The result of a file read in parts: rows and counts of its parts together."""
    if len(results) == 1:
        return results[0]
    first = results[0]
    merged = FileResult(
        **{**first.__dict__,
           "rows_read": sum(r.rows_read for r in results),
           "rows_accepted": sum(r.rows_accepted for r in results),
           "rows_quarantined": sum(r.rows_quarantined for r in results),
           "rows_skipped": sum(r.rows_skipped for r in results),
           # not rechunked: the parts' columns are not copied into one (memory of a big file)
           "accepted": pl.concat([r.accepted for r in results], how="vertical_relaxed", rechunk=False),
           "quarantine": pl.concat([r.quarantine for r in results], how="vertical_relaxed", rechunk=False)}
    )
    if merged.rows_read != merged.rows_accepted + merged.rows_quarantined:
        raise AssertionError(f"{merged.file_name} : lignes lues ≠ acceptées + en quarantaine")
    return merged


def _batch_rows(batch: list[_Prepared]) -> tuple[pl.DataFrame, list[int]]:
    """Rows of a batch of files of one kind, with their raw cells (cleaned, markers as null)."""
    contract = batch[0].contract
    rows, skipped = read_rows([p.table for p in batch])

    def per_file(values: list, dtype: pl.DataType) -> pl.Expr:
        return pl.col(_FILE).replace_strict(dict(enumerate(values)), return_dtype=dtype)

    excel_quoting = any(p.table.excel_quoting for p in batch)
    cells = []
    for column in contract.columns:
        positions = [p.positions.get(column.name) for p in batch]
        if all(pos is None for pos in positions):
            cells.append(pl.lit(None, dtype=pl.String).alias(_raw(column.field)))
            continue
        index = positions[0] if len(set(positions)) == 1 else per_file(positions, pl.Int64)
        cells.append(nz.null_markers(clean_cell(pl.col("fields"), index, excel_quoting)).alias(_raw(column.field)))
    rows = rows.with_columns(
        *cells,
        per_file([p.base["file_name"] for p in batch], pl.String).alias("source_file"),
        per_file([p.table.width for p in batch], pl.Int64).alias(_WIDTH),
    ).drop("fields")  # the few refused rows are re-split from their raw line (memory)
    return rows, skipped


def _evaluate(
    batch: list[_Prepared],
    pseudo: Pseudonymiser,
    communes: frozenset[str] | None,
    check_contract: bool,
) -> list[FileResult]:
    """Typed columns, checks and quarantine of files of one table kind, evaluated together."""
    contract = batch[0].contract
    kind = contract.kind
    work, skipped = _batch_rows(batch)
    rows_read = dict(work.group_by(_FILE).len().iter_rows())
    work = _typed_columns(work, contract, pseudo, communes).with_columns(_check_index(kind))
    accepted_all = (
        work.lazy()
        .filter(pl.col(_CHECK).is_null())
        .select([pl.col(f).cast(t) for f, t in contract.accepted_schema.items()] + [pl.col(_FILE)])
        .collect()
    )
    if check_contract and accepted_all.height:
        try:
            from assets.ingest.models import MODELS  # pandera: imported only when used

            MODELS[kind].validate(accepted_all.drop(_FILE), lazy=True)
        except Exception as exc:  # pandera SchemaErrors: a bug here, not a data problem
            names = ", ".join(p.base["file_name"] for p in batch)
            raise IngestError(f"{names} : lignes acceptées hors contrat {kind} (erreur interne) : {exc}") from exc
    accepted_by_file = accepted_all.partition_by(_FILE, as_dict=True, include_key=False, maintain_order=True)

    quarantined = work.filter(pl.col(_CHECK).is_not_null())
    quarantine_by_file: dict = {}
    if quarantined.height:
        rule, column, message, others = _quarantine_exprs(kind)
        quarantined = quarantined.with_columns(rule=rule, column_name=column, message=message)
        quarantined = quarantined.with_columns(others=others).with_columns(
            message=pl.when(pl.col("malformed").is_null() & (pl.col("others") != ""))
            .then(pl.format("{} [autres règles en échec : {}]", pl.col("message"), pl.col("others")))
            .otherwise(pl.col("message"))
        )
        quarantine_by_file = quarantined.partition_by(_FILE, as_dict=True, maintain_order=True)

    results = []
    for i, prepared in enumerate(batch):
        accepted = accepted_by_file.get((i,))
        if accepted is None:
            accepted = contract.empty_accepted()
        refused = quarantine_by_file.get((i,))
        if refused is None:
            quarantine = pl.DataFrame(schema=QUARANTINE_SCHEMA)
        else:
            table = prepared.table
            raw_lines = _mask_raw_lines(refused, contract, prepared.positions, table.width, table.separator, pseudo)
            quarantine = refused.select(
                source=pl.lit(contract.source, dtype=pl.String),
                file_name=pl.col("source_file"),
                line_number=pl.col("line_number").cast(pl.Int64),
                column_name=pl.col("column_name"),
                rule=pl.col("rule"),
                message=pl.col("message"),
                raw_line=pl.Series(raw_lines, dtype=pl.String),
            )
        result = FileResult(
            **prepared.base,
            status="loaded",
            error=None,
            error_rule=None,
            rows_read=int(rows_read.get(i, 0)),
            rows_accepted=accepted.height,
            rows_quarantined=quarantine.height,
            rows_skipped=skipped[i],
            accepted=accepted,
            quarantine=quarantine,
        )
        if result.rows_read != result.rows_accepted + result.rows_quarantined:
            raise AssertionError(
                f"{result.file_name} : {result.rows_read} lignes lues ≠ {result.rows_accepted} acceptées "
                f"+ {result.rows_quarantined} en quarantaine"
            )
        results.append(result)
    return results


def iter_validate_files(
    paths: Iterable[Path | str],
    source: str | None = None,
    *,
    pseudo_key: str,
    communes: frozenset[str] | None = None,
    check_contract: bool = True,
    batch_rows: int = 500_000,
    batch_files: int = 1_000,
    digests: dict[str, str] | None = None,
    max_file_lines: int = 400_000,
) -> Iterator[FileResult]:
    """Validate many files, yielding one `FileResult` per path, in order.

    Files are read one by one, then their rows are typed and checked together, by batches of
    about `batch_rows` rows or `batch_files` files: the cost of the vectorised steps is paid
    once per batch instead of once per file (thousands of monthly SIAO extractions). The
    results are exactly those of `validate_file` on each file. `digests` (path → SHA-256) spares
    hashing again a file the caller has just hashed. A file of more than `max_file_lines` lines
    (national SNE files: millions) is typed and checked in parts, one batch each, so that memory
    stays bounded; its result is still one `FileResult`.
    """
    pseudo = Pseudonymiser(pseudo_key)
    pending: list[FileResult | _Prepared] = []
    parts: list[FileResult] = []
    rows = 0

    def flush() -> Iterator[FileResult]:
        by_kind: dict[str, list[int]] = {}
        for index, item in enumerate(pending):
            if isinstance(item, _Prepared):
                by_kind.setdefault(item.contract.kind, []).append(index)
        done: dict[int, FileResult] = {}
        for indexes in by_kind.values():
            evaluated = _evaluate([pending[i] for i in indexes], pseudo, communes, check_contract)  # type: ignore[misc]
            done.update(zip(indexes, evaluated))
        for index, item in enumerate(pending):
            if not isinstance(item, _Prepared):
                yield item
                continue
            parts.append(done[index])
            if item.part == item.parts - 1:
                yield _merge_parts(parts)
                parts.clear()

    for path in paths:
        for item in _prepare_parts(Path(path), source, (digests or {}).get(str(path)), max_file_lines):
            pending.append(item)
            if isinstance(item, _Prepared):
                rows += len(item.table.lines)
            if rows >= batch_rows or len(pending) >= batch_files:
                yield from flush()
                pending, rows = [], 0
    if pending:
        yield from flush()


def validate_files(
    paths: Iterable[Path | str],
    source: str | None = None,
    *,
    pseudo_key: str,
    communes: frozenset[str] | None = None,
    check_contract: bool = True,
    batch_rows: int = 500_000,
    batch_files: int = 1_000,
) -> list[FileResult]:
    """`iter_validate_files` as a list."""
    return list(
        iter_validate_files(
            paths,
            source,
            pseudo_key=pseudo_key,
            communes=communes,
            check_contract=check_contract,
            batch_rows=batch_rows,
            batch_files=batch_files,
        )
    )


def validate_file(
    path: Path | str,
    source: str | None = None,
    *,
    pseudo_key: str,
    communes: frozenset[str] | None = None,
    check_contract: bool = True,
) -> FileResult:
    """Validate one landing file against its contract (see the module docstring).

    `source`: `siao`, `sne`, `ndls`, `offre` or a table kind (`sne_attributions`,
    `sne_demandes`); inferred from the file name when None (unknown name: `UnknownSourceError`).
    `pseudo_key`: the pseudonymisation secret (missing: `PseudoKeyError`).
    `communes`: the COG 2026 commune codes (default: read from `data/reference/cog/`).
    `check_contract`: validate the accepted frame with the pandera model of its kind (a failure
    there is a bug of this module, raised as `IngestError`).
    """
    return validate_files([path], source, pseudo_key=pseudo_key, communes=communes, check_contract=check_contract)[0]
