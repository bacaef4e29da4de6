-- One row per (Département SIAO, household with an Urgence request dated) with the hash of
-- `menage_id`: which households have requests in several départements (counted once by
-- marts.indicateurs_siao) and which hashes are shared by different households (their households are
-- counted from the request rows). A superset of the households of
-- intermediate.siao_menages_urgence_territoires. Built partition by partition (`departement_siao`).
-- Source: staging.siao_demandes.
select distinct
    departement_siao,
    menage_id,
    hash(menage_id) as menage_hash
from staging.siao_demandes
where type_demande = 'Urgence' and date_demande is not null
