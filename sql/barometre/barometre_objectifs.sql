-- staging.barometre_objectifs: one row per territory of the Baromètre's IND-295 series (départements,
-- régions, France): its initial value (indic_vi, the baseline row), its latest current value
-- (indic_va, cumulated since the month after the baseline), its target (indic_vc) and the target's
-- date, and the progress rate (indic_ta, %) as published on the latest row.
-- source: raw.barometre (IND-295 rows: 'valeur_initiale', 'cumul', 'cible') + meta.ingest_log (a row
-- given by two files: the file ingested last wins).
create or replace table staging.barometre_objectifs as
with fichiers as (
    select
        file_name,
        max(ingested_at) as ingested_at
    from meta.ingest_log
    where source = 'barometre' and status = 'loaded'
    group by file_name
),

classees as (
    select
        raw.*,
        row_number() over (
            partition by raw.territoire_type, raw.territoire_code, raw.nature, raw.date
            order by fichiers.ingested_at desc nulls last, raw.file_name desc
        ) as rang
    from raw.barometre as raw
    left join fichiers using (file_name)
    where raw.layout = 'IND-295'
),

retenues as (
    select * from classees where rang = 1
),

initiales as (
    select territoire_type, territoire_code, arg_max(indic_vi, date) as valeur_initiale, max(date) as date_initiale
    from retenues
    where nature = 'valeur_initiale' and indic_vi is not null
    group by territoire_type, territoire_code
),

actuelles as (
    select territoire_type, territoire_code, arg_max(valeur, date) as valeur_actuelle, max(date) as date_actuelle
    from retenues
    where nature = 'cumul' and valeur is not null
    group by territoire_type, territoire_code
),

taux as (
    select territoire_type, territoire_code, arg_max(indic_ta, date) as taux_avancement, max(date) as date_taux
    from retenues
    where nature = 'cumul' and indic_ta is not null
    group by territoire_type, territoire_code
),

cibles as (
    select territoire_type, territoire_code, arg_max(indic_vc, date) as valeur_cible, max(date) as date_cible,
        arg_max(file_name, date) as file_name
    from retenues
    where nature = 'cible' and indic_vc is not null
    group by territoire_type, territoire_code
)

select
    'IND-295' as indicateur_source,
    cibles.territoire_type,
    cibles.territoire_code,
    cibles.date_cible,
    initiales.valeur_initiale,
    initiales.date_initiale,
    actuelles.valeur_actuelle,
    actuelles.date_actuelle,
    cibles.valeur_cible,
    taux.taux_avancement,
    taux.date_taux,
    cibles.file_name
from cibles
left join initiales using (territoire_type, territoire_code)
left join actuelles using (territoire_type, territoire_code)
left join taux using (territoire_type, territoire_code)
order by cibles.territoire_type, cibles.territoire_code
