"""Step: facts per configured region, and the comparison with the figures the report publishes."""

from __future__ import annotations

from pathlib import Path


from analysis.core import paths

PUBLISHED = "region_facts.csv"
PUBLISHED_REGIONS = "regions.yaml"  # the regions the published figures refer to (the GINO report's own)


def inputs() -> list[Path]:
    return [paths.processed("municipalities.csv"), paths.processed("region_members.csv"),
            paths.published_dir() / PUBLISHED, paths.published_dir() / PUBLISHED_REGIONS]


def outputs() -> list[Path]:
    return [paths.processed("region_facts.csv"), paths.processed("published_region_facts_comparison.csv")]


def run() -> None:
    import pandas as pd

    from analysis.public_data.region_facts import compare_published, region_facts
    from analysis.core.files import read_yaml, write_csv
    from analysis.public_data.regions import membership, parse_regions
    from analysis.public_data.sources import read_published_facts

    municipalities = pd.read_csv(paths.processed("municipalities.csv"), dtype={"kommun_kod": str, "lan_kod": str})
    members = pd.read_csv(paths.processed("region_members.csv"), dtype={"kommun_kod": str})
    published = read_published_facts(paths.published_dir() / PUBLISHED)
    facts = region_facts(municipalities, members)
    write_csv(paths.processed("region_facts.csv"), facts.round(6))
    # The published figures are the GINO report's: compared on its regions, whatever study region is configured.
    regions_path = paths.published_dir() / PUBLISHED_REGIONS
    published_regions = parse_regions(read_yaml(regions_path, "published regions"),
                                      regions_path, set(municipalities["kommun_kod"]))
    published_facts = region_facts(municipalities, membership(published_regions, municipalities["kommun_kod"]))
    write_csv(paths.processed("published_region_facts_comparison.csv"),
              compare_published(published, published_facts, municipalities,
                                source=str(paths.published_dir() / PUBLISHED)))
