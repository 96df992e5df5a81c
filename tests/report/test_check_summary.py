"""gino check's summary on hand-built comparisons: one consistent line per stage, failures only where they are errors."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.report.check_summary import summarise, survey_figures


def surveys(source: str) -> pd.DataFrame:
    return pd.DataFrame({
        "figure_id": ["a", "b", "c"], "published_value": ["8", "7", "64"], "rule": ["of_ten", "of_ten", "equal"],
        "computed": ["143/171", "134/172", "54"], "passed": ["True", "False", "False"],
        "kolada_conflict": ["", "strider mot Kolada U30449", ""], "data_source": [source] * 3, "source": ["s"] * 3,
    })


FACTS = pd.DataFrame({"figure_id": ["study_area_km2"], "published_value": ["41955"], "computed_value": [41955.95],
                      "comparison": ["approx"], "tolerance": [1], "passed": [True]})
KOLADA = pd.DataFrame({"year": ["2018"], "kommun": ["Dorotea"], "measure": ["contact"], "kpi_id": ["U30447"],
                       "kolada_value": ["88.9"], "survey": ["16/18"], "passed": ["True"]})


def test_synthetic_twin_must_reproduce_what_kolada_allows():
    line, failures = survey_figures(surveys("synthetic"))
    assert line == ("survey figures: 1 of 3 published in the GINO report reproduced on the synthetic twin; "
                    "1 conflict with Kolada's published values (b)")
    assert failures == ["published figure not reproduced: c: published 64 (equal), computed 54 on synthetic data"]


def test_real_exports_give_one_consistent_account_and_no_failure():
    line, failures = survey_figures(surveys("real"))
    assert line == ("survey figures: 1 of 3 published in the GINO report reproduced on the REAL survey exports; "
                    "1 conflict with Kolada's published values (b); 1 differ, which is information, not an error, "
                    "with real exports (another round or region)")
    assert failures == []


def test_summary_has_one_line_per_stage_and_full_tables():
    summary = summarise(["kommuner_boundaries: 290 kommuner"], FACTS, surveys("real"), KOLADA, [])
    assert [line.split(":")[0] for line in summary.lines] == ["raw snapshots", "region facts", "survey figures", "Kolada"]
    assert summary.failures == []
    titles = [title for title, _ in summary.details]
    assert titles[1] == "Published region facts (GINO report) against the pipeline"
    survey_table = dict(summary.details)["Published survey figures (GINO report) against the pipeline, on real survey data"]
    assert "conflict: Kolada" in survey_table and "143/171" in survey_table


def test_a_region_fact_not_reproduced_fails_on_real_data_too():
    facts = FACTS.assign(passed=[False], computed_value=[40000.0])
    summary = summarise([], facts, surveys("real"), KOLADA, [])
    assert summary.failures == ["published figure not reproduced: study_area_km2: published 41955, computed 40000.0 "
                                "(approx, tolerance 1)"]
    assert summary.lines[1] == "region facts: 0 of 1 published in the GINO report reproduced within their stated tolerance"


def test_raw_content_is_validated_again_only_when_snapshots_code_or_configuration_changed(built, tmp_path, monkeypatch):
    """The checksums are verified on every run; the content is read again only when what it was validated
    from changed, and a damaged record is ignored."""
    import shutil

    from analysis.report import checks, executed_notebooks

    data = tmp_path / "data"
    shutil.copytree(built, data)
    monkeypatch.setenv("GINO_DATA_DIR", str(data))
    first = checks.validate_raw()
    assert any(line.startswith("kommuner_boundaries: ") for line in first)
    validated = []
    real = checks._validate_content
    monkeypatch.setattr(checks, "_validate_content", lambda: validated.append(1) or real())
    assert checks.validate_raw() == first and validated == []
    monkeypatch.setattr(executed_notebooks, "shared_fingerprint", lambda: "changed code")
    assert checks.validate_raw() == first and validated == [1]
    (data / ".state" / "raw-validation.json").write_text("{", encoding="utf-8")
    assert checks.validate_raw() == first and validated == [1, 1]
    from analysis.public_data.catalog import load_catalog

    raw = next(iter(load_catalog().values())).path
    raw.write_bytes(raw.read_bytes() + b"\n")
    with pytest.raises(Exception, match="checksum mismatch"):
        checks.validate_raw()
