"""What the browser tests do on a page: open it, wait for the map, look at pixels."""

from __future__ import annotations

import math
from urllib.parse import parse_qs, urlsplit

from pyproj import Transformer

from . import data

_TO_WGS84 = Transformer.from_crs("EPSG:9836", "EPSG:4326", always_xy=True)


def lonlat(offset: tuple[float, float]) -> tuple[float, float]:
    """Longitude and latitude of a point given as (dx, dy) metres from the test city's centre."""
    return _TO_WGS84.transform(*data.absolute(offset))


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Approximate ground distance between two lon/lat points (metres)."""
    dx = (a[0] - b[0]) * 111_320 * math.cos(math.radians(a[1]))
    dy = (a[1] - b[1]) * 110_540
    return math.hypot(dx, dy)


def open_page(page, url: str) -> None:
    """Open a portal page and wait until its script has finished setting it up."""
    page.goto(url)
    page.wait_for_selector("body[data-ready=true]")


def wait_for_map(page) -> None:
    """Wait until OpenLayers has drawn every image the view needs."""
    page.evaluate(
        """() => new Promise((resolve) => {
            const map = window.zgisViewer.map;
            map.once('rendercomplete', () => resolve());
            map.render();
        })"""
    )


def canvas_pixels(page) -> dict:
    """Painted (non-transparent) pixels and distinct colours over the map's canvases (sampled)."""
    return page.evaluate(
        """() => {
            let painted = 0, total = 0;
            const colours = new Set();
            for (const canvas of document.querySelectorAll('#map canvas')) {
                if (!canvas.width || !canvas.height) continue;
                const pixels = canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data;
                for (let i = 0; i < pixels.length; i += 4 * 7) {
                    total++;
                    if (pixels[i + 3] > 0) {
                        painted++;
                        colours.add((pixels[i] << 16) | (pixels[i + 1] << 8) | pixels[i + 2]);
                    }
                }
            }
            return { painted, total, colours: colours.size };
        }"""
    )


def view_state(page) -> dict:
    """The viewer's map, layers, centre and zoom as its address (the permalink) states them."""
    fragment = urlsplit(page.url).fragment
    params = {k: v[0] for k, v in parse_qs(fragment).items()}
    lon, lat = (float(v) for v in params["center"].split(","))
    return {
        "map": params["map"],
        "layers": params["layers"].split(",") if params.get("layers") else [],
        "center": (lon, lat),
        "zoom": float(params["zoom"]),
        "base": params.get("base") != "off",
    }


def click_map_centre(page) -> None:
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)


def map_url(server, map_id: str, centre: tuple[float, float] | None = None, zoom: float = 18, **extra: str) -> str:
    parts = [f"map={map_id}"]
    if centre:
        parts += [f"center={centre[0]:.6f},{centre[1]:.6f}", f"zoom={zoom}"]
    parts += [f"{k}={v}" for k, v in extra.items()]
    return server.url("/map.html#" + "&".join(parts))
