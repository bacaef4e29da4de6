-- Offending rows: a published row linked to a secret row of the same territory and period —
-- a follower of a secret indicator (ATTR_SD_PERS of a secret ATTR_SD, and conversely), a rate or
-- ratio one of whose counts is secret (TX_ATTR_SD of a secret ATTR_SD or ATTR_TOT…).
-- source: pub_publie, pub_suit, pub_composantes
with liens as (
    select indicateur, reference as lie from pub_suit
    union
    select reference, indicateur from pub_suit
    union
    select indicateur, composante from pub_composantes
)

select
    publie.indicateur,
    publie.territoire_type,
    publie.territoire_code,
    publie.periode,
    publie.valeur,
    liens.lie as indicateur_secret
from pub_publie as publie
inner join liens on liens.indicateur = publie.indicateur
inner join pub_publie as secret
    on secret.indicateur = liens.lie
    and secret.territoire_type = publie.territoire_type
    and secret.territoire_code = publie.territoire_code
    and secret.periode = publie.periode
where publie.statut = 'ok' and secret.secret
order by publie.indicateur, publie.territoire_type, publie.territoire_code, publie.periode
