"""The quirks of real exports (sources.md), injected at a known rate with a manifest.

Every injected quirk is one manifest row: source, file name, physical line number (empty for
a quirk of the whole file), kind, the expected outcome of ingestion (`accepted`, `skipped`,
`quarantined`, `rejected`), the rule that must fire (for quarantined rows and rejected files)
and the column concerned. Quirks never change the truth: a quirk that makes a row invalid is
an extra row with a fresh identifier, and a quirk that only changes the form of a value
(encoding, separator, date format, lost zero, arrondissement…) must be undone by ingestion.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from dataclasses import dataclass, field

import numpy as np

FILE_KINDS = [
    "encoding_utf8_bom", "encoding_cp1252", "separator_comma", "separator_tab", "header_variant",
    "column_order", "extra_column", "crlf", "trailing_separator", "excel_quoting",
]
LINE_ACCEPTED_KINDS = [
    "date_with_time", "date_iso", "missing_marker", "departement_lost_zero", "commune_lost_zero", "arrondissement",
]
LINE_SKIPPED_KINDS = ["blank_line", "total_footer"]
BAD_ROW_KINDS = {
    # kind: rule expected
    "malformed_row": "malformed_row",
    "total_line_inside": "malformed_row",
    "required_value_missing": "required_value_missing",
    "invalid_value": "invalid_value",
    "invalid_integer": "invalid_integer",
    "impossible_date": "invalid_date",
    "invalid_departement": "invalid_departement",
    "unknown_commune": "unknown_commune",
    "date_before_2010": "date_out_of_range",
    "date_chain": "date_chain",
    "pourvue_without_orientation": "pourvue_without_orientation",
    "non_pourvue_without_motif": "non_pourvue_without_motif",
    "children_not_less_than_persons": "children_not_less_than_persons",
}
# Which bad-row kinds each file kind can carry.
BAD_ROWS_BY_TABLE = {
    "siao": list(BAD_ROW_KINDS),
    "sne_attributions": [
        "malformed_row", "total_line_inside", "required_value_missing", "invalid_value", "invalid_integer",
        "impossible_date", "unknown_commune",
    ],
    "sne_demandes": ["malformed_row", "required_value_missing", "invalid_value", "invalid_integer", "unknown_commune"],
    "ndls": ["malformed_row", "invalid_value", "invalid_integer"],
    "offre": ["malformed_row", "invalid_value", "invalid_integer", "invalid_departement"],
}
MISSING_MARKERS = ["NR", "NC", "-", "Non renseigné"]
CODE_COLUMNS = {"Département SIAO", "Commune de la demande", "commune", "code_commune", "departement"}
DATE_COLUMNS = {
    "siao": ["Date de la demande", "Date d'extraction"],
    "sne_attributions": ["date_attribution"],
    "sne_demandes": ["date_depot"],
    "ndls": ["date_nuit"],
    "offre": [],
}
OPTIONAL_SIAO = ["Sexe", "Année de naissance", "Situation à la demande", "Motif de non-attribution", "NUR"]
MANIFEST_COLUMNS = ["source", "file_name", "line_number", "kind", "expected", "rule", "column_name"]
ARRONDISSEMENTS = {"75056": [f"751{i:02d}" for i in range(1, 21)], "69123": [f"6938{i}" for i in range(1, 10)],
                   "13055": [f"132{i:02d}" for i in range(1, 17)]}


@dataclass
class QuirkPlan:
    """What to inject into one file."""

    file_kinds: list[str] = field(default_factory=list)
    line_kinds: list[str] = field(default_factory=list)  # accepted value quirks, one row each
    bad_rows: list[str] = field(default_factory=list)
    blank_lines: int = 0
    total_footer: bool = False

    def empty(self) -> bool:
        return not (self.file_kinds or self.line_kinds or self.bad_rows or self.blank_lines or self.total_footer)


class QuirkPlanner:
    """Decides, per file, which quirks to inject: every kind at least once per source
    (forced on the first files), then each kind on about `rate` of the files."""

    def __init__(self, seed: int, rate: float = 0.02):
        self.seed = seed
        self.rate = rate
        self.counters: dict[str, int] = {}

    def plan(self, table: str, file_name: str) -> QuirkPlan:
        k = self.counters.get(table, 0)
        self.counters[table] = k + 1
        rng = np.random.default_rng([self.seed, 99, *file_name.encode()])
        plan = QuirkPlan()
        file_kinds = FILE_KINDS
        bad = BAD_ROWS_BY_TABLE[table]
        # forced: file k gets the k-th kind of each list (cycling over files until all are used)
        if k < len(file_kinds):
            plan.file_kinds.append(file_kinds[k])
        if k < len(bad):
            plan.bad_rows.append(bad[k])
        if k < len(LINE_ACCEPTED_KINDS):
            plan.line_kinds.append(LINE_ACCEPTED_KINDS[k])
        if k == 0:
            plan.blank_lines = 2
            plan.total_footer = True
        for kind in file_kinds:
            if rng.random() < self.rate and kind not in plan.file_kinds:
                plan.file_kinds.append(kind)
        for kind in bad:
            if rng.random() < self.rate / 2 and kind not in plan.bad_rows:
                plan.bad_rows.append(kind)
        for kind in LINE_ACCEPTED_KINDS:
            if rng.random() < self.rate * 2 and kind not in plan.line_kinds:
                plan.line_kinds.append(kind)
        if rng.random() < self.rate:
            plan.blank_lines += 1
        if rng.random() < self.rate:
            plan.total_footer = True
        _make_compatible(plan)
        return plan


def _make_compatible(plan: QuirkPlan) -> None:
    kinds = plan.file_kinds
    # one encoding, one separator; Excel quoting only with the semicolon
    if "encoding_utf8_bom" in kinds and "encoding_cp1252" in kinds:
        kinds.remove("encoding_cp1252")
    if "separator_comma" in kinds and "separator_tab" in kinds:
        kinds.remove("separator_tab")
    if "excel_quoting" in kinds and ("separator_comma" in kinds or "separator_tab" in kinds):
        kinds.remove("excel_quoting")


def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if unicodedata.category(c) != "Mn")


def header_variant(name: str, i: int) -> str:
    """A spelling a real export might use: upper case without accents, or snake_case."""
    plain = strip_accents(name)
    if i % 2 == 0:
        return plain.upper()
    return "".join(c if c.isalnum() else "_" for c in plain.lower()).strip("_")


class FileRenderer:
    """Turns a clean table (header + rows of strings) into the bytes of a landing file."""

    def __init__(self, source: str, table: str, file_name: str, valid_communes: frozenset[str], seed: int):
        self.source = source
        self.table = table
        self.file_name = file_name
        self.valid_communes = valid_communes
        self.rng = np.random.default_rng([seed, 98, *file_name.encode()])
        self.manifest: list[dict] = []

    def note(self, line: int | None, kind: str, expected: str, rule: str = "", column: str = "") -> None:
        self.manifest.append(
            {"source": self.source, "file_name": self.file_name, "line_number": line, "kind": kind,
             "expected": expected, "rule": rule, "column_name": column}
        )

    # --------------------------------------------------------------------------------------
    def render(self, header: list[str], rows: list[list[str]], plan: QuirkPlan, context: dict) -> bytes:
        rng = self.rng
        lines: list[tuple[list[str] | str, list[tuple]]] = [(list(r), []) for r in rows]
        # accepted value quirks: each on one row where it applies
        for kind in plan.line_kinds:
            self._value_quirk(kind, header, lines)
        # bad rows, inserted at random places (never as the final line)
        for j, kind in enumerate(plan.bad_rows):
            if kind == "total_line_inside" and not lines:
                continue  # a Total line with no row after it would be the final footer
            cells, column = self._bad_row(kind, header, context, j)
            # a Total line inside the file is followed by at least one row
            top = len(lines) if kind == "total_line_inside" else len(lines) + 1
            pos = int(rng.integers(0, top)) if lines else 0
            lines.insert(pos, (cells, [(kind, "quarantined", BAD_ROW_KINDS[kind], column)]))
        # column operations
        order = list(range(len(header)))
        if "column_order" in plan.file_kinds:
            rng.shuffle(order)
        out_header = [header[i] for i in order]
        if "header_variant" in plan.file_kinds:
            out_header = [header_variant(h, i) for i, h in enumerate(out_header)]
        extra = "extra_column" in plan.file_kinds
        if extra:
            out_header.append("Commentaire libre")
        sep = "," if "separator_comma" in plan.file_kinds else "\t" if "separator_tab" in plan.file_kinds else ";"
        excel = "excel_quoting" in plan.file_kinds
        code_idx = {k for k, i in enumerate(order) if header[i] in CODE_COLUMNS}
        trailing = "trailing_separator" in plan.file_kinds

        def serialise(cells: list[str], reorder: bool = True) -> str:
            if reorder:
                cells = [cells[i] for i in order] + (["RAS"] if extra else [])
            if excel:
                cells = [f'="{c}"' if k in code_idx and c else c for k, c in enumerate(cells)]
                text = sep.join(cells)
            else:
                buf = io.StringIO()
                csv.writer(buf, delimiter=sep, lineterminator="").writerow(cells)
                text = buf.getvalue()
            return text + (sep if trailing else "")

        text_lines: list[tuple[str, list[tuple]]] = []
        for cells, notes in lines:
            if notes and notes[0][0] == "malformed_row":
                full = serialise(cells)
                text_lines.append((sep.join(full.split(sep)[: max(2, len(header) // 2)]), notes))
            elif notes and notes[0][0] == "total_line_inside":
                text_lines.append((f"Total{sep}{len(rows)}", notes))
            else:
                text_lines.append((serialise(cells), notes))
        for _ in range(plan.blank_lines):
            pos = int(rng.integers(0, len(text_lines) + 1))
            blank = "" if rng.random() < 0.5 else sep * (len(out_header) - 1)
            text_lines.insert(pos, (blank, [("blank_line", "skipped", "", "")]))
        if plan.total_footer:
            text_lines.append((f"Total{sep}{len(rows)}" + sep * (len(out_header) - 2), [("total_footer", "skipped", "", "")]))
        # header line
        buf = io.StringIO()
        csv.writer(buf, delimiter=sep, lineterminator="").writerow(out_header)
        all_lines = [buf.getvalue() + (sep if trailing else "")] + [t for t, _ in text_lines]
        for number, (_, notes) in enumerate(text_lines, start=2):
            for kind, expected, rule, column in notes:
                self.note(number, kind, expected, rule, column)
        for kind in plan.file_kinds:
            self.note(None, kind, "accepted")
        newline = "\r\n" if "crlf" in plan.file_kinds else "\n"
        body = newline.join(all_lines) + newline
        if "encoding_cp1252" in plan.file_kinds:
            return body.encode("cp1252")
        if "encoding_utf8_bom" in plan.file_kinds:
            return b"\xef\xbb\xbf" + body.encode("utf-8")
        return body.encode("utf-8")

    # --------------------------------------------------------------------------------------
    def _value_quirk(self, kind: str, header: list[str], lines: list) -> None:
        idx = {h: i for i, h in enumerate(header)}
        candidates = list(range(len(lines)))
        self.rng.shuffle(candidates)
        for r in candidates[:200]:
            cells, notes = lines[r]
            if notes:
                continue
            col = self._apply_value_quirk(kind, cells, idx)
            if col:
                notes.append((kind, "accepted", "", col))
                return

    def _apply_value_quirk(self, kind: str, cells: list[str], idx: dict[str, int]) -> str | None:
        if kind in ("date_with_time", "date_iso"):
            for col in DATE_COLUMNS[self.table]:
                value = cells[idx[col]]
                if value and "/" in value:
                    d, m, y = value.split("/")
                    cells[idx[col]] = f"{value} {int(self.rng.integers(0, 24)):02d}:{int(self.rng.integers(0, 60)):02d}" \
                        if kind == "date_with_time" else f"{y}-{m}-{d}"
                    return col
            return None
        if kind == "missing_marker":
            cols = OPTIONAL_SIAO if self.table == "siao" else []
            for col in cols:
                if col in idx and cells[idx[col]] == "":
                    cells[idx[col]] = MISSING_MARKERS[int(self.rng.integers(0, len(MISSING_MARKERS)))]
                    return col
            return None
        if kind == "departement_lost_zero":
            for col in ("Département SIAO", "departement"):
                if col in idx and cells[idx[col]][:1] == "0":
                    cells[idx[col]] = cells[idx[col]][1:]
                    return col
            return None
        if kind == "commune_lost_zero":
            for col in ("Commune de la demande", "commune", "code_commune"):
                if col in idx and cells[idx[col]][:1] == "0":
                    cells[idx[col]] = cells[idx[col]][1:]
                    return col
            return None
        if kind == "arrondissement":
            for col in ("Commune de la demande", "commune"):
                if col in idx and cells[idx[col]] in ARRONDISSEMENTS:
                    choices = ARRONDISSEMENTS[cells[idx[col]]]
                    cells[idx[col]] = choices[int(self.rng.integers(0, len(choices)))]
                    return col
            return None
        raise ValueError(kind)

    def _bad_row(self, kind: str, header: list[str], context: dict, j: int) -> tuple[list[str], str]:
        """A row valid in every respect but the one the kind names; fresh identifiers."""
        row = dict(context["valid_row"])
        unknown = next(
            c for c in (f"{context.get('departement', '75')}999", "99999", "00000") if c not in self.valid_communes
        )
        column = ""
        key = {"siao": "Numéro demande", "sne_attributions": "numero_unique", "sne_demandes": "numero_unique",
               "ndls": "secteur", "offre": None}[self.table]
        if key:
            row[key] = f"QUIRK-{j}-{row[key]}"
        if kind in ("malformed_row", "total_line_inside"):
            column = ""
        elif kind == "required_value_missing":
            column = {"siao": "Type de demande", "sne_attributions": "situation_logement",
                      "sne_demandes": "situation_logement"}[self.table]
            row[column] = ""
        elif kind == "invalid_value":
            column, value = {"siao": ("Type de demande", "Urgent"), "sne_attributions": ("reservataire", "Préfecture"),
                             "sne_demandes": ("situation_logement", "Yourte"), "ndls": ("type_lieu", "Trottoir"),
                             "offre": ("type_place", "Gîte d'étape")}[self.table]
            row[column] = value
        elif kind == "invalid_integer":
            column = {"siao": "Nombre de personnes", "sne_attributions": "nb_personnes", "sne_demandes": "nb_personnes",
                      "ndls": "personnes", "offre": "places"}[self.table]
            row[column] = "deux"
        elif kind == "impossible_date":
            column = {"siao": "Date de la demande", "sne_attributions": "date_attribution"}[self.table]
            row[column] = "31/02/" + row[column][-4:]
        elif kind == "invalid_departement":
            column = {"siao": "Département SIAO", "offre": "departement"}[self.table]
            row[column] = "20"
        elif kind == "unknown_commune":
            column = {"siao": "Commune de la demande", "sne_attributions": "commune", "sne_demandes": "commune"}[self.table]
            row[column] = unknown
        elif kind == "date_before_2010":
            column = "Date de la demande"
            row[column] = "15/06/2009"
        elif kind == "date_chain":
            column = "Date d'orientation"
            row["Statut de la demande"] = "Pourvue"
            row["Type d'orientation"] = "CHU"
            d, m, y = row["Date de la demande"].split("/")
            row["Date de la demande"] = f"20/{m}/{y}"
            row["Date d'orientation"] = f"10/{m}/{y}"
        elif kind == "pourvue_without_orientation":
            column = "Date d'orientation"
            row["Statut de la demande"] = "Pourvue"
        elif kind == "non_pourvue_without_motif":
            column = "Motif de non-attribution"
            row["Statut de la demande"] = "Non pourvue"
        elif kind == "children_not_less_than_persons":
            column = "Nombre d'enfants"
            row["Composition familiale"] = "Famille monoparentale"
            row["Nombre de personnes"] = "2"
            row["Nombre d'enfants"] = "2"
        else:
            raise ValueError(kind)
        return [row[h] for h in header], column
