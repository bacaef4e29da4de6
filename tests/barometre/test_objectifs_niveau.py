"""Local targets on a level (a stock such as ACTIFS, a rate): the latest published year against the
target, on hand-made series whose answer is computed by hand."""

from datetime import date

from observatoire_commun.format import NBSP
from observatoire_commun.objectifs import niveau, phrase, phrase_ligne, points, suivre

CIBLE = date(2030, 12, 1)
ACTIFS = [("2022", 500.0, "ok"), ("2023", 480.0, "ok"), ("2024", 470.0, "ok"), ("2025", 440.0, "ok"),
          ("2025-12", 440.0, "ok")]


def test_a_stock_must_fall_to_its_target():
    # start 2022 (the year before 2023): 500; latest year 2025: 440; 100 − 440 = −340 in 60 months
    t = niveau(ACTIFS, 100.0, CIBLE, 2023)
    assert (t.depart, t.derniere_annee, t.cumul, t.ecart, t.mois_restants) == (500.0, 2025, 440.0, -340.0, 60)
    assert round(t.rythme_mensuel, 4) == round(-340 / 60, 4)
    assert phrase(t, "ménages") == (
        "Cible : 100 ménages fin décembre 2030 ; valeur publiée par l'observatoire pour 2025 : 440 ménages : "
        "il faut la réduire de 340 ménages en 60 mois, soit 5,7 de moins par mois."
    )


def test_a_level_past_its_target_in_the_right_direction_is_reached():
    t = niveau([("2022", 500.0, "ok"), ("2025", 90.0, "ok")], 100.0, CIBLE, 2023)
    assert phrase(t, "ménages").endswith("valeur publiée par l'observatoire pour 2025 : 90 ménages : cible atteinte.")
    # the same value with a start below the target: the series must rise, 90 < 100 is not reached
    monte = niveau([("2022", 50.0, "ok"), ("2025", 90.0, "ok")], 100.0, CIBLE, 2023)
    assert "cible atteinte" not in phrase(monte, "ménages")
    assert "il faut l'augmenter de 10 ménages en 60 mois, soit 0,2 de plus par mois." in phrase(monte, "ménages")


def test_a_secret_latest_year_leaves_the_gap_unknown():
    t = niveau([("2022", 500.0, "ok"), ("2024", 470.0, "ok"), ("2025", None, "secret")], 100.0, CIBLE, 2023)
    assert (t.cumul, t.ecart, t.rythme_mensuel) == (None, None, None)
    assert phrase(t, "ménages") == ("Cible : 100 ménages fin décembre 2030. Valeur de l'observatoire inconnue "
                                    "(dernière année 2025 secrète) : écart et rythme non calculés.")


def test_a_rate_target_is_written_in_percent_and_points():
    ligne = {"indicateur": "TX_ATTR_SD", "valeur_cible": 30.0, "date_cible": CIBLE, "nature": "niveau",
             "date_initiale": date(2022, 12, 1), "valeur_initiale": None, "source": "objectif local",
             "libelle": "Part des attributions"}
    rows = [("2022", 20.0, "ok"), ("2025", 24.5, "ok")]
    assert phrase_ligne(ligne, rows, "attributions à des ménages sans domicile", "%") == (
        f"Cible : 30,0{NBSP}% fin décembre 2030 ; valeur publiée par l'observatoire pour 2025 : 24,5{NBSP}% : "
        "il faut l'augmenter de 5,5 points en 60 mois, soit 0,1 de plus par mois."
        " (objectif local, TX_ATTR_SD : Part des attributions)"
    )


def test_level_points_are_the_yearly_values_with_gaps():
    t = suivre({"indicateur": "ACTIFS", "valeur_cible": 100.0, "date_cible": CIBLE, "nature": "niveau",
                "date_initiale": date(2022, 12, 1), "valeur_initiale": None},
               [("2022", 500.0, "ok"), ("2023", None, "secret"), ("2024", 470.0, "ok")])
    x, y = points(t, [("2022", 500.0, "ok"), ("2023", None, "secret"), ("2024", 470.0, "ok")])
    assert x == [date(2022, 12, 31), date(2023, 12, 31), date(2024, 12, 31)]
    assert y == [500.0, None, 470.0]


def test_level_chart_draws_the_published_values_and_the_line_from_the_start():
    from observatory_app.objectifs import figure

    t = niveau(ACTIFS, 100.0, CIBLE, 2023)
    fig = figure(t, ACTIFS, "Ménages actifs : valeur annuelle et cible", "note", 0.0, "Observatoire (ACTIFS)", "ménages")
    observatoire, cible = fig.data
    assert list(observatoire.y) == [500.0, 480.0, 470.0, 440.0]          # 2022 … 2025, never cumulated
    assert list(cible.y) == [500.0, 100.0] and cible.line.dash == "dash"  # from the 2022 value to the target
    assert [str(x) for x in cible.x] == ["2022-12-31", "2030-12-31"]
