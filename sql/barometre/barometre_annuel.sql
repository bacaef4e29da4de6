-- staging.barometre_annuel: one row per (territory, calendar year) of the Baromètre's Logement
-- d'abord series (persons from the street or shelters who obtained a social dwelling).
-- source: staging.barometre_mensuel.
--   2017–2022 layout: values cumulated since 1 January → the year is the December value.
--   IND-295: values cumulated since January 2023 without reset → the year is the December value
--   minus the previous December value of the same cumulation (for 2023 the 2022-12 baseline row,
--   indic_vi = 0; a cumulation starting in the year without baseline row counts from 0).
--   A year without December (2022 stops in November, 2024 in May) is kept with statut 'partiel'
--   and the value cumulated up to its last month (`dernier_mois`); a year whose previous December
--   is missing (IND-295) cannot be computed and has no row.
--   When both layouts give the same territory-year, a complete year wins, then the newer layout.
-- $serie, $unite: the series' name and unit.
create or replace table staging.barometre_annuel as
with mensuel as (
    select *
    from staging.barometre_mensuel
    where valeur is not null
),

derniers_mois as (
    select
        layout,
        territoire_type,
        territoire_code,
        year(date) as annee,
        max(date) as dernier_mois
    from mensuel
    where nature = 'cumul'
    group by all
),

fin_annee as (
    select
        derniers_mois.*,
        mensuel.valeur,
        mensuel.debut_cumul,
        mensuel.file_name
    from derniers_mois
    inner join mensuel
        on mensuel.layout = derniers_mois.layout
        and mensuel.territoire_type = derniers_mois.territoire_type
        and mensuel.territoire_code = derniers_mois.territoire_code
        and mensuel.date = derniers_mois.dernier_mois
),

avec_decembre_precedent as (
    select
        fin_annee.*,
        precedent.valeur as valeur_decembre_precedent
    from fin_annee
    left join mensuel as precedent
        on precedent.layout = fin_annee.layout
        and precedent.territoire_type = fin_annee.territoire_type
        and precedent.territoire_code = fin_annee.territoire_code
        and precedent.date = make_date(fin_annee.annee - 1, 12, 1)
        and precedent.debut_cumul = fin_annee.debut_cumul
),

annuel as (
    select
        layout,
        territoire_type,
        territoire_code,
        annee,
        dernier_mois,
        file_name,
        -- previous December of the same cumulation: IND-295's (or its baseline); none for 2017–2022
        valeur - coalesce(valeur_decembre_precedent, 0) as valeur,
        case
            when month(dernier_mois) = 12 and debut_cumul <= make_date(annee, 1, 1) then 'ok'
            else 'partiel'
        end as statut
    from avec_decembre_precedent
    where debut_cumul >= make_date(annee, 1, 1) or valeur_decembre_precedent is not null
),

classees as (
    select
        *,
        row_number() over (
            partition by territoire_type, territoire_code, annee
            order by (statut = 'ok') desc, (layout = 'IND-295') desc
        ) as rang
    from annuel
)

select
    $serie as serie,
    territoire_type,
    territoire_code,
    cast(annee as varchar) as periode,
    valeur,
    $unite as unite,
    'Baromètre des résultats ' || layout || ' : ' || file_name as source,
    statut,
    strftime(dernier_mois, '%Y-%m') as dernier_mois,
    layout
from classees
where rang = 1
order by territoire_type, territoire_code, periode
