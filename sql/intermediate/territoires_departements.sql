-- One row per (territory, département it touches): `entier` is true when the territory contains
-- the whole département. A record carrying only a département code is assigned to the territories
-- where `entier` is true and is "non localisable" for the others it touches.
with perimetres as (
    select * from reference.perimetres
),
communes as (
    select code_commune, code_departement from reference.communes
),
entiers as (
    select * from reference.perimetres_departements
),
touches as (
    select distinct
        perimetres.territoire_type,
        perimetres.territoire_code,
        communes.code_departement
    from perimetres
    inner join communes using (code_commune)
)
select
    touches.territoire_type,
    touches.territoire_code,
    touches.code_departement,
    entiers.code_departement is not null as entier
from touches
left join entiers using (territoire_type, territoire_code, code_departement)
order by territoire_type, territoire_code, code_departement
