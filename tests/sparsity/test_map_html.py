"""The interactive map shows without network access (analysis/sparsity/map_html.py)."""

from __future__ import annotations

import html
import re

import pytest

from analysis.sparsity.map_html import OfflineMap, standalone_page

FOLIUM_PAGE = """<!DOCTYPE html>
<html><head>
    <script src="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.js"></script>
    <script src="https://code.jquery.com/jquery-3.7.1.min.js"></script>
    <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/leaflet@1.9.3/dist/leaflet.css"/>
    <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/bootstrap@5.2.2/dist/css/bootstrap.min.css"/>
</head><body><div id="map"></div>
<script>$( function() {
        $( ".maplegend" ).draggable({});
    });
</script>
<script>var map = L.map("map"); L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png").addTo(map);</script>
</body></html>"""


def test_leaflet_is_inlined_and_no_library_is_loaded_from_elsewhere():
    page = standalone_page(FOLIUM_PAGE)
    assert not re.search(r'<(script src|link rel="stylesheet" href)="https?://', page)
    assert "Leaflet 1.9.4" in page and ".leaflet-control-layers-toggle" in page  # Leaflet's JS and CSS
    assert "url(images/" not in page and "data:image/png;base64," in page
    assert ".maplegend" not in page  # the draggable legend needs jQuery UI, which is left out
    assert 'L.map("map")' in page  # the map's own script stays


def test_a_page_that_loads_no_leaflet_is_an_error_not_a_blank_map():
    with pytest.raises(ValueError, match="no Leaflet"):
        standalone_page(FOLIUM_PAGE.replace("leaflet@1.9.3/dist/leaflet.js", "other.js"))


def test_the_notebook_output_is_an_iframe_without_the_trust_notice():
    class FakeMap:
        def get_root(self):
            class Root:
                def render(self):
                    return FOLIUM_PAGE
            return Root()

    output = OfflineMap(FakeMap())._repr_html_()
    assert output.startswith("<iframe srcdoc=") and "Make this Notebook Trusted" not in output
    assert "Leaflet 1.9.4" in html.unescape(output)


def test_the_text_form_beside_the_html_is_the_same_on_every_run():
    """A notebook stores an output's text form too; the default one names the object's memory address,
    so two executions of the same notebook would differ."""
    assert repr(OfflineMap(object())) == repr(OfflineMap(object())) == "OfflineMap(height_px=560)"
