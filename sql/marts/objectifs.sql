-- marts.objectifs: one row per (series, territory) with a target: the initial value, the current
-- value and its month, the target and its date, the progress rate (%). Today the Baromètre's IND-295
-- targets (persons from the street or from shelters housed in social housing, cumulated since
-- January 2023; départements, régions, France), under the series name $serie.
-- progress: the rate published by the Baromètre (indic_ta) where given; else
-- (current − initial) / (target − initial) × 100, rounded to 2 decimals (IND-295 publishes it so).
-- Beside them, the local targets of data/config/objectifs.csv that the observatory can follow
-- (temporary table `objectifs_locaux_suivis`, sql/barometre/objectifs_locaux.sql with no motif): series
-- = the indicator itself, no current value or rate (the app and the report compute the trajectory
-- from the observatory's own series). `nature`: « cumul » (IND-295 and additive counts: the
-- series summed since the initial date) or « niveau » (a stock, a rate, a median: its latest value). `source`: « Baromètre IND-295 » or « objectif local »;
-- `libelle`: the file for IND-295, the coordinator's label for a local target. `indicateur`: the
-- observatory's series followed against the target; `date_initiale`: the count starts the January
-- after it.
-- source: staging.barometre_objectifs, data/config/objectifs.csv
create or replace table marts.objectifs as
select
    $serie as serie,
    $indicateur_suivi as indicateur,
    territoire_type,
    territoire_code,
    date_cible,
    valeur_initiale,
    coalesce(date_initiale, date '2022-12-01') as date_initiale,
    valeur_actuelle,
    date_actuelle,
    valeur_cible,
    coalesce(
        taux_avancement,
        case when valeur_cible <> valeur_initiale
            then round((valeur_actuelle - valeur_initiale) / (valeur_cible - valeur_initiale) * 100, 2) end
    ) as taux_avancement,
    'cumul' as nature,
    'Baromètre IND-295' as source,
    'Baromètre des résultats de l''action publique (DITP), IND-295, ' || file_name as libelle
from staging.barometre_objectifs
union all by name
select
    indicateur as serie,
    indicateur,
    territoire_type,
    territoire_code,
    date_cible,
    valeur_initiale,
    date_initiale,
    cast(null as double) as valeur_actuelle,
    cast(null as date) as date_actuelle,
    valeur_cible,
    cast(null as double) as taux_avancement,
    nature,
    'objectif local' as source,
    coalesce(libelle, 'objectif local') as libelle
from objectifs_locaux_suivis
order by serie, territoire_type, territoire_code
