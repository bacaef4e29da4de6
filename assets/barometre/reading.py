"""Reading one Baromètre file: bytes → encoding, separator, layout → kept rows, quarantined rows.

Pure Python (no Dagster, no DuckDB), so that every rule can be tested on a few hand-made lines.

- Encoding: a UTF-8 BOM → `utf-8-sig`; a strict UTF-8 decoding of every byte → `utf-8`; otherwise
  charset-normalizer, given the whole file (one chunk) and restricted to Windows-1252, must accept
  it → `cp1252`. Anything else rejects the file (never a silent wrong guess).
- Separator: the most frequent of `,`, `;`, tab in the header line (outside quotes).
- Layout, recognised by the header (never by the file name):
  - `2017-2022` "detail" (etalab/barometre-resultats-donnees): `id_indicateur`, `date`, `valeur`,
    `unite` and one territory column: `code_departement`, `code_region` or `maille_geographique`;
    rows kept: `id_indicateur = logement-sans-domicile-hebergement-urgence`;
  - `2017-2022` "synthese" (`valeur_actuelle`, … and no `date`): a summary of the detail files
    (current, initial and target values); read, no row kept (`rows_skipped`), the log says why;
  - `IND-295` (DITP-pilotage/barometre-resultats, 2023–): `indic_id, enforce_zone_id,
    metric_enforce_date, maille, indic_vi, indic_va, indic_vc, indic_ta`; rows kept:
    `indic_id = IND-295` (a file of another indicator, e.g. IND-302, is read and keeps nothing);
  - any other header, or a recognised layout missing a column it needs → the file is rejected,
    the error names the file and the missing columns.
- Every data row read is kept (`accepted`), quarantined (a French message: wrong number of
  fields, unknown territory, invalid date or number, duplicate) or skipped (blank line, another
  indicator, summary file): `rows_read = rows_accepted + rows_quarantined + rows_skipped`.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import charset_normalizer
import polars as pl

from assets.reference.checks import DEPARTEMENTS_ATTENDUS, REGIONS_ATTENDUES

SOURCE = "barometre"

LAYOUT_2017 = "2017-2022"
LAYOUT_IND295 = "IND-295"

INDICATEUR_2017 = "logement-sans-domicile-hebergement-urgence"
INDICATEUR_IND295 = "IND-295"

#: Columns of the 2023– layout (all required: the file is rejected if one is missing).
COLUMNS_IND295 = (
    "indic_id",
    "enforce_zone_id",
    "metric_enforce_date",
    "maille",
    "indic_vi",
    "indic_va",
    "indic_vc",
    "indic_ta",
)
#: Territory column of the 2017–2022 detail files → territoire_type.
GEO_COLUMNS_2017 = {"code_departement": "departement", "code_region": "region", "maille_geographique": "france"}
#: Columns the 2017–2022 detail layout needs besides its territory column.
REQUIRED_2017 = ("id_indicateur", "date", "valeur", "unite")
#: Columns of the 2017–2022 layout read but not used (not reported as unknown).
KNOWN_2017 = ("mesure", "indicateur", "libelle_departement", "libelle_region")
#: Columns of the 2017–2022 summary files ("synthese").
COLUMNS_SYNTHESE = (
    "valeur_actuelle",
    "date_valeur_actuelle",
    "valeur_initiale",
    "date_valeur_initiale",
    "progression",
    "pourcentage_progression",
    "progression_derniere_maj",
    "cible",
    "pourcentage_cible",
    "date_cible",
)
#: IND-295 `maille` → territoire_type.
MAILLES = {"DEPT": "departement", "REG": "region", "NAT": "france"}

DEPARTEMENTS = frozenset(DEPARTEMENTS_ATTENDUS)
REGIONS = frozenset(REGIONS_ATTENDUES)

SEPARATORS = (",", ";", "\t")

#: Schema of `raw.barometre` (see sql/barometre/raw_barometre.sql).
RAW_SCHEMA = {
    "layout": pl.String,
    "file_name": pl.String,
    "line_number": pl.Int64,
    "indicateur": pl.String,
    "territoire_type": pl.String,
    "territoire_code": pl.String,
    "code_source": pl.String,
    "date": pl.Date,
    "nature": pl.String,
    "valeur": pl.Float64,
    "indic_vi": pl.Float64,
    "indic_vc": pl.Float64,
    "indic_ta": pl.Float64,
    "unite": pl.String,
}
#: Schema of `meta.quarantine` (sql/meta/quarantine.sql).
QUARANTINE_SCHEMA = {
    "source": pl.String,
    "file_name": pl.String,
    "line_number": pl.Int64,
    "column_name": pl.String,
    "rule": pl.String,
    "message": pl.String,
    "raw_line": pl.String,
}


class FileRejected(Exception):
    """The whole file cannot be read (encoding, empty, unknown or incomplete header)."""


@dataclass
class FileResult:
    """What reading one file gave: its facts for `meta.ingest_log`, its rows, its quarantine."""

    file_name: str
    sha256: str
    bytes: int
    encoding: str | None = None
    separator: str | None = None
    layout: str | None = None
    status: str = "loaded"
    error: str | None = None
    rows_read: int = 0
    rows_accepted: int = 0
    rows_quarantined: int = 0
    rows_skipped: int = 0
    unknown_columns: list[str] = field(default_factory=list)
    accepted: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=RAW_SCHEMA))
    quarantine: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=QUARANTINE_SCHEMA))

    def log_row(self) -> dict[str, object]:
        """The row of `meta.ingest_log` (without `ingested_at`)."""
        return {
            "source": SOURCE,
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
            "unknown_columns": ", ".join(self.unknown_columns) or None,
        }


# ------------------------------------------------------------------------------------------
# Encoding, separator, header
# ------------------------------------------------------------------------------------------
def detect_encoding(data: bytes) -> str:
    """`utf-8-sig`, `utf-8` or `cp1252`, decided on the whole file; raise `FileRejected` otherwise."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise FileRejected(f"marque BOM UTF-8 mais octet non UTF-8 à la position {exc.start}") from None
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in data:
        raise FileRejected("encodage UTF-16 ou fichier binaire (UTF-8 ou Windows-1252 attendu)")
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(
        data, cp_isolation=["cp1252"], steps=1, chunk_size=max(len(data), 1), threshold=0.2
    ).best()
    if best is None:
        raise FileRejected("encodage non reconnu : ni UTF-8 ni Windows-1252")
    try:
        data.decode("cp1252")
    except UnicodeDecodeError as exc:
        raise FileRejected(f"encodage non reconnu : octet 0x{data[exc.start]:02X} à la position {exc.start}") from None
    return "cp1252"


def detect_separator(header_line: str) -> str:
    """The most frequent of `,`, `;` and tab in the header line, quoted text left out."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {sep: unquoted.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: counts[sep])
    if counts[best] == 0:
        raise FileRejected("séparateur introuvable dans l'en-tête (virgule, point-virgule ou tabulation attendu)")
    return best


def normalise_header(cells: list[str]) -> list[str]:
    return [cell.strip().strip('"').strip().lower() for cell in cells]


@dataclass(frozen=True)
class Layout:
    """The layout a header was recognised as."""

    name: str  # LAYOUT_2017 or LAYOUT_IND295
    kind: str  # "detail", "synthese" or "ind"
    geo_column: str | None  # 2017-2022 detail: the territory column
    known: tuple[str, ...]  # every column the layout knows (the others are "unknown")


def recognise_layout(header: list[str], file_name: str) -> Layout:
    """The layout of a (normalised) header; `FileRejected` if none, or if columns are missing."""
    columns = set(header)

    def missing(required: tuple[str, ...], label: str) -> None:
        absent = [c for c in required if c not in columns]
        if absent:
            plural = "s" if len(absent) > 1 else ""
            raise FileRejected(
                f"{file_name} : colonne{plural} obligatoire{plural} absente{plural} "
                f"({', '.join(absent)}) pour la présentation {label}"
            )

    if columns & {"indic_id", "enforce_zone_id", "metric_enforce_date", "indic_va", "indic_vi"}:
        missing(COLUMNS_IND295, "IND-295 (2023–)")
        return Layout(LAYOUT_IND295, "ind", None, COLUMNS_IND295)
    if "id_indicateur" in columns or columns & set(GEO_COLUMNS_2017):
        geo = [c for c in GEO_COLUMNS_2017 if c in columns]
        if len(geo) > 1:
            raise FileRejected(f"{file_name} : plusieurs colonnes de territoire ({', '.join(geo)}), une seule attendue")
        if "valeur_actuelle" in columns and "date" not in columns:
            return Layout(LAYOUT_2017, "synthese", geo[0] if geo else None,
                          ("id_indicateur", *GEO_COLUMNS_2017, *KNOWN_2017, *COLUMNS_SYNTHESE, "unite"))
        if not geo:
            raise FileRejected(
                f"{file_name} : colonne de territoire absente (code_departement, code_region ou "
                "maille_geographique) pour la présentation 2017-2022"
            )
        missing(REQUIRED_2017, "2017-2022")
        return Layout(LAYOUT_2017, "detail", geo[0], (geo[0], *REQUIRED_2017, *KNOWN_2017))
    raise FileRejected(
        f"{file_name} : en-tête non reconnu ({', '.join(header[:10])}) : ni la présentation 2017-2022 "
        "(id_indicateur, code_departement|code_region|maille_geographique, date, valeur, unite) ni IND-295 "
        f"({', '.join(COLUMNS_IND295)})"
    )


# ------------------------------------------------------------------------------------------
# Cells
# ------------------------------------------------------------------------------------------
class CellError(ValueError):
    """A cell that cannot be read: (column, rule, French message)."""

    def __init__(self, column: str | None, rule: str, message: str) -> None:
        super().__init__(message)
        self.column, self.rule, self.message = column, rule, message


_DATE = re.compile(r"^(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[ T].*)?$")
_DATE_FR = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def parse_month(text: str, column: str) -> date:
    """The month (its first day) of `AAAA-MM-JJ`, `AAAA-MM` or `JJ/MM/AAAA`."""
    text = text.strip()
    match = _DATE.match(text)
    if match:
        year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    else:
        match = _DATE_FR.match(text)
        if not match:
            raise CellError(column, "date_invalide", f"date illisible « {text} » (AAAA-MM-JJ attendu)")
        day, month, year = int(match[1]), int(match[2]), int(match[3])
    try:
        date(year, month, day)
    except ValueError:
        raise CellError(column, "date_invalide", f"date impossible « {text} »") from None
    return date(year, month, 1)


def parse_number(text: str, column: str) -> float | None:
    """A non-negative number (`.` or `,` as decimal mark, spaces ignored); empty → None."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    if cleaned == "":
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise CellError(column, "valeur_invalide", f"nombre illisible « {text.strip()} »") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise CellError(column, "valeur_invalide", f"nombre illisible « {text.strip()} »")
    if value < 0:
        raise CellError(column, "valeur_negative", f"valeur négative « {text.strip()} » pour un nombre de personnes")
    return value


def departement_code(code: str) -> str | None:
    code = code.strip().upper()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    return code if code in DEPARTEMENTS else None


def region_code(code: str) -> str | None:
    code = code.strip()
    if code.isdigit() and len(code) == 1:
        code = "0" + code
    return code if code in REGIONS else None


def territory_2017(kind: str, code: str, column: str) -> tuple[str, str]:
    """(territoire_type, territoire_code) of a 2017–2022 territory cell."""
    if kind == "departement":
        result = departement_code(code)
    elif kind == "region":
        result = region_code(code)
    else:
        result = "FR" if code.strip().lower() in ("national", "france", "fr") else None
    if result is None:
        raise CellError(column, "territoire_inconnu", f"territoire inconnu « {code.strip()} » ({kind})")
    return kind, result


def territory_ind(zone: str, maille: str) -> tuple[str, str]:
    """(territoire_type, territoire_code) of an IND-295 zone: `D75` → 75, `R11` → 11, `FRANCE` → FR."""
    zone = zone.strip().upper()
    if zone in ("FRANCE", "FR", "NAT"):
        kind, code = "france", "FR"
    elif zone[:1] == "D" and departement_code(zone[1:]):
        kind, code = "departement", departement_code(zone[1:])
    elif zone[:1] == "R" and region_code(zone[1:]):
        kind, code = "region", region_code(zone[1:])
    else:
        raise CellError("enforce_zone_id", "territoire_inconnu", f"zone inconnue « {zone} » (D75, R11 ou FRANCE attendu)")
    maille = maille.strip().upper()
    if maille and MAILLES.get(maille) != kind:
        raise CellError("maille", "maille_incoherente", f"maille « {maille} » incohérente avec la zone « {zone} »")
    return kind, code  # type: ignore[return-value]


# ------------------------------------------------------------------------------------------
# Rows
# ------------------------------------------------------------------------------------------
def _records(text: str, separator: str):
    """(first physical line, raw text, cells) of every record after the header (line 1)."""
    lines = [line.rstrip("\r\n") for line in io.StringIO(text, newline="")]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    next(reader, None)
    previous = reader.line_num
    for cells in reader:
        start, end = previous + 1, reader.line_num
        previous = end
        yield start, "\n".join(lines[start - 1 : end]), cells


def _row_2017(layout: Layout, cells: dict[str, str]) -> dict[str, object]:
    geo = layout.geo_column or ""
    kind, code = territory_2017(GEO_COLUMNS_2017[geo], cells[geo], geo)
    return {
        "layout": LAYOUT_2017,
        "indicateur": INDICATEUR_2017,
        "territoire_type": kind,
        "territoire_code": code,
        "code_source": cells[geo].strip(),
        "date": parse_month(cells["date"], "date"),
        "nature": "cumul",
        "valeur": parse_number(cells["valeur"], "valeur"),
        "indic_vi": None,
        "indic_vc": None,
        "indic_ta": None,
        "unite": cells["unite"].strip() or None,
    }


def _row_ind(cells: dict[str, str]) -> dict[str, object]:
    kind, code = territory_ind(cells["enforce_zone_id"], cells["maille"])
    values = {c: parse_number(cells[c], c) for c in ("indic_vi", "indic_va", "indic_vc")}
    ta = cells["indic_ta"].strip().replace(",", ".")
    try:
        indic_ta = float(ta) if ta else None
    except ValueError:
        raise CellError("indic_ta", "valeur_invalide", f"taux d'avancement illisible « {ta} »") from None
    if values["indic_va"] is not None:
        nature = "cumul"
    elif values["indic_vi"] is not None:
        nature = "valeur_initiale"
    elif values["indic_vc"] is not None:
        nature = "cible"
    else:
        nature = "cumul"  # a measurement row with an empty value
    return {
        "layout": LAYOUT_IND295,
        "indicateur": INDICATEUR_IND295,
        "territoire_type": kind,
        "territoire_code": code,
        "code_source": cells["enforce_zone_id"].strip(),
        "date": parse_month(cells["metric_enforce_date"], "metric_enforce_date"),
        "nature": nature,
        "valeur": values["indic_va"],
        "indic_vi": values["indic_vi"],
        "indic_vc": values["indic_vc"],
        "indic_ta": indic_ta,
        "unite": None,
    }


def read_file(path: Path) -> FileResult:
    """Read one landing file; a file that cannot be read is returned with status `rejected`."""
    return read_bytes(Path(path).name, Path(path).read_bytes())


def read_bytes(file_name: str, data: bytes) -> FileResult:
    """Read the bytes of the file `file_name` (see `read_file`)."""
    result = FileResult(file_name=file_name, sha256=hashlib.sha256(data).hexdigest(), bytes=len(data))
    try:
        _read(data, result)
    except FileRejected as exc:
        message = str(exc)
        result.status = "rejected"
        result.error = message if message.startswith(result.file_name) else f"{result.file_name} : {message}"
        result.rows_accepted = result.rows_quarantined = 0
        result.rows_skipped = result.rows_read
        result.accepted = pl.DataFrame(schema=RAW_SCHEMA)
        result.quarantine = pl.DataFrame(schema=QUARANTINE_SCHEMA)
    return result


def _read(data: bytes, result: FileResult) -> None:
    result.encoding = detect_encoding(data)
    text = data.decode(result.encoding)
    header_line = text.splitlines()[0] if text.strip() else ""
    if not header_line.strip():
        raise FileRejected("fichier vide ou sans en-tête")
    result.separator = detect_separator(header_line)
    header = normalise_header(next(csv.reader([header_line], delimiter=result.separator)))
    while header and not header[-1]:
        header.pop()
    layout = recognise_layout(header, result.file_name)
    result.layout = layout.name
    result.unknown_columns = [c for c in header if c not in layout.known]
    wanted = INDICATEUR_IND295 if layout.kind == "ind" else INDICATEUR_2017
    indicator_column = "indic_id" if layout.kind == "ind" else "id_indicateur"

    accepted: list[dict[str, object]] = []
    quarantine: list[dict[str, object]] = []
    other_indicators: Counter[str] = Counter()
    seen: dict[tuple, int] = {}

    def refuse(line: int, raw: str, column: str | None, rule: str, message: str) -> None:
        quarantine.append({"source": SOURCE, "file_name": result.file_name, "line_number": line,
                           "column_name": column, "rule": rule, "message": message, "raw_line": raw})

    for line, raw, cells in _records(text, result.separator):
        result.rows_read += 1
        if not any(c.strip() for c in cells):
            continue  # a blank line: skipped
        if layout.kind == "synthese":
            continue
        while len(cells) > len(header) and not cells[-1].strip():
            cells = cells[:-1]
        if len(cells) != len(header):
            refuse(line, raw, None, "nombre_de_champs",
                   f"{len(cells)} champs au lieu de {len(header)} (séparateur « {result.separator} »)")
            continue
        row_cells = dict(zip(header, cells))
        indicator = row_cells.get(indicator_column, "").strip()
        if indicator != wanted:
            other_indicators[indicator or "(vide)"] += 1
            continue
        try:
            row = _row_ind(row_cells) if layout.kind == "ind" else _row_2017(layout, row_cells)
        except CellError as exc:
            refuse(line, raw, exc.column, exc.rule, exc.message)
            continue
        key = (row["territoire_type"], row["territoire_code"], row["date"], row["nature"])
        if key in seen:
            refuse(line, raw, None, "doublon",
                   f"{row['territoire_type']} {row['territoire_code']} {row['date']:%Y-%m} déjà lu ligne {seen[key]}")
            continue
        seen[key] = line
        row["file_name"] = result.file_name
        row["line_number"] = line
        accepted.append(row)

    result.rows_accepted = len(accepted)
    result.rows_quarantined = len(quarantine)
    result.rows_skipped = result.rows_read - result.rows_accepted - result.rows_quarantined
    result.accepted = pl.DataFrame(accepted, schema=RAW_SCHEMA) if accepted else pl.DataFrame(schema=RAW_SCHEMA)
    result.quarantine = (
        pl.DataFrame(quarantine, schema=QUARANTINE_SCHEMA) if quarantine else pl.DataFrame(schema=QUARANTINE_SCHEMA)
    )
    if layout.kind == "synthese":
        result.error = (
            f"fichier de synthèse ({result.rows_read} lignes lues, aucune retenue) : valeurs actuelle, initiale "
            "et cible résumant les fichiers « detail », dont les séries mensuelles font foi"
        )
    elif not accepted and not quarantine:
        found = ", ".join(f"{name} ({n})" for name, n in other_indicators.most_common(5)) or "aucune ligne"
        result.error = f"aucune ligne de l'indicateur {wanted} ({result.rows_read} lignes lues : {found}) : rien retenu"
