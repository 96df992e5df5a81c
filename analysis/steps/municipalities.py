"""Step: the municipality table, its geometries, the counties, the tätorter and region membership."""

from __future__ import annotations

from pathlib import Path


from analysis.core import paths
from analysis.public_data.catalog import snapshot
from analysis.core.settings import load_settings, settings_path
from analysis.public_data.snapshot_checks import national_population_path

SNAPSHOTS = ["kommuner_boundaries", "lan_boundaries", "land_use_2015", "areas_2015", "tatorter_2020"]


def snapshot_ids() -> list[str]:
    return [*SNAPSHOTS, load_settings().population_snapshot]


def inputs() -> list[Path]:
    return [snapshot(i).path for i in snapshot_ids()] + [paths.config_dir() / "regions.yaml", settings_path(),
                                                          national_population_path()]


def outputs() -> list[Path]:
    return [paths.processed(name) for name in (
        "municipalities.csv", "municipalities.parquet", "counties.parquet", "tatorter.parquet",
        "region_members.csv", "compared_regions.csv", "municipalities.meta.json",
    )]


def compared_regions(regions, members):
    """The study region and the comparison regions made of named municipalities (Region 10), with their members:
    the groups the Kolada steps compare (a file of its own, so another region in the file reruns nothing there)."""
    import pandas as pd

    ids = [regions.study_region] + [r for r in regions.comparisons if regions.regions[r].kommuner]
    parts = [members[members["region_id"] == r].assign(role="study" if r == regions.study_region else "comparison")
             for r in ids]
    return pd.concat(parts, ignore_index=True)


def run() -> None:
    import geopandas as gpd

    from analysis.public_data.demography import municipal_demography
    from analysis.core.files import write_csv, write_geoparquet, write_json
    from analysis.public_data.geography import mark_centres, municipal_areas, tatort_summary
    from analysis.public_data.regions import load_regions, membership
    from analysis.public_data.snapshot_checks import check_consistency
    from analysis.public_data.sources import read_areas, read_kommuner, read_lan, read_land_use, read_population, read_tatorter

    snaps = {i: snapshot(i) for i in snapshot_ids()}
    for s in snaps.values():
        s.verify()
    settings = load_settings()
    kommuner = read_kommuner(snaps["kommuner_boundaries"].path, snaps["kommuner_boundaries"].meta["layer"])
    known = set(kommuner["kommun_kod"])
    lan = read_lan(snaps["lan_boundaries"].path, snaps["lan_boundaries"].meta["layer"])
    population, population_date = read_population(snaps[settings.population_snapshot].path, known)
    land_use = read_land_use(snaps["land_use_2015"].path, known)
    areas = read_areas(snaps["areas_2015"].path, known)
    check_consistency(population, population_date, snaps[settings.population_snapshot].path, land_use, areas,
                      snaps["land_use_2015"].path, snaps["areas_2015"].path)
    tatorter = mark_centres(read_tatorter(snaps["tatorter_2020"].path, known, snaps["tatorter_2020"].meta["layer"]))
    regions = load_regions(known_kommuner=known)

    table = (
        kommuner[["kommun_kod", "kommun_namn", "lan_kod"]]
        .merge(lan[["lan_kod", "lan_namn"]], on="lan_kod", how="left", validate="m:1")
        .merge(municipal_demography(population), on="kommun_kod", how="left", validate="1:1")
        .merge(municipal_areas(land_use, areas), on="kommun_kod", how="left", validate="1:1")
        .merge(tatort_summary(tatorter), on="kommun_kod", how="left", validate="1:1")
    )
    table["centre_population"] = table["centre_population"].astype("Int64")
    table["n_tatorter"] = table["n_tatorter"].fillna(0).astype("int64")
    table["population_in_tatorter"] = table["population_in_tatorter"].fillna(0).astype("int64")
    table["density_land_per_km2"] = table["population"] / table["land_area_km2"]
    table["share_in_tatorter"] = table["population_in_tatorter"] / table["population"]
    table = table.round({"mean_age": 3, "share_age_0_19": 5, "share_age_65_plus": 5, "share_age_80_plus": 5,
                         "density_land_per_km2": 4, "share_in_tatorter": 5})

    write_csv(paths.processed("municipalities.csv"), table)
    write_geoparquet(paths.processed("municipalities.parquet"),
                     kommuner.merge(table[["kommun_kod", "lan_namn"]], on="kommun_kod"))
    write_geoparquet(paths.processed("counties.parquet"), lan)
    write_geoparquet(paths.processed("tatorter.parquet"), gpd.GeoDataFrame(tatorter, crs=tatorter.crs))
    members = membership(regions, table["kommun_kod"])
    write_csv(paths.processed("region_members.csv"), members)
    write_csv(paths.processed("compared_regions.csv"), compared_regions(regions, members))
    write_json(paths.processed("municipalities.meta.json"), {
        "population_reference_date": population_date,
        "area_reference_date": "2015-01-01",
        "tatorter_reference_date": "2020-12-31",
        "notes": [
            "mean_age counts each one-year age class at its midpoint (100+ as 100.5).",
            "share_in_tatorter divides tätort population (31 Dec 2020) by the municipal population "
            "at population_reference_date; the two dates differ.",
            "The municipal centre is the kommun's most populous tätort in 2020.",
        ],
        "sources": {s.id: {"file": s.file, "sha256": s.sha256, "reference_date": str(s.meta["reference_date"]),
                           "publisher": s.meta["publisher"], "licence": s.meta["licence"]}
                    for s in snaps.values()},
    })

