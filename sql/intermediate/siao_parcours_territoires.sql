-- Counts of the localisable SIAO requests per (Département SIAO, territory, year of request,
-- situation at the request, type of orientation, exit): the contributions of each département to
-- marts.parcours_siao (which sums them over the départements, keeps the covered years and groups
-- the categories). `sortie`: the destination, else 'Inconnue' for an exit without destination,
-- else '' (no exit). Not for the EPCI (the Sankey diagrams are published above that level).
-- Built partition by partition (`departement_siao`).
-- Source: intermediate.siao_demandes_territoires.
select
    departement_siao,
    territoire_type,
    territoire_code,
    annee_demande as periode,
    coalesce(situation, '') as situation,
    coalesce(type_orientation, '') as orientation,
    case
        when coalesce(destination, '') <> '' then destination
        when date_sortie is not null then 'Inconnue'
        else ''
    end as sortie,
    count(*) as n
from intermediate.siao_demandes_territoires
where localisable and annee_demande is not null and territoire_type <> 'epci'
group by all
