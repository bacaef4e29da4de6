-- marts.comparaison_barometre: one row per (territory, year) for the départements, régions and France:
-- the observatory's ATTR_SD_PERS (households housed × 2.2, the Baromètre's convention) beside the
-- Baromètre's published annual value (serie $serie), the gap (observatoire − baromètre) and the
-- relative gap (% of the Baromètre value). Full join: a year published by one side only is kept,
-- with the other side null. The Baromètre's statut ('ok' complete year, 'partiel' year stopping
-- before December), its last month and its layout ('2017-2022' or 'IND-295') say how to read it.
-- source: marts.indicateurs, staging.barometre_annuel, reference.territoires
create or replace table marts.comparaison_barometre as
with observatoire as (
    select
        territoire_type,
        territoire_code,
        periode,
        valeur as valeur_observatoire,
        statut as statut_observatoire
    from marts.indicateurs
    where indicateur = 'ATTR_SD_PERS'
        and territoire_type in ('departement', 'region', 'france')
        and length(periode) = 4
),

barometre as (
    select
        territoire_type,
        territoire_code,
        periode,
        valeur as valeur_barometre,
        statut as statut_barometre,
        dernier_mois as dernier_mois_barometre,
        layout,
        source as source_barometre
    from staging.barometre_annuel
    where serie = $serie
        and territoire_type in ('departement', 'region', 'france')
),

rapproches as (
    select *
    from observatoire
    full join barometre using (territoire_type, territoire_code, periode)
),

territoires as (
    select
        territoire_type,
        territoire_code,
        territoire_libelle
    from reference.territoires
)

select
    rapproches.territoire_type,
    rapproches.territoire_code,
    territoires.territoire_libelle,
    rapproches.periode,
    rapproches.valeur_observatoire,
    rapproches.valeur_barometre,
    rapproches.valeur_observatoire - rapproches.valeur_barometre as ecart,
    case
        when rapproches.valeur_barometre <> 0
            then (rapproches.valeur_observatoire - rapproches.valeur_barometre) / rapproches.valeur_barometre * 100
    end as ecart_relatif_pc,
    'personnes' as unite,
    rapproches.statut_observatoire,
    rapproches.statut_barometre,
    rapproches.dernier_mois_barometre,
    rapproches.layout,
    rapproches.source_barometre
from rapproches
left join territoires using (territoire_type, territoire_code)
order by
    case rapproches.territoire_type when 'france' then 1 when 'region' then 2 else 3 end,
    rapproches.territoire_code,
    rapproches.periode
