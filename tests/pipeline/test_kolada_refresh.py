"""A new Kolada year reaches the report: ``gino fetch-kolada --year 2023`` against a local Kolada API v3 (paging
with ``next_url``, a value Kolada withdrew, ``isdeleted``), then ``gino build`` finds the snapshot through its
catalog entry, and the Kolada chapter (notebook 06), its claims, the trends and the feedback documents show 2023;
of the executed notebooks only those that read Kolada's tables are out of date, so the next ``make report``
re-executes 06 and keeps 05."""

from __future__ import annotations

import json
import re
import shutil
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest
import yaml
from werkzeug import Response

from conftest import CONFIG, ROOT, gino

API = "/v3/"
YEAR = 2023
WITHDRAWN = ("U30452", "2481", "T")  # Lycksele's overall satisfaction: published, then withdrawn (isdeleted)


def api_items(mirror) -> list[dict]:
    """Kolada's 2022 values as the 2023 answer of the API (Lycksele's contact changed so the new year shows)."""
    values = pd.read_csv(mirror / "kolada" / "brukarbedomning_ifo_kommun_2016_2022.csv", dtype=str)
    values = values[values["year"] == "2022"]
    items = []
    for (kpi, code), g in values.groupby(["kpi_id", "municipality_id"]):
        entries = [{"gender": r.gender, "count": 1, "status": "", "value": float(r.value), "isdeleted": False}
                   for r in g.itertuples()]
        for e in entries:
            if (kpi, code.zfill(4), e["gender"]) == WITHDRAWN:
                e["isdeleted"] = True
            if (kpi, code.zfill(4), e["gender"]) == ("U30447", "2481", "T"):
                e["value"] = 91.0
        items.append({"kpi": kpi, "municipality": code.zfill(4), "period": YEAR, "values": entries})
    return items


def serve(httpserver, items: list[dict]) -> None:
    """A Kolada v3 data endpoint that pages (two pages, the second through ``next_url``), and its metadata."""
    def data(request):
        match = re.fullmatch(rf"{API}data/kpi/([^/]+)/year/(\d+)", request.path)
        kpis, page = set(match[1].split(",")), int(parse_qs(urlparse(request.url).query).get("page", ["1"])[0])
        chosen = [i for i in items if i["kpi"] in kpis]
        half = len(chosen) // 2
        body = {"count": len(chosen), "values": chosen[:half] if page == 1 else chosen[half:]}
        if page == 1:
            body["next_url"] = httpserver.url_for(f"{API}data/kpi/{match[1]}/year/{match[2]}") + "?page=2&per_page=5000"
        return Response(json.dumps(body), content_type="application/json")

    def kpi(request):
        ids = request.path.rsplit("/", 1)[1].split(",")
        return Response(json.dumps({"count": len(ids), "values": [{"id": k, "title": f"Brukarbedömning {k}"}
                                                                    for k in ids]}), content_type="application/json")
    httpserver.expect_request(re.compile(rf"{API}data/kpi/.+")).respond_with_handler(data)
    httpserver.expect_request(re.compile(rf"{API}kpi/.+")).respond_with_handler(kpi)
    names = {i["municipality"] for i in items}
    httpserver.expect_request(f"{API}municipality").respond_with_json(
        {"count": len(names), "values": [{"id": c, "title": f"Kommun {c}"} for c in sorted(names)]})


@pytest.fixture(scope="module")
def refreshed(built, mirror, tmp_path_factory):
    from pytest_httpserver import HTTPServer

    root = tmp_path_factory.mktemp("refresh")
    data = root / "data"
    shutil.copytree(built, data)
    server = HTTPServer()
    server.start()
    try:
        serve(server, api_items(mirror))
        fetched = gino("fetch-kolada", "--year", str(YEAR), "--base-url", server.url_for(API), data_dir=data)
    finally:
        server.clear()
        server.stop()
    return {"data": data, "fetch": fetched.stdout, "root": root}


def test_the_snapshot_and_its_catalog_entry_name_their_kind_and_year(refreshed):
    meta = yaml.safe_load((refreshed["data"] / "raw/kolada/brukarbedomning_ifo_kommun_2023.meta.yaml").read_text())
    assert meta["id"] == "kolada_client_survey_2023" and meta["kind"] == "kolada_client_survey" and meta["years"] == [YEAR]
    snapshot = pd.read_csv(refreshed["data"] / "raw" / meta["file"], dtype=str)
    assert snapshot["kpi_id"].nunique() > 40                           # IFO total and the sub-areas, every page
    withdrawn = snapshot[(snapshot["kpi_id"] == WITHDRAWN[0]) & (snapshot["municipality_id"] == WITHDRAWN[1])
                         & (snapshot["gender"] == WITHDRAWN[2])]
    assert withdrawn.empty                                              # isdeleted: not written
    assert "the next 'gino build' reads it" in refreshed["fetch"]


@pytest.fixture(scope="module")
def rebuilt(refreshed, monkeypatch_module):
    """Notebooks 05 and 06 executed on the data before the new snapshot, then the build with it."""
    from analysis.report import executed_notebooks as en

    data = refreshed["data"]
    executed = refreshed["root"] / "executed"
    executed.mkdir()
    notebooks = [ROOT / "notebooks" / "05-ideas.ipynb", ROOT / "notebooks" / "06-kolada.ipynb"]
    monkeypatch_module.setenv("GINO_DATA_DIR", str(data))
    meta = data / "raw/kolada/brukarbedomning_ifo_kommun_2023.meta.yaml"
    hidden = meta.with_name("hidden.meta.yaml.txt")
    meta.rename(hidden)                                                 # the state before the fetch
    gino("build", data_dir=data)
    list(en.execute_stale(executed, notebooks))
    hidden.rename(meta)
    build = gino("build", data_dir=data)
    return {"data": data, "executed": executed, "notebooks": notebooks, "build": build.stdout}


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def test_the_next_build_reads_the_new_year_through_the_catalog(rebuilt):
    processed = rebuilt["data"] / "processed"
    sources = pd.read_csv(processed / "kolada_snapshots.csv")
    assert sources.set_index("year").loc[YEAR, "snapshot"] == "kolada_client_survey_2023"
    assert sources.set_index("year").loc[2022, "snapshot"] == "kolada_client_survey"
    indicators = pd.read_csv(processed / "kolada_indicators.csv", dtype={"kommun_kod": str})
    lycksele = indicators[(indicators["kommun_kod"] == "2481") & (indicators["year"] == YEAR)].set_index("variable")
    assert lycksele.loc["contact_ease", "value"] == 91.0
    assert "overall_satisfaction" not in lycksele.index                # the withdrawn value is gone
    assert YEAR in set(pd.read_csv(processed / "kolada_national_distribution.csv")["year"])
    assert re.search(r"^\s*done\s+kolada_values", rebuilt["build"], re.MULTILINE)  # the new snapshot reran it


def test_the_claims_and_the_trends_show_the_new_year(rebuilt):
    from analysis.client_surveys.kolada_tables import trend_table
    from analysis.report.claims import CLAIMS, check
    from analysis.report.claims.facts import Facts

    facts = Facts(rebuilt["data"], CONFIG)
    years = CLAIMS["kolada-years-with-values"].evaluate(facts)
    assert f"2016–{YEAR}" in years.text and check(CLAIMS["kolada-years-with-values"], years, facts) == []
    members = sorted(facts.kolada("indicators")["kommun_kod"].unique())
    table = trend_table(facts.kolada("indicators"), facts.kolada("national_distribution"), facts.kolada("trends"), members)
    assert str(YEAR) in table.columns


def test_the_feedback_documents_show_the_new_year(rebuilt, monkeypatch):
    from analysis.report import feedback_documents as documents

    monkeypatch.setenv("GINO_DATA_DIR", str(rebuilt["data"]))
    kommun = next(d for d in documents.DOCUMENTS if d.stem == "kommun")
    nb = documents.execute(kommun, "2481")
    table = "".join(o.get("data", {}).get("text/markdown", "") for o in documents.cell_outputs(nb, "tbl-kommun-kolada-ar"))
    header = table.splitlines()[0]
    assert all(str(y) in header for y in (2018, 2019, 2022, YEAR)), header


def test_make_report_re_executes_only_what_reads_kolada(rebuilt):
    from analysis.report import executed_notebooks as en

    shared = en.shared_fingerprint(data_dir=rebuilt["data"])
    ideas, kolada = rebuilt["notebooks"]
    assert en.is_current(ideas, en.executed_path(ideas, rebuilt["executed"]), shared)
    assert not en.is_current(kolada, en.executed_path(kolada, rebuilt["executed"]), shared)
    done = {e.source.name: e.seconds for e in en.execute_stale(rebuilt["executed"], rebuilt["notebooks"])}
    assert done["05-ideas.ipynb"] is None and done["06-kolada.ipynb"] is not None
    import nbformat

    nb = nbformat.read(en.executed_path(kolada, rebuilt["executed"]), as_version=4)
    shown = {c.source.split("\n")[0]: "".join(o.get("data", {}).get("text/markdown", "") for o in c.outputs)
             for c in nb.cells if c.cell_type == "code"}
    assert "survey\\_2023" in shown["#| label: tbl-kolada-snapshots"]   # the table names the new snapshot
    assert f"| {YEAR} |" in shown["#| label: tbl-kolada-trends"]
    assert f"2016–{YEAR}" in shown['say("kolada-years-with-values")']
