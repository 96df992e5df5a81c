"""The catalog, the mirror and the snapshots in data/raw, and SCB's PxWeb API answering badly or not at all
(tests/public_data/test_fetch.py, tests/pipeline/test_cli.py, tests/public_data/test_pxweb.py)."""

from __future__ import annotations

import re
import socket

from bad_input_report.base import BadInput, copy_data, environment


def catalog_cases() -> list[BadInput]:
    """tests/public_data/test_fetch.py and tests/pipeline/test_cli.py: the catalog, the mirror and the snapshots in data/raw."""
    from analysis.public_data.catalog import load_catalog
    from analysis.public_data.fetch import fetch_all, fetch_snapshot

    category = "catalog and fetch"

    def with_data(body):
        def run(ctx):
            data = copy_data(ctx.dir)
            with environment(GINO_DATA_DIR=str(data)):
                return body(ctx, data)
        return run

    def mismatch_in_mirror(ctx, data):
        entry = load_catalog()["areas_2015"]
        mirror = ctx.dir / "mirror"
        (mirror / entry.file).parent.mkdir(parents=True)
        (mirror / entry.file).write_text("kommun_kod,total_areal_km2_2015,landareal_km2_2015\n9999,1,1\n")
        return fetch_snapshot(entry, mirror)

    def changed_in_raw(ctx, data):
        entry = load_catalog()["areas_2015"]
        entry.path.parent.mkdir(parents=True, exist_ok=True)
        entry.path.write_text("kommun_kod\n2425\n")
        return fetch_snapshot(entry, ctx.dir)

    def empty_mirror(ctx, data):
        (ctx.dir / "mirror").mkdir()
        return fetch_all(ctx.dir / "mirror")

    def catalog_entry(edit):
        def run(ctx, data):
            meta = data / "raw" / "scb" / "kommuner_folkmangd2016_areal2015_wikipedia.meta.yaml"
            meta.write_text(edit(meta.read_text(encoding="utf-8")), encoding="utf-8")
            return load_catalog()
        return run

    return [
        BadInput(category, "no mirror given", "`gino fetch` without --mirror or GINO_MIRROR",
                 with_data(lambda ctx, data: fetch_all(None))),
        BadInput(category, "mirror directory missing", "--mirror names a directory that does not exist",
                 with_data(lambda ctx, data: fetch_all(ctx.dir / "nowhere"))),
        BadInput(category, "snapshot missing from the mirror", "an empty mirror directory", with_data(empty_mirror)),
        BadInput(category, "checksum mismatch in the mirror", "the mirror's areas file has other content",
                 with_data(mismatch_in_mirror)),
        BadInput(category, "snapshot in data/raw changed", "the areas file in data/raw was edited",
                 with_data(changed_in_raw)),
        BadInput(category, "snapshot not fetched", "`gino build` before `gino fetch` (the grid is missing)",
                 with_data(lambda ctx, data: load_catalog()["population_grid"].verify())),
        BadInput(category, "catalog entry: invalid YAML", "a stray `[` in a `.meta.yaml`",
                 with_data(catalog_entry(lambda s: s.replace("id: areas_2015", "id: [areas_2015"))), tested=False),
        BadInput(category, "catalog entry: missing key", "`sha256:` deleted from a `.meta.yaml`",
                 with_data(catalog_entry(lambda s: re.sub(r"(?m)^sha256:.*\n", "", s))), tested=False),
        BadInput(category, "catalog entry: duplicated id", "two entries with id `land_use_2015`",
                 with_data(catalog_entry(lambda s: s.replace("id: areas_2015", "id: land_use_2015"))),
                 tested=False),
    ]


def pxweb_cases() -> list[BadInput]:
    """tests/public_data/test_pxweb.py: SCB's PxWeb API answering badly, or not at all (a local server stands in)."""
    import test_pxweb as t

    from analysis.public_data.pxweb import fetch_population, write_population_snapshot
    from analysis.public_data.pxweb_transport import PxWebClient

    category = "SCB PxWeb API"

    def client(ctx, **kwargs):
        return PxWebClient(ctx.server.url_for(t.API), **{"retries": 3, "backoff_factor": 0, **kwargs})

    def with_metadata(data=None, **kwargs):
        def run(ctx):
            client_ = client(ctx, **kwargs)
            ctx.server.expect_request(t.METADATA).respond_with_json(t.load("TAB638_metadata.json"))
            if data is not None:
                ctx.server.expect_request(t.DATA, method="POST").respond_with_json(data)
            return fetch_population(2023, client_)
        return run

    def year_not_in_table(ctx):
        client_ = client(ctx)
        ctx.server.expect_request(t.METADATA).respond_with_json(t.load("TAB638_metadata.json"))
        return fetch_population(2019, client_)

    def answer(edit):
        doc = t.load("TAB638_data_2023.json")
        edit(doc)
        return doc

    def status(code, body, **kwargs):
        def run(ctx):
            client_ = client(ctx, **kwargs)
            response = ctx.server.expect_request(t.METADATA)
            if isinstance(body, dict):
                response.respond_with_json(body, status=code)
            else:
                response.respond_with_data(body, status=code, content_type="text/html")
            return client_.get_json("tables/TAB638/metadata")
        return run

    def refused(ctx):
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        client_ = PxWebClient(f"http://127.0.0.1:{port}/api/v2/", retries=1, backoff_factor=0, timeout=2)
        return client_.get_json("tables/TAB638/metadata")

    def twice(ctx):
        write_population_snapshot(t.EXPECTED_2023, 2023, ctx.dir, source_url="https://example.test/x")
        return write_population_snapshot(t.EXPECTED_2023, 2023, ctx.dir, source_url="https://example.test/x")

    not_found = {"type": "https://tools.ietf.org/html/rfc7231#section-6.5.1", "title": "Non-existent table",
                 "status": 404}
    return [
        BadInput(category, "year not in the table", "`gino fetch-scb --year 2019`; the table covers 2022–2023",
                 year_not_in_table),
        BadInput(category, "cell limit below one kommun", "a client allowing 10 cells per call",
                 with_metadata(max_cells=10)),
        BadInput(category, "answer without values", "the data answer lacks `value`",
                 with_metadata(answer(lambda d: d.pop("value")))),
        BadInput(category, "answer with too few values", "the data answer's `value` list is one short",
                 with_metadata(answer(lambda d: d["value"].pop()))),
        BadInput(category, "server error", "HTTP 500 with a two-line body on every try (2 retries)",
                 status(500, "boom\ntrace", retries=2)),
        BadInput(category, "client error", "HTTP 404 with an RFC 7807 problem document", status(404, not_found)),
        BadInput(category, "not JSON", "HTTP 200 with an HTML page", status(200, "<html>maintenance</html>"),
                 tested=False),
        BadInput(category, "connection refused", "nothing listens on the port", refused),
        BadInput(category, "snapshot already written", "`gino fetch-scb --year 2023` a second time", twice),
    ]


