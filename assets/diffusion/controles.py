"""The results of the Dagster asset checks, read from the Dagster instance, in the shape of
`publication.qualite_controles` (one row per check: its latest evaluation).

The asset `publication/fichier` runs last of its run (lowest step priority; the run's executor runs
one step at a time): every check of the assets it is built from has then been evaluated, failed ones
included (the Baromètre's non-blocking checks report the traps of the real files and are expected to
fail). The checks of the file itself, and of anything built from it, run after it: they are not in
it (the build refuses a file that breaks their rules before swapping it in). A check never run is
not listed; a check of an earlier run (a partial run) keeps that run's result and date.

Only counts and short values of a check's metadata are published (`observed`); its Markdown
details (the offending rows) are published for the Baromètre's checks only, whose data are public:
the details of a check on confidential tables could list the very values the secret protects.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime

import dagster as dg
import polars as pl

SCHEMA = {
    "suite": pl.String, "expectation": pl.String, "table_name": pl.String, "success": pl.Boolean,
    "observed": pl.String, "details": pl.String, "run_at": pl.Datetime("us"),
}
#: Groups whose checks' details (offending rows) may be published: public sources only.
GROUPES_PUBLICS = frozenset({"barometre"})
GRAVITE = {dg.AssetCheckSeverity.ERROR: "erreur", dg.AssetCheckSeverity.WARN: "avertissement"}
MAX_TEXTE = 120


def libelle_cle(cle: str) -> str:
    """A metadata key in French: `offending_rows` → « lignes en défaut », `rows_x` → « lignes x »."""
    if cle == "offending_rows":
        return "lignes en défaut"
    return "lignes " + cle.removeprefix("rows_") if cle.startswith("rows_") else cle.replace("_", " ")


def _valeur(valeur: dg.MetadataValue, publique: bool) -> str | None:
    """A metadata value as published in `observed`: numbers always, short text of public checks."""
    brute = valeur.value
    if isinstance(brute, bool):
        return None
    if isinstance(brute, int):
        return f"{brute:,}".replace(",", "\u202f")
    if isinstance(brute, float):
        return (f"{brute:,.2f}".rstrip("0").rstrip(".")).replace(",", "\u202f").replace(".", ",")
    if publique and isinstance(valeur, dg.TextMetadataValue) and len(brute) <= MAX_TEXTE:
        return brute
    return None


#: Metadata that measure the run, not the data (a validation's duration): never published, so that
#: the same inputs give the same file.
MESURES_DU_CALCUL = re.compile(r"duree|durée|duration|temps|elapsed", re.IGNORECASE)


def ligne(evaluation, groupe: str | None, quand: float) -> dict[str, object]:
    """The qualite_controles row of one evaluation (`AssetCheckEvaluation`)."""
    publique = groupe in GROUPES_PUBLICS
    valeurs = [(cle, _valeur(v, publique)) for cle, v in sorted(evaluation.metadata.items())
               if not MESURES_DU_CALCUL.search(cle)]
    resume = "; ".join(f"{libelle_cle(cle)} : {v}" for cle, v in valeurs if v is not None)
    etat = "réussi" if evaluation.passed else f"en échec ({GRAVITE.get(evaluation.severity, 'erreur')})"
    details = ""
    if publique and not evaluation.passed:
        details = "\n\n".join(
            v.value for _, v in sorted(evaluation.metadata.items()) if isinstance(v, dg.MarkdownMetadataValue)
        )
    return {
        "suite": f"controles_dagster_{groupe or 'sans_groupe'}",
        "expectation": evaluation.check_name,
        "table_name": ".".join(evaluation.asset_key.path),
        "success": bool(evaluation.passed),
        "observed": f"{etat}{' — ' + resume if resume else ''}",
        "details": details,
        "run_at": datetime.fromtimestamp(quand, UTC).replace(tzinfo=None),
    }


def resultats(context: dg.AssetExecutionContext) -> pl.DataFrame:
    """The latest evaluation of every asset check of the run's job that does not run after the
    asset of `context` (its own checks and its descendants' are left out), failed ones first."""
    graphe = context.job_def.asset_layer.asset_graph  # the run's assets and checks
    moi = context.asset_key
    apres = {moi}
    a_voir = [moi]
    while a_voir:  # the asset and everything built from it
        for enfant in graphe.get(a_voir.pop()).child_keys:
            if enfant not in apres:
                apres.add(enfant)
                a_voir.append(enfant)
    cles = [cle for cle in graphe.asset_check_keys if cle.asset_key not in apres]
    enregistrements = context.instance.event_log_storage.get_latest_asset_check_execution_by_key(cles)
    lignes = []
    for cle, enregistrement in enregistrements.items():
        groupe = graphe.get(cle.asset_key).group_name if graphe.has(cle.asset_key) else None
        evenement = enregistrement.event.dagster_event if enregistrement.event else None
        evaluation = evenement.event_specific_data if evenement is not None else None
        if evaluation is not None and hasattr(evaluation, "passed"):
            lignes.append(ligne(evaluation, groupe, enregistrement.event.timestamp))
        elif enregistrement.run_id == context.run_id:
            # planned in this run, never evaluated before this step: the check's step failed
            lignes.append({
                "suite": f"controles_dagster_{groupe or 'sans_groupe'}", "expectation": cle.name,
                "table_name": ".".join(cle.asset_key.path), "success": False,
                "observed": "en échec (erreur) — le contrôle n'a pas pu s'exécuter (erreur ou étape amont en échec)",
                "details": "",
                "run_at": datetime.fromtimestamp(enregistrement.create_timestamp, UTC).replace(tzinfo=None),
            })
    return pl.DataFrame(lignes, schema=SCHEMA).sort(["success", "suite", "expectation"])
