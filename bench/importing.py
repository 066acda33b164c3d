"""Benchmark of the import (``make bench-import``).

On a private PostgreSQL cluster (.run/bench-import-pg, port
ZGIS_BENCH_PGPORT or 55464; stopped at the end) with the migrations and an
approved boundary, it measures:

* a 1,000-parcel exchange file (МСК-18, shared boundary lines, the land of
  every parcel and a lease on every tenth) to drafts submitted for review
  by an editor                                            target <= 10 s
* 40,000 parcels from a GeoPackage to drafts submitted    target <= 60 s
* peak memory (RSS) of reading exchange files of 1k, 10k and 40k parcels,
  each in a fresh process: the stream keeps it flat.

Each import is given as wall-clock time and as the CPU time of the import
and of its database backend: on shared cores the wall clock grows with the
load of the machine, the CPU time does not.

Prints a table and writes .run/bench/import.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from zhytomyr_gis import migrate  # noqa: E402

PORT = int(os.environ.get("ZGIS_BENCH_PGPORT", "55464"))
DBNAME = "zgis_bench_import"
PASSWORD = "bench-password"
CENTRE = (311371.6, 5569271.9)  # EPSG:9836, the centre of Zhytomyr
TARGETS = {"exchange_1000_s": 10.0, "gpkg_40000_s": 60.0}


def log(message: str) -> None:
    print(message, flush=True)


def write_exchange_file(path: Path, count: int, zone: str = "05") -> None:
    """``count`` 20 x 20 m parcels in rows of 100, neighbours sharing their side lines."""
    columns = 100
    rows = (count + columns - 1) // columns
    x0, y0 = CENTRE[0] - 2500, CENTRE[1] - 2500

    def uidp(i: int, j: int) -> int:  # the grid node (i east, j north)
        return j * (columns + 1) + i + 1

    with open(path, "w", encoding="utf-8") as f:
        f.write('<?xml version="1.0" encoding="utf-8"?>\n<UkrainianCadastralExchangeFile><AdditionalPart>')
        f.write("<ServiceInfo><FileID><FileDate>2024-01-01</FileDate><FileGUID>B</FileGUID></FileID>")
        f.write("<FormatVersion>2.0</FormatVersion></ServiceInfo></AdditionalPart><InfoPart><MetricInfo>")
        f.write("<CoordinateSystem><Local>МСК-18</Local></CoordinateSystem><PointInfo>")
        for j in range(rows + 1):
            for i in range(columns + 1):
                f.write(f"<Point><UIDP>{uidp(i, j)}</UIDP><X>{y0 + 20 * j:.2f}</X><Y>{x0 + 20 * i:.2f}</Y></Point>")
        f.write("</PointInfo><Polyline>")
        # horizontal lines then vertical ones, each shared by the two parcels beside it
        ulid = 0
        h, v = {}, {}
        for j in range(rows + 1):
            for i in range(columns):
                ulid += 1
                h[(i, j)] = ulid
                f.write(f"<PL><ULID>{ulid}</ULID><Points><P>{uidp(i, j)}</P><P>{uidp(i + 1, j)}</P></Points></PL>")
        for j in range(rows):
            for i in range(columns + 1):
                ulid += 1
                v[(i, j)] = ulid
                f.write(f"<PL><ULID>{ulid}</ULID><Points><P>{uidp(i, j)}</P><P>{uidp(i, j + 1)}</P></Points></PL>")
        f.write(f"</Polyline></MetricInfo><CadastralZoneInfo><CadastralZoneNumber>1810100000:{zone}")
        f.write("</CadastralZoneNumber><CadastralQuarters>")
        for n in range(count):
            i, j = n % columns, n // columns
            if i == 0:
                f.write(f"<CadastralQuarterInfo><CadastralQuarterNumber>{j + 1:03d}</CadastralQuarterNumber><Parcels>")
            lines = [
                (h[(i, j)], uidp(i, j), uidp(i + 1, j)),
                (v[(i + 1, j)], uidp(i + 1, j), uidp(i + 1, j + 1)),
                (h[(i, j + 1)], uidp(i + 1, j + 1), uidp(i, j + 1)),  # walked backwards
                (v[(i, j)], uidp(i, j + 1), uidp(i, j)),
            ]
            refs = "".join(f"<Line><ULID>{u}</ULID><FP>{a}</FP><TP>{b}</TP></Line>" for u, a, b in lines)
            # As in real files: the land (угіддя) of every parcel, a lease on every tenth.
            lease = (
                "<Leases><LeaseInfo><LeaseAgreement><Leasees><Leasee><LegalEntity><Name>ТОВ «Орендар»</Name>"
                "<EDRPOU>04053625</EDRPOU></LegalEntity></Leasee></Leasees><Area>0.0400</Area><LeaseTerm>"
                "<StartDate>2020-01-01</StartDate><ExpirationDate>2030-12-31</ExpirationDate></LeaseTerm>"
                f"<RegistrationNumber>{n + 1}</RegistrationNumber></LeaseAgreement></LeaseInfo></Leases>"
                if n % 10 == 0
                else ""
            )
            f.write(
                "<ParcelInfo><CategoryPurposeInfo><Purpose>02.01</Purpose></CategoryPurposeInfo>"
                "<OwnershipInfo><Code>200</Code></OwnershipInfo><ParcelMetricInfo>"
                f"<ParcelID>{i + 1:04d}</ParcelID><Area><MeasurementUnit>Га</MeasurementUnit><Size>0.0400</Size></Area>"
                f"<Externals><Boundary><Lines>{refs}</Lines><Closed>true</Closed></Boundary></Externals>"
                "</ParcelMetricInfo><LandsParcel><LandParcelInfo><LandCode>002.02</LandCode><MetricInfo><Area>"
                f"<Size>0.0400</Size></Area></MetricInfo></LandParcelInfo></LandsParcel>{lease}</ParcelInfo>"
            )
            if i == columns - 1 or n == count - 1:
                f.write("</Parcels></CadastralQuarterInfo>")
        f.write("</CadastralQuarters></CadastralZoneInfo></InfoPart></UkrainianCadastralExchangeFile>\n")


def write_geopackage(path: Path, count: int) -> None:
    from osgeo import ogr, osr

    ogr.UseExceptions()
    source = ogr.GetDriverByName("GPKG").CreateDataSource(str(path))
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(9836)
    layer = source.CreateLayer("parcels", srs, ogr.wkbPolygon)
    for name in ("KADNUM", "PURPOSE"):
        layer.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    layer.CreateField(ogr.FieldDefn("AREA", ogr.OFTReal))
    layer.StartTransaction()
    x0, y0 = CENTRE[0] + 100, CENTRE[1] - 2500
    for n in range(count):
        i, j = n % 200, n // 200
        x, y = x0 + 12 * i, y0 + 12 * j
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField("KADNUM", f"1810100000:07:{j + 1:03d}:{i + 1:04d}")
        feature.SetField("PURPOSE", "02.01")
        feature.SetField("AREA", 0.01)
        feature.SetGeometry(
            ogr.CreateGeometryFromWkt(f"POLYGON(({x} {y},{x} {y + 10},{x + 10} {y + 10},{x + 10} {y},{x} {y}))")
        )
        layer.CreateFeature(feature)
    layer.CommitTransaction()


MAPPING = """register: property.land_parcel
key: cadastral_number
fields:
  cadastral_number: KADNUM
  area_ha: AREA
  land_use_code: PURPOSE
  ownership: {value: communal}
  lease_status: {value: free}
"""

PEAK_RSS = """
import resource, sys
sys.path.insert(0, {root!r})
from zhytomyr_gis.importing import settings
from zhytomyr_gis.importing.exchange_file import ExchangeFileReader
reader = ExchangeFileReader({path!r}, settings.load())
n = 0
for parcel in reader.parcels():
    parcel.compact()
    n += 1
print(n, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


class Work:
    """Wall-clock time and CPU time of one measured step: this process's and
    that of the database backend serving the connection (read from /proc on
    the same machine). On shared cores the wall clock grows with the load;
    the CPU seconds are the work itself and compare across runs."""

    def __init__(self, conn):
        with conn.cursor() as cur:
            cur.execute("SELECT pg_backend_pid()")
            self.backend = cur.fetchone()[0]
        conn.rollback()

    def _cpu(self) -> tuple[float, float]:
        own = resource.getrusage(resource.RUSAGE_SELF)
        fields = Path(f"/proc/{self.backend}/stat").read_text().rsplit(")", 1)[1].split()
        ticks = os.sysconf("SC_CLK_TCK")
        return own.ru_utime + own.ru_stime, (int(fields[11]) + int(fields[12])) / ticks

    def __enter__(self) -> Work:
        self.started, (self.client0, self.server0) = time.monotonic(), self._cpu()
        return self

    def __exit__(self, *_exc) -> None:
        client, server = self._cpu()
        self.wall_s = round(time.monotonic() - self.started, 2)
        self.client_cpu_s = round(client - self.client0, 2)
        self.database_cpu_s = round(server - self.server0, 2)

    def as_dict(self) -> dict:
        return {"wall_s": self.wall_s, "client_cpu_s": self.client_cpu_s, "database_cpu_s": self.database_cpu_s}

    def __str__(self) -> str:
        return f"{self.wall_s} s (CPU: import {self.client_cpu_s} s, database {self.database_cpu_s} s)"


def peak_rss(path: Path) -> tuple[int, float]:
    done = subprocess.run(
        [sys.executable, "-c", PEAK_RSS.format(root=str(ROOT), path=str(path))],
        check=True,
        capture_output=True,
        text=True,
    )
    parcels, kib = done.stdout.split()
    return int(parcels), int(kib) / 1024


class Cluster:
    def __init__(self, port: int):
        run = subprocess.run([str(ROOT / "tools" / "rundir.sh")], check=True, capture_output=True, text=True)
        self.run_dir = Path(run.stdout.strip()) / "bench-import-pg"
        self.port = port

    def ctl(self, *args: str) -> None:
        subprocess.run([str(ROOT / "tools" / "pgcluster.sh"), *args], check=True, stdout=subprocess.DEVNULL)

    def dsn(self, user: str | None = None, dbname: str = DBNAME) -> str:
        if user is None:
            return f"host={self.run_dir / 'socket'} port={self.port} user=postgres dbname={dbname}"
        return f"host=127.0.0.1 port={self.port} user={user} password={PASSWORD} dbname={dbname}"


def prepare(cluster: Cluster) -> None:
    admin = psycopg2.connect(cluster.dsn(dbname="postgres"))
    admin.autocommit = True
    with admin.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {DBNAME} WITH (FORCE)")
        cur.execute(f"CREATE DATABASE {DBNAME}")
    admin.close()
    conn = psycopg2.connect(cluster.dsn())
    migrate.migrate(conn, log=lambda _m: None)
    conn.autocommit = True
    with conn.cursor() as cur:
        for user, group in (("bench_admin", "gis_admin"), ("bench_admin2", "gis_admin"),
                            ("bench_property_editor", "property_editor")):  # fmt: skip
            cur.execute(
                f"DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{user}') THEN"
                f" CREATE ROLE {user} LOGIN; END IF; END $$; ALTER ROLE {user} PASSWORD '{PASSWORD}';"
                f" GRANT {group} TO {user};"
            )
    conn.close()
    x0, y0, x1, y1 = CENTRE[0] - 10000, CENTRE[1] - 10000, CENTRE[0] + 10000, CENTRE[1] + 10000
    editor = psycopg2.connect(cluster.dsn("bench_admin"))
    with editor, editor.cursor() as cur:
        cur.execute(
            "INSERT INTO ref.city_boundary (name_uk, name_en, katottg, geom) VALUES"
            " ('Житомирська міська територіальна громада', 'Zhytomyr urban hromada',"
            " 'UA18040190000029215', ST_GeomFromText(%s, 9836)) RETURNING id",
            (f"MULTIPOLYGON((({x0} {y0},{x1} {y0},{x1} {y1},{x0} {y1},{x0} {y0})))",),
        )
        boundary = cur.fetchone()[0]
        cur.execute("SELECT workflow.submit('ref.city_boundary', %s::bigint)", (boundary,))
    editor.close()
    verifier = psycopg2.connect(cluster.dsn("bench_admin2"))
    with verifier, verifier.cursor() as cur:
        cur.execute("SELECT workflow.approve('ref.city_boundary', %s::bigint, 1)", (boundary,))
    verifier.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000,40000", help="parcels per exchange file for the memory curve")
    parser.add_argument("--gpkg", type=int, default=40000, help="parcels in the GeoPackage")
    args = parser.parse_args(argv)
    from zhytomyr_gis.importing import settings as import_settings
    from zhytomyr_gis.importing.cadastral import import_file
    from zhytomyr_gis.importing.register_files import import_register

    settings = import_settings.load()
    results: dict = {"targets": TARGETS}
    cluster = Cluster(PORT)
    work = Path(tempfile.mkdtemp(prefix="zgis-bench-import-"))
    cluster.ctl("stop", str(cluster.run_dir))
    cluster.ctl("start", str(cluster.run_dir), str(cluster.port))
    try:
        prepare(cluster)
        sizes = [int(s) for s in args.sizes.split(",")]
        memory = {}
        for size in sizes:
            path = work / f"exchange_{size}.xml"
            write_exchange_file(path, size)
            parcels, mib = peak_rss(path)
            file_mib = round(path.stat().st_size / 2**20, 1)
            memory[size] = {"parcels": parcels, "file_mib": file_mib, "peak_rss_mib": round(mib, 1)}
            log(f"read {parcels} parcels ({memory[size]['file_mib']} MiB): peak RSS {mib:.1f} MiB")
        results["memory"] = memory
        path = work / "exchange_1000.xml"
        if not path.exists():
            write_exchange_file(path, 1000)
        conn = psycopg2.connect(cluster.dsn("bench_property_editor"))
        with Work(conn) as step:
            report = import_file(path, settings, conn=conn, dry_run=False)
        results["exchange_1000_s"] = step.wall_s
        results["exchange_1000_work"] = step.as_dict()
        conn.close()
        # 1,000 parcels, their 1,000 lands and 100 leases
        assert report.imported and report.submitted == 2100, report.as_dict()["findings"]
        log(f"exchange file, 1,000 parcels to drafts submitted: {step}")
        gpkg = work / "parcels.gpkg"
        write_geopackage(gpkg, args.gpkg)
        mapping = work / "mapping.yaml"
        mapping.write_text(MAPPING, encoding="utf-8")
        conn = psycopg2.connect(cluster.dsn("bench_property_editor"))
        with Work(conn) as step:
            register = import_register("property.land_parcel", gpkg, mapping, conn, settings, dry_run=False)
        results["gpkg_40000_s"] = step.wall_s
        results["gpkg_40000_work"] = step.as_dict()
        results["gpkg_parcels"] = args.gpkg
        conn.close()
        assert register.imported and register.submitted == args.gpkg, register.as_dict()
        log(f"GeoPackage, {args.gpkg:,} parcels to drafts submitted: {step}")
        results["load_average"] = os.getloadavg()
    finally:
        cluster.ctl("stop", str(cluster.run_dir))
    out = Path(subprocess.run([str(ROOT / "tools" / "rundir.sh")], capture_output=True, text=True).stdout.strip())
    (out / "bench").mkdir(parents=True, exist_ok=True)
    (out / "bench" / "import.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    ok = results["exchange_1000_s"] <= TARGETS["exchange_1000_s"] and results["gpkg_40000_s"] <= TARGETS["gpkg_40000_s"]
    log(f"targets {'met' if ok else 'MISSED'}: {json.dumps(results)}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
