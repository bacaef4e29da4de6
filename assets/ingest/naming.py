"""The grammar of landing file names, declared once.

A landing file is loaded only when its name matches one of `LANDING_FILE_NAMES` exactly: lower
case, the département on two or three characters as in the official code (`01`, `2A`, `971`),
the month on two digits, the `.csv` extension in lower case, nothing else (a copy such as
`sne_attributions_2023 (copie).csv` or `SNE_ATTRIBUTIONS_2023.CSV` is refused, never loaded).
Used by the folder loader (`assets/ingest/loader.py`); the upload page should use
`landing_file_name` too so that it accepts exactly what a run loads.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DEPARTEMENT = r"(?P<departement>0[1-9]|[1-8][0-9]|9[0-5]|2A|2B|97[1-6])"
_YEAR = r"(?P<year>[0-9]{4})"

#: (source, table kind, exact pattern, the name as the users read it).
LANDING_FILE_NAMES: tuple[tuple[str, str, re.Pattern[str], str], ...] = (
    ("siao", "siao", re.compile(rf"siao_{_DEPARTEMENT}_(?P<month>[0-9]{{4}}-(?:0[1-9]|1[0-2]))\.csv"),
     "siao_<DEP>_<AAAA-MM>.csv"),
    ("sne", "sne_attributions", re.compile(rf"sne_attributions_{_YEAR}\.csv"), "sne_attributions_<AAAA>.csv"),
    ("sne", "sne_demandes", re.compile(rf"sne_demandes_{_YEAR}\.csv"), "sne_demandes_<AAAA>.csv"),
    ("ndls", "ndls", re.compile(rf"ndls_(?P<commune>[0-9]{{5}}|2[AB][0-9]{{3}})_{_YEAR}\.csv"),
     "ndls_<CODE_COMMUNE>_<AAAA>.csv"),
    ("offre", "offre", re.compile(rf"offre_{_YEAR}\.csv"), "offre_<AAAA>.csv"),
)


@dataclass(frozen=True)
class LandingName:
    """What an exact landing file name says."""

    source: str
    kind: str
    departement: str | None = None
    month: str | None = None  # AAAA-MM
    year: int | None = None
    commune: str | None = None

    @property
    def period_end(self) -> str:
        """The last month the file covers, `AAAA-MM` (December for a yearly file)."""
        return self.month or f"{self.year:04d}-12"

    @property
    def period_start(self) -> str:
        """The first month the file covers, `AAAA-MM`."""
        return self.month or f"{self.year:04d}-01"


def landing_file_name(name: str) -> LandingName | None:
    """The meaning of an exact landing file name, or None when it matches no contract."""
    for source, kind, pattern, _ in LANDING_FILE_NAMES:
        match = pattern.fullmatch(name)
        if match:
            groups = match.groupdict()
            month = groups.get("month")
            year = groups.get("year") or (month[:4] if month else None)
            return LandingName(source, kind, groups.get("departement"), month, int(year) if year else None,
                               groups.get("commune"))
    return None


def expected_names(source: str | None = None) -> str:
    """The expected names of a source (all sources when None), for French messages."""
    return ", ".join(label for src, _, _, label in LANDING_FILE_NAMES if source in (None, src))


def name_refusal(name: str, source: str) -> str | None:
    """Why a file of the landing folder of `source` is not loaded (French), or None when its name fits."""
    found = landing_file_name(name)
    if found is not None and found.source == source:
        return None
    return (f"{name} : nom de fichier non conforme, fichier non chargé (noms attendus pour la source "
            f"« {source} », à la lettre près : {expected_names(source)})")
