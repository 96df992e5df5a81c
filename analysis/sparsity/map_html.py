"""The interactive map as one self-contained piece of HTML, shown without network access.

folium's own notebook output loads Leaflet, jQuery, Bootstrap and Font Awesome from CDNs inside an
iframe, behind the text "Make this Notebook Trusted to load map"; a report opened offline (or handed
on as files) shows only that text. Here Leaflet 1.9.4 (BSD-2-Clause, from the ``django-js-lib-leaflet``
package, which holds the library's own files) is written into the page, the other libraries, which
only style markers and make the legend draggable, are left out, and the page goes into an iframe of
its own. The background tiles still come from the tile server when the reader is online; offline
the municipalities and tätorter are drawn on a blank background.
"""

from __future__ import annotations

import html
import re
from functools import cache
from importlib.resources import files

EXTERNAL_TAG = re.compile(r'\s*<(?:script src|link rel="stylesheet" href)="https?://[^"]+"\s*/?>(?:</script>)?')
LEAFLET_JS = re.compile(r'<script src="https?://[^"]*/leaflet(?:@[\d.]+)?/dist/leaflet\.js"></script>')
LEAFLET_CSS = re.compile(r'<link rel="stylesheet" href="https?://[^"]*/leaflet(?:@[\d.]+)?/dist/leaflet\.css"\s*/?>')
DRAGGABLE_LEGEND = re.compile(r"<script>\s*\$\( function\(\) \{.*?</script>", re.DOTALL)


@cache
def leaflet_files() -> tuple[str, str]:
    """Leaflet's JavaScript and CSS, as text; the CSS's images (the layer control's icon) as data URIs."""
    import base64

    static = files("js_lib_leaflet") / "static" / "js_lib_leaflet"
    css = (static / "leaflet.css").read_text(encoding="utf-8")
    for name in sorted(set(re.findall(r"url\(images/([\w.-]+\.png)\)", css))):
        data = base64.b64encode((static / "images" / name).read_bytes()).decode("ascii")
        css = css.replace(f"url(images/{name})", f"url(data:image/png;base64,{data})")
    return (static / "leaflet.js").read_text(encoding="utf-8"), css


def standalone_page(page: str) -> str:
    """folium's full HTML page with Leaflet inlined and no other external library."""
    script, style = leaflet_files()
    if not LEAFLET_JS.search(page) or not LEAFLET_CSS.search(page):
        raise ValueError("the map's page loads no Leaflet from a CDN; folium's template has changed")
    page = LEAFLET_JS.sub(lambda _: "<script>/* Leaflet placeholder */</script>", page, count=1)
    page = LEAFLET_CSS.sub(lambda _: "<style>/* Leaflet placeholder */</style>", page, count=1)
    page = DRAGGABLE_LEGEND.sub("", EXTERNAL_TAG.sub("", page))
    return (page.replace("<script>/* Leaflet placeholder */</script>", f"<script>{script}</script>", 1)
                .replace("<style>/* Leaflet placeholder */</style>", f"<style>{style}</style>", 1))


class OfflineMap:
    """A folium map that notebooks and Quarto show as a self-contained iframe (see the module)."""

    def __init__(self, fmap, height_px: int = 560) -> None:
        self.map = fmap
        self.height_px = height_px

    def __repr__(self) -> str:
        # The text form a notebook stores beside the HTML: without it, the object's memory address, which
        # differs on every run and would make two executions of the same notebook differ.
        return f"OfflineMap(height_px={self.height_px})"

    def get_root(self):
        return self.map.get_root()

    def _repr_html_(self) -> str:
        page = standalone_page(self.map.get_root().render())
        return (f'<iframe srcdoc="{html.escape(page, quote=True)}" title="Interaktiv karta" '
                f'style="width: 100%; height: {self.height_px}px; border: none;"></iframe>')
