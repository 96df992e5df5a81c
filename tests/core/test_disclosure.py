"""The disclosure audit: every published sub-group table is checked cell by cell, and the build fails on a leak."""

from __future__ import annotations

import shutil

import pandas as pd
import pytest

from analysis.core import disclosure
from analysis.core.errors import GinoError, ManyInputErrors
from analysis.report.publications import audit
from conftest import CONFIG, ROOT


def test_a_table_with_a_small_cell_fails_the_audit():
    cells = pd.DataFrame({"table": "t", "group": ["Malå", "Malå", disclosure.MERGED, disclosure.ALL],
                          "cell": ["positive", "other", "positive", "dont_know"], "n": [7, 3, 0, 2]})
    flagged = audit(cells, threshold=5)
    assert flagged[["group", "cell", "n"]].values.tolist() == [["Malå", "other", 3]]  # zero and region total pass


def test_a_unanimous_group_fails_the_audit_but_a_unanimous_region_does_not():
    """Åsele: 0 of 6 'Bra' tells every member's answer; a one-cell table (respondents) cannot be unanimous."""
    cells = pd.DataFrame({"table": ["t"] * 6 + ["r"], "group": ["Åsele"] * 3 + [disclosure.ALL] * 3 + ["Åsele"],
                          "cell": ["positive", "other", "dont_know"] * 2 + ["respondents"], "n": [0, 6, 0, 0, 90, 0, 6]})
    flagged = audit(cells, threshold=5)
    assert flagged[["group", "cell", "n", "problem"]].values.tolist() == [["Åsele", "other", 6, "unanimous"]]


def test_protect_hides_unanimous_groups_and_forced_groups():
    counts = pd.DataFrame({"yes": [0, 6, 7, 8], "no": [6, 6, 7, 8]}, index=["a", "b", "c", "d"])
    hidden = disclosure.protect(counts)  # a is unanimous; merged alone it still is, so b (smallest) joins
    assert hidden.to_dict() == {"a": True, "b": True, "c": False, "d": False}
    assert disclosure.protect(counts, forced=["d"]).to_dict() == {"a": True, "b": False, "c": False, "d": True}
    # a unanimous merged row that holds every group is the regional total: nothing more to merge
    assert disclosure.protect(pd.DataFrame({"yes": [6, 9], "no": [0, 0]})).all()
    assert not disclosure.protect(pd.DataFrame({"n": [6, 9]})).any(), "one cell: no unanimity"


def test_the_built_publications_pass_the_audit(built):
    audit_table = pd.read_csv(built / "processed" / "disclosure_audit.csv")
    assert not audit(audit_table, threshold=5).shape[0]
    tables = set(audit_table["table"])
    assert any("by role" in t for t in tables) and any("respondents by municipality" in t for t in tables)
    assert any("travel_distance by municipality" in t for t in tables)
    assert (audit_table["threshold"] == 5).all()


def test_publishing_without_protection_fails_the_disclosure_step(built, monkeypatch):
    """With merging switched off, the small municipalities would be shown: the step refuses and writes nothing."""
    from analysis.steps import disclosure as step

    monkeypatch.setenv("GINO_DATA_DIR", str(built))
    monkeypatch.setattr(disclosure, "protect", lambda counts, threshold=5, forced=None: pd.Series(False, index=counts.index))
    before = (built / "processed" / "disclosure_audit.csv").read_bytes()
    with pytest.raises(ManyInputErrors) as exc:
        step.run()
    assert all(line.startswith("disclosure: table '") for line in exc.value.problems)
    assert any("expected 0 or at least 5 respondents" in line for line in exc.value.problems)
    assert any("expected the group's answers in at least two cells" in line for line in exc.value.problems)
    assert any("respondents by municipality" in line and "'Sorsele'" in line for line in exc.value.problems)
    # the feedback documents put each municipality beside the region: the rest of the region is audited too
    assert any("rest of the survey beside a municipality" in line for line in exc.value.problems)
    assert any(line.startswith("disclosure: table 'innovation_climate_2017: state_") for line in exc.value.problems)
    assert (built / "processed" / "disclosure_audit.csv").read_bytes() == before


def test_threshold_is_configuration(tmp_path, monkeypatch):
    config = tmp_path / "config"
    shutil.copytree(CONFIG, config)
    monkeypatch.setenv("GINO_CONFIG_DIR", str(config))
    (config / "disclosure.yaml").write_text("threshold: 10\n")
    assert disclosure.configured_threshold() == 10
    (config / "disclosure.yaml").write_text("threshold: five\n")
    with pytest.raises(GinoError, match="key 'threshold': value 'five'; expected a whole number, not text"):
        disclosure.configured_threshold()
