-- pub_etat (temporary): one row per row of marts.indicateurs (indicator, territory, period) with
-- its catalogue type, the count the rules look at (`cellule`: the numerator, i.e. the value of a
-- count, the number of cases of a median) and its primary disclosure status.
-- Parameters: $seuil (data/config/secret_statistique.yaml), $catalogue (data/config/indicateurs.csv),
-- $denominateur_population (rates over a population, whose denominator is not a count of records).
-- source: pub_source (a temporary view of marts.indicateurs, or of any table with its columns) + the
-- indicator catalogue
create or replace temp table pub_etat as
with catalogue as (
    select
        code as indicateur,
        type as type_indicateur,
        unite
    from read_csv($catalogue, header = true, all_varchar = true)
),

marts as (
    select
        row_number() over (order by indicateur, territoire_type, territoire_code, periode) as id,
        *
    from pub_source
),

typed as (
    select
        marts.*,
        catalogue.type_indicateur,
        coalesce(marts.numerateur, marts.valeur) as cellule
    from marts
    left join catalogue using (indicateur)
),

primaire as (
    select
        *,
        statut = 'ok' and coalesce(
            case
                when type_indicateur = 'median' then numerateur < $seuil
                when type_indicateur in ('rate', 'ratio') then
                    (numerateur >= 1 and numerateur < $seuil)
                    or (not list_contains($denominateur_population, indicateur) and denominateur < $seuil)
                else cellule >= 1 and cellule < $seuil
            end,
            true
        ) as secret_primaire
    from typed
)

select
    *,
    secret_primaire as secret,
    case when secret_primaire then 'primaire' end as motif
from primaire
