-- reference.populations: one row per territory of reference.perimetres, its population: the
-- sum of its communes' population (COG 2026 communes.json, one vintage for every year).
-- source: reference.perimetres, reference.communes
create or replace table reference.populations as
select
    perimetres.territoire_type,
    perimetres.territoire_code,
    cast(sum(communes.population) as bigint) as population
from reference.perimetres as perimetres
inner join reference.communes as communes using (code_commune)
group by perimetres.territoire_type, perimetres.territoire_code
order by perimetres.territoire_type, perimetres.territoire_code
