"""The pace needed to reach a target, on hand-made series whose answer is computed by hand."""

from datetime import date

from observatoire_commun.objectifs import mois_entre, phrase, trajectoire
from observatoire_commun.format import NBSP

CIBLE = date(2026, 12, 1)


def test_months_left():
    assert mois_entre(2024, CIBLE) == 24
    assert mois_entre(2025, CIBLE) == 12
    assert mois_entre(2026, CIBLE) == 0


def test_pace_from_two_whole_years():
    # 2023: 50 000, 2024: 40 000 → 90 000; 254 058 − 90 000 = 164 058 in 24 months = 6 835.75 a month
    t = trajectoire([("2023", 50_000.0, "ok"), ("2024", 40_000.0, "ok"), ("2022", 99.0, "ok")],
                    254_058.0, CIBLE, 2023)
    assert (t.cumul, t.ecart, t.mois_restants, t.rythme_mensuel) == (90_000.0, 164_058.0, 24, 6_835.75)
    assert phrase(t) == (
        f"Cible : 254{NBSP}058 personnes fin décembre 2026 ; l'observatoire en compte 90{NBSP}000 de 2023 à 2024 : "
        f"il reste 164{NBSP}058 personnes en 24 mois, soit 6{NBSP}836 par mois."
    )


def test_a_secret_year_makes_the_pace_unknown():
    t = trajectoire([("2023", None, "secret"), ("2024", 40.0, "ok")], 300.0, CIBLE, 2023)
    assert (t.cumul, t.ecart, t.rythme_mensuel) == (None, None, None)
    assert phrase(t) == ("Cible : 300 personnes fin décembre 2026. Trajectoire de l'observatoire inconnue "
                         "(année 2023 secrète) : écart et rythme non calculés.")


def test_an_absent_year_makes_the_pace_unknown():
    t = trajectoire([("2023", 10.0, "ok"), ("2025", 40.0, "ok")], 300.0, CIBLE, 2023)
    assert t.cumul is None and t.inconnu == "année 2024 absente"


def test_secret_and_absent_years_are_named():
    t = trajectoire([("2023", None, "secret"), ("2024", None, "secret"), ("2026", 1.0, "ok")], 300.0, CIBLE, 2023)
    assert t.inconnu == "années 2023, 2024 secrètes ; année 2025 absente"


def test_target_reached():
    t = trajectoire([("2023", 200.0, "ok"), ("2024", 150.0, "ok")], 300.0, CIBLE, 2023)
    assert t.ecart == -50.0 and t.rythme_mensuel is None
    assert phrase(t).endswith("de 2023 à 2024 : cible atteinte.")


def test_the_report_computes_targets_without_the_app():
    """Layering: the report (assets/) and the shared module never import the app (`observatory_app`)."""
    from pathlib import Path

    racine = Path(__file__).resolve().parents[2]
    fautifs = [f"{f.relative_to(racine)}: {ligne.strip()}"
               for f in [*(racine / "assets").rglob("*.py"), *(racine / "observatoire_commun").rglob("*.py")]
               for ligne in f.read_text(encoding="utf-8").splitlines()
               if ligne.lstrip().startswith(("import ", "from ")) and "observatory_app" in ligne]
    assert fautifs == []


def test_target_chart_is_on_a_time_axis():
    """The dashed line to the target runs from 1 January of the first year to the last day of the
    target month on a date axis, so its slope is to scale with the observatory's yearly points."""
    from observatory_app.objectifs import figure

    rows = [("2023", 50_000.0, "ok"), ("2024", 40_000.0, "ok"), ("2025", None, "secret")]
    fig = figure(trajectoire(rows, 254_058.0, CIBLE, 2023), rows, "titre", "note")
    assert fig.layout.xaxis.type == "date"
    observatoire, cible = fig.data
    assert list(observatoire.x) == [date(2023, 1, 1), date(2023, 12, 31), date(2024, 12, 31), date(2025, 12, 31)]
    assert list(observatoire.y) == [0.0, 50_000.0, 90_000.0, None]  # the secret year breaks the line
    assert list(cible.x) == [date(2023, 1, 1), date(2026, 12, 31)]
    assert list(cible.y) == [0.0, 254_058.0]
