-- Relations of the SIAO pathway cells within one table (same territory, period and step), added to
-- pub_relations: each origin's total (`destination = 'Ensemble'`) = Σ its flows, each destination's
-- total (`origine = 'Ensemble'`) = Σ its flows, the grand total = Σ origins' totals = Σ
-- destinations' totals. And to pub_equivalences: an orientation's total is the same number in both
-- steps (requests with that orientation), as is the grand total (the year's requests).
-- source: pub_etat (cells of pub_parcours_source)
create or replace temp table pub_parcours_cles as
select
    id,
    territoire_type,
    territoire_code,
    periode,
    string_split(indicateur, '|')[2] as etape,
    string_split(indicateur, '|')[3] as origine,
    string_split(indicateur, '|')[4] as destination
from pub_etat;

insert into pub_relations (total_id, part_id, hierarchie)
select total.id, part.id, 'parcours : total de l''origine'
from pub_parcours_cles as total
inner join pub_parcours_cles as part
    using (territoire_type, territoire_code, periode, etape, origine)
where total.destination = 'Ensemble' and total.origine <> 'Ensemble' and part.destination <> 'Ensemble'
union all
select total.id, part.id, 'parcours : total de la destination'
from pub_parcours_cles as total
inner join pub_parcours_cles as part
    using (territoire_type, territoire_code, periode, etape, destination)
where total.origine = 'Ensemble' and total.destination <> 'Ensemble' and part.origine <> 'Ensemble'
union all
select total.id, part.id, 'parcours : ensemble par origine'
from pub_parcours_cles as total
inner join pub_parcours_cles as part
    using (territoire_type, territoire_code, periode, etape)
where total.origine = 'Ensemble' and total.destination = 'Ensemble'
  and part.origine <> 'Ensemble' and part.destination = 'Ensemble'
union all
select total.id, part.id, 'parcours : ensemble par destination'
from pub_parcours_cles as total
inner join pub_parcours_cles as part
    using (territoire_type, territoire_code, periode, etape)
where total.origine = 'Ensemble' and total.destination = 'Ensemble'
  and part.origine = 'Ensemble' and part.destination <> 'Ensemble';

insert into pub_equivalences (id_a, id_b)
with paires as (
    select a.id as id_a, b.id as id_b
    from pub_parcours_cles as a
    inner join pub_parcours_cles as b
        using (territoire_type, territoire_code, periode)
    where a.etape = 'situation_orientation' and b.etape = 'orientation_sortie'
      and a.origine = 'Ensemble' and b.destination = 'Ensemble'
      and (a.destination = b.origine)
)
select id_a, id_b from paires
union all
select id_b, id_a from paires;
