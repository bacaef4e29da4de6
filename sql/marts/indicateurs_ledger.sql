-- Section G (monthly ledger of the households known to the SIAO): one row per (indicator, territory,
-- month or year) before the absent rule of marts.indicateurs. Households and their state at D0 / D1
-- come from intermediate.ledger_menages_mois. For month m, a territory's perimeter is its communes in
-- the départements with an accepted SIAO file for m and for m − 1 (`couvert` false when there is
-- none); it is used both at D0 and at D1. A household is in T at D when active at D and its place
-- lies in that perimeter: by its commune (reference.perimetres), or, placed only by its Département
-- SIAO, in the territories containing that whole département (intermediate.territoires_departements).
-- Flows: entries (in T at D1, not active at D0) by kind, transfers in (active at D0 elsewhere), exits
-- (in T at D0, not active at D1) to housing or by inactivity, transfers out (active at D1 elsewhere);
-- ACTIFS = ACTIFS_DEBUT + entries + transfers in − exits − transfers out holds by construction.
-- Years: each flow and SOLDE_ACTIFS sum the covered months; ACTIFS is December's, ACTIFS_DEBUT
-- January's (absent when that month is). EPCI, as in the other sections: no monthly series, only the
-- covered years (ACTIFS: December covered; ACTIFS_DEBUT: January covered).
with territoires as (
    select territoire_type, territoire_code from reference.territoires
),
territoires_departements as (
    select * from intermediate.territoires_departements
),
couverture as (
    select distinct departement, mois from staging.siao_couverture
),
departements_mois as (
    -- départements in the perimeter of month m: an accepted file for m and for m − 1
    select c.departement, c.mois
    from couverture as c
    inner join couverture as p
        on p.departement = c.departement
        and p.mois = strftime(cast(c.mois || '-01' as date) - interval 1 month, '%Y-%m')
),
mois as (
    select periode as mois, cast(annee as varchar) as annee from intermediate.periodes where granularite = 'mois'
),
couverts as (
    select distinct td.territoire_type, td.territoire_code, dm.mois
    from territoires_departements as td
    inner join departements_mois as dm on dm.departement = td.code_departement
),
menages as (
    select * from intermediate.ledger_menages_mois
),
lieux as (
    -- (place, territory): the territories containing the place (its commune, else its Département SIAO
    -- when the territory contains that whole département), computed once per distinct place
    select distinct l.commune, l.departement, p.territoire_type, p.territoire_code
    from (select distinct commune_debut as commune, departement_debut as departement from menages
          union select distinct commune_fin, departement_fin from menages) as l
    inner join reference.perimetres as p on p.code_commune = l.commune
    union all
    select distinct l.commune, l.departement, td.territoire_type, td.territoire_code
    from (select distinct departement_debut as departement, cast(null as varchar) as commune from menages
          where commune_debut is null
          union select distinct departement_fin, null from menages where commune_fin is null) as l
    inner join territoires_departements as td on td.code_departement = l.departement and td.entier
),
comptes_fin as (
    -- in T at D1: households counted by (month, place at D1), then spread over the place's territories
    select mois, commune_fin as commune, departement_fin as departement,
        count(*) as actifs,
        count(*) filter (where not actif_debut and entree = 'nouveau') as entrees_nouveaux,
        count(*) filter (where not actif_debut and entree = 'retour_logement') as entrees_retour_logement,
        count(*) filter (where not actif_debut and entree = 'retour_inactivite') as entrees_retour_inactivite
    from menages
    semi join departements_mois as dm on dm.departement = menages.departement_fin and dm.mois = menages.mois
    where actif_fin
    group by all
),
comptes_debut as (
    select mois, commune_debut as commune, departement_debut as departement,
        count(*) as actifs_debut,
        count(*) filter (where not actif_fin and sortie_logement) as sorties_logement,
        count(*) filter (where not actif_fin and not sortie_logement) as sorties_inactivite
    from menages
    semi join departements_mois as dm on dm.departement = menages.departement_debut and dm.mois = menages.mois
    where actif_debut
    group by all
),
deplaces as (
    -- transfers: only households active at both ends whose place changed can be in T at one end only
    select * from menages
    where actif_debut and actif_fin
        and (commune_debut, departement_debut) is distinct from (commune_fin, departement_fin)
),
presences_deplaces as (
    select d.menage_id, d.mois, l.territoire_type, l.territoire_code,
        bool_or(d.moment = 'debut') as dans_debut,
        bool_or(d.moment = 'fin') as dans_fin
    from (
        select menage_id, mois, 'debut' as moment, commune_debut as commune, departement_debut as departement
        from deplaces
        union all
        select menage_id, mois, 'fin', commune_fin, departement_fin from deplaces
    ) as d
    semi join departements_mois as dm on dm.departement = d.departement and dm.mois = d.mois
    inner join lieux as l
        on l.departement = d.departement and l.commune is not distinct from d.commune
    group by all
),
comptes_mois as (
    select territoire_type, territoire_code, mois,
        sum(actifs) as actifs, sum(actifs_debut) as actifs_debut, sum(entrees_nouveaux) as entrees_nouveaux,
        sum(entrees_retour_logement) as entrees_retour_logement,
        sum(entrees_retour_inactivite) as entrees_retour_inactivite, sum(transferts_entrants) as transferts_entrants,
        sum(sorties_logement) as sorties_logement, sum(sorties_inactivite) as sorties_inactivite,
        sum(transferts_sortants) as transferts_sortants
    from (
        select l.territoire_type, l.territoire_code, c.mois, c.actifs, 0 as actifs_debut, c.entrees_nouveaux,
            c.entrees_retour_logement, c.entrees_retour_inactivite, 0 as transferts_entrants, 0 as sorties_logement,
            0 as sorties_inactivite, 0 as transferts_sortants
        from comptes_fin as c
        inner join lieux as l
            on l.departement = c.departement and l.commune is not distinct from c.commune
        union all
        select l.territoire_type, l.territoire_code, c.mois, 0, c.actifs_debut, 0, 0, 0, 0, c.sorties_logement,
            c.sorties_inactivite, 0
        from comptes_debut as c
        inner join lieux as l
            on l.departement = c.departement and l.commune is not distinct from c.commune
        union all
        select territoire_type, territoire_code, mois, 0, 0, 0, 0, 0,
            count(*) filter (where dans_fin and not dans_debut), 0, 0,
            count(*) filter (where dans_debut and not dans_fin)
        from presences_deplaces
        group by all
    )
    group by all
),
grille_mois as (
    select
        territoires.territoire_type,
        territoires.territoire_code,
        mois.mois as periode,
        mois.annee,
        couverts.mois is not null as couvert,
        coalesce(c.actifs, 0) as actifs,
        coalesce(c.actifs_debut, 0) as actifs_debut,
        coalesce(c.entrees_nouveaux, 0) as entrees_nouveaux,
        coalesce(c.entrees_retour_logement, 0) as entrees_retour_logement,
        coalesce(c.entrees_retour_inactivite, 0) as entrees_retour_inactivite,
        coalesce(c.transferts_entrants, 0) as transferts_entrants,
        coalesce(c.sorties_logement, 0) as sorties_logement,
        coalesce(c.sorties_inactivite, 0) as sorties_inactivite,
        coalesce(c.transferts_sortants, 0) as transferts_sortants
    from territoires
    cross join mois
    left join couverts
        on couverts.territoire_type = territoires.territoire_type
        and couverts.territoire_code = territoires.territoire_code
        and couverts.mois = mois.mois
    left join comptes_mois as c
        on c.territoire_type = territoires.territoire_type
        and c.territoire_code = territoires.territoire_code
        and c.mois = mois.mois
        and couverts.mois is not null
),
grille_annees as (
    select
        territoire_type,
        territoire_code,
        annee as periode,
        bool_or(couvert) as couvert,
        sum(actifs) filter (where couvert and periode = annee || '-12') as actifs,
        sum(actifs_debut) filter (where couvert and periode = annee || '-01') as actifs_debut,
        sum(entrees_nouveaux) filter (where couvert) as entrees_nouveaux,
        sum(entrees_retour_logement) filter (where couvert) as entrees_retour_logement,
        sum(entrees_retour_inactivite) filter (where couvert) as entrees_retour_inactivite,
        sum(transferts_entrants) filter (where couvert) as transferts_entrants,
        sum(sorties_logement) filter (where couvert) as sorties_logement,
        sum(sorties_inactivite) filter (where couvert) as sorties_inactivite,
        sum(transferts_sortants) filter (where couvert) as transferts_sortants,
        sum(actifs - actifs_debut) filter (where couvert) as solde_actifs,
        bool_or(couvert and periode = annee || '-12') as couvert_decembre,
        bool_or(couvert and periode = annee || '-01') as couvert_janvier
    from grille_mois
    group by territoire_type, territoire_code, annee
),
grille as (
    select territoire_type, territoire_code, periode, couvert, couvert as couvert_actifs,
        couvert as couvert_actifs_debut, actifs, actifs_debut, entrees_nouveaux, entrees_retour_logement,
        entrees_retour_inactivite, transferts_entrants, sorties_logement, sorties_inactivite, transferts_sortants,
        actifs - actifs_debut as solde_actifs
    from grille_mois
    union all
    select territoire_type, territoire_code, periode, couvert, couvert_decembre, couvert_janvier,
        actifs, actifs_debut, entrees_nouveaux, entrees_retour_logement, entrees_retour_inactivite,
        transferts_entrants, sorties_logement, sorties_inactivite, transferts_sortants, solde_actifs
    from grille_annees
),
a_depivoter as (
    select territoire_type, territoire_code, periode, couvert, couvert_actifs, couvert_actifs_debut,
            actifs as "ACTIFS", actifs_debut as "ACTIFS_DEBUT", entrees_nouveaux as "ENTREES_NOUVEAUX",
            entrees_retour_logement as "ENTREES_RETOUR_LOGEMENT",
            entrees_retour_inactivite as "ENTREES_RETOUR_INACTIVITE",
            transferts_entrants as "TRANSFERTS_ENTRANTS", sorties_logement as "SORTIES_LOGEMENT",
            sorties_inactivite as "SORTIES_INACTIVITE", transferts_sortants as "TRANSFERTS_SORTANTS",
            solde_actifs as "SOLDE_ACTIFS"
    from grille
),
longue as (
    select *
    from a_depivoter
    unpivot include nulls (
        n for indicateur in ("ACTIFS", "ACTIFS_DEBUT", "ENTREES_NOUVEAUX", "ENTREES_RETOUR_LOGEMENT",
                             "ENTREES_RETOUR_INACTIVITE", "TRANSFERTS_ENTRANTS", "SORTIES_LOGEMENT",
                             "SORTIES_INACTIVITE", "TRANSFERTS_SORTANTS", "SOLDE_ACTIFS")
    )
),
registre as (
    select
        indicateur,
        territoire_type,
        territoire_code,
        periode,
        case indicateur
            when 'ACTIFS' then couvert_actifs
            when 'ACTIFS_DEBUT' then couvert_actifs_debut
            else couvert
        end as couvert,
        cast(n as double) as valeur_calculee,
        cast(n as double) as numerateur,
        cast(null as double) as denominateur
    from longue
),
cas as (
    select *, strftime(jour, '%Y') as annee from intermediate.ledger_sorties
),
cas_territoires as (
    -- each case in the territories of its place: by commune, else by a Département SIAO contained whole
    select cas.*, p.territoire_type, p.territoire_code
    from cas
    inner join reference.perimetres as p on p.code_commune = cas.commune
    union all
    select cas.*, td.territoire_type, td.territoire_code
    from cas
    inner join territoires_departements as td on td.code_departement = cas.departement and td.entier
    where cas.commune is null
),
annees_departements as (
    select distinct departement, annee from staging.siao_couverture
),
couverts_annees as (
    select distinct td.territoire_type, td.territoire_code, a.annee
    from territoires_departements as td
    inner join annees_departements as a on a.departement = td.code_departement
),
annees as (
    select distinct annee from mois
),
grille_annuelle as (
    select territoires.territoire_type, territoires.territoire_code, annees.annee as periode,
        couverts_annees.annee is not null as couvert,
        couverts.mois is not null as couvert_decembre
    from territoires
    cross join annees
    left join couverts_annees
        on couverts_annees.territoire_type = territoires.territoire_type
        and couverts_annees.territoire_code = territoires.territoire_code
        and couverts_annees.annee = annees.annee
    left join couverts
        on couverts.territoire_type = territoires.territoire_type
        and couverts.territoire_code = territoires.territoire_code
        and couverts.mois = annees.annee || '-12'
),
episodes as (
    -- episodes ended by housing, whose place's département has a file in the year
    select c.territoire_type, c.territoire_code, c.annee as periode, count(*) as cas,
        quantile_disc(c.jours, 0.5) as mediane
    from cas_territoires as c
    inner join annees_departements as a on a.departement = c.departement and a.annee = c.annee
    where c.mesure = 'episode'
    group by all
),
longues as (
    -- in T at 31/12 (December's perimeter: a file for December and November) for more than 365 days
    select c.territoire_type, c.territoire_code, c.annee as periode, count(*) as n
    from cas_territoires as c
    inner join departements_mois as dm on dm.departement = c.departement and dm.mois = c.annee || '-12'
    where c.mesure = 'longue_duree' and c.jours > 365
    group by all
),
series as (
    -- for each month with a file of a département, the last month of its run of consecutive months with a file
    select departement, mois, max(mois) over (partition by departement, serie) as fin_serie
    from (
        select departement, mois,
            year(cast(mois || '-01' as date)) * 12 + month(cast(mois || '-01' as date))
                - row_number() over (partition by departement order by mois) as serie
        from couverture
    )
),
fenetres as (
    select * from (values ('RETOUR_0_6M', 14, 180), ('RETOUR_6_12M', 180, 365), ('RETOUR_12_24M', 365, 730))
        as f(indicateur, apres, jusqua)
),
cohortes as (
    -- the first housing exits of the year whose place's département has a file in every month from the
    -- exit's month to the month of h + the window's end
    select f.indicateur, c.territoire_type, c.territoire_code, c.annee as periode,
        count(*) as cohorte,
        count(*) filter (where c.jours > f.apres and c.jours <= f.jusqua) as retours
    from cas_territoires as c
    cross join fenetres as f
    inner join series as s on s.departement = c.departement and s.mois = strftime(c.jour, '%Y-%m')
    where c.mesure = 'retour' and s.fin_serie >= strftime(c.jour + f.jusqua, '%Y-%m')
    group by all
),
annuels as (
    select 'DUREE_EPISODE' as indicateur, g.territoire_type, g.territoire_code, g.periode, g.couvert,
        cast(e.mediane as double) as valeur_calculee, cast(coalesce(e.cas, 0) as double) as numerateur,
        cast(null as double) as denominateur
    from grille_annuelle as g
    left join episodes as e using (territoire_type, territoire_code, periode)
    union all
    select 'LONGUE_DUREE', g.territoire_type, g.territoire_code, g.periode, g.couvert_decembre,
        coalesce(l.n, 0), coalesce(l.n, 0), null
    from grille_annuelle as g
    left join longues as l using (territoire_type, territoire_code, periode)
    union all
    select f.indicateur, g.territoire_type, g.territoire_code, g.periode, g.couvert,
        100.0 * coalesce(c.retours, 0) / nullif(coalesce(c.cohorte, 0), 0), coalesce(c.retours, 0),
        coalesce(c.cohorte, 0)
    from grille_annuelle as g
    cross join fenetres as f
    left join cohortes as c
        on c.indicateur = f.indicateur
        and c.territoire_type = g.territoire_type
        and c.territoire_code = g.territoire_code
        and c.periode = g.periode
)
select
    indicateur,
    territoire_type,
    territoire_code,
    periode,
    couvert,
    valeur_calculee,
    numerateur,
    denominateur,
    cast(null as double) as part_non_localisable,
    'siao' as source
from (select * from registre union all by name select * from annuels)
where territoire_type <> 'epci' or (length(periode) = 4 and couvert)
order by indicateur, territoire_type, territoire_code, periode
