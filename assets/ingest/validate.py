"""Validation of one landing file: accepted rows + quarantined rows + a file report.

`validate_file(path, source=None, *, pseudo_key, communes=None)` reads the file (encoding,
separator, physical lines), matches its header on the source contract, normalises and types
every cell (vectorised), applies the row rules in their fixed priority order (see
`contracts.py`), pseudonymises the personal identifiers and returns a `FileResult`.

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
from dataclasses import dataclass, field
from pathlib import Path

import polars as pl

from assets.ingest import normalise as nz
from assets.ingest.contracts import (
    CONTRACTS,
    MODELS,
    QUARANTINE_SCHEMA,
    RULE_PRIORITY,
    Check,
    Column,
    Contract,
    consistency_checks,
)
from assets.ingest.errors import EncodingDetectionError, IngestError, UnknownSourceError
from assets.ingest.headers import header_key, load_aliases, match_header
from assets.ingest.pseudo import Pseudonymiser
from assets.ingest.reading import clean_cell, detect_encoding, read_file_bytes, split_rows, unquote_cell

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


def all_checks(contract: Contract, width: int | None = None) -> list[Check]:
    """Every row check of a contract, in the order that decides the reported rule.

    `malformed_row` fires on a row with a wrong number of fields, a `Total` line before the end,
    and on a `surplus` row (extra empty trailing fields unusual in the file) that fails another
    check: its values are then probably shifted by an inserted field.
    """
    others = sorted([*_column_checks(contract), *consistency_checks(contract.kind)], key=lambda c: RULE_PRIORITY[c.rule])
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
                pl.lit(width if width is not None else len(contract.columns)),
            ),
        ),
    )
    return [malformed, *others]  # sorted is stable: column order kept within a rule


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
    lines = quarantined.get_column("raw_line").to_list()
    if not personal:
        return lines
    masked: list[str] = []
    for raw_line, fields, n_fields, surplus, bands in zip(
        lines,
        quarantined.get_column("fields").to_list(),
        quarantined.get_column("n_fields").to_list(),
        quarantined.get_column("surplus").to_list(),
        quarantined.get_column("tranche_age").to_list() if "tranche_age" in quarantined.columns else [None] * len(lines),
    ):
        cells = list(fields)
        shift = n_fields - width
        well_formed = shift == 0 or (shift > 0 and not "".join(cells[width:]).strip() and not surplus)
        for pos, kind in personal:
            candidates = [pos] if well_formed else range(min(pos, pos + shift), max(pos, pos + shift) + 1)
            for index in candidates:
                if not 0 <= index < len(cells):
                    continue
                value = unquote_cell(cells[index])
                if value.lower() in nz.MISSING_MARKERS:
                    continue
                if kind == "birth_year":
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


def _rejected(base: dict, kind_contract: Contract | None, rule: str, error: str) -> FileResult:
    return FileResult(
        **base,
        status="rejected",
        error=error,
        error_rule=rule,
        rows_read=0,
        rows_accepted=0,
        rows_quarantined=0,
        rows_skipped=0,
        accepted=kind_contract.empty_accepted() if kind_contract else pl.DataFrame(),
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
    pseudo = Pseudonymiser(pseudo_key)
    path = Path(path)
    naming = parse_file_name(path.name, source)
    content = read_file_bytes(path)
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
    text = content.data.decode(encoding)
    if not text.strip():
        return _rejected(base, contract, "unreadable_file", f"{name} : fichier vide")
    table = split_rows(text)
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

    rows = table.rows
    cells = [
        (
            nz.null_markers(clean_cell(pl.col("fields"), header.positions[c.name], table.excel_quoting))
            if c.name in header.positions
            else pl.lit(None, dtype=pl.String)
        ).alias(_raw(c.field))
        for c in contract.columns
    ]
    work = _typed_columns(rows.with_columns(cells), contract, pseudo, communes)

    checks = all_checks(contract, len(table.header))
    fails = [c.fail.fill_null(False) for c in checks]
    work = work.with_columns(
        pl.coalesce([pl.when(f).then(pl.lit(i, dtype=pl.Int32)) for i, f in enumerate(fails)]).alias(_CHECK)
    )
    accepted = (
        work.lazy()
        .filter(pl.col(_CHECK).is_null())
        .with_columns(source_file=pl.lit(name, dtype=pl.String))
        .select([pl.col(f).cast(t) for f, t in contract.accepted_schema.items()])
        .collect()
    )
    quarantined = work.filter(pl.col(_CHECK).is_not_null())
    quarantine = _quarantine_frame(quarantined, checks, fails, contract, header.positions, len(table.header), table.separator, pseudo, name)

    if check_contract and accepted.height:
        try:
            MODELS[contract.kind].validate(accepted, lazy=True)
        except Exception as exc:  # pandera SchemaErrors: a bug here, not a data problem
            raise IngestError(f"{name} : lignes acceptées hors contrat {contract.kind} (erreur interne) : {exc}") from exc

    result = FileResult(
        **base,
        status="loaded",
        error=None,
        error_rule=None,
        rows_read=rows.height,
        rows_accepted=accepted.height,
        rows_quarantined=quarantine.height,
        rows_skipped=table.rows_skipped,
        accepted=accepted,
        quarantine=quarantine,
    )
    if result.rows_read != result.rows_accepted + result.rows_quarantined:
        raise AssertionError(
            f"{name} : {result.rows_read} lignes lues ≠ {result.rows_accepted} acceptées + {result.rows_quarantined} en quarantaine"
        )
    return result


def _quarantine_frame(
    quarantined: pl.DataFrame,
    checks: list[Check],
    fails: list[pl.Expr],
    contract: Contract,
    positions: dict[str, int],
    width: int,
    separator: str,
    pseudo: Pseudonymiser,
    file_name: str,
) -> pl.DataFrame:
    """One quarantine row per refused row: the first failing rule, its column and a French message."""
    if quarantined.height == 0:
        return pl.DataFrame(schema=QUARANTINE_SCHEMA)
    index = pl.col(_CHECK)
    message: pl.Expr = pl.when(index == 0).then(checks[0].message)
    for i, check in enumerate(checks[1:], start=1):
        message = message.when(index == i).then(check.message)
    framed = quarantined.with_columns(
        rule=index.replace_strict({i: c.rule for i, c in enumerate(checks)}, return_dtype=pl.String),
        column_name=index.replace_strict({i: c.column for i, c in enumerate(checks)}, return_dtype=pl.String),
        message=message.otherwise(pl.lit(None, dtype=pl.String)),
    )
    other_rules = pl.concat_list(
        [pl.when(f & (pl.col("rule") != c.rule)).then(pl.lit(c.rule)) for c, f in zip(checks, fails)]
    )
    framed = framed.with_columns(
        others=other_rules.list.drop_nulls().list.unique(maintain_order=True).list.join(", "),
    ).with_columns(
        message=pl.when(pl.col("malformed").is_null() & (pl.col("others") != ""))
        .then(pl.format("{} [autres règles en échec : {}]", pl.col("message"), pl.col("others")))
        .otherwise(pl.col("message"))
    )
    raw_lines = _mask_raw_lines(framed, contract, positions, width, separator, pseudo)
    return framed.select(
        source=pl.lit(contract.source, dtype=pl.String),
        file_name=pl.lit(file_name, dtype=pl.String),
        line_number=pl.col("line_number").cast(pl.Int64),
        column_name=pl.col("column_name"),
        rule=pl.col("rule"),
        message=pl.col("message"),
        raw_line=pl.Series(raw_lines, dtype=pl.String),
    )
