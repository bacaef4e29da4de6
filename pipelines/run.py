"""Run every asset of the code location in process (what `observatoire run` and `demo` do), recorded
in the persistent Dagster instance that `observatoire ui` shows."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import dagster as dg

from pipelines import run_state
from pipelines.config import Settings
from pipelines.resources import PSEUDO_KEY_ENV, shared_connections

#: Written into a Dagster home this project creates: the observatory works offline.
INSTANCE_CONFIG = "telemetry:\n  enabled: false\n"


@dataclass
class RunResult:
    success: bool
    errors: list[str] = field(default_factory=list)
    failed_checks: list[str] = field(default_factory=list)
    #: The run's id in the Dagster instance.
    run_id: str | None = None
    #: Nothing new since the last successful run: no asset ran (`run_state`), the run only recorded that.
    nothing_new: bool = False


SLOWEST_STEPS = 12


def step_durations(instance: dg.DagsterInstance, run_id: str) -> dict[str, float]:
    """Seconds from the start to the end of each step of a run (from the instance's step stats)."""
    return {
        stats.step_key: stats.end_time - stats.start_time
        for stats in instance.get_run_step_stats(run_id)
        if stats.start_time is not None and stats.end_time is not None
    }


def open_instance(home: Path) -> dg.DagsterInstance:
    """The persistent Dagster instance in `home` (created with telemetry off if it does not exist; an
    existing `dagster.yaml` is left as it is). The same folder is `DAGSTER_HOME` for `observatoire ui`."""
    home = Path(home).resolve()
    if not (home / "dagster.yaml").exists() and not (home.exists() and any(home.iterdir())):
        home.mkdir(parents=True, exist_ok=True)
        (home / "dagster.yaml").write_text(INSTANCE_CONFIG, encoding="utf-8")
    return dg.DagsterInstance.from_config(str(home))


@contextmanager
def key_in_environment(key: str | None) -> Iterator[None]:
    """The pseudonymisation key in `OBSERVATOIRE_PSEUDO_KEY` for the duration of the run: Dagster reads it
    there (`dg.EnvVar`), so that its value is never part of a configuration the instance stores."""
    before = os.environ.get(PSEUDO_KEY_ENV)
    if key:
        os.environ[PSEUDO_KEY_ENV] = key
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(PSEUDO_KEY_ENV, None)
        else:
            os.environ[PSEUDO_KEY_ENV] = before


#: The job a run with nothing new executes instead of `observatoire_run` (`run_state`).
NOTHING_NEW_JOB = "observatoire_rien_de_nouveau"


@dg.op(name="rien_de_nouveau", config_schema={"empreinte": str, "derniere_execution": str, "publication": str},
       description="Constate que rien n'a changé depuis la dernière exécution réussie : aucun asset n'est "
                   "reconstruit, le fichier de publication est laissé tel quel.")
def nothing_new_op(context):  # noqa: ANN001 (dagster reads the annotation: a string here)
    config = context.op_config
    context.log.info(f"rien de nouveau depuis l'exécution {config['derniere_execution']} : "
                     f"{config['publication']} inchangé")
    return dg.Output(None, metadata={
        "empreinte des entrées": config["empreinte"],
        "dernière exécution complète": config["derniere_execution"],
        "fichier de publication (inchangé)": dg.MetadataValue.path(config["publication"]),
    })


@dg.job(name=NOTHING_NEW_JOB, description="Ce que fait `observatoire run` quand rien n'est nouveau (mêmes fichiers "
        "déposés, même code, mêmes données de référence, même jour) : rien, sinon l'enregistrer.")
def nothing_new_job() -> None:
    nothing_new_op()


def _record_nothing_new(settings: Settings, previous: dict, fingerprint: str,
                        log: Callable[[str], None]) -> RunResult:
    with open_instance(settings.instance_home) as instance:
        config = {"empreinte": fingerprint, "derniere_execution": str(previous.get("run_id")),
                  "publication": str(settings.publication)}
        result = nothing_new_job.execute_in_process(
            instance=instance, raise_on_error=False, tags={"declencheur": "observatoire run"},
            run_config={"ops": {"rien_de_nouveau": {"config": config}},
                        "loggers": {"console": {"config": {"log_level": "WARNING"}}}})
    log(f"rien de nouveau depuis l'exécution {previous.get('run_id')} du {previous.get('enregistre_le')} "
        "(mêmes fichiers déposés, même code, mêmes données de référence, même jour) : aucun asset reconstruit, "
        f"fichier de publication inchangé ({settings.publication})")
    log(f"exécution {result.run_id} enregistrée dans l'instance Dagster {settings.instance_home}")
    errors = [] if result.success else ["rien_de_nouveau : l'enregistrement de l'exécution a échoué"]
    return RunResult(result.success, errors, [], result.run_id, nothing_new=True)


def run_all(settings: Settings, log: Callable[[str], None] = print, force: bool = False) -> RunResult:
    """Materialise all assets (and run their checks) with resources built from `settings`, recorded in the
    Dagster instance `settings.instance_home`; when nothing is new since the last successful run (same
    inputs, outputs untouched: `run_state`) and not `force`, only record a run that says so."""
    fingerprint = run_state.input_fingerprint(settings)
    previous = None if force else run_state.last_run(settings, fingerprint)
    if previous is not None:
        return _record_nothing_new(settings, previous, fingerprint, log)
    run_state.forget(settings)  # kept again only if this run succeeds

    from assets.diffusion.fichier import clean_leftovers
    from pipelines.definitions import RUN_JOB, build_definitions

    for leftover in clean_leftovers(settings.publication):  # a run interrupted while swapping the file
        log(f"reste d'une exécution interrompue supprimé : {leftover}")
    with key_in_environment(settings.pseudo_key), open_instance(settings.instance_home) as instance:
        defs = build_definitions(settings)
        # The job leaves out the partitioned assets (the annual report, one partition per year): they run
        # by partition (`observatoire report`, the yearly schedule), not in the whole-pipeline run.
        job = defs.resolve_job_def(RUN_JOB)
        log(f"{len(job.asset_layer.executable_asset_keys)} assets à matérialiser")
        quiet = {"loggers": {"console": {"config": {"log_level": "WARNING"}}}}
        with shared_connections():  # one warehouse connection for the whole run, not one per asset
            result = job.execute_in_process(instance=instance, raise_on_error=False, run_config=quiet,
                                            tags={"declencheur": "observatoire run"})
        durations = step_durations(instance, result.run_id)
    errors = [
        f"{e.step_key}: {e.event_specific_data.error.message.strip()}"  # type: ignore[union-attr]
        for e in result.all_events
        if e.event_type == dg.DagsterEventType.STEP_FAILURE
    ]
    evaluations = [ev for ev in result.get_asset_check_evaluations() if not ev.passed]
    failed = [f"{ev.asset_key.to_user_string()}:{ev.check_name}" for ev in evaluations
              if ev.severity == dg.AssetCheckSeverity.ERROR]
    warnings = [f"{ev.asset_key.to_user_string()}:{ev.check_name}" for ev in evaluations
                if ev.severity != dg.AssetCheckSeverity.ERROR]
    materialised = {
        e.asset_key.to_user_string() for e in result.all_events if e.event_type == dg.DagsterEventType.ASSET_MATERIALIZATION
    }
    log(f"{len(materialised)} assets matérialisés, {len(errors)} en échec")
    log(f"exécution {result.run_id} enregistrée dans l'instance Dagster {settings.instance_home}")
    slowest = sorted(durations.items(), key=lambda kv: -kv[1])[:SLOWEST_STEPS]
    log("étapes les plus longues : " + ", ".join(f"{step} {seconds:.1f} s" for step, seconds in slowest))
    for check in failed:
        log(f"contrôle en échec : {check}")
    for check in warnings:
        log(f"avertissement (contrôle non bloquant, défaut signalé dans les données) : {check}")
    if result.success and not errors and not failed:
        run_state.record(settings, fingerprint, result.run_id)
    return RunResult(result.success and not errors, errors, failed, result.run_id)
