"""Bad raw public snapshots: the population, land-use and areas CSV files, the GeoPackage layers and the
published region facts (tests/public_data/test_bad_inputs.py, tests/public_data/test_snapshot_consistency.py)."""

from __future__ import annotations

from collections.abc import Callable

from bad_input_report.base import BadInput, Context, params_of


def raw_snapshot_cases() -> list[BadInput]:
    """tests/public_data/test_bad_inputs.py: the raw public snapshots (CSV tables and GeoPackages)."""
    import test_bad_inputs as t

    from analysis.public_data.sources import (
        read_areas, read_grid_layer, read_kommuner, read_land_use, read_population, read_published_facts,
        read_tatorter,
    )

    cases: list[BadInput] = []

    def add(category, case, what, run, tested=True):
        cases.append(BadInput(category, case, what, run, tested))

    pop = "population CSV"
    known = t.KNOWN

    def population(rows, header=t.POPULATION_HEADER, known=known, **kw):
        return lambda ctx: read_population(t.write_csv(ctx.dir, rows, header=header, **kw), known)

    for pid, a in params_of(t.test_population_bad_cell):
        add(pop, f"bad cell: {pid}", f"row 5 is `{a['bad_row']}`", population([*t.POPULATION_ROWS, a["bad_row"]]))
    first = ["2425,Dorotea,0,män,abc", *t.POPULATION_ROWS[1:]]
    add(pop, "bad cell on the first data row", f"row 2 is `{first[0]}`", population(first))
    add(pop, "duplicated kommun, age and sex", "row 5 repeats kommun 2425, age 0, män of row 2",
        population([*t.POPULATION_ROWS, "2425,Dorotea,0,män,7"]))
    add(pop, "missing column", "no `kon` column",
        population(["2425,Dorotea,0,5"], header="kommun_kod,kommun_namn,alder,folkmangd_2019_12_31"))
    for pid, a in params_of(t.test_population_needs_exactly_one_value_column):
        add(pop, f"population column: {pid}", f"header `{a['header']}`", population([], header=a["header"]))

    def empty_file(ctx):
        (ctx.dir / "population.csv").write_bytes(b"")
        return read_population(ctx.dir / "population.csv", known)

    add(pop, "empty file", "0 bytes", empty_file)
    add(pop, "missing file", "no file at the catalogued path",
        lambda ctx: read_population(ctx.dir / "population.csv", known))
    add(pop, "Windows-1252 text", "saved as Windows-1252 (`män` with byte 0xE4)",
        population(t.POPULATION_ROWS, encoding="cp1252"))
    add(pop, "several problems at once", "rows 2 and 4 with four bad cells",
        population(["2425,Dorotea,0,män,abc", "2425,Dorotea,1,män,5", "2481,Lycksele,101,okänd,-1"]))
    add(pop, "blank line before a bad row", "line 3 blank, line 4 has the value `abc`",
        population([t.POPULATION_ROWS[0], "", "2425,Dorotea,0,kvinnor,abc"]))
    complete = [f"2425,Dorotea,{age},{sex},1" for age in range(101) for sex in ("män", "kvinnor")]
    add(pop, "incomplete download", "kommun 2425 lacks its last row, kommun 2481 is absent",
        population(complete[:-1], known={"2425", "2481"}))
    add(pop, "extra field in a row", "row 3 has six fields under a five-column header",
        population([t.POPULATION_ROWS[0], "2425,Dorotea,0,kvinnor,6,7"]), tested=False)

    land = "land use and areas CSV"

    def csv_reader(read, rows, header, name):
        return lambda ctx: read(t.write_csv(ctx.dir, rows, header, name=name), known)

    add(land, "land use: no total row for a kommun", "kommun 2481 has only a `vatten` row",
        csv_reader(read_land_use, ["2425,Dorotea,total landareal,100", "2481,Lycksele,vatten,50"],
                   t.LAND_USE_HEADER, "land_use.csv"))
    add(land, "land use: not a number", "hektar `12 3` on row 3",
        csv_reader(read_land_use, ["2425,Dorotea,total landareal,100", "2481,Lycksele,total landareal,12 3"],
                   t.LAND_USE_HEADER, "land_use.csv"))
    add(land, "land use: two total rows for one kommun", "rows 3 and 4 are both `total landareal` of 2481",
        csv_reader(read_land_use, ["2425,Dorotea,total landareal,100", "2481,Lycksele,total landareal,50",
                                   "2481,Lycksele,total landareal,60"], t.LAND_USE_HEADER, "land_use.csv"))
    add(land, "areas: missing kommun", "no row for 2481",
        csv_reader(read_areas, ["2425,2799.75,2720.5"], t.AREAS_HEADER, "areas.csv"))
    add(land, "areas: duplicated kommun", "rows 2 and 4 are both 2425",
        csv_reader(read_areas, ["2425,2799.75,2720.5", "2481,5943.19,5595.69", "2425,2799.75,2720.5"],
                   t.AREAS_HEADER, "areas.csv"))
    add(land, "areas: negative land area", "land area `-1` on row 2",
        csv_reader(read_areas, ["2425,2799.75,-1", "2481,5943.19,5595.69"], t.AREAS_HEADER, "areas.csv"))

    gpkg = "GeoPackage layers"

    def layer(read, data, geometry, name, *args, crs="EPSG:3006"):
        return lambda ctx: read(t.write_gpkg(ctx.dir, data, geometry, name, crs=crs), *args)

    lonlat = [t.box(15, 64, 16, 65), t.box(16, 64, 17, 65), t.box(17, 64, 18, 65)]
    add(gpkg, "kommuner: wrong CRS", "layer in EPSG:4326 (longitude/latitude)",
        layer(read_kommuner, t.KOMMUNER, lonlat, "kommuner", crs="EPSG:4326"))
    add(gpkg, "kommuner: no CRS", "layer without a coordinate reference system",
        layer(read_kommuner, t.KOMMUNER, t.SQUARES, "kommuner", crs=None), tested=False)
    add(gpkg, "kommuner: missing layer", "the layer is named `kommun`",
        layer(read_kommuner, t.KOMMUNER, t.SQUARES, "kommun"))
    add(gpkg, "kommuner: missing column", "`namn` instead of `kommun_namn`",
        layer(read_kommuner, {"kommun_kod": t.KOMMUNER["kommun_kod"], "namn": t.KOMMUNER["kommun_namn"]},
              t.SQUARES, "kommuner"))
    add(gpkg, "kommuner: duplicated code", "features 1 and 3 are both 2481",
        layer(read_kommuner, {**t.KOMMUNER, "kommun_kod": ["2481", "2425", "2481"]}, t.SQUARES, "kommuner"))
    add(gpkg, "kommuner: code stored as a number", "kommun_kod as integers, so 0114 became 114",
        layer(read_kommuner, {**t.KOMMUNER, "kommun_kod": [2481, 114, 2422]}, t.SQUARES, "kommuner"))
    for pid, a in params_of(t.test_kommuner_empty_geometry):
        add(gpkg, f"kommuner: {pid} geometry", f"feature 3 has geometry {a['empty']!r}",
            layer(read_kommuner, t.KOMMUNER, [t.SQUARES[0], t.SQUARES[1], a["empty"]], "kommuner"))
    for pid, a in params_of(t.test_kommuner_not_a_geopackage):
        def not_gpkg(ctx, content=a["content"]):
            (ctx.dir / "kommuner.gpkg").write_bytes(content)
            return read_kommuner(ctx.dir / "kommuner.gpkg")
        add(gpkg, f"not a GeoPackage: {pid}", f"`kommuner.gpkg` holds {len(a['content'])} bytes of {pid}",
            not_gpkg)
    add(gpkg, "tätorter: not a point", "feature 2 is a polygon",
        layer(read_tatorter, t.TATORTER, [t.POINTS[0], t.SQUARES[1], t.POINTS[2]], "tatorter_2020", known))
    add(gpkg, "tätorter: negative population", "bef `-5` in feature 2",
        layer(read_tatorter, {**t.TATORTER, "bef": [8000, -5, 1200]}, t.POINTS, "tatorter_2020", known))
    add(gpkg, "tätorter: unknown kommun", "feature 3 in kommun 2422, which is not in the boundary layer",
        layer(read_tatorter, {**t.TATORTER, "kommun_kod": ["2481", "2425", "2422"]}, t.POINTS, "tatorter_2020",
              known))
    for pid, a in params_of(t.test_grid_layer_bad_value):
        data = {k: list(v) for k, v in t.GRID.items()}
        data[a["column"]][1] = a["value"]
        add(gpkg, f"grid: {pid}", f"{a['column']} `{a['value']}` in feature 2",
            layer(read_grid_layer, data, t.SQUARES, "pop_1km_2021", "pop_1km_2021"))
    cells = t.GRID["cell_id"]
    add(gpkg, "grid: duplicated cell", "features 1 and 3 have the same cell_id",
        layer(read_grid_layer, {**t.GRID, "cell_id": [cells[0], cells[1], cells[0]]}, t.SQUARES, "pop_1km_2021",
              "pop_1km_2021"))

    published = "published region facts CSV"
    for pid, a in params_of(t.test_published_figures_file_errors):
        add(published, f"bad {pid}", f"row 2 is `{a['row']}`",
            lambda ctx, row=a["row"]: read_published_facts(t.write_csv(ctx.dir, [row], header=t.PUBLISHED_HEADER,
                                                                        name="region_facts.csv")))
    add(published, "unknown entity", "entity `kommun:9999` (no such kommun)",
        compare_facts("kommun:9999", "population"))
    add(published, "unknown measure", "measure `no_such_measure`", compare_facts("region:gino", "no_such_measure"))
    return cases + consistency_cases()


def compare_facts(entity: str, measure: str) -> Callable[[Context], object]:
    """tests/public_data/test_cleaning.py's published-figure check, run as the region-facts step runs it: from a file."""
    def run(ctx: Context):
        import test_bad_inputs as t
        import test_cleaning as c

        from analysis.public_data.region_facts import compare_published, region_facts
        from analysis.public_data.sources import read_published_facts

        path = t.write_csv(ctx.dir, [f"f,d,1,,{entity},{measure},approx,0,,s"], header=t.PUBLISHED_HEADER,
                           name="region_facts.csv")
        m = c.municipalities()
        return compare_published(read_published_facts(path), region_facts(m, c.members()), m, source=str(path))
    return run




def consistency_cases() -> list[BadInput]:
    """tests/public_data/test_snapshot_consistency.py: snapshots that pass every cell check but not as a whole."""
    import test_bad_inputs as b
    import test_snapshot_consistency as t

    from analysis.core.errors import ManyInputErrors
    from analysis.public_data.consistency import land_area_problems
    from analysis.public_data.snapshot_checks import check_consistency
    from analysis.public_data.sources import read_areas, read_land_use, read_population

    category = "land use and areas CSV"
    cases = [BadInput(category, f"areas: {pid}", "rows " + "; ".join(f"`{r}`" for r in a["rows"]),
                      lambda ctx, rows=a["rows"]: read_areas(b.write_csv(ctx.dir, rows, t.AREAS_HEADER, name="areas.csv"),
                                                             b.KNOWN))
             for pid, a in params_of(t.test_areas_file_is_consistent)]

    def population(value, other):
        def run(ctx):
            path = b.write_csv(ctx.dir, b.complete_rows("2425", "Dorotea", value)
                               + b.complete_rows("2481", "Lycksele", other))
            frame, date = read_population(path, b.KNOWN)
            land_use = read_land_use(b.write_csv(ctx.dir, t.LAND_USE, b.LAND_USE_HEADER, name="land_use.csv"), b.KNOWN)
            areas = read_areas(b.write_csv(ctx.dir, t.AREAS, t.AREAS_HEADER, name="areas.csv"), b.KNOWN)
            return check_consistency(frame, date, path, land_use, areas, ctx.dir / "land_use.csv", ctx.dir / "areas.csv")
        return run

    for pid, a in params_of(t.test_population_is_positive_and_sums_to_scbs_total):
        cases.append(BadInput("population CSV", f"consistency: {pid}",
                              f"every row of 2425 `{a['value']}`, of 2481 `{a['other']}` (2019-12-31)",
                              population(a["value"], a["other"])))

    def land_areas(ctx):
        land_use = read_land_use(b.write_csv(ctx.dir, ["2425,Dorotea,total landareal,279975", t.LAND_USE[1]],
                                             b.LAND_USE_HEADER, name="land_use.csv"), b.KNOWN)
        areas = read_areas(b.write_csv(ctx.dir, t.AREAS, t.AREAS_HEADER, name="areas.csv"), b.KNOWN)
        raise ManyInputErrors(land_area_problems(land_use, areas, ctx.dir / "land_use.csv", "areas.csv"))
    cases.append(BadInput(category, "land areas of two files differ", "land use gives 2425 2 799.75 km² of land, the "
                          "areas file 2 720.5", land_areas))
    return cases
