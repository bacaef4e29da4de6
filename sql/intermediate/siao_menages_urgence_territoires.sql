-- One row per (Département SIAO, territory, year of request, hash of the household) with a localisable
-- Urgence request: the households of MEN_URG by département, by the hash of `menage_id` (a fixed-size
-- key, much cheaper than the 64-character pseudonym). A household with requests in several
-- départements has a row in each: marts.indicateurs_siao subtracts the extra rows, and counts the
-- households whose hash is shared with another household (intermediate.siao_menages_urgence) from
-- the request rows, so that its count is exact. Built partition by partition (`departement_siao`).
-- Source: intermediate.siao_demandes_territoires.
select distinct
    departement_siao,
    territoire_type,
    territoire_code,
    annee_demande as periode,
    hash(menage_id) as menage_hash
from intermediate.siao_demandes_territoires
where annee_demande is not null and localisable and type_demande = 'Urgence'
