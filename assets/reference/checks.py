"""Asset checks of the layer `reference`: small, single-property, blocking where a failure would
publish wrong numbers (a territory without communes, a missing département, a wrong population).

Every check runs one query that returns the offending rows: it passes when there is none, and
otherwise lists them (first 50) as Markdown in its metadata.
"""

import dagster as dg
import duckdb

from assets.reference.assets import (
    COG_DIR,
    PERIMETRES_LDA_KEY,
    TERRITOIRES_LDA_KEY,
    arrondissements,
    communes,
    departements,
    markdown_table,
    perimetres,
    populations,
    regions,
    situations_logement,
    territoires,
)
from pipelines.resources import WarehouseResource

#: The 101 départements of France (metropolitan and overseas; the COM 975, 977… are not included).
DEPARTEMENTS_ATTENDUS = (
    [f"{n:02d}" for n in range(1, 20)]
    + ["2A", "2B"]
    + [f"{n:02d}" for n in range(21, 96)]
    + ["971", "972", "973", "974", "976"]
)

#: The 18 régions of France: 5 overseas (01, 02, 03, 04, 06) and 13 metropolitan.
REGIONS_ATTENDUES = ["01", "02", "03", "04", "06"] + [
    "11", "24", "27", "28", "32", "44", "52", "53", "75", "76", "84", "93", "94"
]

DEPARTEMENT_POPULATION_CSV = COG_DIR / "departement_population_2026.csv"

MAX_LISTED = 50


def offending_rows_result(
    conn: duckdb.DuckDBPyConnection, sql: str, params: dict[str, object] | None = None
) -> dg.AssetCheckResult:
    """Run `sql` (which selects the offending rows): pass when it returns none, else list them."""
    frame = conn.sql(sql, params=params).pl()
    metadata: dict[str, dg.MetadataValue] = {"offending_rows": dg.MetadataValue.int(frame.height)}
    if frame.height:
        metadata["details"] = dg.MetadataValue.md(markdown_table(frame, MAX_LISTED))
    return dg.AssetCheckResult(passed=frame.height == 0, metadata=metadata)


def run_check(warehouse: WarehouseResource, sql: str, params: dict[str, object] | None = None) -> dg.AssetCheckResult:
    with warehouse.connect() as conn:
        return offending_rows_result(conn, sql, params)


# --- Logement d'abord territories -------------------------------------------------------------


@dg.asset_check(asset=TERRITOIRES_LDA_KEY, blocking=True)
def territoires_lda_ont_des_communes(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every Logement d'abord territory resolves to at least one commune of France."""
    return run_check(
        warehouse,
        """
        select territoire_code, territoire_libelle, perimetre, nb_communes
        from reference.territoires_lda
        where coalesce(nb_communes, 0) = 0
        order by territoire_code
        """,
    )


@dg.asset_check(asset=TERRITOIRES_LDA_KEY, blocking=True, additional_deps=[PERIMETRES_LDA_KEY])
def composantes_perimetres_lda_resolues(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every component of a Logement d'abord perimeter (`epci:`, `departement:`, `commune:`) is
    well formed and matches at least one commune of France (a joint candidacy with a wrong SIREN
    would otherwise pass with its département only)."""
    return run_check(
        warehouse,
        """
        with composantes as (
            select
                territoire_code,
                trim(unnest(string_split(perimetre, '|'))) as composante
            from reference.territoires_lda
        ),

        parsed as (
            select
                territoire_code,
                composante,
                lower(trim(split_part(composante, ':', 1))) as composante_type,
                trim(split_part(composante, ':', 2)) as composante_code
            from composantes
            where composante <> ''
        ),

        resolues as (
            select distinct territoire_code, composante_type, composante_code
            from reference.perimetres_lda
        )

        select parsed.territoire_code, parsed.composante
        from parsed
        left join resolues using (territoire_code, composante_type, composante_code)
        where resolues.territoire_code is null
        order by parsed.territoire_code, parsed.composante
        """,
    )


@dg.asset_check(asset=TERRITOIRES_LDA_KEY, blocking=True)
def codes_territoires_lda_uniques(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every Logement d'abord territory has a code, and no two territories share one."""
    return run_check(
        warehouse,
        """
        select territoire_code, count(*) as nb_lignes, string_agg(territoire_libelle, ' ; ') as territoires
        from reference.territoires_lda
        group by territoire_code
        having territoire_code is null or count(*) > 1
        order by territoire_code
        """,
    )


# --- Départements, régions, communes ----------------------------------------------------------


@dg.asset_check(asset=departements, blocking=True)
def departements_attendus(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """`reference.departements` holds exactly the 101 départements of France."""
    return run_check(
        warehouse,
        """
        with attendus as (
            select unnest($attendus::varchar[]) as code_departement
        )

        select coalesce(attendus.code_departement, departements.code_departement) as code_departement,
            case when departements.code_departement is null then 'manquant' else 'inattendu' end as probleme
        from attendus
        full outer join reference.departements as departements using (code_departement)
        where attendus.code_departement is null or departements.code_departement is null
        order by 1
        """,
        {"attendus": DEPARTEMENTS_ATTENDUS},
    )


@dg.asset_check(asset=departements, blocking=True, additional_deps=[communes])
def communes_ont_leur_departement(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every commune outside the COM has its département in `reference.departements`, in the
    same région (otherwise it would silently fall out of France, its région and the groups)."""
    return run_check(
        warehouse,
        """
        select communes.code_commune, communes.nom_commune, communes.code_departement,
            communes.code_region, communes.zone, departements.code_region as code_region_departement
        from reference.communes as communes
        left join reference.departements as departements using (code_departement)
        where communes.zone <> 'com'
            and (departements.code_departement is null or departements.code_region <> communes.code_region)
        order by communes.code_commune
        """,
    )


@dg.asset_check(asset=departements, blocking=True)
def population_departements_egale_source(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Each département's population (sum of its communes) equals `population_communes_json`
    of data/reference/cog/departement_population_2026.csv (derived from the same communes.json)."""
    return run_check(
        warehouse,
        """
        with source as (
            select code_departement, cast(population_communes_json as bigint) as population_source
            from read_csv($path, header = true, delim = ',', quote = '"', all_varchar = true)
        )

        select departements.code_departement, departements.nom_departement,
            departements.population, source.population_source
        from reference.departements as departements
        left join source using (code_departement)
        where source.population_source is distinct from departements.population
        order by departements.code_departement
        """,
        {"path": str(DEPARTEMENT_POPULATION_CSV)},
    )


@dg.asset_check(asset=regions, blocking=True)
def regions_attendues(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """`reference.regions` holds exactly the 18 régions of France (13 metropolitan, 5 overseas)."""
    return run_check(
        warehouse,
        """
        with attendues as (
            select unnest($attendues::varchar[]) as code_region
        )

        select coalesce(attendues.code_region, regions.code_region) as code_region,
            case when regions.code_region is null then 'manquante' else 'inattendue' end as probleme
        from attendues
        full outer join reference.regions as regions using (code_region)
        where attendues.code_region is null or regions.code_region is null
        order by 1
        """,
        {"attendues": REGIONS_ATTENDUES},
    )


@dg.asset_check(asset=arrondissements, blocking=True, additional_deps=[communes])
def arrondissements_dans_une_commune(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every municipal arrondissement points to a commune of `reference.communes`."""
    return run_check(
        warehouse,
        """
        select arrondissements.code_arrondissement, arrondissements.code_commune
        from reference.arrondissements as arrondissements
        left join reference.communes as communes using (code_commune)
        where communes.code_commune is null
        order by arrondissements.code_arrondissement
        """,
    )


# --- Perimeters and populations ---------------------------------------------------------------


@dg.asset_check(asset=populations, blocking=True)
def population_france_egale_somme_departements(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """France's population equals the sum of `population_communes_json` over the 101 départements
    of data/reference/cog/departement_population_2026.csv."""
    return run_check(
        warehouse,
        """
        with source as (
            select sum(cast(population_communes_json as bigint)) as population_source
            from read_csv($path, header = true, delim = ',', quote = '"', all_varchar = true)
            where code_departement in (select unnest($attendus::varchar[]))
        ),

        france as (
            select max(population) as population
            from reference.populations
            where territoire_type = 'france' and territoire_code = 'FR'
        )

        select france.population, cast(source.population_source as bigint) as population_source
        from france, source
        where france.population is distinct from source.population_source
        """,
        {"path": str(DEPARTEMENT_POPULATION_CSV), "attendus": DEPARTEMENTS_ATTENDUS},
    )


@dg.asset_check(asset=perimetres, blocking=True)
def groupes_lda_hors_lda_disjoints(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """No commune is both in the group LDA and in the group HORS_LDA."""
    return run_check(
        warehouse,
        """
        select code_commune
        from reference.perimetres
        where territoire_type = 'groupe' and territoire_code in ('LDA', 'HORS_LDA')
        group by code_commune
        having count(distinct territoire_code) > 1
        order by code_commune
        """,
    )


@dg.asset_check(asset=perimetres, blocking=True)
def groupes_lda_hors_lda_couvrent_la_france(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """The groups LDA and HORS_LDA together hold exactly the communes of France (FR)."""
    return run_check(
        warehouse,
        """
        with france as (
            select code_commune from reference.perimetres
            where territoire_type = 'france' and territoire_code = 'FR'
        ),

        groupes as (
            select distinct code_commune from reference.perimetres
            where territoire_type = 'groupe' and territoire_code in ('LDA', 'HORS_LDA')
        )

        select coalesce(france.code_commune, groupes.code_commune) as code_commune,
            case when groupes.code_commune is null then 'hors des deux groupes' else 'hors de France' end as probleme
        from france
        full outer join groupes using (code_commune)
        where france.code_commune is null or groupes.code_commune is null
        order by 1
        """,
    )


@dg.asset_check(asset=territoires, blocking=True, additional_deps=[perimetres])
def territoires_ont_un_perimetre(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Every published territory has a perimeter (hence a population), and every perimeter
    belongs to a published territory."""
    return run_check(
        warehouse,
        """
        with perimetres as (
            select distinct territoire_type, territoire_code from reference.perimetres
        )

        select coalesce(territoires.territoire_type, perimetres.territoire_type) as territoire_type,
            coalesce(territoires.territoire_code, perimetres.territoire_code) as territoire_code,
            case when perimetres.territoire_code is null then 'sans périmètre' else 'périmètre sans territoire' end
                as probleme
        from reference.territoires as territoires
        full outer join perimetres using (territoire_type, territoire_code)
        where territoires.territoire_code is null or perimetres.territoire_code is null
            or territoires.population is null
        order by 1, 2
        """,
    )


@dg.asset_check(asset=situations_logement, blocking=True)
def situations_logement_uniques(warehouse: WarehouseResource) -> dg.AssetCheckResult:
    """Each (source, situation) appears once, with a "sans domicile" flag (a duplicate would
    count its records twice)."""
    return run_check(
        warehouse,
        """
        select source, situation, count(*) as nb_lignes, count(sans_domicile) as nb_drapeaux
        from reference.situations_logement
        group by source, situation
        having count(*) > 1 or count(sans_domicile) < count(*)
        order by source, situation
        """,
    )


CHECKS = [
    territoires_lda_ont_des_communes,
    composantes_perimetres_lda_resolues,
    codes_territoires_lda_uniques,
    departements_attendus,
    communes_ont_leur_departement,
    population_departements_egale_source,
    regions_attendues,
    arrondissements_dans_une_commune,
    population_france_egale_somme_departements,
    groupes_lda_hors_lda_disjoints,
    groupes_lda_hors_lda_couvrent_la_france,
    territoires_ont_un_perimetre,
    situations_logement_uniques,
]
