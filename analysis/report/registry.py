"""Every table the documents print, registered for the disclosure audit.

The ledger (``analysis.report.ledger``) turns what the documents print into facts; this registry lists
the tables themselves, so that a test executing every document fails on a table nobody registered (and
``gino feedback`` reports one as a problem).
"""

from __future__ import annotations

# Every table a document prints, by its cell label, and what it holds: ``subgroups`` (survey figures by
# municipality or role group, as the plan shows them), ``regional`` (the region's survey figures, in the
# ledger above), ``public`` (public data, Kolada as published, the report's own figures, or no survey count).
# The completeness test executes every document and fails on a table that is not here (``?``: unlabelled).
TABLES = {
    "kommun": {"tbl-kommun-fakta": "public", "tbl-kommun-brukare": "subgroups", "tbl-kommun-kolada-2018": "public",
               "tbl-kommun-kolada-2019": "public", "tbl-kommun-kolada-ar": "public",
               "tbl-kommun-skillnad": "subgroups", "tbl-kommun-resor": "subgroups",
               "tbl-kommun-klimat": "subgroups"},
    "affisch": {"kolada": "public"},
    "bildspel": {"bildspel-resor": "subgroups"},
    "01-data": {"tbl-data-sources": "public", "tbl-data-surveys": "regional", "tbl-data-respondents": "subgroups",
                "tbl-data-region-facts": "public", "tbl-data-published": "regional", "tbl-data-reconciliations": "regional"},
    "02-innovation-climate": {"tbl-innovation-capability": "regional", "tbl-innovation-aspects": "regional",
                              "tbl-innovation-ipa": "regional", "tbl-innovation-paired": "regional",
                              "tbl-innovation-design-effect": "regional", "tbl-innovation-culture": "regional",
                              "tbl-innovation-organisation": "regional", "?": "regional",
                              "tbl-innovation-roles": "subgroups"},
    "03-client-surveys": {"tbl-client-headline": "regional", "tbl-client-years": "regional",
                          "tbl-client-distance": "regional", "tbl-client-form": "regional",
                          "tbl-client-distance-form": "regional", "tbl-client-distance-form-collapsed": "regional",
                          "tbl-client-distance-form-test": "regional", "tbl-client-remote-model": "regional",
                          "tbl-client-municipality": "subgroups", "tbl-client-municipality-travel": "subgroups"},
    "04-sparsity": {"tbl-region-facts-comparison": "public", "tbl-sparsity-distances": "public",
                    "tbl-sparsity-municipalities": "public", "tbl-sparsity-regions": "public"},
    "05-ideas": {"tbl-ideas-count": "public", "tbl-ideas": "public"},
    "06-kolada": {label: "public" for label in (
        "tbl-kolada-groups-2018", "tbl-kolada-groups-2019", "tbl-kolada-municipalities-2018",
        "tbl-kolada-municipalities-2019", "tbl-kolada-trends", "tbl-kolada-poster", "tbl-kolada-poster-rules",
        "tbl-kolada-facts", "tbl-kolada-ifo-costs", "tbl-kolada-joint", "tbl-kolada-rural",
        "tbl-kolada-response-rates", "tbl-kolada-gender", "tbl-kolada-areas", "tbl-kolada-definitions",
        "tbl-kolada-snapshots")},
}
