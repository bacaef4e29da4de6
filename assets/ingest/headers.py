"""Header matching: file headers -> canonical columns of a contract, through the alias file.

Headers are compared on a key that ignores case, accents, spaces and punctuation
(`header_key("N° demande") == "ndemande"`). The aliases live in
`data/config/header_aliases.yaml` (source -> canonical column -> accepted aliases): a renamed
column in a new export version is a configuration change.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from assets.ingest.contracts import Contract
from assets.ingest.errors import ReferenceDataError
from pipelines.config import CONFIG_DIR

ALIASES_FILE = CONFIG_DIR / "header_aliases.yaml"

_NON_ALNUM = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=4096)
def header_key(text: str) -> str:
    """Comparison key of a header or a value: lower case, no accents, no spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_ALNUM.sub("", stripped.replace("œ", "oe").replace("Œ", "oe").replace("æ", "ae").lower())


@lru_cache(maxsize=8)
def load_aliases(path: Path = ALIASES_FILE) -> dict[str, dict[str, tuple[str, ...]]]:
    """Read the alias file: {source: {canonical column: (aliases...)}}, checked for collisions."""
    if not path.exists():
        raise ReferenceDataError(f"fichier d'alias d'en-têtes introuvable : {path}")
    with path.open(encoding="utf-8") as handle:
        raw = yaml.safe_load(handle) or {}
    aliases: dict[str, dict[str, tuple[str, ...]]] = {}
    for source, columns in raw.items():
        table: dict[str, tuple[str, ...]] = {}
        seen: dict[str, str] = {}
        for canonical, names in (columns or {}).items():
            names = tuple(str(n) for n in (names or ()))
            for name in (canonical, *names):
                key = header_key(name)
                if key in seen and seen[key] != canonical:
                    raise ReferenceDataError(
                        f"{path.name} : l'alias « {name} » ({source}) désigne à la fois "
                        f"« {seen[key]} » et « {canonical} »"
                    )
                seen[key] = canonical
            table[str(canonical)] = names
        aliases[str(source)] = table
    return aliases


@dataclass
class HeaderMatch:
    """How the header of one file maps onto a contract."""

    positions: dict[str, int] = field(default_factory=dict)  # canonical column -> 0-based field index
    unknown: list[str] = field(default_factory=list)  # headers matching no column (ignored)
    missing_required: list[str] = field(default_factory=list)  # canonical names
    missing_optional: list[str] = field(default_factory=list)  # canonical names (read as empty)
    duplicates: list[str] = field(default_factory=list)  # canonical names given by several headers


@lru_cache(maxsize=32)
def _lookup(contract: Contract, aliases_path: Path) -> dict[str, str]:
    """Header key -> canonical column, for the columns of one contract."""
    source_aliases = load_aliases(aliases_path).get(contract.source, {})
    lookup: dict[str, str] = {}
    for column in contract.columns:
        for name in (column.name, *source_aliases.get(column.name, ())):
            lookup.setdefault(header_key(name), column.name)
    return lookup


def match_header(header: list[str], contract: Contract, aliases_path: Path = ALIASES_FILE) -> HeaderMatch:
    """Map the header cells of a file onto the contract's columns (any order)."""
    lookup = _lookup(contract, aliases_path)
    result = HeaderMatch()
    for index, cell in enumerate(header):
        canonical = lookup.get(header_key(cell)) if cell.strip() else None
        if canonical is None:
            result.unknown.append(cell if cell.strip() else f"(colonne sans nom n° {index + 1})")
        elif canonical in result.positions:
            if canonical not in result.duplicates:
                result.duplicates.append(canonical)
        else:
            result.positions[canonical] = index
    for column in contract.columns:
        if column.name not in result.positions:
            target = result.missing_required if contract.required_in_file(column) else result.missing_optional
            target.append(column.name)
    return result
