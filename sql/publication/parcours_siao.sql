-- publication.parcours_siao: the SIAO pathway (marts.parcours_siao) after the disclosure control:
-- a secret cell has statut 'secret' and a null n. Zero cells are not written (0 where a covered
-- territory and year has no row).
-- source: pub_etat, pub_parcours_source
create or replace table publication.parcours_siao as
select
    source.territoire_type,
    source.territoire_code,
    source.territoire_libelle,
    source.periode,
    source.etape,
    source.origine,
    source.origine_ordre,
    source.destination,
    source.destination_ordre,
    case when etat.secret then null else cast(source.valeur as bigint) end as n,
    case when etat.secret then 'secret' else 'ok' end as statut
from pub_etat as etat
inner join pub_parcours_source as source
    using (indicateur, territoire_type, territoire_code, periode)
order by source.territoire_type, source.territoire_code, source.periode, source.etape,
    source.origine_ordre, source.origine, source.destination_ordre, source.destination
