-- Adds to pub_relations the containments of the EPCI: a département, région, France, Logement
-- d'abord territory or group contains every EPCI all of whose communes lie in it (an EPCI that
-- straddles two départements is in their région, not in either). The EPCI are disjoint and a record
-- counted in an EPCI is counted in every territory containing it, so
--     container = Σ EPCI inside it + a remainder ≥ 0
-- (records placed only by département — published as `part_non_localisable` —, communes without an
-- EPCI or in a straddling EPCI). The remainder is taken as known to an attacker (conservative):
-- the relation is protected like a sum (`secondaire.sql`: never exactly one secret EPCI in a
-- published container), and a remainder of 1 to seuil − 1 is itself protected (`restes_epci.sql`).
-- An EPCI with the same communes as a territory is an equality (`equivalences.sql`).
-- Hierarchy names contain « ⊇ »: `liens.sql` does not treat such a total as equal to its only part.
-- source: pub_cible (rows), reference.perimetres (territoire_type, territoire_code, code_commune)
-- Parameters: $types_secondaires, $suiveurs (as relations.sql)
insert into pub_relations
with epci as (
    select territoire_code as code_epci, code_commune
    from reference.perimetres
    where territoire_type = 'epci'
),

tailles as (
    select code_epci, count(*) as nb_communes
    from epci
    group by code_epci
),

conteneurs as (
    select territoire_type, territoire_code, code_commune
    from reference.perimetres
    where territoire_type in ('departement', 'region', 'france', 'territoire_lda', 'groupe')
),

inclusions as (
    select
        conteneurs.territoire_type,
        conteneurs.territoire_code,
        epci.code_epci
    from epci
    inner join conteneurs using (code_commune)
    group by conteneurs.territoire_type, conteneurs.territoire_code, epci.code_epci
    having count(*) = (select nb_communes from tailles where tailles.code_epci = epci.code_epci)
),

cellules as (
    select id, indicateur, territoire_type, territoire_code, periode
    from pub_cible
    where list_contains($types_secondaires, type_indicateur)
      and not list_contains($suiveurs, indicateur)
)

select
    total.id as total_id,
    part.id as part_id,
    case inclusions.territoire_type
        when 'departement' then 'département ⊇ Σ EPCI inclus'
        when 'region' then 'région ⊇ Σ EPCI inclus'
        when 'france' then 'France ⊇ Σ EPCI'
        when 'territoire_lda' then 'territoire Logement d''abord ⊇ Σ EPCI inclus'
        else 'groupe ⊇ Σ EPCI inclus'
    end as hierarchie
from cellules as part
inner join inclusions on inclusions.code_epci = part.territoire_code
inner join cellules as total
    on total.indicateur = part.indicateur
    and total.periode = part.periode
    and total.territoire_type = inclusions.territoire_type
    and total.territoire_code = inclusions.territoire_code
where part.territoire_type = 'epci'
