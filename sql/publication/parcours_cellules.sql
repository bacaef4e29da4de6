-- pub_parcours_source (temporary): the cells of marts.parcours_siao in the columns of
-- marts.indicateurs, so that the disclosure control of the indicators applies to them unchanged:
-- one "indicator" per (step, origin, destination), `PARCOURS|<etape>|<origine>|<destination>`, a
-- count (`valeur` = `numerateur` = n). Margins (`Ensemble`) are cells too.
-- source: marts.parcours_siao, reference.territoires
create or replace temp table pub_parcours_source as
select
    'PARCOURS|' || parcours.etape || '|' || parcours.origine || '|' || parcours.destination as indicateur,
    parcours.territoire_type,
    parcours.territoire_code,
    territoires.territoire_libelle,
    parcours.periode,
    cast(parcours.n as double) as valeur,
    cast(parcours.n as double) as numerateur,
    cast(null as double) as denominateur,
    'ok' as statut,
    'siao' as source,
    cast(null as double) as part_non_localisable,
    parcours.etape,
    parcours.origine,
    parcours.origine_ordre,
    parcours.destination,
    parcours.destination_ordre
from marts.parcours_siao as parcours
left join reference.territoires as territoires
    on territoires.territoire_type = parcours.territoire_type
    and territoires.territoire_code = parcours.territoire_code
