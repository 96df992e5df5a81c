"""A build killed with SIGKILL part-way leaves every output either old or new, and the next build repairs it.

Setup (once per module): a copy of the session's build with the committed configuration ("old"); then the
inputs of every step are changed (a region is added, ``grid_nearest_max_m`` is lowered and the last
respondent of the synthetic 2019 client survey is dropped), and a clean build of the changed inputs in a
second directory gives the expected "new" bytes.

The working directory then goes through a chain of builds that are killed with SIGKILL: right after
each step of ``analysis.workflow.STEPS`` announces itself on stdout ("running <step>"), and once inside
the surveys step at a deterministic point (between the complete temporary file of ``surveys.meta.json``
and its ``os.replace``). The kills come in step order, so at each kill the steps before it have just
been rerun and the steps from it on still hold the old outputs. After each kill every visible file in
``processed/`` must be the complete old or the complete new version; the only other files allowed are
the hidden ``.<name>.<random>.tmp`` files of ``analysis.core.files.atomic_path``. A last, uninterrupted build
must succeed and reproduce the clean new build byte for byte. (The chain shares one repair build among
the kill points; each build after a kill must also get through every step before its own kill point.)

Two further faults that once broke later builds are tested in test_faults_state.py (on a worker of their own
under ``make test``).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from analysis.report import freeze
from analysis.workflow import STEPS
from conftest import CONFIG, ROOT, clone_built, copy_committed_data, gino

NEW_REGION = '  sodra_lappland:\n    name: Södra Lappland\n    kommuner: ["2425", "2462", "2463"]\n'
SURVEY_FILE = "raw/synthetic/client_survey_2019_synthetic.csv"
TEMP_FILE = re.compile(r"\.(?P<dest>.+)\.[A-Za-z0-9_]{8}\.tmp")  # tempfile.mkstemp(prefix=".<name>.", suffix=".tmp")
# Kill inside the surveys step after the temporary meta file is complete, before it replaces the old one.
INJECTED = ("before-replace", "surveys.meta.json")

# Runs the CLI's build with one fault injected; the process kills itself with SIGKILL (no cleanup runs).
LAUNCHER = r"""
import os, runpy, signal, sys
from pathlib import Path

where, name = sys.argv[1], sys.argv[2]
if where in ("before-replace", "after-replace"):
    real_replace = os.replace

    def replace(src, dst, *args, **kwargs):
        hit = Path(dst).name == name and Path(dst).parent.name == "processed"
        if hit and where == "before-replace":
            os.kill(os.getpid(), signal.SIGKILL)
        real_replace(src, dst, *args, **kwargs)
        if hit and where == "after-replace":
            os.kill(os.getpid(), signal.SIGKILL)

    os.replace = replace
elif where == "state-dump":
    from doit import dependency

    def dump(self):
        open(self.name, "w").close()  # JsonDB.dump opens the state file for writing (truncating it) first
        os.kill(os.getpid(), signal.SIGKILL)

    dependency.JsonDB.dump = dump
sys.argv = ["analysis", "build", "--verbose"]
runpy.run_module("analysis", run_name="__main__", alter_sys=True)
"""


def env_for(data: Path, config: Path) -> dict[str, str]:
    return {**os.environ, "GINO_DATA_DIR": str(data), "GINO_CONFIG_DIR": str(config), "COLUMNS": "120",
            "PYTHONUNBUFFERED": "1"}


def copy_config(dest: Path) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for path in (CONFIG).glob("*.yaml"):
        shutil.copy2(path, dest / path.name)
    return dest


def change_inputs(data: Path, config: Path) -> None:
    """Change an input of every step so that each rewrites at least one output with different bytes."""
    with open(config / "regions.yaml", "a", encoding="utf-8") as fh:  # municipalities, region_facts
        fh.write(NEW_REGION)
    pipeline = config / "pipeline.yaml"  # population_grid: coastal cells far from every kommun are dropped
    text, n = re.subn(r"(?m)^grid_nearest_max_m:.*$", "grid_nearest_max_m: 500", pipeline.read_text(encoding="utf-8"))
    assert n == 1, "config/pipeline.yaml has no grid_nearest_max_m"
    pipeline.write_text(text, encoding="utf-8")
    survey = data / SURVEY_FILE  # surveys, survey_figures, disclosure
    lines = survey.read_text(encoding="utf-8").splitlines(keepends=True)
    survey.write_text("".join(lines[:-1]), encoding="utf-8")


def listing(data: Path) -> tuple[dict[str, bytes], list[str]]:
    """Visible files of processed/ with their bytes, and the names of hidden files."""
    visible, hidden = {}, []
    for path in sorted((data / "processed").iterdir()):
        assert path.is_file(), f"unexpected directory {path.name} in processed/"
        if path.name.startswith("."):
            hidden.append(path.name)
        else:
            visible[path.name] = path.read_bytes()
    return visible, hidden


def steps_run(lines: list[str]) -> list[str]:
    return [line.split()[1] for line in lines if line.strip().startswith("running")]


def source_fingerprint() -> str:
    """Concurrent edits of the analysis code during the test would change the expected bytes."""
    digest = hashlib.sha256()
    for path in sorted(ROOT.glob("analysis/**/*.py")):
        digest.update(path.as_posix().encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()


def run_until(args: list[str], data: Path, config: Path, trigger: tuple[str, str] | None,
              timeout: float = 180) -> tuple[int, list[str]]:
    """Run a build, SIGKILL it as soon as it prints ``<event> <step>`` (if given); return code and stdout lines."""
    proc = subprocess.Popen(args, cwd=ROOT, env=env_for(data, config), stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, text=True)
    watchdog = threading.Timer(timeout, proc.kill)
    watchdog.start()
    lines: list[str] = []
    try:
        for line in proc.stdout:
            lines.append(line.rstrip("\n"))
            if trigger and line.split()[:2] == list(trigger):
                os.kill(proc.pid, signal.SIGKILL)
                break
    finally:
        watchdog.cancel()
        proc.stdout.close()
        proc.wait()
    return proc.returncode, lines


def cli() -> list[str]:
    return [sys.executable, "-m", "analysis", "build", "--verbose"]


def injected(where: str, name: str) -> list[str]:
    return [sys.executable, "-c", LAUNCHER, where, name]


@dataclass
class Snapshot:
    label: str
    returncode: int
    log: list[str]
    visible: dict[str, bytes]
    hidden: list[str]
    hidden_bytes: dict[str, bytes] = field(default_factory=dict)
    seconds: float = 0.0
    fingerprint: str = ""  # analysis.report.freeze's fingerprint of the data directory after this build


@dataclass
class Builds:
    root: Path
    work: Path
    config: Path
    ref: Path
    old: dict[str, bytes]
    new: dict[str, bytes]
    outputs: dict[str, list[str]]  # step -> output file names
    sources: str
    timings: dict[str, float] = field(default_factory=dict)

    def restore(self) -> None:
        """Put the old, completely built working directory back (same path, so the doit state stays valid)."""
        shutil.rmtree(self.root / "work")
        shutil.copytree(self.root / "pristine", self.root / "work", symlinks=True)  # copy2 keeps mtimes

    def old_or_new(self, snap: Snapshot) -> None:
        """Assertion (a): each visible output is the complete old or new file; hidden files are temp files."""
        assert sorted(snap.visible) == sorted(self.old), f"{snap.label}: the set of outputs changed"
        for name, content in snap.visible.items():
            assert content in (self.old[name], self.new[name]), (
                f"{snap.label}: {name} is neither the old ({len(self.old[name])} B) nor the new "
                f"({len(self.new[name])} B) version but {len(content)} B")
        for name in snap.hidden:
            match = TEMP_FILE.fullmatch(name)
            assert match and match["dest"] in self.old, f"{snap.label}: unexpected hidden file {name}"

    def counts(self, visible: dict[str, bytes]) -> str:
        changed = [n for n in self.old if self.old[n] != self.new[n]]
        new = sum(visible[n] == self.new[n] for n in changed)
        return f"{new}/{len(changed)} changed outputs new"


@pytest.fixture(scope="module")
def builds(tmp_path_factory, built, mirror) -> Builds:
    root = tmp_path_factory.mktemp("faults")
    sources = source_fingerprint()
    timings = {}

    config = copy_config(root / "work" / "config")
    work = clone_built(built, root / "work" / "data", config=config)  # the old build: the session's, current here
    old, hidden = listing(work)
    assert not hidden
    shutil.copytree(root / "work", root / "pristine", symlinks=True)

    ref, ref_config = copy_committed_data(root / "ref" / "data"), copy_config(root / "ref" / "config")
    gino("fetch", "--mirror", str(mirror), data_dir=ref)
    change_inputs(ref, ref_config)
    t0 = time.perf_counter()
    gino("build", data_dir=ref, extra_env={"GINO_CONFIG_DIR": str(ref_config)})
    timings["clean new build"] = time.perf_counter() - t0
    new, hidden = listing(ref)
    assert not hidden and sorted(new) == sorted(old)

    outputs = {name: [p.name for p in step.outputs()] for name, step in STEPS.items()}
    changed_steps = [s for s, names in outputs.items() if any(old[n] != new[n] for n in names)]
    assert len(changed_steps) >= 4, f"the changed inputs alter the outputs of only {changed_steps}"
    return Builds(root, work, config, ref, old, new, outputs, sources, timings)


@pytest.fixture(scope="module")
def chain(builds) -> dict[str, Snapshot]:
    """The chain of killed builds on the changed inputs, then an uninterrupted build; snapshots by label."""
    builds.restore()
    change_inputs(builds.work, builds.config)
    plan: list[tuple[str, list[str], tuple[str, str] | None]] = []
    for step in STEPS:
        plan.append((f"kill-at-{step}", cli(), ("running", step)))
        if step == "surveys":
            plan.append((f"kill-{INJECTED[0]}-{INJECTED[1]}", injected(*INJECTED), None))
    plan.append(("final", cli(), None))

    snaps = {}
    for label, args, trigger in plan:
        t0 = time.perf_counter()
        code, log = run_until(args, builds.work, builds.config, trigger)
        visible, hidden = listing(builds.work)
        hidden_bytes = {n: (builds.work / "processed" / n).read_bytes() for n in hidden}
        snaps[label] = Snapshot(label, code, log, visible, hidden, hidden_bytes, time.perf_counter() - t0,
                                freeze.data_fingerprint(ROOT, builds.work))
        print(f"{label}: exit {code}, {time.perf_counter() - t0:.1f} s, {builds.counts(visible)}, "
              f"hidden {hidden}, ran {steps_run(log)}")
    return snaps


@pytest.mark.parametrize("step", list(STEPS), ids=lambda s: f"kill-at-{s}")
def test_sigkill_when_a_step_starts_leaves_old_or_new_outputs(builds, chain, step):
    snap = chain[f"kill-at-{step}"]
    assert snap.returncode == -signal.SIGKILL, f"the build ended before 'running {step}':\n" + "\n".join(snap.log)
    builds.old_or_new(snap)
    # The killed build got through every step it ran before this one (today all of them: a killed build
    # saves no doit state, so each build reruns the steps an earlier kill had completed), and the
    # outputs of the steps before this one are the new versions.
    before = list(STEPS)[:list(STEPS).index(step)]
    ran = steps_run(snap.log)
    assert ran[-1] == step and set(ran[:-1]) <= set(before), snap.log
    for earlier in ran[:-1]:
        assert any(line.split()[:2] == ["done", earlier] for line in snap.log), snap.log
    for earlier in before:
        for name in builds.outputs[earlier]:
            assert snap.visible[name] == builds.new[name], f"{name} of the completed step {earlier} is not new"


def test_sigkill_inside_a_step_leaves_a_hidden_complete_temp_file(builds, chain):
    where, name = INJECTED
    snap = chain[f"kill-{where}-{name}"]
    assert snap.returncode == -signal.SIGKILL, "\n".join(snap.log)
    builds.old_or_new(snap)
    assert builds.old[name] != builds.new[name]
    assert snap.visible[name] == builds.old[name], f"{name} was replaced before the kill"
    temps = [h for h in snap.hidden if TEMP_FILE.fullmatch(h)["dest"] == name]
    assert len(temps) == 1 and snap.hidden_bytes[temps[0]] == builds.new[name]
    # Outputs the step had already moved into place are new: the step's outputs are mixed, file by file.
    step_outputs = builds.outputs["surveys"]
    written = step_outputs[:step_outputs.index(name)]
    assert all(snap.visible[n] == builds.new[n] for n in written)


def test_build_after_the_kills_completes_and_equals_a_clean_build(builds, chain):
    final = chain["final"]
    if source_fingerprint() != builds.sources:
        pytest.skip("analysis/ was edited while the test ran; the clean reference no longer applies")
    assert final.returncode == 0, "\n".join(final.log)
    assert any("build:" in line for line in final.log)
    assert final.visible.keys() == builds.new.keys()
    for name, content in final.visible.items():
        assert content == builds.new[name], f"{name} differs from the clean build"
    # Temporary files of killed builds stay behind, hidden; nothing that reads processed/ sees them.
    assert all(TEMP_FILE.fullmatch(h) for h in final.hidden)
    assert final.fingerprint == freeze.data_fingerprint(ROOT, builds.ref)
