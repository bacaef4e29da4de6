-- reference.perimetres_departements: one row per (territory, département it contains whole),
-- i.e. every commune of the département is in the territory's perimeter. Records that only
-- carry a département code are assigned to territories through this table.
-- source: reference.perimetres, reference.communes, reference.departements
create or replace table reference.perimetres_departements as
with communes_par_departement as (
    select
        communes.code_departement,
        count(*) as nb_communes
    from reference.communes as communes
    inner join reference.departements using (code_departement)
    group by communes.code_departement
),

couverture as (
    select
        perimetres.territoire_type,
        perimetres.territoire_code,
        communes.code_departement,
        count(distinct perimetres.code_commune) as nb_communes
    from reference.perimetres as perimetres
    inner join reference.communes as communes using (code_commune)
    group by perimetres.territoire_type, perimetres.territoire_code, communes.code_departement
)

select
    couverture.territoire_type,
    couverture.territoire_code,
    couverture.code_departement
from couverture
inner join communes_par_departement using (code_departement)
where couverture.nb_communes = communes_par_departement.nb_communes
order by couverture.territoire_type, couverture.territoire_code, couverture.code_departement
