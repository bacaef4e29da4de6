"""Upload of a source export: checks and copy into the landing folder (pure, no Streamlit).

The bytes are checked with the very code of ingestion (`assets.ingest.report.check_file`): they
are written to a temporary file carrying the uploaded name (the name gives the source), checked,
and only a clean file (exit code 0) may be copied to `<landing>/<source>/<name>`. Nothing is
ever written elsewhere: names with a path separator or `..` are refused, and the resolved target
must lie inside the landing folder. A deposit needs an account (`observatory_app.comptes`) allowed
to deposit files of the file's département, and is written in `<landing>/depots.log`.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from observatory_app import comptes
from observatory_app.comptes import Compte

TAILLE_MAX_MO = 200
TAILLE_MAX = TAILLE_MAX_MO * 1024 * 1024  # octets

_LIGNE_PROBLEME = re.compile(r"^ligne (?P<ligne>\d+)(?:, colonne « (?P<colonne>.*?) »)? : \[(?P<regle>[^\]]+)\] (?P<message>.*)$")


class DepotRefuse(ValueError):
    """A refused upload; the message is French and meant for the user."""


@dataclass(frozen=True)
class Verification:
    nom: str
    code: int  # 0 propre, 1 problèmes, 2 illisible (codes de `observatoire check`)
    rapport: str

    @property
    def propre(self) -> bool:
        return self.code == 0

    @property
    def problemes(self) -> list[dict[str, str | int | None]]:
        """The « ligne N, colonne « X » : [règle] message » lines of the report, parsed."""
        sortie = []
        for ligne in self.rapport.splitlines():
            m = _LIGNE_PROBLEME.match(ligne)
            if m:
                sortie.append(
                    {"ligne": int(m["ligne"]), "colonne": m["colonne"], "regle": m["regle"], "message": m["message"]}
                )
        return sortie


def verifier_nom(nom: str) -> str:
    """The bare file name if acceptable (CSV, no path); raises `DepotRefuse` otherwise."""
    if not nom or nom != nom.strip():
        raise DepotRefuse("Nom de fichier vide ou entouré d'espaces.")
    if "/" in nom or "\\" in nom or ".." in nom or "\x00" in nom or nom.startswith("."):
        raise DepotRefuse(f"Nom de fichier refusé « {nom} » : il ne doit contenir ni chemin ni « .. ».")
    if not nom.lower().endswith(".csv"):
        raise DepotRefuse(f"Fichier refusé « {nom} » : seuls les fichiers CSV (.csv) sont acceptés.")
    return nom


def verifier_taille(taille: int) -> None:
    if taille > TAILLE_MAX:
        raise DepotRefuse(
            f"Fichier trop volumineux ({taille / (1024 * 1024):.1f} Mo) : la limite est de {TAILLE_MAX_MO} Mo.".replace(".", ",", 1)
        )


def refus_du_nom(nom: str) -> str | None:
    """Why the pipeline would not load a file of this name (French, the loader's very reason:
    `assets.ingest.naming.name_refusal`), or None when the name fits the ingestion's grammar. The
    source folder is the one the name's prefix designates (`siao_…` → `siao`)."""
    from assets.ingest.naming import LANDING_FILE_NAMES, expected_names, landing_file_name, name_refusal

    if landing_file_name(nom) is not None:
        return None
    prefixe = nom.split("_", 1)[0]
    if prefixe in {source for source, *_ in LANDING_FILE_NAMES}:
        return name_refusal(nom, prefixe)
    return (f"{nom} : nom de fichier non conforme, fichier non chargé (noms attendus, à la lettre près : "
            f"{expected_names()})")


def source_du_nom(nom: str) -> str:
    """Source given by the name, by the ingestion's grammar; `DepotRefuse` (the loader's reason)
    when the pipeline would refuse the name."""
    from assets.ingest.naming import landing_file_name

    refus = refus_du_nom(nom)
    if refus is not None:
        raise DepotRefuse(refus)
    return landing_file_name(nom).source  # type: ignore[union-attr]


def verifier(nom: str, contenu: bytes) -> Verification:
    """Name (the ingestion's grammar: a name the loader would refuse is refused here with its
    reason), size, then the ingestion check on the bytes (written to a temporary file of that name)."""
    from assets.ingest.report import check_file

    nom = verifier_nom(nom)
    source_du_nom(nom)
    verifier_taille(len(contenu))
    with tempfile.TemporaryDirectory(prefix="depot_") as dossier:
        chemin = Path(dossier) / nom
        chemin.write_bytes(contenu)
        code, rapport = check_file(chemin, source=None)
    return Verification(nom=nom, code=code, rapport=rapport)


def cible(nom: str, landing: Path | str) -> Path:
    """`<landing>/<source>/<name>`, resolved and checked to lie inside the landing folder."""
    nom = verifier_nom(nom)
    source = source_du_nom(nom)
    racine = Path(landing).resolve()
    chemin = (racine / source / nom).resolve()
    if not chemin.is_relative_to(racine) or chemin.parent != (racine / source).resolve():
        raise DepotRefuse(f"Destination refusée : « {nom} » sortirait du dossier de dépôt.")
    return chemin


def deposer(nom: str, contenu: bytes, landing: Path | str, compte: Compte | None) -> Path:
    """Re-checks the account's right on the file's département and the bytes, copies a clean file
    into the landing folder and writes the deposit in the deposits log; returns its path."""
    if compte is None:
        raise DepotRefuse(comptes.refus(None, nom))
    source_du_nom(verifier_nom(nom))  # a bad name is refused for its name, before the département is read from it
    motif = comptes.refus(compte, nom)
    if motif is not None:
        raise DepotRefuse(motif)
    verification = verifier(nom, contenu)
    if not verification.propre:
        raise DepotRefuse("Le fichier n'est pas conforme : corrigez les problèmes signalés avant de le déposer.")
    chemin = cible(nom, landing)
    if chemin.exists():
        raise DepotRefuse(
            f"Un fichier « {nom} » est déjà dans le dossier de dépôt : il n'est pas remplacé "
            "(renommez l'export ou demandez à l'équipe de données de retirer l'ancien)."
        )
    chemin.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=chemin.parent, prefix=".depot_", delete=False) as tmp:
        tmp.write(contenu)
        provisoire = Path(tmp.name)
    try:
        os.chmod(provisoire, MODE_FICHIER)  # as the other files of the landing folder, not 0600
        # a hard link is created only if the name is free (atomic, never replaces): of two concurrent
        # uploads of one name, the second is told the file already exists
        os.link(provisoire, chemin)
    except FileExistsError:
        raise DepotRefuse(
            f"Un fichier « {nom} » vient d'être déposé sous ce nom : il n'est pas remplacé "
            "(renommez l'export ou demandez à l'équipe de données de retirer l'ancien)."
        ) from None
    finally:
        provisoire.unlink(missing_ok=True)
    journaliser(landing, compte, chemin, contenu)  # type: ignore[arg-type]
    return chemin


MODE_FICHIER = 0o644
#: Streamlit's uploader has no locale option (its label and help are the only texts it takes): its
#: own texts are hidden and French ones drawn in their place by CSS (`::after`), the known workaround.
CSS_TELEVERSEMENT = f"""<style>
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button span[data-has-shortcut]::after {{ content: "Parcourir"; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "Glissez-déposez le fichier ici ou cliquez sur « Parcourir » · {TAILLE_MAX_MO} Mo au plus · .csv";
}}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]):has(> span:only-child) > span {{
  display: none;
}}
[data-testid="stFileUploaderDropzone"] > div:not([data-testid]):has(> span:only-child)::after {{
  content: "Déposez le fichier ici";
}}
[data-testid="stFileChipName"] + * {{ display: none; }}
[data-testid="stFileChip"] [role="alert"] {{ display: none; }}
[data-testid="stFileChip"]:has([role="alert"])::after {{
  content: "Fichier refusé par le navigateur : plus de {TAILLE_MAX_MO} Mo, ou plusieurs fichiers à la fois "
    "(un seul fichier .csv de {TAILLE_MAX_MO} Mo au plus)";
  font-size: 0.875rem; color: rgb(255, 43, 43);
}}
</style>"""
#: The deposits log, at the landing folder's root (never read by the pipeline, which reads `<source>/*.csv`).
JOURNAL = "depots.log"


def journaliser(landing: Path | str, compte: Compte, chemin: Path, contenu: bytes) -> dict[str, object]:
    """Appends one JSON line to `<landing>/depots.log`: when (Europe/Paris), who (the account), the
    file (path under the landing folder), its size in bytes and SHA-256. One `write` in append mode."""
    entree = {
        "horodatage": datetime.now(ZoneInfo("Europe/Paris")).isoformat(timespec="seconds"),
        "compte": compte.identifiant,
        "fichier": chemin.relative_to(Path(landing).resolve()).as_posix(),
        "octets": len(contenu),
        "sha256": hashlib.sha256(contenu).hexdigest(),
    }
    descripteur = os.open(Path(landing) / JOURNAL, os.O_WRONLY | os.O_CREAT | os.O_APPEND, MODE_FICHIER)
    try:
        os.write(descripteur, (json.dumps(entree, ensure_ascii=False) + "\n").encode("utf-8"))
    finally:
        os.close(descripteur)
    return entree


def journal(landing: Path | str) -> list[dict[str, object]]:
    """The deposits logged in `<landing>/depots.log`, oldest first."""
    chemin = Path(landing) / JOURNAL
    if not chemin.exists():
        return []
    return [json.loads(ligne) for ligne in chemin.read_text(encoding="utf-8").splitlines() if ligne.strip()]


def landing() -> Path:
    from pipelines.config import Settings

    return Settings.from_env().landing
