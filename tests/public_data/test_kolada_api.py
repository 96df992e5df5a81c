"""analysis.public_data.kolada_api against a local pytest-httpserver; never the network."""

from __future__ import annotations

import pytest
import yaml
from werkzeug import Response

from analysis.core.errors import GinoError
from analysis.core.files import sha256_file
from analysis.public_data.kolada import read_kpi_values
from analysis.public_data.kolada_api import KoladaClient, fetch_values, write_snapshot

API = "/v3/"
KPIS = ("U30447", "U30901")
DATA = f"{API}data/kpi/U30447,U30901/year/2023"


def item(kpi, municipality, values):
    return {"kpi": kpi, "municipality": municipality, "period": 2023,
            "values": [{"gender": g, "count": 1, "status": "", "value": v} for g, v in values]}


def serve_metadata(httpserver):
    httpserver.expect_request(f"{API}kpi/U30447,U30901").respond_with_json(
        {"count": 2, "values": [{"id": "U30447", "title": "Brukarbedömning IFO - få kontakt, andel (%)"},
                                {"id": "U30901", "title": "Brukarbedömning IFO, antal svar"}]})
    httpserver.expect_request(f"{API}municipality").respond_with_json(
        {"count": 2, "values": [{"id": "2425", "title": "Dorotea"}, {"id": "2481", "title": "Lycksele"}]})


def client_for(httpserver, **kwargs) -> KoladaClient:
    return KoladaClient(httpserver.url_for(API), **{"retries": 2, "backoff_factor": 0, "max_calls": 100, **kwargs})


def test_pages_are_followed_and_regions_dropped(httpserver, tmp_path):
    second = httpserver.url_for(f"{API}page2")
    httpserver.expect_request(DATA, query_string={"page": "1", "per_page": "5000"}).respond_with_json(
        {"count": 3, "next_page": second,
         "values": [item("U30447", "2425", [("T", 94.117647), ("K", None)]), item("U30447", "0000", [("T", 88.0)])]})
    httpserver.expect_request(f"{API}page2").respond_with_json(
        {"count": 3, "values": [item("U30901", "2425", [("T", 18)]), item("U30447", "2481", [("T", 85.9375)])]})
    serve_metadata(httpserver)
    frame = fetch_values(client_for(httpserver), 2023, KPIS)
    assert frame[["kpi_id", "municipality_id", "municipality", "gender", "value"]].values.tolist() == [
        ["U30447", "2425", "Dorotea", "T", 94.117647], ["U30447", "2481", "Lycksele", "T", 85.9375],
        ["U30901", "2425", "Dorotea", "T", 18.0]]
    path = write_snapshot(frame, 2023, tmp_path, "http://example/v3/data")
    again = read_kpi_values(path)                 # the mirror's reader validates the API snapshot
    assert again["value"].tolist() == [94.117647, 85.9375, 18.0]
    meta = yaml.safe_load(path.with_name(path.stem + ".meta.yaml").read_text(encoding="utf-8"))
    assert meta["id"] == "kolada_client_survey_2023" and meta["sha256"] == sha256_file(path)
    with pytest.raises(GinoError, match="already exists"):
        write_snapshot(frame, 2023, tmp_path, "http://example/v3/data")


def test_rate_limit_answer_is_retried(httpserver):
    httpserver.expect_ordered_request(DATA).respond_with_response(Response("slow down", status=429,
                                                                           headers={"Retry-After": "0"}))
    httpserver.expect_ordered_request(DATA).respond_with_json({"count": 1, "values": [item("U30447", "2425", [("T", 100.0)])]})
    serve_metadata(httpserver)
    frame = fetch_values(client_for(httpserver), 2023, KPIS)
    assert frame["value"].tolist() == [100.0]


def test_server_errors_end_in_one_line_after_the_retries(httpserver):
    httpserver.expect_request(DATA).respond_with_response(Response("boom", status=503))
    with pytest.raises(GinoError) as info:
        fetch_values(client_for(httpserver), 2023, KPIS)
    message = str(info.value)
    assert "HTTP 503 after 2 retries" in message and len(message.splitlines()) == 1


def test_refusals_and_malformed_answers_are_one_line(httpserver):
    httpserver.expect_request(DATA).respond_with_response(Response("no such kpi", status=404))
    with pytest.raises(GinoError, match=r"refused the request: HTTP 404 \(no such kpi\)"):
        fetch_values(client_for(httpserver), 2023, KPIS)
    httpserver.clear()
    httpserver.expect_request(DATA).respond_with_data("<html>", content_type="text/html")
    with pytest.raises(GinoError, match="expected a JSON object from the Kolada API, got text/html"):
        fetch_values(client_for(httpserver), 2023, KPIS)
    httpserver.clear()
    httpserver.expect_request(DATA).respond_with_json({"count": 1, "values": [{"kpi": "U30447"}]})
    with pytest.raises(GinoError, match="without the expected fields"):
        fetch_values(client_for(httpserver), 2023, KPIS)


def test_an_empty_year_says_so(httpserver):
    httpserver.expect_request(DATA).respond_with_json({"count": 0, "values": []})
    with pytest.raises(GinoError, match="no values .* in 2023"):
        fetch_values(client_for(httpserver), 2023, KPIS)


def test_unreachable_api_is_one_line():
    client = KoladaClient("http://127.0.0.1:9/v3/", retries=0, backoff_factor=0, timeout=2)
    with pytest.raises(GinoError, match="could not reach the Kolada API"):
        fetch_values(client, 2023, KPIS)


def test_withdrawn_values_are_dropped_and_pages_follow_next_url(httpserver):
    """Kolada marks a withdrawn value ``isdeleted`` (on the value or on its item): it is never written."""
    second = httpserver.url_for(f"{API}page2")
    first = item("U30447", "2425", [("T", 94.117647), ("K", 90.0)])
    first["values"][1]["isdeleted"] = True
    withdrawn_item = {**item("U30447", "2481", [("T", 85.0)]), "isdeleted": True}
    httpserver.expect_request(DATA).respond_with_json({"count": 3, "next_url": second, "values": [first, withdrawn_item]})
    httpserver.expect_request(f"{API}page2").respond_with_json(
        {"count": 3, "values": [{**item("U30901", "2425", [("T", 18)]), "values": [
            {"gender": "T", "value": 18, "isdeleted": "false"}, {"gender": "K", "value": 9, "isdeleted": "true"}]}]})
    serve_metadata(httpserver)
    frame = fetch_values(client_for(httpserver), 2023, KPIS)
    assert frame[["kpi_id", "municipality_id", "gender", "value"]].values.tolist() == [
        ["U30447", "2425", "T", 94.117647], ["U30901", "2425", "T", 18.0]]


def test_a_value_without_a_gender_is_one_clear_line(httpserver):
    broken = item("U30447", "2425", [("T", 94.0)])
    del broken["values"][0]["gender"]
    httpserver.expect_request(DATA).respond_with_json({"count": 1, "values": [broken]})
    with pytest.raises(GinoError) as info:
        fetch_values(client_for(httpserver), 2023, KPIS)
    message = str(info.value)
    assert len(message.splitlines()) == 1
    assert "KPI U30447, municipality 2425, year 2023: a value with no gender field; expected one of T, K, M" in message
