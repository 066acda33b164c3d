"""The classifiers come from versioned files with their source: every table
has its file, the upgrade loads a new edition (new codes added, labels
updated, dropped codes kept out of force), records it in the configuration
history, and refuses a file it cannot trust before writing anything."""

from __future__ import annotations

import shutil

import psycopg2
import pytest

from zhytomyr_gis import classifiers, migrate


def _sql_copy(tmp_path):
    sql_dir = tmp_path / "sql"
    shutil.copytree(migrate.SQL_DIR, sql_dir)
    return sql_dir


def _upgrade(db, sql_dir) -> list[str]:
    log: list[str] = []
    conn = psycopg2.connect(db.superuser_dsn)
    try:
        migrate.migrate(conn, sql_dir=sql_dir, log=log.append)
    finally:
        conn.close()
    return log


def test_every_classifier_table_is_a_file_with_its_source(db):
    files = {c.table: c for c in classifiers.read()}
    with db.connect().cursor() as cur:
        cur.execute(
            "SELECT c.oid::regclass::text FROM pg_class c"
            " WHERE c.relnamespace = 'ref'::regnamespace AND c.relkind = 'r' AND c.relname LIKE 'cl\\_%'"
        )
        tables = {t for (t,) in cur.fetchall()}
        cur.execute(
            "SELECT table_name, checksum, citation, document, issued_on::text, codes FROM ref.classifier_source"
        )
        sources = {t: rest for t, *rest in cur.fetchall()}
        assert tables == set(files) == set(sources)
        for table, c in files.items():
            assert sources[table] == [c.checksum, c.source.citation, c.source.document, c.source.date, len(c.codes)]
            cur.execute(f"SELECT code, label_uk, label_en, group_code, sort_order FROM {table} WHERE active")
            in_force = {(code, uk, en, group, order) for code, uk, en, group, order in cur.fetchall()}
            assert in_force == {(k.code, k.label_uk, k.label_en, k.group_code, k.sort_order) for k in c.codes}, table
            cur.execute("SELECT obj_description(%s::regclass)", (table,))
            assert c.source.citation in cur.fetchone()[0]


def test_the_state_classifiers_hold_the_codes_the_rules_name():
    assert {"12.13", "07.08", "07.09", "02.12", "03.20", "14.02", "18.00"} <= classifiers.codes("land_use")
    assert {f"{n}00" for n in range(1, 10)} == classifiers.codes("land_category")
    assert {"3110", "3121", "3122", "3131", "3132", "3141", "3142", "3143", "3150", "3160", "3210", "3220", "3230",
            "3240"} == classifiers.codes("kekv")  # fmt: skip
    assert {"01.02", "03.01", "05.02", "06.01.1"} <= classifiers.codes("restriction_kind")
    assert {"КС-1", "ІН-1", "Ж-1", "Г-1", "Р-1", "В-1", "ТР-1", "С-1"} <= classifiers.codes("zone_code")
    assert "К-1" not in classifiers.codes("zone_code")
    assert {"UA18040190000029215", "UA18040190010057814", "UA18040190010115253", "UA18040190010281147"} == (
        classifiers.codes("katottg")
    )
    assert {"1810100000", "1810136300", "1810136600"} == classifiers.codes("koatuu")
    for c in classifiers.read():
        assert c.source.citation and c.source.document and c.source.date, c.name


def test_a_new_edition_adds_updates_and_takes_codes_out_of_force(db, tmp_path):
    editor = db.connect("t_budget_editor")
    with editor.cursor() as cur:  # a project that keeps code 3160
        cur.execute(
            "INSERT INTO budget.project (title_uk, object_name, sector, budget_year, fund, kpkvk, kekv, planned_uah,"
            " project_status, geom) VALUES ('Земля', 'Ділянка', 'roads', 2024, 'development', '1217461', '3160',"
            " 100000, 'planned', ST_SetSRID(ST_MakePoint(311371, 5569271), 9836)) RETURNING id"
        )
        (project,) = cur.fetchone()
    sql_dir = _sql_copy(tmp_path)
    path = sql_dir / "classifiers" / "kekv.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines = [line for line in lines if not line.startswith("3160,")]  # the new edition drops 3160 ...
    lines = [line.replace("Капітальні трансферти населенню", "Капітальні трансферти населенню (нова назва)")
             for line in lines]  # fmt: skip
    lines.append("3170,Новий код капітальних видатків,A new capital code,3100,15")  # ... and adds a code
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    with db.connect().cursor() as cur:
        cur.execute("SELECT max(id) FROM history.configuration_change")
        (last_change,) = cur.fetchone()
    log = _upgrade(db, sql_dir)
    assert any(line.startswith("classifier kekv: 14 codes in force of 15") for line in log), log
    su = db.connect()
    with su.cursor() as cur:
        cur.execute("SELECT code, active, label_uk FROM ref.cl_kekv WHERE code IN ('3160', '3170', '3240') ORDER BY 1")
        assert cur.fetchall() == [
            ("3160", False, "Придбання землі та нематеріальних активів"),
            ("3170", True, "Новий код капітальних видатків"),
            ("3240", True, "Капітальні трансферти населенню (нова назва)"),
        ]
        cur.execute("SELECT count(*) FROM published.classifier WHERE list = 'kekv' AND code = '3160'")
        assert cur.fetchone() == (0,)
        cur.execute(
            "SELECT action, old_values ->> 'active', new_values ->> 'active' FROM history.configuration_change"
            " WHERE table_name = 'ref.cl_kekv' AND (new_values ->> 'code') IN ('3160', '3170') AND id > %s ORDER BY id",
            (last_change,),
        )
        assert cur.fetchall() == [("insert", None, "true"), ("update", "true", "false")]
        cur.execute("SELECT checksum FROM ref.classifier_source WHERE table_name = 'ref.cl_kekv'")
        assert cur.fetchone()[0] == next(
            c.checksum for c in classifiers.read(sql_dir / "classifiers") if c.name == "kekv"
        )
        cur.execute("SELECT kekv FROM budget.project WHERE id = %s", (project,))
        assert cur.fetchone() == ("3160",), "a record keeps the code it had"
    # The record stays editable; a record that would take the dropped code is refused, naming the classifier.
    with editor.cursor() as cur:
        cur.execute("UPDATE budget.project SET planned_uah = 120000, version = version + 1 WHERE id = %s", (project,))
        with pytest.raises(psycopg2.errors.CheckViolation) as refused:
            cur.execute(
                "INSERT INTO budget.project (title_uk, object_name, sector, budget_year, fund, kpkvk, kekv,"
                " planned_uah, project_status, geom) VALUES ('Ще земля', 'Ділянка', 'roads', 2024, 'development',"
                " '1217461', '3160', 100000, 'planned', ST_SetSRID(ST_MakePoint(311371, 5569271), 9836))"
            )
    assert refused.value.diag.constraint_name == "kekv_code_in_force"
    assert (
        "не чинний" in refused.value.diag.message_primary
        and "наказ Мінфіну № 333" in refused.value.diag.message_primary
    )


def _a_file_without_table(directory) -> None:
    (directory / "new_list.csv").write_text(
        "code,label_uk,label_en,group_code,sort_order\na,а,a,,1\n", encoding="utf-8"
    )
    shutil.copy(directory / "kekv.toml", directory / "new_list.toml")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: (d / "kekv.toml").unlink(), "has no kekv.toml that names its source"),
        (lambda d: (d / "kekv.csv").write_text("code;label\n3110;x\n", encoding="utf-8"), "the header must be"),
        (lambda d: (d / "kekv.toml").write_text('title_uk = "КЕКВ"\n', encoding="utf-8"), "the source must give"),
        (_a_file_without_table, "no table ref.cl_new_list"),
    ],
    ids=["no source", "bad header", "source incomplete", "no table"],
)  # fmt: skip
def test_a_file_the_upgrade_cannot_trust_is_refused_and_nothing_written(db, tmp_path, change, words):
    sql_dir = _sql_copy(tmp_path)
    change(sql_dir / "classifiers")
    with db.connect().cursor() as cur:
        cur.execute("SELECT count(*), max(synced_at) FROM ref.classifier_source")
        before = cur.fetchone()
    with pytest.raises((classifiers.ClassifierFileError, migrate.MigrationError)) as refused:
        _upgrade(db, sql_dir)
    assert words in str(refused.value)
    with db.connect().cursor() as cur:
        cur.execute("SELECT count(*), max(synced_at) FROM ref.classifier_source")
        assert cur.fetchone() == before
