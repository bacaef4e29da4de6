-- marts.objectifs: one row per (series, territory) with a target: the initial value, the current
-- value and its month, the target and its date, the progress rate (%). Today the Baromètre's IND-295
-- targets (persons from the street or from shelters housed in social housing, cumulated since
-- January 2023; départements, régions, France), under the series name $serie.
-- progress: the rate published by the Baromètre (indic_ta) where given; else
-- (current − initial) / (target − initial) × 100, rounded to 2 decimals (IND-295 publishes it so).
-- source: staging.barometre_objectifs
create or replace table marts.objectifs as
select
    $serie as serie,
    territoire_type,
    territoire_code,
    date_cible,
    valeur_initiale,
    valeur_actuelle,
    date_actuelle,
    valeur_cible,
    coalesce(
        taux_avancement,
        case when valeur_cible <> valeur_initiale
            then round((valeur_actuelle - valeur_initiale) / (valeur_cible - valeur_initiale) * 100, 2) end
    ) as taux_avancement,
    'Baromètre des résultats de l''action publique (DITP), IND-295, ' || file_name as source
from staging.barometre_objectifs
order by serie, territoire_type, territoire_code
