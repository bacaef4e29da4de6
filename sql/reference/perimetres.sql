-- reference.perimetres: one row per (territory, member commune) for every territory of
-- reference.territoires: départements, régions, France (FR), Logement d'abord territories and
-- the groups LDA (union of their perimeters) and HORS_LDA (every other commune of France), and the
-- EPCI (code = SIREN, its member communes: an EPCI that straddles départements has communes in each).
-- Only communes of France (the 101 départements) appear; COM communes are excluded.
-- source: reference.communes, reference.departements, reference.perimetres_lda
create or replace table reference.perimetres as
with communes_france as (
    select
        communes.code_commune,
        communes.code_departement,
        departements.code_region,
        communes.siren_epci
    from reference.communes as communes
    inner join reference.departements as departements using (code_departement)
),

lda as (
    select distinct territoire_code, code_commune
    from reference.perimetres_lda
),

groupe_lda as (
    select distinct code_commune
    from lda
),

unioned as (
    select 'departement' as territoire_type, code_departement as territoire_code, code_commune
    from communes_france
    union all
    select 'region', code_region, code_commune
    from communes_france
    union all
    select 'france', 'FR', code_commune
    from communes_france
    union all
    select 'territoire_lda', territoire_code, code_commune
    from lda
    union all
    select 'groupe', 'LDA', code_commune
    from groupe_lda
    union all
    select 'groupe', 'HORS_LDA', code_commune
    from communes_france
    where code_commune not in (select code_commune from groupe_lda)
    union all
    select 'epci', siren_epci, code_commune
    from communes_france
    where siren_epci is not null
)

select * from unioned
order by territoire_type, territoire_code, code_commune
