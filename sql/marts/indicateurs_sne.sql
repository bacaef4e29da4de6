-- Section A (SNE): one row per (indicator, territory, year) before the absent rule of
-- marts.indicateurs: `couvert` (an SNE file covers the year), `valeur_calculee`, `numerateur`,
-- `denominateur`, `part_non_localisable` (% of the year's records without a commune).
-- Attributions are placed by the dwelling's commune and dated by `date_attribution`; the demand
-- stock of PRESSION_SD is the file of the year, placed by the first wished commune.
-- EPCI: only the years an SNE attributions file covers (no absent row).
with territoires as (
    select territoire_type, territoire_code from reference.territoires
),
periodes as (
    select periode, annee from intermediate.periodes where granularite = 'annee'
),
couverture as (
    select * from intermediate.couverture_nationale
),
attributions as (
    select * from intermediate.sne_attributions_territoires
),
demandes as (
    select * from intermediate.sne_demandes_territoires
),
grille as (
    select
        territoires.territoire_type,
        territoires.territoire_code,
        periodes.periode,
        couv_att.annee is not null as couvert_attributions,
        couv_att.annee is not null and couv_dem.annee is not null as couvert_demandes
    from territoires
    cross join periodes
    left join couverture as couv_att on couv_att.source = 'sne_attributions' and couv_att.annee = periodes.annee
    left join couverture as couv_dem on couv_dem.source = 'sne_demandes' and couv_dem.annee = periodes.annee
    where territoires.territoire_type <> 'epci' or couv_att.annee is not null
),
agg_attributions as (
    select
        territoire_type,
        territoire_code,
        periode,
        count(*) as attr_tot,
        count(*) filter (where sans_domicile) as attr_sd,
        count(*) filter (where reservataire_code = 'ETAT') as tot_etat,
        count(*) filter (where reservataire_code = 'ETAT' and sans_domicile) as sd_etat,
        count(*) filter (where reservataire_code = 'AL') as tot_al,
        count(*) filter (where reservataire_code = 'AL' and sans_domicile) as sd_al,
        count(*) filter (where reservataire_code = 'COLL') as tot_coll,
        count(*) filter (where reservataire_code = 'COLL' and sans_domicile) as sd_coll,
        count(*) filter (where reservataire_code = 'BAILLEUR') as tot_bailleur,
        count(*) filter (where reservataire_code = 'BAILLEUR' and sans_domicile) as sd_bailleur,
        count(*) filter (where reservataire_code = 'AUTRE') as tot_autre,
        count(*) filter (where reservataire_code = 'AUTRE' and sans_domicile) as sd_autre,
        count(delai_attribution) filter (where sans_domicile) as delai_cas,
        quantile_disc(delai_attribution, 0.5) filter (where sans_domicile and delai_attribution is not null) as delai_median
    from attributions
    where localisable
    group by territoire_type, territoire_code, periode
),
sans_lieu_attributions as (
    select periode, count(*) as n from attributions where territoire_type is null group by periode
),
agg_demandes as (
    select
        territoire_type,
        territoire_code,
        periode,
        sum(nb_demandes) as stock_tot,
        coalesce(sum(nb_demandes) filter (where sans_domicile), 0) as stock_sd
    from demandes
    where localisable
    group by territoire_type, territoire_code, periode
),
sans_lieu_demandes as (
    select periode, sum(nb_demandes) as n from demandes where territoire_type is null group by periode
),
mesures as (
    select
        grille.*,
        coalesce(agg_attributions.attr_tot, 0) as attr_tot,
        coalesce(agg_attributions.attr_sd, 0) as attr_sd,
        coalesce(agg_attributions.tot_etat, 0) as tot_etat,
        coalesce(agg_attributions.sd_etat, 0) as sd_etat,
        coalesce(agg_attributions.tot_al, 0) as tot_al,
        coalesce(agg_attributions.sd_al, 0) as sd_al,
        coalesce(agg_attributions.tot_coll, 0) as tot_coll,
        coalesce(agg_attributions.sd_coll, 0) as sd_coll,
        coalesce(agg_attributions.tot_bailleur, 0) as tot_bailleur,
        coalesce(agg_attributions.sd_bailleur, 0) as sd_bailleur,
        coalesce(agg_attributions.tot_autre, 0) as tot_autre,
        coalesce(agg_attributions.sd_autre, 0) as sd_autre,
        coalesce(agg_attributions.delai_cas, 0) as delai_cas,
        agg_attributions.delai_median,
        coalesce(agg_demandes.stock_sd, 0) as stock_sd,
        100.0 * coalesce(sla.n, 0)
            / nullif(coalesce(agg_attributions.attr_tot, 0) + coalesce(sla.n, 0), 0) as part_nl_attributions,
        100.0 * coalesce(sld.n, 0)
            / nullif(coalesce(agg_demandes.stock_tot, 0) + coalesce(sld.n, 0), 0) as part_nl_demandes
    from grille
    left join agg_attributions using (territoire_type, territoire_code, periode)
    left join agg_demandes using (territoire_type, territoire_code, periode)
    left join sans_lieu_attributions as sla using (periode)
    left join sans_lieu_demandes as sld using (periode)
),
longue as (
    select 'ATTR_SD' as indicateur, territoire_type, territoire_code, periode, couvert_attributions as couvert,
        cast(attr_sd as double) as valeur_calculee, cast(attr_sd as double) as numerateur,
        cast(null as double) as denominateur, part_nl_attributions as part_non_localisable
    from mesures
    union all
    select 'ATTR_SD_PERS', territoire_type, territoire_code, periode, couvert_attributions,
        attr_sd * cast($personnes_par_menage as double), attr_sd, null, part_nl_attributions
    from mesures
    union all
    select 'ATTR_TOT', territoire_type, territoire_code, periode, couvert_attributions,
        attr_tot, attr_tot, null, part_nl_attributions
    from mesures
    union all
    select 'TX_ATTR_SD', territoire_type, territoire_code, periode, couvert_attributions,
        100.0 * attr_sd / nullif(attr_tot, 0), attr_sd, attr_tot, part_nl_attributions
    from mesures
    union all
    select 'TX_ATTR_SD_RES_ETAT', territoire_type, territoire_code, periode, couvert_attributions,
        100.0 * sd_etat / nullif(tot_etat, 0), sd_etat, tot_etat, part_nl_attributions
    from mesures
    union all
    select 'TX_ATTR_SD_RES_AL', territoire_type, territoire_code, periode, couvert_attributions,
        100.0 * sd_al / nullif(tot_al, 0), sd_al, tot_al, part_nl_attributions
    from mesures
    union all
    select 'TX_ATTR_SD_RES_COLL', territoire_type, territoire_code, periode, couvert_attributions,
        100.0 * sd_coll / nullif(tot_coll, 0), sd_coll, tot_coll, part_nl_attributions
    from mesures
    union all
    select 'TX_ATTR_SD_RES_BAILLEUR', territoire_type, territoire_code, periode, couvert_attributions,
        100.0 * sd_bailleur / nullif(tot_bailleur, 0), sd_bailleur, tot_bailleur, part_nl_attributions
    from mesures
    union all
    select 'TX_ATTR_SD_RES_AUTRE', territoire_type, territoire_code, periode, couvert_attributions,
        100.0 * sd_autre / nullif(tot_autre, 0), sd_autre, tot_autre, part_nl_attributions
    from mesures
    union all
    select 'DELAI_ATTR_SD', territoire_type, territoire_code, periode, couvert_attributions,
        delai_median, delai_cas, null, part_nl_attributions
    from mesures
    union all
    select 'PRESSION_SD', territoire_type, territoire_code, periode, couvert_attributions and couvert_demandes,
        1.0 * stock_sd / nullif(attr_sd, 0), stock_sd, attr_sd, part_nl_demandes
    from mesures
)
select *, 'sne' as source from longue
