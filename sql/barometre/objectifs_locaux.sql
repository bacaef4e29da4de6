-- The local targets of data/config/objectifs.csv (one row per target a coordinator sets for a
-- territory and an indicator), each with `motif`: why the observatory cannot follow it (French),
-- null when it can. A target can be followed when its indicator is in the catalogue, its territory
-- is published (reference.territoires, or the view `territoires_connus` the asset makes from it),
-- its date is not past, its initial date (optional) is a December, and the same (indicator,
-- territory, target date) is given once. `nature`: « cumul » for an additive count (events of the
-- year, summed over whole years since the initial date: type 'count' and not a stock « au 31/12 »
-- or, in section G, a monthly stock whose year is « décembre » or « janvier »), the initial value
-- 0 when not given; « niveau » for every other indicator (a stock such as ACTIFS, a rate, a
-- median): the latest published year is compared with the target, the initial value stays empty
-- when not given (the observatory then reads its own value of the initial year).
-- Parameters: $fichier (the CSV), $indicateurs (data/config/indicateurs.csv).
with brutes as (
    select
        row_number() over () + 1 as ligne,
        trim(indicateur) as indicateur,
        trim(territoire_type) as territoire_type,
        trim(territoire_code) as territoire_code,
        try_cast(date_cible as date) as date_cible,
        try_cast(valeur_cible as double) as valeur_cible,
        try_cast(valeur_initiale as double) as valeur_initiale,
        try_cast(date_initiale as date) as date_initiale,
        nullif(trim(libelle), '') as libelle,
        date_cible as date_cible_texte,
        valeur_cible as valeur_cible_texte,
        date_initiale as date_initiale_texte
    from read_csv($fichier, header = true, all_varchar = true, columns = {
        'indicateur': 'varchar', 'territoire_type': 'varchar', 'territoire_code': 'varchar',
        'date_cible': 'varchar', 'valeur_cible': 'varchar', 'valeur_initiale': 'varchar',
        'date_initiale': 'varchar', 'libelle': 'varchar'})
),

catalogue as (
    select code, type, definition from read_csv($indicateurs, header = true, all_varchar = true)
),

motifs as (
    select
        brutes.*,
        count(*) over (partition by brutes.indicateur, brutes.territoire_type, brutes.territoire_code,
            brutes.date_cible) as fois,
        catalogue.code is not null as indicateur_connu,
        catalogue.type = 'count' and catalogue.definition not ilike '%au 31/12%'
            and catalogue.definition not ilike '%année : décembre%'
            and catalogue.definition not ilike '%année : janvier%' as additif,
        exists (select 1 from territoires_connus as t
                where t.territoire_type = brutes.territoire_type and t.territoire_code = brutes.territoire_code)
            as territoire_connu
    from brutes
    left join catalogue on catalogue.code = brutes.indicateur
)

select
    ligne,
    indicateur,
    territoire_type,
    territoire_code,
    date_cible,
    valeur_cible,
    case when additif then coalesce(valeur_initiale, 0) else valeur_initiale end as valeur_initiale,
    coalesce(date_initiale, date '2022-12-01') as date_initiale,
    case when additif then 'cumul' else 'niveau' end as nature,
    libelle,
    case
        when date_cible is null then 'date de la cible illisible (' || coalesce(date_cible_texte, 'vide') || ')'
        when valeur_cible is null then 'valeur de la cible illisible (' || coalesce(valeur_cible_texte, 'vide') || ')'
        when not indicateur_connu then 'indicateur inconnu du catalogue (' || coalesce(indicateur, 'vide') || ')'
        when not territoire_connu then 'territoire inconnu (' || coalesce(territoire_type, '') || ' '
            || coalesce(territoire_code, '') || ')'
        when date_cible < current_date then 'date de la cible passée (' || strftime(date_cible, '%Y-%m-%d') || ')'
        when date_initiale_texte is not null and trim(date_initiale_texte) <> '' and date_initiale is null
            then 'date initiale illisible (' || date_initiale_texte || ')'
        when date_initiale is not null and month(date_initiale) <> 12
            then 'date initiale hors décembre : l''observatoire compte par année entière'
        when date_initiale is not null and date_initiale >= date_cible then 'date initiale après la date de la cible'
        when fois > 1 then 'objectif donné plusieurs fois (même indicateur, territoire et date)'
    end as motif
from motifs
order by ligne
