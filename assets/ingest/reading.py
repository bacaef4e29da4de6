"""Reading a landing file: bytes -> decoded text -> header + physical rows.

- Encoding: UTF-8 with BOM (`utf-8-sig`), UTF-8, or Windows-1252 (`cp1252`), decided on the whole
  file: a strict UTF-8 decoding of every byte is decisive; otherwise the lines holding non-ASCII
  bytes (a large sample, wherever they are in the file) go to charset-normalizer restricted to
  cp1252, and the decoded characters must look like French/Western text (no mojibake such as
  `H“tel`, the cp1252 reading of a cp437 `Hôtel`). Anything else raises `EncodingDetectionError`:
  we never guess silently wrong.
- Separator: `;` by default, `,` or tab when the header line shows more of them.
- Rows: physical lines, 1-based, the header being line 1; CRLF handled. Blank lines (empty or
  separators only) and a final footer line whose first cell starts with `Total` are skipped and
  counted apart. Quoted fields (CSV quotes, Excel `="01"`) are handled; a quoted field spanning
  lines makes one row numbered by its first line. A row with a wrong number of fields (extra
  trailing empty fields are fine) or a `Total` line before the end is flagged malformed.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path

from itertools import chain

import charset_normalizer
import numpy as np
import polars as pl

from assets.ingest.errors import EncodingDetectionError

SEPARATORS = (";", "\t", ",")  # order of preference on ties
SEPARATOR_NAMES = {";": "point-virgule", ",": "virgule", "\t": "tabulation"}

ENCODING_NAMES = {"utf-8-sig": "UTF-8 avec BOM", "utf-8": "UTF-8", "cp1252": "Windows-1252"}

# Size of the sample of non-ASCII lines handed to charset-normalizer and to the plausibility test.
_SAMPLE_BYTES = 1 << 20

# Non-ASCII characters expected in French (and neighbouring Western) text encoded in cp1252.
_WESTERN_LETTERS = set("àâäáãåæçéèêëíìîïñóòôöõøœúùûüýÿßÀÂÄÁÃÅÆÇÉÈÊËÍÌÎÏÑÓÒÔÖÕØŒÚÙÛÜÝŸ")
_WESTERN_SYMBOLS = set("€’‘“”«»°…–—·\u00a0²³½¼¾§ªº±×")
# Symbols that may sit between two letters (apostrophe, middle dot, degree as in "N°").
_IN_WORD_SYMBOLS = set("’·°ªº\u00a0")


@dataclass(frozen=True)
class FileBytes:
    path: Path
    data: bytes
    sha256: str

    @property
    def size(self) -> int:
        return len(self.data)


def read_file_bytes(path: Path, sha256: str | None = None) -> FileBytes:
    """Read a landing file once: its bytes and their SHA-256 (`sha256`: already computed by the caller
    on these same bytes, not computed again)."""
    data = Path(path).read_bytes()
    return FileBytes(Path(path), data, sha256 or hashlib.sha256(data).hexdigest())


# ------------------------------------------------------------------------------------------
# Encoding
# ------------------------------------------------------------------------------------------
def _non_ascii_sample(data: bytes, limit: int = _SAMPLE_BYTES) -> bytes:
    """The lines holding non-ASCII bytes, wherever they are in the file, up to `limit` bytes."""
    parts: list[bytes] = []
    size = 0
    for line in data.split(b"\n"):
        if not line.isascii():
            parts.append(line + b"\n")
            size += len(line) + 1
            if size >= limit:
                break
    return b"".join(parts)


def _looks_western(text: str) -> tuple[bool, str]:
    """Do the non-ASCII characters of `text` look like French/Western text? (ok, first odd character)."""
    total = unusual = 0
    first_odd = ""
    for match in re.finditer(r"[^\x00-\x7f]", text):
        char = match.group()
        total += 1
        if char in _WESTERN_LETTERS:
            continue
        i = match.start()
        between_letters = i > 0 and i + 1 < len(text) and text[i - 1].isalpha() and text[i + 1].isalpha()
        if char in _WESTERN_SYMBOLS:
            if between_letters and char not in _IN_WORD_SYMBOLS:
                return False, text[max(0, i - 10) : i + 10]
            continue
        if between_letters:
            return False, text[max(0, i - 10) : i + 10]
        unusual += 1
        first_odd = first_odd or text[max(0, i - 10) : i + 10]
    if total and unusual > 0.1 * total:
        return False, first_odd
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        return False, "caractère de contrôle"
    return True, ""


def _binary(data: bytes) -> bool:
    """NUL bytes in the header line or in more than 1 % of the bytes: a binary or UTF-16 file, not text
    holding a stray NUL in a few lines (those lines are quarantined as malformed)."""
    if b"\x00" not in data:
        return False
    header = data.split(b"\n", 1)[0]
    return b"\x00" in header or data.count(b"\x00") * 100 > len(data)


#: A field longer than this (the default limit of Python's csv module, 128 KiB) makes its line malformed.
MAX_FIELD_CHARS = 131_072


#: Bytes decoded at a time when only checking that a file decodes (no whole-file string in memory).
_CHECK_CHUNK = 1 << 24


def _decodes(data: bytes | memoryview, encoding: str) -> bool:
    """Do the bytes decode strictly? Checked by chunks with an incremental decoder (bounded memory)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    view = memoryview(data)
    try:
        for start in range(0, len(data), _CHECK_CHUNK):
            decoder.decode(view[start : start + _CHECK_CHUNK], final=start + _CHECK_CHUNK >= len(data))
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _newlines(data: bytes) -> np.ndarray:
    """Positions of the `\n` bytes, found by chunks (no array the size of the file but the positions)."""
    parts = [np.flatnonzero(np.frombuffer(data, dtype=np.uint8, count=min(_CHECK_CHUNK, len(data) - start),
                                          offset=start) == 10) + start
             for start in range(0, len(data), _CHECK_CHUNK)]
    return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)


def detect_encoding(data: bytes) -> str:
    """`utf-8-sig`, `utf-8` or `cp1252`, decided on the whole file; raise if it is none of them."""
    if data.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        raise EncodingDetectionError("encodage UTF-32 non pris en charge (UTF-8 ou Windows-1252 attendu)")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise EncodingDetectionError("encodage UTF-16 non pris en charge (UTF-8 ou Windows-1252 attendu)")
    if data.startswith(codecs.BOM_UTF8):
        if _decodes(memoryview(data)[len(codecs.BOM_UTF8) :], "utf-8"):
            return "utf-8-sig"
        try:  # decoded whole only to say where it fails
            data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError as exc:
            raise EncodingDetectionError(
                f"marque BOM UTF-8 mais octets non UTF-8 à la position {exc.start} : encodage mixte ou inconnu"
            ) from None
        return "utf-8-sig"
    if _binary(data):
        raise EncodingDetectionError("octets nuls : fichier binaire ou UTF-16 sans BOM (UTF-8 ou Windows-1252 attendu)")
    if b"\x00" in data:  # a few NUL bytes in some lines: those lines are malformed, the others load
        data = data.replace(b"\x00", b"")
    if _decodes(data, "utf-8"):
        return "utf-8"
    sample = _non_ascii_sample(data)
    match = charset_normalizer.from_bytes(
        sample, cp_isolation=["cp1252"], steps=1, chunk_size=max(len(sample), 1), threshold=0.2
    ).best()
    if match is None:
        raise EncodingDetectionError("encodage non reconnu : ni UTF-8 ni Windows-1252")
    try:
        if not _decodes(data, "cp1252"):
            data.decode("cp1252")  # decoded whole only to say where it fails
    except UnicodeDecodeError as exc:
        raise EncodingDetectionError(
            f"encodage non reconnu : ni UTF-8 ni Windows-1252 (octet 0x{data[exc.start]:02X} à la position {exc.start})"
        ) from None
    ok, where = _looks_western(sample.decode("cp1252"))
    if not ok:
        raise EncodingDetectionError(
            f"encodage non reconnu : ni UTF-8 ni Windows-1252 plausible (texte suspect : « {where.strip()} »)"
        )
    return "cp1252"


def decode(data: bytes, encoding: str) -> str:
    return data.decode(encoding)


# ------------------------------------------------------------------------------------------
# Separator and header
# ------------------------------------------------------------------------------------------
def detect_separator(header_line: str) -> str:
    """The separator shown by the header line: the most frequent of `;`, tab, `,` outside quotes."""
    unquoted = re.sub(r'"[^"]*"', "", header_line)
    counts = {sep: unquoted.count(sep) for sep in SEPARATORS}
    best = max(SEPARATORS, key=lambda sep: (counts[sep], -SEPARATORS.index(sep)))
    return best if counts[best] > 0 else ";"


_EXCEL_CELL = re.compile(r'^="(.*)"$', re.DOTALL)


def unquote_cell(cell: str) -> str:
    """Strip spaces and Excel `="…"` quoting of one cell (CSV quotes are removed by the parser)."""
    cell = cell.strip()
    match = _EXCEL_CELL.match(cell)
    return match.group(1).strip() if match else cell


def parse_header(header_line: str, separator: str) -> list[str]:
    """Header cells, unquoted, without the trailing empty cells left by trailing separators."""
    cells = [unquote_cell(c) for c in next(csv.reader([header_line], delimiter=separator), [])]
    while cells and not cells[-1]:
        cells.pop()
    return cells


def clean_cell(fields: pl.Expr, index: int | pl.Expr, excel_quoting: bool) -> pl.Expr:
    """Vectorised: the cell `index` (a number, or an expression per row) of a list-of-fields column,
    stripped and Excel-unquoted."""
    cell = fields.list.get(index, null_on_oob=True).str.strip_chars()
    if excel_quoting:
        cell = _excel_unquote(cell)
    return cell


def _excel_unquote(cell: pl.Expr) -> pl.Expr:
    """`="01"` -> `01` (cheap string operations, no regular expression on every cell)."""
    quoted = cell.str.starts_with('="') & cell.str.ends_with('"') & (cell.str.len_bytes() >= 3)
    return pl.when(quoted).then(cell.str.slice(2).str.strip_suffix('"').str.strip_chars()).otherwise(cell)


# ------------------------------------------------------------------------------------------
# Rows
# ------------------------------------------------------------------------------------------
@dataclass
class TextTable:
    """One decoded file cut into physical lines, before any row work (pure Python, cheap).

    `lines` are the data lines (physical line 2 onwards, CR still there when `has_cr`);
    `records` holds the rows already parsed when quoted fields span several lines.
    """

    header_line: str
    header: list[str]
    separator: str
    excel_quoting: bool
    raw_width: int  # fields of the header line, trailing empty ones included
    lines: list[str]
    has_cr: bool
    has_quotes: bool
    records: pl.DataFrame | None = None
    # A part of a big file (see `split_table`): physical number of its first line, whether its
    # last non-blank line may be the file's footer, and the file's usual field counts.
    first_line: int = 2
    footer_allowed: bool = True
    usual_widths: frozenset[int] | None = None

    @property
    def width(self) -> int:
        return len(self.header)


@dataclass
class RawTable:
    """A decoded file split into its header and its rows (blank lines and final footer removed).

    `rows` has one row per record: `line_number` (physical, 1-based, header = 1), `raw_line`
    (the original text, CR removed), `fields` (list of raw cells, still Excel-quoted),
    `n_fields`, `malformed` (French reason, or null for a well-formed row), `surplus` (extra
    empty trailing fields that are not the habit of the file: malformed unless every value
    checks).
    """

    header_line: str
    header: list[str]
    separator: str
    rows: pl.DataFrame
    rows_skipped: int
    excel_quoting: bool


_LIST_STR = pl.List(pl.String)
_FILE = "__file"


def _parse_line(line: str, separator: str) -> list[str]:
    """The fields of one line; a line the csv module cannot read (a lone carriage return, a field over
    its limit) is cut at each separator: it is flagged malformed anyway (`read_rows`)."""
    try:
        return next(csv.reader([line], delimiter=separator), [""])
    except csv.Error:
        return line.split(separator)


def _records_multiline(lines: list[str], separator: str, header_fields: int) -> pl.DataFrame | None:
    """Parse quoted fields that span lines; None if that reading looks wrong (stray quote)."""
    reader = csv.reader((line + "\n" for line in lines), delimiter=separator)
    numbers: list[int] = []
    raws: list[str] = []
    records: list[list[str]] = []
    previous = 0
    try:
        for record in reader:
            start, end = previous + 1, reader.line_num
            previous = end
            if end > start:
                meaningful = [c for c in record[header_fields:] if c.strip()]
                if len(record) < header_fields or meaningful:
                    return None
            numbers.append(start + 1)  # data lines start at physical line 2
            raws.append("\n".join(lines[start - 1 : end]))
            records.append([c.rstrip("\n") if i == len(record) - 1 else c for i, c in enumerate(record)] or [""])
    except csv.Error:  # a line the csv module cannot read: read line by line instead
        return None
    return pl.DataFrame(
        {"line_number": numbers, "raw_line": raws, "fields": records},
        schema={"line_number": pl.Int64, "raw_line": pl.String, "fields": _LIST_STR},
    )


def open_text(text: str, separator: str | None = None) -> TextTable:
    """Cut decoded text into header and physical lines; parse multi-line quoted records if any."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the final newline ends the last line, it does not open a new one
    if not lines:
        raise ValueError("fichier vide")
    header_line = lines[0].removesuffix("\r")
    separator = separator or detect_separator(header_line)
    header = parse_header(header_line, separator)
    table = TextTable(
        header_line=header_line,
        header=header,
        separator=separator,
        excel_quoting='="' in text,
        raw_width=len(next(csv.reader([header_line], delimiter=separator), [])),
        lines=lines[1:],
        has_cr="\r" in text,
        has_quotes='"' in text,
    )
    if table.has_quotes and any(line.count('"') % 2 for line in table.lines):
        clean = [line.removesuffix("\r") for line in table.lines]
        table.records = _records_multiline(clean, separator, len(header))
    return table


def _blank_pattern(separator: str) -> str:
    sep_class = re.escape(separator) if separator != "\t" else r"\t"
    return f'^[{sep_class}\\s"]*$'


def split_table(table: TextTable, max_lines: int) -> list[TextTable]:
    """A big file cut into parts of at most about `max_lines` lines, read one after the other so that
    memory stays bounded; the rows of the parts are exactly the rows of the whole file.

    Only a file without any quote is cut (its field counts are then separator counts): the
    file-level facts a part cannot see alone are computed here on the whole file — the usual
    field counts (for `surplus`) and where the footer may be (the last non-blank line).
    """
    if table.records is not None or table.has_quotes or len(table.lines) <= max_lines:
        return [table]
    separator = table.separator
    blank = re.compile(_blank_pattern(separator))
    counts: dict[int, int] = {}
    last_non_blank = -1
    for index, line in enumerate(table.lines):
        line = line.removesuffix("\r")
        if blank.search(line):
            continue
        last_non_blank = index
        n_fields = line.count(separator) + 1
        counts[n_fields] = counts.get(n_fields, 0) + 1
    if last_non_blank >= 0:
        last = table.lines[last_non_blank].removesuffix("\r")
        if last.split(separator, 1)[0].strip().lower().startswith("total"):  # the footer: skipped, not counted
            counts[last.count(separator) + 1] -= 1
    best = max(counts.values(), default=0)
    usual = frozenset(n for n, c in counts.items() if c == best and c > 0)
    # the last part holds the last non-blank line (the only possible footer)
    bounds = [b for b in range(max_lines, len(table.lines), max_lines) if b <= max(last_non_blank, 0)]
    starts = [0, *bounds]
    ends = [*bounds, len(table.lines)]
    parts = []
    for i, (start, end) in enumerate(zip(starts, ends)):
        parts.append(
            TextTable(
                header_line=table.header_line,
                header=table.header,
                separator=separator,
                excel_quoting=table.excel_quoting,
                raw_width=table.raw_width,
                lines=table.lines[start:end],
                has_cr=table.has_cr,
                has_quotes=False,
                first_line=2 + start,
                footer_allowed=i == len(starts) - 1,
                usual_widths=usual,
            )
        )
    return parts


def _split_group(tables: list[TextTable], indexes: list[int]) -> pl.DataFrame:
    """Physical lines of files sharing one separator, split into fields (vectorised)."""
    group = [tables[i] for i in indexes]
    separator = group[0].separator
    counts = [len(t.lines) for t in group]
    frame = pl.DataFrame(
        {
            _FILE: np.repeat(np.asarray(indexes, dtype=np.int32), counts),
            "raw_line": list(chain.from_iterable(t.lines for t in group)),
        },
        schema={_FILE: pl.Int32, "raw_line": pl.String},
    )
    raw = pl.col("raw_line").str.strip_suffix("\r") if any(t.has_cr for t in group) else pl.col("raw_line")
    first_lines = {i: tables[i].first_line for i in indexes}
    first_line = (
        pl.lit(2, dtype=pl.Int64) if set(first_lines.values()) == {2}
        else pl.col(_FILE).replace_strict(first_lines, return_dtype=pl.Int64)
    )
    columns = [
        pl.col(_FILE),
        (pl.int_range(pl.len(), dtype=pl.Int64).over(_FILE) + first_line).alias("line_number"),
        raw.alias("raw_line"),
        raw.str.split(separator).alias("fields"),
    ]
    quoted = any(t.has_quotes for t in group)
    if quoted:
        quotes = raw
        if any(t.excel_quoting for t in group):
            quotes = quotes.str.replace_all(f'="[^"{re.escape(separator)}]*"', "")
        columns.append(quotes.str.contains('"', literal=True).alias("needs_csv"))
    sep_class = re.escape(separator) if separator != "\t" else r"\t"
    columns.append(raw.str.contains(f'^[{sep_class}\\s"]*$').alias("blank"))
    frame = frame.select(columns)
    if quoted:
        idx = frame.get_column("needs_csv").arg_true()
        if len(idx):
            parsed = [_parse_line(line, separator) for line in frame.get_column("raw_line").gather(idx).to_list()]
            patch = pl.DataFrame(
                {"__index": idx.cast(pl.UInt32), "__parsed": parsed},
                schema={"__index": pl.UInt32, "__parsed": _LIST_STR},
            )
            frame = (
                frame.with_row_index("__index")
                .join(patch, on="__index", how="left", maintain_order="left")
                .with_columns(fields=pl.coalesce("__parsed", "fields"))
                .drop("__index", "__parsed")
            )
        frame = frame.drop("needs_csv")
    return frame


def read_rows(tables: list[TextTable]) -> tuple[pl.DataFrame, list[int]]:
    """Rows of several files at once (column `__file` = index in `tables`), and lines skipped per file.

    Blank lines (empty, separators only) and each file's final `Total` line are dropped and
    counted; malformed rows are flagged, not dropped (see `RawTable` for the columns).
    """
    parts: list[pl.DataFrame] = []
    by_separator: dict[str, list[int]] = {}
    for i, table in enumerate(tables):
        if table.records is not None:
            sep_class = re.escape(table.separator) if table.separator != "\t" else r"\t"
            parts.append(
                table.records.select(
                    pl.lit(i, dtype=pl.Int32).alias(_FILE),
                    "line_number",
                    "raw_line",
                    "fields",
                    pl.col("raw_line").str.contains(f'^[{sep_class}\\s"]*$').alias("blank"),
                )
            )
        else:
            by_separator.setdefault(table.separator, []).append(i)
    parts += [_split_group(tables, indexes) for indexes in by_separator.values()]
    frame = pl.concat(parts, how="vertical") if len(parts) > 1 else parts[0]

    def per_file(values: list, dtype: pl.DataType) -> pl.Expr:
        return pl.col(_FILE).replace_strict(dict(enumerate(values)), return_dtype=dtype)

    width = per_file([t.width for t in tables], pl.Int64)
    footer_allowed = (
        pl.lit(True) if all(t.footer_allowed for t in tables)
        else per_file([t.footer_allowed for t in tables], pl.Boolean)
    )
    raw_width = per_file([t.raw_width for t in tables], pl.Int64)
    first_cell = pl.col("fields").list.first().str.strip_chars()
    if any(t.excel_quoting for t in tables):
        first_cell = _excel_unquote(first_cell)
    row_index = pl.int_range(pl.len()).over(_FILE)
    last_non_blank = pl.when(~pl.col("blank")).then(pl.col("__row")).max().over(_FILE)
    extras_empty = pl.col("fields").list.slice(pl.col("__width")).list.join("").str.strip_chars().str.len_bytes() == 0
    wrong_width = (pl.col("n_fields") < pl.col("__width")) | ((pl.col("n_fields") > pl.col("__width")) & ~extras_empty)
    # Extra empty trailing fields are trailing separators when that is the habit of the file
    # (as many fields as the raw header, or as most rows). On another row they may as well be
    # a field inserted before an empty last cell: `surplus` rows are accepted if every value
    # checks, else refused as malformed (see validate.py).
    same_width = pl.len().over(_FILE, "n_fields")
    usual = same_width == same_width.max().over(_FILE)
    if any(t.usual_widths is not None for t in tables):  # parts of a big file: counted on the whole file
        known = per_file([sorted(t.usual_widths) if t.usual_widths is not None else None for t in tables],
                         pl.List(pl.Int64))
        usual = pl.when(known.is_not_null()).then(known.list.contains(pl.col("n_fields"))).otherwise(usual)
    surplus = (
        (pl.col("n_fields") > pl.col("__width")) & extras_empty & (pl.col("n_fields") != raw_width) & ~usual
    )
    malformed = (
        pl.when(pl.col("raw_line").str.len_bytes() > MAX_FIELD_CHARS)
        .then(pl.lit("Ligne mal formée : plus de 128 Kio (champ démesuré ou guillemet non refermé)"))
        .when(pl.col("raw_line").str.contains("\x00", literal=True))
        .then(pl.lit("Ligne mal formée : octet nul"))
        .when(pl.col("raw_line").str.contains("\r", literal=True))
        .then(pl.lit("Ligne mal formée : retour chariot isolé au milieu de la ligne"))
        .when(pl.col("total"))
        .then(pl.lit("Ligne « Total » au milieu du fichier : seule la dernière ligne peut être un total"))
        .when(wrong_width)
        .then(pl.format("Ligne mal formée : {} champs au lieu de {} (en-tête)", pl.col("n_fields"), pl.col("__width")))
        .otherwise(pl.lit(None, dtype=pl.String))
    )
    flagged = (
        frame.lazy()
        .with_columns(
            total=first_cell.str.to_lowercase().str.starts_with("total").fill_null(False),
            n_fields=pl.col("fields").list.len().cast(pl.Int64),
            __row=row_index,
            __width=width,
        )
        .with_columns(footer=((pl.col("__row") == last_non_blank) & pl.col("total") & footer_allowed).fill_null(False))
        .with_columns(skip=pl.col("blank") | pl.col("footer"))
        .collect()
    )
    skipped_counts = dict(flagged.group_by(_FILE).agg(pl.col("skip").sum()).iter_rows())
    rows = (
        flagged.lazy()
        .filter(~pl.col("skip"))
        .with_columns(malformed=malformed)
        .with_columns(surplus=surplus & pl.col("malformed").is_null())
        .select(_FILE, "line_number", "raw_line", "fields", "n_fields", "malformed", "surplus")
        .collect()
    )
    return rows, [int(skipped_counts.get(i, 0)) for i in range(len(tables))]


def split_rows(text: str, separator: str | None = None) -> RawTable:
    """Split one decoded text into header and rows, flag malformed rows, drop blank/footer lines."""
    table = open_text(text, separator)
    rows, skipped = read_rows([table])
    return RawTable(table.header_line, table.header, table.separator, rows.drop(_FILE), skipped[0], table.excel_quoting)


# ------------------------------------------------------------------------------------------
# Big files read part by part from disk
# ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FilePlan:
    """A big file without any quote, cut into parts of whole lines that are decoded one at a time,
    from disk, when their turn comes (`read_part`): neither the decoded text nor the list of all
    its lines is ever held, whatever the size of the file. `template` holds the file-level facts
    (header, separator, usual field counts); `parts` the byte range and first physical line of each
    part, the last part being the only one whose last non-blank line may be the footer."""

    path: Path
    encoding: str
    template: TextTable
    parts: tuple[tuple[int, int, int], ...]  # (first byte, end byte, physical number of its first line)


def plan_parts(path: Path, data: bytes, encoding: str, max_lines: int) -> FilePlan | None:
    """The parts of a file of more than `max_lines` data lines and no quote (else None: read whole).
    Line boundaries come from a vectorised newline scan of the bytes; the rows of the parts are
    exactly those `split_table` gives on the whole decoded text."""
    if b'"' in data:
        return None
    newlines = _newlines(data)
    if len(newlines) == 0:
        return None
    ends = newlines[1:].tolist()  # end byte of each data line (exclusive), the last one perhaps unterminated
    if not data.endswith(b"\n"):
        ends.append(len(data))
    n_lines = len(ends)
    if n_lines <= max_lines:
        return None
    header_line = data[: newlines[0]].decode(encoding).removesuffix("\r")
    separator = detect_separator(header_line)
    starts = [int(newlines[0]) + 1, *(e + 1 for e in ends[:-1])]
    blank = re.compile(_blank_pattern(separator))
    counts: dict[int, int] = {}
    last_non_blank, last_line = -1, ""
    for chunk_start in range(0, n_lines, max_lines):  # the file-level facts, one chunk of lines at a time
        chunk_end = min(chunk_start + max_lines, n_lines)
        lines = data[starts[chunk_start] : ends[chunk_end - 1]].decode(encoding).split("\n")
        for index, line in enumerate(lines, start=chunk_start):
            line = line.removesuffix("\r")
            if blank.search(line):
                continue
            last_non_blank, last_line = index, line
            n_fields = line.count(separator) + 1
            counts[n_fields] = counts.get(n_fields, 0) + 1
    if last_non_blank >= 0 and last_line.split(separator, 1)[0].strip().lower().startswith("total"):
        counts[last_line.count(separator) + 1] -= 1  # the footer: skipped, not counted
    best = max(counts.values(), default=0)
    usual = frozenset(n for n, c in counts.items() if c == best and c > 0)
    bounds = [b for b in range(max_lines, n_lines, max_lines) if b <= max(last_non_blank, 0)]
    template = TextTable(
        header_line=header_line,
        header=parse_header(header_line, separator),
        separator=separator,
        excel_quoting=False,
        raw_width=len(next(csv.reader([header_line], delimiter=separator), [])),
        lines=[],
        has_cr=b"\r" in data,
        has_quotes=False,
        usual_widths=usual,
    )
    parts = tuple((starts[s], ends[e - 1], 2 + s) for s, e in zip([0, *bounds], [*bounds, n_lines], strict=True))
    return FilePlan(Path(path), encoding, template, parts)


def read_part(plan: FilePlan, index: int) -> TextTable:
    """Part `index` of a planned file, read from disk and decoded (see `FilePlan`)."""
    start, end, first_line = plan.parts[index]
    with open(plan.path, "rb") as fh:
        fh.seek(start)
        data = fh.read(end - start)
    t = plan.template
    return TextTable(
        header_line=t.header_line, header=t.header, separator=t.separator, excel_quoting=False,
        raw_width=t.raw_width, lines=data.decode(plan.encoding).split("\n"), has_cr=t.has_cr, has_quotes=False,
        first_line=first_line, footer_allowed=index == len(plan.parts) - 1, usual_widths=t.usual_widths,
    )
