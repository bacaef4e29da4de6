-- reference.territoires: one row per published territory: the 101 départements, the 18 régions,
-- France (FR), the Logement d'abord territories, the groups LDA and HORS_LDA and the EPCI (code =
-- SIREN, label from the COG; only those with a commune in France), with its population
-- (reference.populations). ami, nature and annee_reference are set only for Logement d'abord
-- territories.
-- source: reference.departements, reference.regions, reference.territoires_lda, reference.epci,
-- reference.populations
create or replace table reference.territoires as
with unioned as (
    select
        1 as rang,
        'departement' as territoire_type,
        code_departement as territoire_code,
        nom_departement as territoire_libelle,
        cast(null as integer) as ami,
        cast(null as varchar) as nature,
        cast(null as integer) as annee_reference
    from reference.departements
    union all
    select 2, 'region', code_region, nom_region, null, null, null
    from reference.regions
    union all
    select 3, 'france', 'FR', 'France', null, null, null
    union all
    select 4, 'territoire_lda', territoire_code, territoire_libelle, ami, nature, annee_reference
    from reference.territoires_lda
    union all
    select 5, 'groupe', 'LDA', 'Territoires Logement d''abord', null, null, null
    union all
    select 6, 'groupe', 'HORS_LDA', 'Reste de la France', null, null, null
    union all
    select 7, 'epci', siren_epci, nom_epci, null, null, null
    from reference.epci
    where siren_epci in (select territoire_code from reference.perimetres where territoire_type = 'epci')
)

select
    unioned.territoire_type,
    unioned.territoire_code,
    unioned.territoire_libelle,
    unioned.ami,
    unioned.nature,
    populations.population,
    unioned.annee_reference
from unioned
left join reference.populations as populations using (territoire_type, territoire_code)
order by unioned.rang, unioned.territoire_code
