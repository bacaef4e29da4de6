-- pub_restes_petits (temporary): the containments « territory ⊇ Σ EPCI » (relations_epci.sql) whose
-- remainder, territory − Σ the EPCI inside it, is a small count (1 to seuil − 1) on the exact
-- values: published with every EPCI, it would be a small count published by subtraction
-- (département − its EPCI). `secondaire.sql` counts such a remainder as a secret part, so that one
-- EPCI is suppressed with it (and then a second one, the remainder being taken as known).
-- Parameters: $seuil
-- source: pub_etat, pub_relations
create or replace temp table pub_restes_petits as
select
    relations.total_id,
    relations.hierarchie
from pub_relations as relations
inner join pub_etat as part on part.id = relations.part_id
inner join pub_etat as total on total.id = relations.total_id
where relations.hierarchie like '%⊇%'
  and total.statut = 'ok'
group by relations.total_id, relations.hierarchie
having bool_and(part.statut = 'ok')
   and any_value(total.cellule) - sum(part.cellule) >= 1
   and any_value(total.cellule) - sum(part.cellule) < $seuil
