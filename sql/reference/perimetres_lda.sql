-- reference.perimetres_lda: one row per (Logement d'abord territory, perimeter component,
-- commune of France): `epci:<SIREN>` → its member communes, `departement:<code>` → all its
-- communes, `commune:<INSEE>` → itself. A component that matches no commune has no row.
-- source: stg_territoires_lda (data/config/territoires_lda.csv) + reference.communes, reference.departements
create or replace table reference.perimetres_lda as
with composantes as (
    select
        territoire_code,
        unnest(composantes) as composante
    from stg_territoires_lda
),

flat as (
    select
        territoire_code,
        composante.type as composante_type,
        composante.code as composante_code
    from composantes
),

communes_france as (
    select
        communes.code_commune,
        communes.code_departement,
        communes.siren_epci
    from reference.communes as communes
    inner join reference.departements using (code_departement)
),

par_epci as (
    select flat.*, communes_france.code_commune
    from flat
    inner join communes_france on communes_france.siren_epci = flat.composante_code
    where flat.composante_type = 'epci'
),

par_departement as (
    select flat.*, communes_france.code_commune
    from flat
    inner join communes_france on communes_france.code_departement = flat.composante_code
    where flat.composante_type = 'departement'
),

par_commune as (
    select flat.*, communes_france.code_commune
    from flat
    inner join communes_france on communes_france.code_commune = flat.composante_code
    where flat.composante_type = 'commune'
),

unioned as (
    select * from par_epci
    union all
    select * from par_departement
    union all
    select * from par_commune
)

select distinct * from unioned
order by territoire_code, composante_type, composante_code, code_commune
