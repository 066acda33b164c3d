"""Printed maps: QGIS Server's GetPrint with the projects' layouts, read as a
person reads the paper (pdftotext for the words, pdftoppm for the picture).
"""

from __future__ import annotations

import datetime
import io
import subprocess
import tempfile

import psycopg2
import pytest
from conftest import CENTRE, ROOT
from PIL import Image
from pyproj import Transformer

from zhytomyr_gis.publishing import catalog

from .seed import PROBES

SCREENSHOTS = ROOT / ".run" / "screenshots"
SCREENSHOTS.mkdir(parents=True, exist_ok=True)

TO_3857 = Transformer.from_crs("EPSG:9836", "EPSG:3857", always_xy=True)
PERMALINK = "http://127.0.0.1/map.html#map=property&center=28.65780,50.25440&zoom=16.00"
CANARY = "КАНАРКА-ДРУК-5e1"


def extent_3857(dx: float, dy: float, half: float, template: str = "a4-portrait") -> str:
    """An extent around a point, of the shape of the template's map (as the geoportal asks)."""
    x, y = CENTRE[0] + dx, CENTRE[1] + dy
    w, h = catalog.print_map_size(template)
    hx, hy = (half * w / h, half) if w > h else (half, half * h / w)
    (x0, x1), (y0, y1) = TO_3857.transform([x - hx, x + hx], [y - hy, y + hy])
    return f"{x0},{y0},{x1},{y1}"


def get_print(server, project: str, template: str, **extra):
    params = {
        "SERVICE": "WMS",
        "VERSION": "1.3.0",
        "REQUEST": "GetPrint",
        "TEMPLATE": template,
        "FORMAT": "pdf",
        "DPI": "100",
        "CRS": "EPSG:3857",
        **extra,
    }
    return server.get(project, **params)


def pdf_text(pdf: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=pdf, capture_output=True, check=True
    ).stdout.decode()


def pdf_pages(pdf: bytes) -> int:
    info = subprocess.run(["pdfinfo", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pdf_image(pdf: bytes, dpi: int = 60) -> Image.Image:
    """The page as a reader sees it (pdftoppm), in grey."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run(
            ["pdftoppm", "-png", "-r", str(dpi), "-singlefile", "-", f"{folder}/page"], input=pdf, check=True
        )
        return Image.open(f"{folder}/page.png").convert("L")


def dark_share(image: Image.Image, box: tuple[float, float, float, float]) -> float:
    """Share of dark pixels in a box given as fractions of the page (left, top, right, bottom)."""
    w, h = image.size
    crop = image.crop((int(box[0] * w), int(box[1] * h), int(box[2] * w), int(box[3] * h)))
    pixels = list(crop.getdata())
    return sum(1 for p in pixels if p < 100) / len(pixels)


@pytest.fixture(scope="module")
def canary_draft(public_server):
    """A draft parcel next to the printed ones, with a canary address: never on paper."""
    editor = psycopg2.connect(public_server.dsn("t_property_editor"))
    editor.autocommit = True
    x, y = CENTRE[0] - 480, CENTRE[1] + 520
    with editor.cursor() as cur:
        cur.execute(
            "INSERT INTO property.land_parcel (cadastral_number, area_ha, land_use_code, ownership, lease_status,"
            " address_text, geom) VALUES ('1810100000:01:009:0099', 0.5, '03.15', 'communal', 'free', %s,"
            " ST_GeomFromText(%s, 9836)) RETURNING id",
            (CANARY, f"MULTIPOLYGON((({x} {y},{x + 100} {y},{x + 100} {y + 100},{x} {y + 100},{x} {y})))"),
        )
        draft = cur.fetchone()[0]
    try:
        yield draft
    finally:
        with editor.cursor() as cur:
            cur.execute("DELETE FROM property.land_parcel WHERE id = %s", (draft,))
        editor.close()


@pytest.mark.parametrize("template", ["a4-portrait", "a4-landscape", "a3-portrait", "a3-landscape"])
def test_a_map_prints_with_title_legend_scale_dates_and_disclaimer(public_server, canary_draft, template):
    project = next(p for p in catalog.PROJECTS if p.id == "property")
    response = get_print(
        public_server,
        "property",
        template,
        **{
            "map0:EXTENT": extent_3857(-300, 200, 500, template),
            "map0:LAYERS": "property_land_parcel,property_property_object",
            "PERMALINK": PERMALINK,
        },
    )
    assert response.status_code == 200, response.text[:500]
    assert response.headers["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf_pages(pdf) == 1
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert project.title_uk in flat
    assert "Умовні позначення" in text and "Земельні ділянки" in text
    assert "Масштаб 1:" in flat
    assert f"Дата друку: {datetime.date.today():%d.%m.%Y}" in text
    assert "Дані затверджено станом на: " + f"{datetime.date.today():%d.%m.%Y}" in flat  # seeded today
    assert "не замінюють офіційних документів" in flat
    assert "Петренко" not in text and "Іваненко" not in text and CANARY not in text
    # The QR code of the view is drawn in the bottom right corner; without a permalink it is not.
    image = pdf_image(pdf)
    corner = (0.8, 0.85, 0.99, 0.99)
    assert dark_share(image, corner) > 0.05
    without = get_print(
        public_server,
        "property",
        template,
        **{"map0:EXTENT": extent_3857(-300, 200, 500, template), "map0:LAYERS": "property_land_parcel"},
    )
    assert dark_share(pdf_image(without.content), corner) < 0.02
    pdf_image(pdf, 70).save(SCREENSHOTS / f"print-{template}.png")
    # The map shows the parcels (their colour fills part of the map area).
    assert dark_share(image, (0.1, 0.2, 0.6, 0.5)) < 0.9


def test_png_and_the_title_of_the_portal(public_server):
    response = get_print(
        public_server,
        "property",
        "a4-landscape",
        FORMAT="png",
        DPI="50",
        title="Моя карта ділянок",
        **{"map0:EXTENT": extent_3857(-300, 200, 500), "map0:LAYERS": "property_land_parcel"},
    )
    assert response.status_code == 200 and response.headers["Content-Type"] == "image/png"
    image = Image.open(io.BytesIO(response.content))
    assert image.size[0] > image.size[1] > 300  # landscape A4 at 50 dpi: 584 x 413
    pdf = get_print(
        public_server,
        "property",
        "a4-landscape",
        title="Моя карта ділянок",
        **{"map0:EXTENT": extent_3857(-300, 200, 500)},
    )
    assert "Моя карта ділянок" in pdf_text(pdf.content)


def test_an_extract_of_one_parcel(public_server, canary_draft):
    parcel_id = public_server.seeded.ids["property.land_parcel"][1]  # the one a private person uses
    response = get_print(public_server, "property", "extract-property_land_parcel", ATLAS_PK=str(parcel_id))
    assert response.status_code == 200, response.text[:500]
    pdf = response.content
    assert pdf_pages(pdf) == 1
    pdf_image(pdf, 70).save(SCREENSHOTS / "print-extract-parcel.png")
    text = pdf_text(pdf)
    flat = " ".join(text.split())
    assert "Витяг: Земельні ділянки" in flat
    assert "1810100000:01:001:0002" in text
    assert "Кадастровий номер: 1810100000:01:001:0002" in flat
    assert f"Затверджено: {datetime.date.today():%d.%m.%Y}" in flat
    assert "Площа, га: 0.64" in flat or "Площа, га: 0,64" in flat
    assert "Петренко" not in text and CANARY not in text  # no private person, no unapproved change
    assert "ПІБ" not in text and "РНОКПП" not in text  # personal fields are not even named


@pytest.mark.parametrize(
    ("layer", "table", "code"),
    [
        ("property_property_object", "property.property_object", "04053625/10310002"),
        ("advertising_structure", "advertising.structure", "РК-"),
        ("investment_site", "investment.site", "ІНВ-001"),
    ],
)
def test_extracts_of_the_other_objects(public_server, layer, table, code):
    project = next(p.id for p in catalog.PROJECTS if any(lyr.name == layer for lyr in p.layers))
    index = 1 if table == "property.property_object" else 0
    record = public_server.seeded.ids[table][index]
    response = get_print(public_server, project, f"extract-{layer}", ATLAS_PK=str(record))
    assert response.status_code == 200, response.text[:500]
    text = pdf_text(response.content)
    assert code in text and "Затверджено:" in text
    assert "Іваненко" not in text


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"DPI": "1200"}, "DPI 1200 is outside"),
        ({"DPI": "many"}, "DPI must be a number"),
        ({"FORMAT": "svg"}, "PDF or PNG"),
        ({"map0:WIDTH": "100000"}, "page size comes from the template"),
        ({"PERMALINK": "javascript:alert(1)"}, "PERMALINK"),
    ],
)
def test_print_requests_beyond_the_limits_are_refused_clearly(public_server, params, message):
    response = get_print(public_server, "property", "a4-portrait", **{"map0:EXTENT": extent_3857(0, 0, 500), **params})
    assert response.status_code == 400
    assert "ServiceException" in response.text and message in response.text
    assert PROBES  # the seeded city is there: the refusal is about the request, not the data
