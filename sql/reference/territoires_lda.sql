-- reference.territoires_lda: one row per Logement d'abord territory of the user-editable list,
-- with its code, reference year (the year before its call), and the number of communes and
-- population of its perimeter (union of its components' communes).
-- source: stg_territoires_lda (data/config/territoires_lda.csv) + reference.perimetres_lda, reference.communes
create or replace table reference.territoires_lda as
with perimetre_communes as (
    select distinct territoire_code, code_commune
    from reference.perimetres_lda
),

perimetre_totaux as (
    select
        perimetre_communes.territoire_code,
        count(*) as nb_communes,
        sum(communes.population) as population
    from perimetre_communes
    inner join reference.communes as communes using (code_commune)
    group by perimetre_communes.territoire_code
)

select
    stg.territoire_code,
    stg.ami,
    stg.ami - 1 as annee_reference,
    stg.territoire_libelle,
    stg.nature,
    stg.perimetre,
    stg.departement,
    stg.region,
    stg.source_url,
    cast(coalesce(perimetre_totaux.nb_communes, 0) as bigint) as nb_communes,
    cast(perimetre_totaux.population as bigint) as population
from stg_territoires_lda as stg
left join perimetre_totaux using (territoire_code)
order by stg.ami, stg.territoire_code
