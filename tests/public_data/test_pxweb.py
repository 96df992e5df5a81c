"""analysis.public_data.pxweb against a local pytest-httpserver; never the network.

The fixtures under ``fixtures/pxweb`` are hand-written json-stat2 in the shape SCB's
PxWebApi 2.0 returns for TAB638: a metadata answer (riket, one län, three kommuner) and the
data answer for 2023 (3 kommuner x 2 civilstånd x 3 ages x 2 sexes).
"""

from __future__ import annotations

import copy
import json
import math
import socket
from pathlib import Path

import pandas as pd
import pytest
import yaml
from werkzeug import Request, Response

from analysis.core.errors import GinoError
from analysis.core.files import sha256_file
from analysis.public_data.pxweb import fetch_population, write_population_snapshot
from analysis.public_data.jsonstat import parse_jsonstat2
from analysis.public_data.pxweb_transport import PxWebClient

FIXTURES = Path(__file__).parent.parent / "fixtures" / "pxweb"
API = "/api/v2/"
METADATA = API + "tables/TAB638/metadata"
DATA = API + "tables/TAB638/data"


def load(name: str) -> dict:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def client_for(httpserver, **kwargs) -> PxWebClient:
    return PxWebClient(httpserver.url_for(API), **{"retries": 3, "backoff_factor": 0, **kwargs})


def only_regions(doc: dict, regions: list[str]) -> dict:
    """The data answer cut down to ``regions``; Region is the first, slowest dimension."""
    index = doc["dimension"]["Region"]["category"]["index"]
    block = math.prod(doc["size"][1:])
    kept = sorted(regions, key=index.__getitem__)
    out = copy.deepcopy(doc)
    out["size"][0] = len(kept)
    out["dimension"]["Region"]["category"]["index"] = {code: i for i, code in enumerate(kept)}
    out["value"] = [v for code in kept for v in doc["value"][index[code] * block : (index[code] + 1) * block]]
    return out


EXPECTED_2023 = pd.DataFrame(
    {
        "kommun_kod": ["2421"] * 6 + ["2422"] * 6 + ["2425"] * 6,
        "kommun_namn": ["Storuman"] * 6 + ["Sorsele"] * 6 + ["Dorotea"] * 6,
        "lan_kod": ["24"] * 18,
        "alder": [20, 20, 45, 45, 100, 100] * 3,
        "kon": ["män", "kvinnor"] * 9,
        # ogifta + gifta, worked out by hand from TAB638_data_2023.json
        "folkmangd_2023_12_31": [33, 32, 101, 80, 1, 4, 15, 11, 44, 39, 0, 2, 12, 10, 37, 34, 1, 1],
    }
)


def test_parse_jsonstat2_row_major_with_labels():
    doc = {
        "version": "2.0",
        "class": "dataset",
        "id": ["A", "B"],
        "size": [2, 3],
        "dimension": {
            # index given out of key order: positions, not key order, decide the layout
            "A": {"category": {"index": {"a2": 1, "a1": 0}, "label": {"a1": "first", "a2": "second"}}},
            "B": {"category": {"index": ["x", "y", "z"], "label": {"x": "X", "y": "Y", "z": "Z"}}},
        },
        "value": [1, 2, 3, 4, 5, 6],
    }
    frame = parse_jsonstat2(doc)
    assert list(frame.columns) == ["A", "B", "A_label", "B_label", "value"]
    assert frame["A"].tolist() == ["a1", "a1", "a1", "a2", "a2", "a2"]
    assert frame["B"].tolist() == ["x", "y", "z", "x", "y", "z"]
    assert frame["A_label"].tolist() == ["first"] * 3 + ["second"] * 3
    cell = frame.set_index(["A", "B"])["value"]
    assert cell[("a1", "z")] == 3
    assert cell[("a2", "x")] == 4
    assert frame["value"].dtype == "int64"


def test_parse_jsonstat2_rejects_wrong_value_count():
    doc = {"id": ["A"], "size": [2], "dimension": {"A": {"category": {"index": ["a", "b"]}}}, "value": [1]}
    expected = r"https://example\.test/x: malformed json-stat2; expected 'value' as a list of 2"
    with pytest.raises(GinoError, match=expected):
        parse_jsonstat2(doc, source="https://example.test/x")


def test_fetch_population_sums_civilstand_and_keeps_only_kommuner(httpserver):
    httpserver.expect_request(METADATA, method="GET").respond_with_json(load("TAB638_metadata.json"))
    httpserver.expect_request(DATA, method="POST").respond_with_json(load("TAB638_data_2023.json"))

    frame = fetch_population(2023, client_for(httpserver))

    pd.testing.assert_frame_equal(frame, EXPECTED_2023)
    assert frame["alder"].dtype == "int64" and frame["folkmangd_2023_12_31"].dtype == "int64"
    (meta_request, _), (data_request, _) = httpserver.log
    assert meta_request.args.to_dict() == {"lang": "sv", "outputFormat": "json-stat2"}
    assert data_request.args.to_dict() == {"lang": "sv", "outputFormat": "json-stat2"}
    assert data_request.get_json() == {
        "selection": [
            {"variableCode": "Region", "valueCodes": ["2421", "2422", "2425"]},
            {"variableCode": "Civilstand", "valueCodes": ["OG", "G"]},
            {"variableCode": "Alder", "valueCodes": ["20", "45", "100+"]},
            {"variableCode": "Kon", "valueCodes": ["1", "2"]},
            {"variableCode": "ContentsCode", "valueCodes": ["BE0101N1"]},
            {"variableCode": "Tid", "valueCodes": ["2023"]},
        ]
    }


def test_fetch_population_year_not_in_table(httpserver):
    httpserver.expect_request(METADATA).respond_with_json(load("TAB638_metadata.json"))
    with pytest.raises(GinoError, match=r"table TAB638 has no year 2019 \(the table covers 2022–2023\)"):
        fetch_population(2019, client_for(httpserver))


def test_fetch_population_malformed_answer_names_url(httpserver):
    broken = load("TAB638_data_2023.json")
    del broken["value"]
    httpserver.expect_request(METADATA).respond_with_json(load("TAB638_metadata.json"))
    httpserver.expect_request(DATA, method="POST").respond_with_json(broken)
    with pytest.raises(GinoError) as info:
        fetch_population(2023, client_for(httpserver))
    message = str(info.value)
    assert message.startswith(httpserver.url_for(DATA) + ": malformed json-stat2; expected 'value'")
    assert "\n" not in message


def test_batches_stay_within_cell_limit_and_match_one_call(httpserver):
    full = load("TAB638_data_2023.json")
    cells_seen: list[int] = []

    def answer(request: Request) -> Response:
        selection = {s["variableCode"]: s["valueCodes"] for s in request.get_json()["selection"]}
        cells_seen.append(math.prod(len(codes) for codes in selection.values()))
        return Response(json.dumps(only_regions(full, selection["Region"])), content_type="application/json")

    httpserver.expect_request(METADATA).respond_with_json(load("TAB638_metadata.json"))
    httpserver.expect_request(DATA, method="POST").respond_with_handler(answer)
    calls: list[tuple[int, int]] = []

    # One kommun is 2 civilstånd x 3 ages x 2 sexes = 12 cells; 24 allows two kommuner per call.
    frame = fetch_population(2023, client_for(httpserver, max_cells=24), progress=lambda *a: calls.append(a))

    assert cells_seen == [24, 12]
    assert calls == [(1, 2), (2, 2)]
    one_call = fetch_population(2023, client_for(httpserver))
    assert cells_seen[-1] == 36
    pd.testing.assert_frame_equal(frame, one_call)
    pd.testing.assert_frame_equal(frame, EXPECTED_2023)


def test_cell_limit_below_one_kommun_is_an_error(httpserver):
    httpserver.expect_request(METADATA).respond_with_json(load("TAB638_metadata.json"))
    with pytest.raises(GinoError, match="one kommun needs 12 cells but the client allows 10 per call"):
        fetch_population(2023, client_for(httpserver, max_cells=10))


def test_429_with_retry_after_is_retried(httpserver):
    httpserver.expect_oneshot_request(METADATA).respond_with_data(
        "", status=429, headers={"Retry-After": "0"}
    )
    httpserver.expect_request(METADATA).respond_with_json({"ok": True})

    assert client_for(httpserver).get_json("tables/TAB638/metadata") == {"ok": True}
    assert [response.status_code for _, response in httpserver.log] == [429, 200]


def test_503_is_retried(httpserver):
    httpserver.expect_oneshot_request(METADATA).respond_with_data("", status=503)
    httpserver.expect_request(METADATA).respond_with_json({"ok": True})

    assert client_for(httpserver).get_json("tables/TAB638/metadata") == {"ok": True}
    assert [response.status_code for _, response in httpserver.log] == [503, 200]


def test_persistent_500_is_one_line_error(httpserver):
    httpserver.expect_request(METADATA).respond_with_data("boom\ntrace", status=500)

    with pytest.raises(GinoError) as info:
        client_for(httpserver, retries=2).get_json("tables/TAB638/metadata")

    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"could not reach SCB PxWeb API at {httpserver.url_for(METADATA)}: HTTP 500")
    assert "gino fetch --mirror DIR" in message
    assert len(httpserver.log) == 3  # the first try and two retries


def test_client_error_is_not_retried(httpserver):
    httpserver.expect_request(METADATA).respond_with_json(
        {"type": "https://tools.ietf.org/html/rfc7231#section-6.5.1", "title": "Non-existent table", "status": 404},
        status=404,
    )
    with pytest.raises(GinoError, match=r"refused the request: HTTP 404 \(Non-existent table\)$"):
        client_for(httpserver).get_json("tables/TAB638/metadata")
    assert len(httpserver.log) == 1


def test_connection_refused_is_one_line_error():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    # Nothing listens on the port once the socket is closed.
    client = PxWebClient(f"http://127.0.0.1:{port}/api/v2/", retries=1, backoff_factor=0, timeout=2)

    with pytest.raises(GinoError) as info:
        client.get_json("tables/TAB638/metadata")

    message = str(info.value)
    assert "\n" not in message
    url = f"http://127.0.0.1:{port}/api/v2/tables/TAB638/metadata"
    assert message.startswith(f"could not reach SCB PxWeb API at {url}: ")
    assert "Connection refused" in message
    assert info.value.__cause__ is None and info.value.__suppress_context__


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0
        self.sleeps: list[float] = []

    def time(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_rate_limiter_sleeps_once_for_the_31st_call(httpserver):
    httpserver.expect_request(API + "config").respond_with_json({"maxCallsPerTimeWindow": 30})
    clock = FakeClock()
    client = client_for(httpserver, clock=clock.time, sleep=clock.sleep)

    for _ in range(31):
        client.get_json("config")
        clock.now += 0.1

    # Calls 1..30 start at 0.0, 0.1, ..., 2.9; the 31st, at 3.0, waits until the first leaves the window.
    assert clock.sleeps == [pytest.approx(7.0)]
    assert len(httpserver.log) == 31


def test_write_population_snapshot_is_deterministic_and_catalogued(tmp_path):
    url = "https://statistikdatabasen.scb.se/api/v2/tables/TAB638/data?lang=sv&outputFormat=json-stat2"

    csv_path = write_population_snapshot(EXPECTED_2023, 2023, tmp_path, source_url=url)

    assert csv_path == tmp_path / "scb" / "folkmangd_kommun_alder_kon_2023-12-31.csv"
    data = csv_path.read_bytes()
    assert b"\r" not in data
    assert data.decode("utf-8").splitlines()[:2] == [
        "kommun_kod,kommun_namn,lan_kod,alder,kon,folkmangd_2023_12_31",
        "2421,Storuman,24,20,män,33",
    ]
    meta = yaml.safe_load((tmp_path / "scb" / "folkmangd_kommun_alder_kon_2023-12-31.meta.yaml").read_text("utf-8"))
    assert list(meta) == [
        "id", "publisher", "title", "table_id", "url", "reference_date",
        "access_date", "licence", "file", "size", "sha256", "via",
    ]
    assert meta["id"] == "population_2023"
    assert meta["table_id"] == "TAB638"
    assert meta["url"] == url
    assert meta["reference_date"] == "2023-12-31"
    assert meta["file"] == "scb/folkmangd_kommun_alder_kon_2023-12-31.csv"
    assert meta["size"] == len(data) == csv_path.stat().st_size
    assert meta["sha256"] == sha256_file(csv_path)

    again = write_population_snapshot(EXPECTED_2023.copy(), 2023, tmp_path / "again", source_url=url)
    assert again.read_bytes() == data
    assert sorted(p.name for p in (tmp_path / "scb").iterdir()) == [
        "folkmangd_kommun_alder_kon_2023-12-31.csv",
        "folkmangd_kommun_alder_kon_2023-12-31.meta.yaml",
    ]
    with pytest.raises(GinoError, match="already exists; raw snapshots and their catalog entries are immutable"):
        write_population_snapshot(EXPECTED_2023, 2023, tmp_path, source_url=url)
    assert csv_path.read_bytes() == data


def test_cli_fetch_scb_writes_a_snapshot_the_pipeline_reads(httpserver, tmp_path):
    """``gino fetch-scb`` end to end against the local server; the result is a valid catalogued snapshot."""
    from conftest import copy_committed_data, gino

    from analysis.public_data.catalog import load_catalog
    from analysis.public_data.sources import read_population

    httpserver.expect_request(METADATA).respond_with_json(load("TAB638_metadata.json"))
    httpserver.expect_request(DATA, method="POST").respond_with_json(load("TAB638_data_2023.json"))
    data = copy_committed_data(tmp_path / "data")
    proc = gino("fetch-scb", "--year", "2023", "--base-url", httpserver.url_for(API), data_dir=data)
    assert "wrote" in proc.stdout
    entry = load_catalog(data / "raw")["population_2023"]
    assert entry.meta["url"].startswith(httpserver.url_for(API))
    assert sha256_file(data / "raw" / entry.file) == entry.sha256
    written = (data / "raw" / entry.file).read_text(encoding="utf-8").splitlines()
    assert written[0] == "kommun_kod,kommun_namn,lan_kod,alder,kon,folkmangd_2023_12_31"
    # The fixture holds three ages only, so the reader (which needs ages 0-100) rejects it as incomplete,
    # after every cell has passed the same schema as the 2019 snapshot.
    with pytest.raises(GinoError, match="every kommun with all ages 0–100"):
        read_population(data / "raw" / entry.file, {"2421", "2422", "2425"})


def test_cli_fetch_scb_offline_is_one_line(tmp_path):
    from conftest import copy_committed_data, gino

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    data = copy_committed_data(tmp_path / "data")
    proc = gino("fetch-scb", "--year", "2023", "--base-url", f"http://127.0.0.1:{port}/api/v2/",
                data_dir=data, check=False)
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and proc.stderr.startswith("error: could not reach SCB")
    assert "Traceback" not in proc.stderr
