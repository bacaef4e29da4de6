-- One row per SIAO household (pseudonymised national `Numéro ménage`): the date of its first SIAO
-- request, the earliest `Date de la demande` over all its requests in their latest state (any type,
-- status or département).
with demandes as (
    -- $partiel: only the households to recompute (menages_a_recalculer, set by assets/indicateurs/menages.py)
    select * from staging.siao_demandes
    where not $partiel or hash(menage_id) in (select menage_hash from menages_a_recalculer)
)
select
    menage_id,
    min(cast(date_demande as date)) as premiere_demande,
    count(*) as nb_demandes
from demandes
where menage_id is not null
group by menage_id
order by menage_id
