"""Reading cadastral exchange files as real ones are written (no database)."""

from __future__ import annotations

import re

import pytest
from exchange_files import ExchangeFile, Parcel, neighbours, rectangle

from zhytomyr_gis.importing import settings as import_settings
from zhytomyr_gis.importing.exchange_file import ExchangeFileReader, NotAnExchangeFile, purpose_code

SETTINGS = import_settings.load()


def read(path):
    reader = ExchangeFileReader(path, SETTINGS)
    parcels = list(reader.parcels())
    return reader.info, parcels


def coordinates(wkt: str) -> list[tuple[float, float]]:
    numbers = [float(v) for v in re.findall(r"-?\d+\.\d+", wkt)]
    return list(zip(numbers[::2], numbers[1::2], strict=False))


VARIANTS = [
    # system, version, encoding, BOM, declared, namespace, CRLF, old layout
    ("MSK-18", "2.0", "utf-8", False, True, None, False, False),
    ("SC63-X3", "0.7", "windows-1251", False, True, None, True, True),
    ("USC2000-GK5", "1.0", "utf-8", True, True, "http://land.gov.ua/UkrainianCadastralExchangeFile", True, False),
    ("SC42-GK5", "0.4", "windows-1251", False, False, None, False, True),
]


@pytest.mark.parametrize("system,version,encoding,bom,declare,namespace,crlf,old_layout", VARIANTS)
def test_files_of_every_kind_read_to_the_same_parcels(
    tmp_path, system, version, encoding, bom, declare, namespace, crlf, old_layout
):
    exchange = ExchangeFile(
        neighbours(count=3), system=system, version=version, namespace=namespace, crlf=crlf, old_layout=old_layout
    )
    info, parcels = read(exchange.write(tmp_path / "ділянки.xml", encoding, bom=bom, declare=declare))
    assert [f.code for f in info.findings] == []
    assert info.format_version == version
    assert info.system.declared.label == {"MSK-18": "Local МСК-18", "SC63-X3": "SC63 X"}.get(
        system, system.split("-")[0]
    )
    assert (
        info.system.code
        == {
            "MSK-18": "EPSG:9836",
            "SC63-X3": "EPSG:7827",
            "USC2000-GK5": "EPSG:5563",
            "SC42-GK5": "EPSG:28405",
        }[system]
    )
    assert info.surveyor.company == "ТОВ «Житомирземпроект»" and info.surveyor.engineer == "Коваленко Олена"
    assert [p.cadastral_number for p in parcels] == [f"1810100000:01:001:{i:04d}" for i in (1, 2, 3)]
    for i, parcel in enumerate(parcels):
        assert parcel.findings == []
        assert parcel.purpose_code == "02.01" and parcel.ownership_code == "200"
        assert parcel.address == f"вулиця Київська, {i + 1}"
        assert parcel.vertex_count == 4
        # the area of the file's own coordinates agrees with the declared one…
        assert parcel.computed_area_m2 == pytest.approx(parcel.declared_area_ha * 10000, abs=0.5)
        # …and in EPSG:9836 the parcel is the 40 x 50 m rectangle it was drawn as
        assert parcel.area_9836_m2 == pytest.approx(2000, abs=0.1)  # coordinates written to the millimetre
        expected = rectangle(40 * i, 0, 40, 50)
        got = coordinates(parcel.wkt_9836)
        assert len(got) == 5
        for (x, y), (ex, ey) in zip(got, expected, strict=False):
            assert abs(x - ex) < 0.01 and abs(y - ey) < 0.01, (got, expected)
    assert "windows-1251" in info.encoding if encoding == "windows-1251" else "utf-8" in info.encoding


def test_a_ring_from_lines_in_any_order_and_direction(tmp_path):
    """The second parcel walks the line it shares with the first backwards;
    a parcel whose lines are listed out of order still closes."""
    exchange = ExchangeFile(neighbours(count=2))
    text = exchange.xml()
    # put the first parcel's lines out of order (the 3rd line first)
    first = re.search(r"<Externals><Boundary><Lines>(.*?)</Lines>", text).group(1)
    lines = re.findall(r"<Line>.*?</Line>", first)
    text = text.replace(first, "".join([lines[2], lines[0], lines[3], lines[1]]), 1)
    path = tmp_path / "order.xml"
    path.write_text(text, encoding="utf-8")
    info, parcels = read(path)
    assert [p.findings for p in parcels] == [[], []]
    assert [round(p.area_9836_m2) for p in parcels] == [2000, 2000]


def test_holes_are_cut_out(tmp_path):
    outer = rectangle(0, 0, 100, 100)
    hole = rectangle(40, 40, 20, 20)[::-1]
    info, (parcel,) = read(ExchangeFile([Parcel("01:002:0001", [outer, hole])]).write(tmp_path / "h.xml"))
    assert parcel.findings == []
    assert parcel.area_9836_m2 == pytest.approx(9600, abs=0.01)
    assert parcel.declared_area_ha == pytest.approx(0.96)
    assert parcel.wkt_9836.count("(") == 4  # multipolygon, polygon, its two rings


@pytest.mark.parametrize(
    "written,code",
    [("02.01", "02.01"), ("2.1", "02.01"), ("02.01 Для будівництва і обслуговування житлового будинку", "02.01"),
     ("03.07 - Для будівництва та обслуговування будівель торгівлі", "03.07"), ("житлова забудова", None)],
)  # fmt: skip
def test_purpose_as_a_code_or_a_code_followed_by_text(written, code):
    assert purpose_code(written) == code


def test_each_bad_element_gets_its_message(tmp_path):
    parcels = neighbours(count=6, dy=100)  # 0005 loses a side: a gap, the ring stays open
    parcels[0].declared_area_ha = 0.3000  # 0.2000 in the coordinates
    parcels[5].extra_xml = "<Frobnicate>1</Frobnicate>"
    exchange = ExchangeFile(
        parcels,
        break_line={
            "01:001:0002": "missing",
            "01:001:0003": "fptp",
            "01:001:0004": "open",
            "01:001:0005": "gap",
        },
        share_lines=False,
    )
    info, read_parcels = read(exchange.write(tmp_path / "bad.xml"))
    by_number = {p.cadastral_number[-4:]: p for p in read_parcels}
    codes = {n: [f.code for f in p.findings] for n, p in by_number.items()}
    assert codes == {
        "0001": ["area_mismatch"],
        "0002": ["missing_polyline"],
        "0003": ["broken_polyline"],
        "0004": ["unclosed_ring"],
        "0005": ["unclosed_ring"],
        "0006": [],
    }
    messages = {n: p.findings[0].message_uk for n, p in by_number.items() if p.findings}
    assert messages["0001"].startswith("Площа ділянки 0.3000 га не збігається з площею за координатами 0.2000 га")
    assert "ULID=9999" in messages["0002"] and "MetricInfo/Polyline" in messages["0002"]
    assert "не з'єднує точки FP=999" in messages["0003"]
    assert messages["0004"].startswith("Контур межі не замкнений")
    assert all(p.findings[0].line for p in by_number.values() if p.findings)
    unknown = [f for f in info.findings if f.code == "unknown_element"]
    assert len(unknown) == 1 and "«Frobnicate»" in unknown[0].message_uk and unknown[0].severity == "warning"
    assert unknown[0].line > 1 and unknown[0].path.endswith("ParcelInfo/Frobnicate")


def test_all_zero_coordinates(tmp_path):
    exchange = ExchangeFile(neighbours(count=1), break_line={"01:001:0001": "zero"})
    _info, (parcel,) = read(exchange.write(tmp_path / "zero.xml"))
    assert [f.code for f in parcel.findings] == ["zero_coordinates"]
    assert parcel.findings[0].message_uk == "Точка UIDP=1 має нульові координати (X = 0, Y = 0)"


def test_the_files_stated_error_is_the_tolerance(tmp_path):
    parcels = neighbours(count=2)
    parcels[0].declared_area_ha, parcels[0].area_error = 0.2004, 0.0005  # 4 m² off, 5 m² allowed
    parcels[1].declared_area_ha, parcels[1].area_error = 0.2004, 0.0002  # 4 m² off, 2 m² allowed
    _info, parcels = read(ExchangeFile(parcels).write(tmp_path / "err.xml"))
    assert [[f.code for f in p.findings] for p in parcels] == [[], ["area_mismatch"]]
    assert "похибка, вказана у файлі 2.0 м²" in parcels[1].findings[0].message_uk


def test_a_valuation_file_is_named_as_such(tmp_path):
    path = tmp_path / "ngo.xml"
    path.write_text(
        '<?xml version="1.0" encoding="utf-8"?><NormativeMonetaryValuation><Parcel/></NormativeMonetaryValuation>',
        encoding="utf-8",
    )
    with pytest.raises(NotAnExchangeFile) as refused:
        read(path)
    assert refused.value.finding.message_uk == (
        "ngo.xml — це файл нормативної грошової оцінки, а не обмінний файл кадастру"
        " (кореневий елемент «NormativeMonetaryValuation»)"
    )


def test_a_file_that_is_not_xml(tmp_path):
    path = tmp_path / "parcel.in4"
    path.write_text("BL 1810100000:01:001:0001\nSR 0.2000\n", encoding="utf-8")
    with pytest.raises(NotAnExchangeFile) as refused:
        read(path)
    assert refused.value.finding.message_uk.startswith("Файл parcel.in4 не є правильним XML")


def test_a_wrong_utf8_declaration_is_read_as_windows_1251(tmp_path):
    exchange = ExchangeFile(neighbours(count=1))
    path = tmp_path / "w.xml"
    path.write_bytes(('<?xml version="1.0" encoding="utf-8"?>\n' + exchange.xml()).encode("windows-1251"))
    info, (parcel,) = read(path)
    assert [f.code for f in info.findings] == ["wrong_encoding"] and parcel.findings == []
    assert info.surveyor.company == "ТОВ «Житомирземпроект»"


def test_a_system_without_an_official_source_warns(tmp_path):
    """СК-63 district C: parameters with no EPSG code or official publication."""
    exchange = ExchangeFile(neighbours(count=1), system="SC63-X3")
    text = exchange.xml().replace("<SC63><X/></SC63>", "<SC63><C/></SC63>")
    path = tmp_path / "c.xml"
    path.write_text(text, encoding="utf-8")
    info, (parcel,) = read(path)
    assert [f.code for f in info.findings] == ["unconfirmed_system"]
    assert info.system.zone == 3 and "СК-63, район C, зона 3" in info.system.name
    assert parcel.wkt_9836 is not None


def test_a_zone_that_does_not_exist(tmp_path):
    exchange = ExchangeFile(neighbours(count=1), system="MSK-18")
    text = exchange.xml().replace("<Local>МСК-18</Local>", "<SC63><X/></SC63>")  # eastings 3xxxxx: zone 0
    path = tmp_path / "z.xml"
    path.write_text(text, encoding="utf-8")
    info, (parcel,) = read(path)
    assert [f.code for f in info.findings] == ["coordinate_system"]
    assert info.findings[0].message_uk.startswith("Система координат «SC63 X»: зони 0 немає")
    assert parcel.wkt_9836 is None


@pytest.mark.parametrize(
    "code,name,kind",
    [
        # the words of the name, whichever edition of the classifier the code comes from
        ("01.05", "Охоронна зона навколо (вздовж) об'єкта енергетичної системи", "01.05"),
        ("01.01.02", "охоронна зона навколо об’єкта культурної спадщини", "01.02"),
        ("", "Прибережна захисна смуга вздовж річок, навколо водойм та на островах", "05.02"),
        ("", "Санітарно-захисна зона навколо об'єкта", "03.01"),
        ("", "Зона санітарної охорони джерел централізованого питного водопостачання", "02.01"),
        ("", "Водоохоронна зона", "05.01"),
        ("", "Земельний сервітут: право проходу", None),
    ],
)
def test_the_kind_of_a_restriction_from_the_file(code, name, kind):
    assert SETTINGS.restriction_kind(code, name) == kind


def test_a_city_maps_restriction_codes_of_its_own(tmp_path):
    """A code (or its first dotted parts) in the settings decides before the words."""
    own = tmp_path / "settings.json"
    own.write_text('{"restriction_kinds": {"codes": {"08": "utility", "01.05.12": "historic"}, "words": {}}}')
    settings = import_settings.load(own)
    assert settings.restriction_kind("08.01", "Земельний сервітут") == "utility"
    assert settings.restriction_kind("01.05.12", "енергетичної системи") == "historic"
    assert settings.restriction_kind("01.05", "енергетичної системи") is None  # no words in this city's settings


def test_an_unclassified_restriction_is_kept_with_a_warning(tmp_path):
    from zhytomyr_gis.importing.parcel_parts import RESTRICTION, parts_of

    parcel = Parcel("01:001:0001", [rectangle(0, 0, 40, 50)])
    parcel.extra_xml = (
        "<Restrictions><RestrictionInfo><RestrictionCode>08.01</RestrictionCode>"
        "<RestrictionName>Земельний сервітут: право проходу</RestrictionName></RestrictionInfo></Restrictions>"
    )
    path = ExchangeFile([parcel]).write(tmp_path / "s.xml")
    (read,) = ExchangeFileReader(path, SETTINGS).parcels()
    parts, warnings = parts_of(read, SETTINGS)
    restriction = next(p for p in parts if p.table == RESTRICTION)
    assert restriction.value("cadastre_code") == "08.01" and restriction.value("kind") is None
    assert restriction.value("name_uk") == "Земельний сервітут: право проходу"
    assert [w.code for w in warnings] == ["restriction_kind"] and "08.01" in warnings[0].message_uk
