-- One row per SIAO household (pseudonymised national `Numéro ménage`): the date of its first SIAO
-- request, the earliest `Date de la demande` over all its requests in their latest state (any type,
-- status or département).
with demandes as (
    select * from staging.siao_demandes
)
select
    menage_id,
    min(cast(date_demande as date)) as premiere_demande,
    count(*) as nb_demandes
from demandes
where menage_id is not null
group by menage_id
order by menage_id
