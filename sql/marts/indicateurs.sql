-- marts.indicateurs: one row per (indicator, territory, period), the exact (unsuppressed) values.
-- Union of the section marts, with the absent rule: `statut = absent` and `valeur` null where no file
-- of the source covers the territory-period, for a rate or ratio whose denominator is 0 and for a
-- median without a case (the indicator's type comes from the catalogue); `numerateur` and
-- `denominateur` are kept when the source covers the period, null otherwise. France is `FR`.
-- `part_non_localisable` (%, added to the interface): among the records of the indicator's base
-- population for that source and period that could belong to the territory (its départements, or no
-- place at all), the share that cannot be placed in it: a record with only a département code the
-- territory does not contain whole, or a record without commune for SNE (no département in the file).
-- EPCI (`territoire_type = 'epci'`, code = SIREN): only the rows whose source covers the EPCI and
-- period (no monthly series: the section marts write only covered years), and the offer, known by
-- département, `absent` for the years an offer file covers.
with unioned as (
    select * from marts.indicateurs_sne
    union all by name
    select * from marts.indicateurs_siao
    union all by name
    select * from marts.indicateurs_parcours
    union all by name
    select * from marts.indicateurs_ndls
    union all by name
    select * from marts.indicateurs_offre
    union all by name
    select * from marts.indicateurs_ledger
),
catalogue as (
    select code, type from marts.catalogue_indicateurs
),
territoires as (
    select territoire_type, territoire_code, territoire_libelle from reference.territoires
),
statuts as (
    select
        unioned.*,
        case
            when not unioned.couvert then 'absent'
            when catalogue.type in ('rate', 'ratio') and coalesce(unioned.denominateur, 0) = 0 then 'absent'
            when catalogue.type = 'median' and coalesce(unioned.numerateur, 0) = 0 then 'absent'
            when unioned.valeur_calculee is null then 'absent'
            else 'ok'
        end as statut
    from unioned
    left join catalogue on catalogue.code = unioned.indicateur
)
select
    statuts.indicateur,
    statuts.territoire_type,
    statuts.territoire_code,
    territoires.territoire_libelle,
    statuts.periode,
    case when statuts.statut = 'ok' then statuts.valeur_calculee end as valeur,
    case when statuts.couvert then statuts.numerateur end as numerateur,
    case when statuts.couvert then statuts.denominateur end as denominateur,
    statuts.statut,
    statuts.source,
    case when statuts.couvert then statuts.part_non_localisable end as part_non_localisable
from statuts
left join territoires using (territoire_type, territoire_code)
where statuts.territoire_type <> 'epci' or statuts.couvert or statuts.source = 'offre'
order by statuts.indicateur, statuts.territoire_type, statuts.territoire_code, statuts.periode
