"""The French text report of one file, used by `observatoire check FILE [--source S]` and the app.

`check_file(path, source=None, pseudo_key=None) -> (exit_code, text)`:
- exit code 0: the file is clean (every row accepted; unknown extra columns are only reported);
- exit code 1: problems (rows refused, or the file rejected for a missing/duplicated column);
- exit code 2: the file cannot be checked (not found, unknown name or source, unreadable
  encoding, empty file).

Without a key, a throw-away random key is used: the pseudonyms shown in the raw lines then mean
nothing outside this report, and nothing is stored.
"""

from __future__ import annotations

import secrets
from collections import Counter
from pathlib import Path

from assets.ingest.contracts import RULE_PRIORITY
from assets.ingest.errors import IngestError
from assets.ingest.reading import ENCODING_NAMES, SEPARATOR_NAMES
from assets.ingest.validate import FileResult, validate_file

EXIT_CLEAN, EXIT_PROBLEMS, EXIT_UNREADABLE = 0, 1, 2


def _n(value: int) -> str:
    return f"{value:,}".replace(",", "\u202f")


def format_report(result: FileResult, max_problems: int | None = None) -> str:
    """The readable French report of a `FileResult` (one line per refused row, then counts per rule)."""
    lines = [f"Fichier : {result.file_name}"]
    kind = f" ({result.kind})" if result.kind and result.kind != result.source else ""
    lines.append(f"Source : {result.source}{kind}")
    if result.encoding:
        lines.append(f"Encodage : {ENCODING_NAMES.get(result.encoding, result.encoding)} ({result.encoding})")
    if result.separator:
        lines.append(f"Séparateur : {SEPARATOR_NAMES.get(result.separator, repr(result.separator))}")
    if result.unknown_columns:
        listed = ", ".join(f"« {c} »" for c in result.unknown_columns)
        lines.append(f"Colonnes inconnues ignorées : {listed}")
    if result.missing_optional_columns:
        listed = ", ".join(f"« {c} »" for c in result.missing_optional_columns)
        lines.append(f"Colonnes facultatives absentes (lues comme vides) : {listed}")
    if result.status == "rejected":
        lines.append(f"Fichier refusé [{result.error_rule}] : {result.error}")
        return "\n".join(lines) + "\n"
    lines.append(
        f"Lignes lues : {_n(result.rows_read)} ; acceptées : {_n(result.rows_accepted)} ; "
        f"refusées : {_n(result.rows_quarantined)} ; ignorées (vides ou total final) : {_n(result.rows_skipped)}"
    )
    if result.rows_quarantined == 0:
        lines.append("Aucun problème : toutes les lignes sont conformes au contrat.")
        return "\n".join(lines) + "\n"
    lines.append("")
    lines.append("Problèmes :")
    quarantine = result.quarantine.sort("line_number")
    shown = quarantine if max_problems is None else quarantine.head(max_problems)
    for row in shown.iter_rows(named=True):
        column = f", colonne « {row['column_name']} »" if row["column_name"] else ""
        lines.append(f"ligne {row['line_number']}{column} : [{row['rule']}] {row['message']}")
    if shown.height < quarantine.height:
        lines.append(f"… et {_n(quarantine.height - shown.height)} autres lignes refusées")
    lines.append("")
    lines.append("Lignes refusées par règle :")
    counts = Counter(quarantine.get_column("rule").to_list())
    for rule in sorted(counts, key=lambda r: RULE_PRIORITY.get(r, 99)):
        lines.append(f"  {rule} : {_n(counts[rule])}")
    return "\n".join(lines) + "\n"


def check_file(
    path: Path | str,
    source: str | None = None,
    pseudo_key: str | None = None,
    *,
    communes: frozenset[str] | None = None,
    max_problems: int | None = None,
    check_contract: bool = True,
) -> tuple[int, str]:
    """Validate one file and return (exit code, French report); see the module docstring.

    `check_contract=False` skips the pandera model check of the accepted rows (an internal
    consistency check of this package, never a data rule: the report is the same) and with it the
    import of pandera, ≈ 0.5 s: `observatoire check` uses it.
    """
    path = Path(path)
    key = pseudo_key or secrets.token_hex(32)
    if not path.is_file():
        return EXIT_UNREADABLE, f"Fichier : {path.name}\nFichier introuvable : {path}\n"
    try:
        result = validate_file(path, source, pseudo_key=key, communes=communes, check_contract=check_contract)
    except IngestError as exc:
        return EXIT_UNREADABLE, f"Fichier : {path.name}\nVérification impossible : {exc}\n"
    except OSError as exc:
        return EXIT_UNREADABLE, f"Fichier : {path.name}\nFichier illisible : {exc}\n"
    text = format_report(result, max_problems)
    if result.status == "rejected":
        code = EXIT_UNREADABLE if result.error_rule == "unreadable_file" else EXIT_PROBLEMS
    else:
        code = EXIT_PROBLEMS if result.rows_quarantined else EXIT_CLEAN
    return code, text
