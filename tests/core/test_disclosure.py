"""The disclosure audit: every published sub-group table is checked cell by cell, and the build fails on a leak."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.core import disclosure
from analysis.core.errors import GinoError, ManyInputErrors
from conftest import CONFIG, ROOT


def test_protect_hides_unanimous_groups_and_forced_groups():
    counts = pd.DataFrame({"yes": [0, 6, 7, 8], "no": [6, 6, 7, 8]}, index=["a", "b", "c", "d"])
    hidden = disclosure.protect(counts)  # a is unanimous; merged alone it still is, so b (smallest) joins
    assert hidden.to_dict() == {"a": True, "b": True, "c": False, "d": False}
    assert disclosure.protect(counts, forced=["d"]).to_dict() == {"a": True, "b": False, "c": False, "d": True}
    # a unanimous merged row that holds every group is the regional total: nothing more to merge
    assert disclosure.protect(pd.DataFrame({"yes": [6, 9], "no": [0, 0]})).all()
    assert not disclosure.protect(pd.DataFrame({"n": [6, 9]})).any(), "one cell: no unanimity"


def test_the_build_writes_the_plan_the_ranges_and_the_checkers_summary(built):
    audit_table = pd.read_csv(built / "processed" / "disclosure_audit.csv", dtype={"municipality": str})
    assert (audit_table["threshold"] == 5).all()
    # Sorsele 2018 (Kolada: 1–4 respondents) is hidden everywhere, and nothing published pins any of its answer
    # cells to 1–4: each can still be 0
    sorsele = audit_table[(audit_table["survey"] == "client_survey_2018") & (audit_table["municipality"] == "2422")]
    assert len(sorsele) == 9 * 3 and (sorsele["derivable_low"] == 0).all()
    summary = pd.read_csv(built / "processed" / "output_checks.csv")
    assert {"shown", "hidden"} == set(summary["status"])
    assert set(summary["reason"].dropna()) <= {"deltog inte", "för få svar (Kolada redovisar inte)", "dold (röjandeskydd)"}


def test_publishing_under_the_old_rules_fails_the_disclosure_step(built, monkeypatch):
    """The plan the rules before the audit chose (merged rows, exact totals over everyone) leaks Sorsele's 3
    respondents: the step refuses with one line per breach naming the documents, and writes nothing."""
    from analysis.report import audit, plan as old, protection
    from analysis.steps import disclosure as step

    monkeypatch.setenv("GINO_DATA_DIR", str(built))

    def old_rules(frames, codebooks, public, threshold, comparison=None):
        before = old.current_plan(frames, codebooks)
        return before, protection.audit_plan(frames, codebooks, public, before, threshold, comparison), []

    monkeypatch.setattr(audit.protection, "audited_plan", old_rules)
    before = (built / "processed" / "disclosure_plan.json").read_bytes()
    with pytest.raises(ManyInputErrors) as exc:
        step.run()
    lines = exc.value.problems
    assert all(line.startswith("disclosure: ") for line in lines)
    assert any("municipality 2422, respondents n: narrowed (true 3" in line and "notebooks/01-data.ipynb" in line
               for line in lines), "\n".join(lines)
    assert any(": unanimous (" in line for line in lines) and any(": count (" in line for line in lines)
    assert (built / "processed" / "disclosure_plan.json").read_bytes() == before


def test_threshold_is_configuration(tmp_path, monkeypatch):
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    monkeypatch.setenv("GINO_CONFIG_DIR", str(config))
    (config / "disclosure.yaml").write_text("threshold: 10\n")
    assert disclosure.configured_threshold() == 10
    (config / "disclosure.yaml").write_text("threshold: five\n")
    with pytest.raises(GinoError, match="key 'threshold': value 'five'; expected a whole number, not text"):
        disclosure.configured_threshold()
