"""Asset of the layer `rapport`: the annual report, one partition per year, with its job and its
yearly schedule (stopped by default, like the landing sensor)."""

import dagster as dg

from assets.diffusion.resources import PublicationFileResource
from assets.rapport.generation import RapportError, generer
from assets.rapport.resources import RapportsResource
from observatoire_commun import PREMIERE_ANNEE

GROUP = "rapport"
KEY = dg.AssetKey(["rapport", "annuel"])
#: One partition per calendar year, from the first year of the observatory's series. A year's
#: partition exists once the year is over (the window 2025 closes on 1 January 2026).
PARTITIONS = dg.TimeWindowPartitionsDefinition(cron_schedule="0 0 1 1 *", fmt="%Y", start=str(PREMIERE_ANNEE))


@dg.asset(
    key=KEY,
    group_name=GROUP,
    kinds={"html", "pdf"},
    deps=[dg.AssetKey(["publication", "fichier"])],
    partitions_def=PARTITIONS,
)
def annuel(
    context: dg.AssetExecutionContext, publication_file: PublicationFileResource, rapports: RapportsResource
) -> dg.MaterializeResult:
    """The annual report of one year (the partition): `rapport-AAAA.html` (self-contained: CSS and
    charts as inline SVG, opens offline) and `rapport-AAAA.pdf` (A4, printed by Chromium) in the
    reports folder. Sections: national synthesis, the Logement d'abord territories against the
    rest of France with the evaluation (difference in differences, descriptive not causal), one
    page per Logement d'abord territory, Nuits de la Solidarité, data quality, methodology from the
    catalogue, sources. Read from the publication file only (opened read-only): secret cells are
    « s », absent ones « — », numbers in French format.
    """
    annee = int(context.partition_key)
    try:
        resultat = generer(publication_file.file, annee, rapports.folder, log=context.log.info)
    except RapportError as erreur:
        raise dg.Failure(str(erreur)) from erreur
    metadata = {
        "html": dg.MetadataValue.path(str(resultat.html)),
        "pdf": dg.MetadataValue.path(str(resultat.pdf)),
        "octets_html": dg.MetadataValue.int(resultat.octets_html),
        "octets_pdf": dg.MetadataValue.int(resultat.octets_pdf),
        "territoires_lda": dg.MetadataValue.int(resultat.territoires_lda),
        "graphiques": dg.MetadataValue.int(resultat.graphiques),
        "graphiques_statiques": dg.MetadataValue.bool(resultat.graphiques_statiques),
        "secondes": dg.MetadataValue.float(round(resultat.secondes, 1)),
        "donnees_synthetiques": dg.MetadataValue.bool(resultat.synthetique),
    }
    if resultat.pages_pdf is not None:
        metadata["pages_pdf"] = dg.MetadataValue.int(resultat.pages_pdf)
    return dg.MaterializeResult(metadata=metadata)


rapport_annuel_job = dg.define_asset_job(
    "rapport_annuel",
    selection=dg.AssetSelection.assets(annuel),
    description="Écrit le rapport annuel (HTML et PDF) d'une année à partir du fichier de publication.",
)

rapport_annuel_schedule = dg.build_schedule_from_partitioned_job(
    rapport_annuel_job,
    name="rapport_annuel_chaque_annee",
    description="Le 1er janvier, écrit le rapport de l'année qui vient de se terminer.",
)

ASSETS = [annuel]
JOBS = [rapport_annuel_job]
SCHEDULES = [rapport_annuel_schedule]
