-- The state of each SIAO request: its accepted row from the latest extraction
-- (a request is (Département SIAO, Numéro demande); ties broken by file name then line).
with history as (
    select * from staging.siao_demandes_historique
),
ranked as (
    select
        *,
        count(*) over (partition by departement_siao, numero_demande) as nb_extractions,
        row_number() over (
            partition by departement_siao, numero_demande
            order by date_extraction desc, source_file desc, line_number desc
        ) as rang
    from history
)
select * exclude (rang)
from ranked
where rang = 1
