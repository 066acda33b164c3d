"""The open datasets, declared once: what each table holds, in which order,
under which names, and where the structure comes from.

Legal basis: Постанова Кабінету Міністрів України від 21.10.2015 № 835
«Про затвердження Положення про набори даних, які підлягають оприлюдненню
у формі відкритих даних», the list of datasets in the edition of
постанова КМУ від 17.04.2019 № 409, with the later amendments (``LEGAL_BASIS``).

Where data.gov.ua publishes a recommended structure for a dataset
(«Рекомендації щодо оприлюднення наборів даних», data.gov.ua/pages/835-recm-…)
its field names and their order are followed for the fields this system
holds, and the city's additions follow after them; the other datasets are
in a structure of our own, documented field by field here (the Table
Schemas are generated from these declarations). Every query reads the
``published`` schema only, so unapproved changes and personal columns
(left out of the published copies) cannot reach a file.
"""

from __future__ import annotations

from dataclasses import dataclass

LEGAL_BASIS = (
    "Постанова Кабінету Міністрів України від 21.10.2015 № 835 «Про затвердження Положення про набори даних, "
    "які підлягають оприлюдненню у формі відкритих даних» (перелік наборів у редакції постанови КМУ "
    "від 17.04.2019 № 409, зі змінами)"
)

# Recommended structures published on data.gov.ua (the pages the structures follow).
RECOMMENDATION_PROPERTY = (
    "data.gov.ua, «Перелік об’єктів комунальної власності» — рекомендована структура "
    "(https://data.gov.ua/pages/835-recm-property-register)"
)
RECOMMENDATION_ADVERTISING = (
    "data.gov.ua, «Інформація про рекламні засоби» — рекомендована структура (ресурс «Дозволи на розміщення "
    "зовнішньої реклами»: id, issuedDate, authorityName, authorityId, distributorName, distributorId, status, "
    "validFrom, validThrough, …)"
)
OUR_STRUCTURE = "Структура Житомирської міської ради (описана в Table Schema цього набору)"

# The code list of the recommended advertising structure for a permit's status.
PERMIT_STATUS = {
    "valid": "Чинний",
    "expired": "Втратив чинність за терміном дії",
    "annulled": "Анульований",
    "reissued": "Перевиданий",
}


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # Table Schema type: string | integer | number | date | boolean
    title: str  # Ukrainian label (XLSX sheet "Опис полів", the portal)
    description: str
    sql: str  # expression over the resource's FROM clause
    required: bool = False
    pattern: str | None = None
    enum: tuple[str, ...] | None = None
    unique: bool = False


@dataclass(frozen=True)
class Resource:
    name: str  # file stem: <dataset>/<name>.csv …
    title: str
    description: str
    from_sql: str  # FROM clause over published.* (alias t for the main table)
    columns: tuple[Column, ...]
    tables: tuple[str, ...]  # published tables read (their last approval dates the dataset)
    geometry: str | None = None  # SQL of the geometry in EPSG:9836 (None: a plain table)
    order_by: str = "t.id"
    where: str = "true"

    @property
    def spatial(self) -> bool:
        return self.geometry is not None


@dataclass(frozen=True)
class Dataset:
    id: str  # folder and CKAN name
    title: str
    title_en: str
    description: str
    description_en: str
    list_item: str  # the dataset's name in the КМУ № 835 list, or why it is published anyway
    structure: str  # which recommended structure it follows, or ours
    department: str
    keywords: tuple[str, ...]
    resources: tuple[Resource, ...]

    @property
    def tables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(t for r in self.resources for t in r.tables))


def label(classifier: str, code_sql: str) -> str:
    """SQL of a classifier code's Ukrainian label (from the public classifier view)."""
    return f"(SELECT c.label_uk FROM published.classifier c WHERE c.list = '{classifier}' AND c.code = {code_sql})"


def org_name(edrpou_sql: str) -> str:
    """SQL of an organisation's full name by its ЄДРПОУ (published organisations only)."""
    return f"(SELECT o.name_uk FROM published.ref_organisation o WHERE o.edrpou = {edrpou_sql} LIMIT 1)"


def C(name, type_, title, description, sql, **kw) -> Column:  # noqa: N802 - reads like a table row
    return Column(name, type_, title, description, sql, **kw)


EDRPOU = r"^[0-9]{8}$"
CADASTRAL = r"^[0-9]{10}:[0-9]{2}:[0-9]{3}:[0-9]{4}$"
PROZORRO = r"^UA-[0-9]{4}-[0-9]{2}-[0-9]{2}-[0-9]{6}(-[a-z])?$"
# The owner of municipal property and the issuer of permits: filled from the settings.
OWNER_NAME = "%(owner_name)s::text"
OWNER_ID = "%(owner_id)s::text"
AUTHORITY_NAME = "%(authority_name)s::text"


# Every table ends with the date its row was approved (the published copy's stamp).
APPROVED_AT = C(
    "approvedAt",
    "date",
    "Дата затвердження",
    "Дата затвердження запису перевіряючим",
    "t.published_at::date",
    required=True,
)


def _coordinates(what: str, geom: str = "t.geom") -> tuple[Column, Column]:
    """Latitude and longitude of a point inside the geometry (for tables without GIS)."""
    point = f"ST_Transform(ST_PointOnSurface({geom}), 4326)"
    return (
        C(
            "latitude",
            "number",
            "Широта (WGS 84)",
            f"Широта {what}, градуси WGS 84 (EPSG:4326)",
            f"round(ST_Y({point})::numeric, 6)",
        ),
        C(
            "longitude",
            "number",
            "Довгота (WGS 84)",
            f"Довгота {what}, градуси WGS 84 (EPSG:4326)",
            f"round(ST_X({point})::numeric, 6)",
        ),
    )


PROPERTY = Dataset(
    id="municipal-property",
    title="Перелік об’єктів комунальної власності Житомирської міської територіальної громади",
    title_en="Municipal property of the Zhytomyr city hromada",
    description=(
        "Будівлі, споруди та приміщення комунальної власності: ідентифікатор (код ЄДРПОУ балансоутримувача та "
        "інвентарний номер), назва, власник, балансоутримувач, користувач (юридична особа), адреса, площа, стан "
        "використання та оренди. Відомості про користувачів — фізичних осіб не оприлюднюються (персональні дані, "
        "Закон України «Про захист персональних даних»)."
    ),
    description_en=(
        "Municipal buildings and premises: id (balance holder's EDRPOU and inventory number), name, owner, balance "
        "holder, user (companies only), address, area, use and lease. Private persons are never published."
    ),
    list_item="Перелік об'єктів комунальної власності",
    structure=RECOMMENDATION_PROPERTY + ", ресурс «Buildings»; поля після «area» — доповнення міста",
    department="property",
    keywords=("комунальна власність", "нерухомість", "оренда", "municipal property"),
    resources=(
        Resource(
            name="buildings",
            title="Будівлі та приміщення комунальної власності",
            description="Кожен рядок — один об'єкт нерухомого майна комунальної власності.",
            from_sql="published.property_property_object t",
            tables=("published.property_property_object", "published.ref_organisation"),
            geometry="t.geom",
            columns=(
                C(
                    "id",
                    "string",
                    "Ідентифікатор",
                    "Код ЄДРПОУ балансоутримувача та інвентарний номер через дефіс",
                    "t.balance_holder_edrpou || '-' || t.inventory_number",
                    required=True,
                    unique=True,
                    pattern=r"^[0-9]{8}-.+$",
                ),
                C("title", "string", "Назва", "Назва об'єкта", "t.name_uk", required=True),
                C("ownerName", "string", "Назва власника", "Власник об'єкта", OWNER_NAME, required=True),
                C(
                    "ownerId",
                    "string",
                    "Ідентифікатор власника",
                    "Код ЄДРПОУ власника",
                    OWNER_ID,
                    required=True,
                    pattern=EDRPOU,
                ),
                C(
                    "balanceHolderName",
                    "string",
                    "Назва балансоутримувача",
                    "Повна назва балансоутримувача",
                    org_name("t.balance_holder_edrpou"),
                ),
                C(
                    "balanceHolderId",
                    "string",
                    "Ідентифікатор балансоутримувача",
                    "Код ЄДРПОУ балансоутримувача",
                    "t.balance_holder_edrpou",
                    required=True,
                    pattern=EDRPOU,
                ),
                C(
                    "userName",
                    "string",
                    "Назва користувача",
                    "Орендар — юридична особа (фізособи не оприлюднюються)",
                    "t.lessee_name",
                ),
                C(
                    "userId",
                    "string",
                    "Ідентифікатор користувача",
                    "Код ЄДРПОУ орендаря — юридичної особи",
                    "t.lessee_edrpou",
                    pattern=EDRPOU,
                ),
                C("address", "string", "Адреса", "Місцезнаходження об'єкта", "t.address_text"),
                C(
                    "area",
                    "number",
                    "Загальна площа, м²",
                    "Загальна площа, квадратні метри",
                    "t.total_area_m2",
                    required=True,
                ),
                C(
                    "inventoryNumber",
                    "string",
                    "Інвентарний номер",
                    "Інвентарний номер за даними балансоутримувача",
                    "t.inventory_number",
                    required=True,
                ),
                C(
                    "objectType",
                    "string",
                    "Тип об'єкта",
                    "Тип об'єкта нерухомості (класифікатор міста)",
                    label("object_type", "t.object_type"),
                ),
                C(
                    "use",
                    "string",
                    "Використання",
                    "Використання будівлі (класифікатор міста)",
                    label("property_use", "t.use_code"),
                ),
                C("floors", "integer", "Поверховість", "Кількість поверхів", "t.floors"),
                C("yearBuilt", "integer", "Рік побудови", "Рік побудови", "t.year_built"),
                C(
                    "parcelCadastralNumber",
                    "string",
                    "Кадастровий номер ділянки",
                    "Кадастровий номер земельної ділянки під об'єктом",
                    "t.parcel_cadastral_number",
                    pattern=CADASTRAL,
                ),
                C(
                    "leaseStatus",
                    "string",
                    "Стан використання",
                    "Стан використання та оренди",
                    label("lease_status", "t.lease_status"),
                    required=True,
                ),
                C("leaseUntil", "date", "Оренда до", "Дата закінчення договору оренди", "t.lease_until"),
                C(
                    "monthlyRentUah",
                    "number",
                    "Орендна плата, грн/міс.",
                    "Орендна плата за місяць, гривень",
                    "t.monthly_rent_uah",
                ),
                *_coordinates("точки всередині об'єкта"),
                APPROVED_AT,
            ),
        ),
    ),
)

LAND = Dataset(
    id="municipal-land",
    title="Перелік земельних ділянок комунальної власності Житомирської міської територіальної громади",
    title_en="Municipal land parcels of the Zhytomyr city hromada",
    description=(
        "Земельні ділянки комунальної власності: кадастровий номер, власник, код і назва виду цільового "
        "призначення (КВЦПЗ), площа, адреса, стан використання, користувач (юридична особа), рішення. "
        "Користувачі — фізичні особи не оприлюднюються."
    ),
    description_en=(
        "Municipal land parcels: cadastral number, owner, land use class (KVTsPZ), area, address, use and lease, "
        "user (companies only), decision."
    ),
    list_item="Перелік об'єктів комунальної власності (земельні ділянки)",
    structure=RECOMMENDATION_PROPERTY + ", ресурс «Parcels»; поля після «area» — доповнення міста",
    department="property",
    keywords=("земельні ділянки", "кадастр", "комунальна власність", "land parcels"),
    resources=(
        Resource(
            name="parcels",
            title="Земельні ділянки комунальної власності",
            description="Кожен рядок — одна земельна ділянка комунальної власності.",
            from_sql="published.property_land_parcel t",
            where="t.ownership = 'communal'",
            tables=("published.property_land_parcel", "published.ref_district"),
            geometry="t.geom",
            columns=(
                C(
                    "id",
                    "string",
                    "Кадастровий номер",
                    "Кадастровий номер земельної ділянки (Порядок ведення ДЗК)",
                    "t.cadastral_number",
                    required=True,
                    unique=True,
                    pattern=CADASTRAL,
                ),
                C("ownerName", "string", "Назва власника", "Власник ділянки", OWNER_NAME, required=True),
                C(
                    "ownerId",
                    "string",
                    "Ідентифікатор власника",
                    "Код ЄДРПОУ власника",
                    OWNER_ID,
                    required=True,
                    pattern=EDRPOU,
                ),
                C(
                    "kvcpzClassId",
                    "string",
                    "Код КВЦПЗ",
                    "Код виду цільового призначення земельної ділянки (КВЦПЗ)",
                    "t.land_use_code",
                    required=True,
                ),
                C(
                    "kvcpzClassDescription",
                    "string",
                    "Вид цільового призначення",
                    "Назва виду цільового призначення (КВЦПЗ)",
                    label("land_use", "t.land_use_code"),
                ),
                C("area", "number", "Площа, га", "Площа земельної ділянки, гектари", "t.area_ha", required=True),
                C("address", "string", "Адреса", "Місцезнаходження ділянки", "t.address_text"),
                C(
                    "district",
                    "string",
                    "Район",
                    "Район міста",
                    "(SELECT d.name_uk FROM published.ref_district d WHERE d.id = t.district_id)",
                ),
                C(
                    "useStatus",
                    "string",
                    "Стан використання",
                    "Стан використання та оренди",
                    label("lease_status", "t.lease_status"),
                    required=True,
                ),
                C(
                    "balanceHolderId",
                    "string",
                    "ЄДРПОУ балансоутримувача",
                    "Код ЄДРПОУ балансоутримувача",
                    "t.balance_holder_edrpou",
                    pattern=EDRPOU,
                ),
                C("userName", "string", "Користувач (юрособа)", "Користувач — юридична особа", "t.user_name"),
                C(
                    "userId",
                    "string",
                    "ЄДРПОУ користувача",
                    "Код ЄДРПОУ користувача — юридичної особи",
                    "t.user_edrpou",
                    pattern=EDRPOU,
                ),
                C("leaseUntil", "date", "Договір оренди діє до", "Дата закінчення договору оренди", "t.lease_until"),
                C(
                    "decision",
                    "string",
                    "Рішення про надання",
                    "Рішення органу про надання ділянки",
                    "t.lease_decision",
                ),
                *_coordinates("точки всередині ділянки"),
                APPROVED_AT,
            ),
        ),
    ),
)

ADVERTISING = Dataset(
    id="advertising-permits",
    title="Інформація про рекламні засоби та дозволи на розміщення зовнішньої реклами у м. Житомирі",
    title_en="Outdoor advertising structures and permits in Zhytomyr",
    description=(
        "Дозволи на розміщення зовнішньої реклами: номер і дата дозволу, орган, що видав, розповсюджувач "
        "(юридична особа), стан, строк дії, вид рекламного засобу, кількість площин, розміри, місце розміщення. "
        "Розповсюджувачі — фізичні особи-підприємці наводяться без імені та РНОКПП (персональні дані)."
    ),
    description_en=(
        "Outdoor advertising permits: number and date, issuing authority, distributor (companies only), status, "
        "validity, structure type, faces, size and location."
    ),
    list_item=(
        "Інформація про рекламні засоби (дані про місце розміщення рекламного засобу, його вид і розміри, "
        "найменування розповсюджувача зовнішньої реклами, … дата видачі дозволу та строк його дії, …)"
    ),
    structure=RECOMMENDATION_ADVERTISING + "; поля після «verticalSize» — доповнення міста",
    department="advertising",
    keywords=("зовнішня реклама", "дозволи", "рекламні засоби", "outdoor advertising"),
    resources=(
        Resource(
            name="permits",
            title="Дозволи на розміщення зовнішньої реклами",
            description="Кожен рядок — один дозвіл; координати — місце рекламного засобу.",
            from_sql="published.advertising_permit t JOIN published.advertising_structure s ON s.id = t.structure_id",
            tables=("published.advertising_permit", "published.advertising_structure"),
            geometry="s.geom",
            columns=(
                C(
                    "id",
                    "string",
                    "Номер дозволу",
                    "Номер дозволу на розміщення зовнішньої реклами",
                    "t.permit_number",
                    required=True,
                    unique=True,
                ),
                C("issuedDate", "date", "Дата видачі дозволу", "Дата видачі дозволу", "t.issued_on", required=True),
                C("authorityName", "string", "Назва органу", "Орган, що видав дозвіл", AUTHORITY_NAME, required=True),
                C(
                    "authorityId",
                    "string",
                    "Ідентифікатор органу",
                    "Код ЄДРПОУ органу, що видав дозвіл",
                    OWNER_ID,
                    required=True,
                    pattern=EDRPOU,
                ),
                C(
                    "distributorName",
                    "string",
                    "Назва розповсюджувача",
                    "Розповсюджувач — юридична особа (ФОП не наводяться: персональні дані)",
                    "t.distributor_name",
                ),
                C(
                    "distributorId",
                    "string",
                    "Ідентифікатор розповсюджувача",
                    "Код ЄДРПОУ розповсюджувача",
                    "t.distributor_edrpou",
                    pattern=EDRPOU,
                ),
                C(
                    "status",
                    "string",
                    "Статус",
                    "Статус дозволу (перелік значень рекомендованої структури)",
                    "CASE t.permit_state "
                    + " ".join(f"WHEN '{k}' THEN '{v}'" for k, v in PERMIT_STATUS.items())
                    + " END",
                    required=True,
                    enum=tuple(PERMIT_STATUS.values()),
                ),
                C("validFrom", "date", "Дата початку дії", "Дата, з якої діє дозвіл", "t.valid_from", required=True),
                C(
                    "validThrough",
                    "date",
                    "Дата завершення дії",
                    "Дата, до якої діє дозвіл",
                    "t.valid_to",
                    required=True,
                ),
                C(
                    "type",
                    "string",
                    "Вид",
                    "Вид рекламного засобу",
                    label("structure_type", "s.structure_type"),
                    required=True,
                ),
                C(
                    "planesValue",
                    "integer",
                    "Кількість рекламних площин",
                    "Кількість рекламних площин",
                    "s.faces",
                    required=True,
                ),
                C(
                    "horizontalSize",
                    "number",
                    "Розмір по горизонталі, м",
                    "Ширина рекламної площини, метри",
                    "s.width_m",
                    required=True,
                ),
                C(
                    "verticalSize",
                    "number",
                    "Розмір по вертикалі, м",
                    "Висота рекламної площини, метри",
                    "s.height_m",
                    required=True,
                ),
                C("address", "string", "Адреса", "Місце розміщення рекламного засобу", "s.address_text", required=True),
                C(
                    "structureCode",
                    "string",
                    "Обліковий номер засобу",
                    "Обліковий номер рекламного засобу",
                    "s.structure_code",
                    required=True,
                ),
                C("illuminated", "boolean", "Підсвічування", "Чи має засіб підсвічування", "s.illuminated"),
                C(
                    "decisionNumber",
                    "string",
                    "Рішення виконкому",
                    "Рішення виконавчого комітету про дозвіл",
                    "t.decision_number",
                    required=True,
                ),
                C(
                    "replacesPermit",
                    "string",
                    "Замінює дозвіл",
                    "Номер дозволу, замість якого видано цей",
                    "t.replaces_permit",
                ),
                *_coordinates("рекламного засобу", "s.geom"),
                APPROVED_AT,
            ),
        ),
    ),
)

INVESTMENT = Dataset(
    id="investment-sites",
    title="Інвестиційні об'єкти Житомирської міської територіальної громади",
    title_en="Investment sites of the Zhytomyr city hromada",
    description=(
        "Земельні ділянки (greenfield) та об'єкти (brownfield), що пропонуються інвесторам: площа, зона за планом "
        "зонування, кадастровий номер, форма власності, наявні інженерні мережі, умови, стартова ціна, контакти "
        "відповідального підрозділу міської ради."
    ),
    description_en=(
        "Greenfield and brownfield sites offered to investors: area, zoning, cadastral number, ownership, utilities, "
        "terms, starting price, the council department to contact."
    ),
    list_item="Набір міста: інвестиційні пропозиції громади (інвестиційна карта)",
    structure=OUR_STRUCTURE,
    department="investment",
    keywords=("інвестиції", "інвестиційна карта", "greenfield", "brownfield", "investment"),
    resources=(
        Resource(
            name="sites",
            title="Інвестиційні об'єкти",
            description="Кожен рядок — один об'єкт, запропонований інвесторам.",
            from_sql="published.investment_site t",
            tables=("published.investment_site",),
            geometry="t.geom",
            columns=(
                C(
                    "id",
                    "string",
                    "Код об'єкта",
                    "Код інвестиційного об'єкта",
                    "t.site_code",
                    required=True,
                    unique=True,
                ),
                C("title", "string", "Назва", "Назва об'єкта", "t.name_uk", required=True),
                C("titleEn", "string", "Назва англійською", "Назва об'єкта англійською", "t.name_en"),
                C(
                    "siteType",
                    "string",
                    "Тип",
                    "Тип об'єкта (greenfield, brownfield …)",
                    label("site_type", "t.site_type"),
                    required=True,
                ),
                C(
                    "offerType",
                    "string",
                    "Умови залучення",
                    "Умови залучення інвестора",
                    label("offer_type", "t.offer_type"),
                    required=True,
                ),
                C("area", "number", "Площа, га", "Площа, гектари", "t.area_ha", required=True),
                C(
                    "buildingArea",
                    "number",
                    "Площа будівель, м²",
                    "Площа наявних будівель, квадратні метри",
                    "t.building_area_m2",
                ),
                C("zoneCode", "string", "Зона за зонінгом", "Територіальна зона плану зонування", "t.zone_code"),
                C(
                    "cadastralNumber",
                    "string",
                    "Кадастровий номер",
                    "Кадастровий номер ділянки",
                    "t.cadastral_number",
                    pattern=CADASTRAL,
                ),
                C(
                    "ownership",
                    "string",
                    "Форма власності",
                    "Форма власності",
                    label("ownership", "t.ownership"),
                    required=True,
                ),
                C(
                    "electricityKw",
                    "number",
                    "Електроенергія, кВт",
                    "Доступна потужність, кіловати",
                    "t.electricity_kw",
                ),
                C("water", "boolean", "Водопостачання", "Є водопостачання", "t.has_water"),
                C("sewage", "boolean", "Водовідведення", "Є водовідведення", "t.has_sewage"),
                C("gas", "boolean", "Газопостачання", "Є газопостачання", "t.has_gas"),
                C("heating", "boolean", "Теплопостачання", "Є теплопостачання", "t.has_heating"),
                C("roadAccess", "boolean", "Під'їзд автотранспорту", "Є під'їзд автотранспорту", "t.road_access"),
                C("railAccess", "boolean", "Залізнична колія", "Є залізнична колія", "t.rail_access"),
                C("priceUah", "number", "Стартова ціна, грн", "Стартова ціна, гривень", "t.price_uah"),
                C("terms", "string", "Умови", "Умови для інвестора", "t.terms_uk"),
                C("termsEn", "string", "Умови англійською", "Умови англійською", "t.terms_en"),
                C(
                    "contactDepartment",
                    "string",
                    "Контакт: підрозділ",
                    "Відповідальний підрозділ міської ради",
                    "t.contact_department",
                ),
                C("contactEmail", "string", "Контакт: e-mail", "Службова електронна пошта", "t.contact_email"),
                C("contactPhone", "string", "Контакт: телефон", "Службовий телефон підрозділу", "t.contact_phone"),
                *_coordinates("точки всередині об'єкта"),
                APPROVED_AT,
            ),
        ),
    ),
)

PLANNING = Dataset(
    id="urban-planning",
    title="Генеральний план і план зонування території м. Житомира",
    title_en="General plan and zoning plan of Zhytomyr",
    description=(
        "Функціональні зони генерального плану та територіальні зони плану зонування (код і індекс зони, "
        "переважні та супутні види використання, обмеження, гранична висота і щільність забудови, рішення міської "
        "ради) у векторній формі."
    ),
    description_en=(
        "General plan functional zones and zoning plan zones (code, permitted and conditional uses, restrictions, "
        "height and coverage limits, council decision) as vector data."
    ),
    list_item=(
        "Генеральні плани населених пунктів, історико-архітектурні опорні плани, плани зонування територій, "
        "детальні плани територій, їх проекти"
    ),
    structure=OUR_STRUCTURE,
    department="planning",
    keywords=("генеральний план", "зонінг", "план зонування", "містобудування", "zoning"),
    resources=(
        Resource(
            name="functional-zones",
            title="Функціональні зони генерального плану",
            description="Кожен рядок — одна функціональна зона генерального плану.",
            from_sql="published.planning_functional_zone t",
            tables=("published.planning_functional_zone",),
            geometry="t.geom",
            columns=(
                C("id", "integer", "Ідентифікатор", "Ідентифікатор зони в реєстрі", "t.id", required=True, unique=True),
                C(
                    "zoneType",
                    "string",
                    "Код функціональної зони",
                    "Код функціональної зони",
                    "t.zone_type",
                    required=True,
                ),
                C(
                    "zoneTypeName",
                    "string",
                    "Функціональна зона",
                    "Назва функціональної зони",
                    label("functional_zone", "t.zone_type"),
                ),
                C("title", "string", "Назва", "Назва ділянки зони", "t.name_uk"),
                C("area", "number", "Площа, га", "Площа, гектари", "t.area_ha"),
                C(
                    "decision",
                    "string",
                    "Рішення про затвердження",
                    "Рішення про затвердження генерального плану",
                    "t.plan_decision",
                ),
                APPROVED_AT,
            ),
        ),
        Resource(
            name="zoning-zones",
            title="Територіальні зони плану зонування",
            description="Кожен рядок — одна територіальна зона плану зонування.",
            from_sql="published.planning_zoning_zone t",
            tables=("published.planning_zoning_zone",),
            geometry="t.geom",
            columns=(
                C("id", "integer", "Ідентифікатор", "Ідентифікатор зони в реєстрі", "t.id", required=True, unique=True),
                C(
                    "zoneCode",
                    "string",
                    "Код зони",
                    "Код територіальної зони (Ж-1, Г-2, В-3 …)",
                    "t.zone_code",
                    required=True,
                ),
                C("zoneName", "string", "Назва зони", "Назва територіальної зони", label("zone_code", "t.zone_code")),
                C("zoneIndex", "string", "Індекс зони", "Індекс ділянки зони", "t.zone_index", required=True),
                C(
                    "permittedUses",
                    "string",
                    "Переважні види використання",
                    "Переважні види використання",
                    "t.permitted_uses",
                    required=True,
                ),
                C(
                    "conditionalUses",
                    "string",
                    "Супутні види використання",
                    "Супутні види використання",
                    "t.conditional_uses",
                ),
                C("restrictions", "string", "Обмеження", "Обмеження використання", "t.restrictions"),
                C("maxHeight", "number", "Гранична висота, м", "Гранична висота забудови, метри", "t.max_height_m"),
                C(
                    "maxCoverage",
                    "number",
                    "Гранична щільність забудови, %",
                    "Гранична щільність забудови, відсотки",
                    "t.max_coverage_pct",
                ),
                C(
                    "advertisingAllowed",
                    "boolean",
                    "Зовнішня реклама дозволена",
                    "Чи дозволена зовнішня реклама",
                    "t.advertising_allowed",
                ),
                C(
                    "councilDecision",
                    "string",
                    "Рішення міської ради",
                    "Рішення про затвердження плану зонування",
                    "t.council_decision",
                    required=True,
                ),
                C(
                    "decisionDate",
                    "date",
                    "Дата рішення",
                    "Дата рішення міської ради",
                    "t.decision_date",
                    required=True,
                ),
                APPROVED_AT,
            ),
        ),
    ),
)

BUDGET = Dataset(
    id="budget-projects",
    title="Бюджет на карті: об'єкти капітальних видатків бюджету розвитку м. Житомира",
    title_en="Budget on the map: capital projects of the Zhytomyr development budget",
    description=(
        "Капітальні проєкти бюджету розвитку: об'єкт, бюджетний рік, коди КПКВКМБ і КЕКВ, заплановані та "
        "використані кошти, підрядник (ЄДРПОУ), ідентифікатор закупівлі в ProZorro, стан робіт; платежі за "
        "проєктами."
    ),
    description_en=(
        "Capital projects of the development budget: object, year, programme and economic codes, planned and spent "
        "amounts, contractor, ProZorro tender id, status; payments per project."
    ),
    list_item="Набір міста: «Бюджет на карті» (видатки бюджету розвитку за об'єктами)",
    structure=OUR_STRUCTURE,
    department="budget",
    keywords=("бюджет", "капітальні видатки", "ProZorro", "budget"),
    resources=(
        Resource(
            name="projects",
            title="Капітальні проєкти",
            description="Кожен рядок — один проєкт бюджету розвитку.",
            from_sql="published.budget_project t",
            tables=("published.budget_project", "published.ref_district"),
            geometry="t.geom",
            columns=(
                C(
                    "id",
                    "integer",
                    "Ідентифікатор",
                    "Ідентифікатор проєкту в реєстрі",
                    "t.id",
                    required=True,
                    unique=True,
                ),
                C("title", "string", "Назва проєкту", "Назва проєкту", "t.title_uk", required=True),
                C("titleEn", "string", "Назва англійською", "Назва проєкту англійською", "t.title_en"),
                C("object", "string", "Об'єкт", "Об'єкт капітальних видатків", "t.object_name", required=True),
                C("sector", "string", "Галузь", "Галузь", label("budget_sector", "t.sector"), required=True),
                C("budgetYear", "integer", "Бюджетний рік", "Бюджетний рік", "t.budget_year", required=True),
                C(
                    "district",
                    "string",
                    "Район",
                    "Район міста",
                    "(SELECT d.name_uk FROM published.ref_district d WHERE d.id = t.district_id)",
                ),
                C("address", "string", "Адреса", "Адреса об'єкта", "t.address_text"),
                C(
                    "kpkvk",
                    "string",
                    "КПКВКМБ",
                    "Код програмної класифікації видатків місцевого бюджету",
                    "t.kpkvk",
                    required=True,
                ),
                C("kekv", "string", "КЕКВ", "Код економічної класифікації видатків", "t.kekv", required=True),
                C("plannedUah", "number", "Заплановано, грн", "Заплановано, гривень", "t.planned_uah", required=True),
                C("actualUah", "number", "Використано, грн", "Використано, гривень", "t.actual_uah"),
                C(
                    "contractorId",
                    "string",
                    "ЄДРПОУ підрядника",
                    "Код ЄДРПОУ підрядника",
                    "t.contractor_edrpou",
                    pattern=EDRPOU,
                ),
                C("contractorName", "string", "Підрядник", "Назва підрядника", "t.contractor_name"),
                C(
                    "tenderId",
                    "string",
                    "Ідентифікатор закупівлі ProZorro",
                    "Ідентифікатор закупівлі в ProZorro",
                    "t.tender_id",
                    pattern=PROZORRO,
                ),
                C(
                    "status",
                    "string",
                    "Стан",
                    "Стан проєкту",
                    label("project_status", "t.project_status"),
                    required=True,
                ),
                C("startDate", "date", "Початок робіт", "Дата початку робіт", "t.start_date"),
                C("endDate", "date", "Завершення робіт", "Дата завершення робіт", "t.end_date"),
                *_coordinates("об'єкта"),
                APPROVED_AT,
            ),
        ),
        Resource(
            name="payments",
            title="Платежі за проєктами",
            description="Кожен рядок — один платіж; projectId — ідентифікатор проєкту з таблиці projects.",
            from_sql="published.budget_payment t",
            tables=("published.budget_payment",),
            columns=(
                C("id", "integer", "Ідентифікатор", "Ідентифікатор платежу", "t.id", required=True, unique=True),
                C(
                    "projectId",
                    "integer",
                    "Проєкт",
                    "Ідентифікатор проєкту (projects.id)",
                    "t.project_id",
                    required=True,
                ),
                C("paidOn", "date", "Дата платежу", "Дата платежу", "t.paid_on", required=True),
                C("amountUah", "number", "Сума, грн", "Сума платежу, гривень", "t.amount_uah", required=True),
                C(
                    "document",
                    "string",
                    "Платіжний документ",
                    "Номер платіжного документа",
                    "t.document",
                    required=True,
                ),
                C("purpose", "string", "Призначення платежу", "Призначення платежу", "t.purpose"),
                APPROVED_AT,
            ),
        ),
    ),
)

ENERGY = Dataset(
    id="energy-efficiency",
    title="Енергоефективність будівель бюджетних закладів м. Житомира",
    title_en="Energy efficiency of Zhytomyr's municipal buildings",
    description=(
        "Будівлі бюджетних закладів: призначення, балансоутримувач, опалювана площа, клас енергетичної "
        "ефективності за енергетичним сертифікатом (номер, дата), питоме енергоспоживання; річне споживання "
        "теплової та електричної енергії, газу, води і його вартість; енергоефективні заходи з вартістю та "
        "очікуваною і фактичною економією."
    ),
    description_en=(
        "Municipal buildings: use, balance holder, heated area, energy class by the energy certificate, specific "
        "energy use; yearly consumption of heat, electricity, gas and water and its cost; efficiency measures."
    ),
    list_item="Набір міста: енергоефективність бюджетних будівель (енергетичні сертифікати, енергоспоживання)",
    structure=OUR_STRUCTURE,
    department="energy",
    keywords=("енергоефективність", "енергосертифікат", "енергоспоживання", "energy efficiency"),
    resources=(
        Resource(
            name="buildings",
            title="Будівлі бюджетних закладів",
            description="Кожен рядок — одна будівля.",
            from_sql="published.energy_building t",
            tables=("published.energy_building", "published.ref_organisation"),
            geometry="t.geom",
            columns=(
                C(
                    "id",
                    "integer",
                    "Ідентифікатор",
                    "Ідентифікатор будівлі в реєстрі",
                    "t.id",
                    required=True,
                    unique=True,
                ),
                C("title", "string", "Назва закладу", "Назва закладу", "t.name_uk", required=True),
                C("titleEn", "string", "Назва англійською", "Назва англійською", "t.name_en"),
                C(
                    "use",
                    "string",
                    "Призначення",
                    "Призначення будівлі",
                    label("building_use", "t.building_use"),
                    required=True,
                ),
                C(
                    "balanceHolderId",
                    "string",
                    "ЄДРПОУ балансоутримувача",
                    "Код ЄДРПОУ балансоутримувача",
                    "t.balance_holder_edrpou",
                    required=True,
                    pattern=EDRPOU,
                ),
                C(
                    "balanceHolderName",
                    "string",
                    "Балансоутримувач",
                    "Назва балансоутримувача",
                    org_name("t.balance_holder_edrpou"),
                ),
                C("address", "string", "Адреса", "Адреса будівлі", "t.address_text", required=True),
                C(
                    "heatedArea",
                    "number",
                    "Опалювана площа, м²",
                    "Опалювана площа, квадратні метри",
                    "t.heated_area_m2",
                    required=True,
                ),
                C("yearBuilt", "integer", "Рік побудови", "Рік побудови", "t.year_built"),
                C("floors", "integer", "Поверховість", "Кількість поверхів", "t.floors"),
                C(
                    "energyClass",
                    "string",
                    "Клас енергоефективності",
                    "Клас енергетичної ефективності за енергетичним сертифікатом (A–G)",
                    "t.energy_class",
                ),
                C(
                    "certificateNumber",
                    "string",
                    "Номер енергосертифіката",
                    "Номер енергетичного сертифіката",
                    "t.certificate_number",
                ),
                C(
                    "certificateDate",
                    "date",
                    "Дата сертифіката",
                    "Дата енергетичного сертифіката",
                    "t.certificate_date",
                ),
                C(
                    "specificEnergy",
                    "number",
                    "Питоме енергоспоживання, кВт·год/м²",
                    "Питоме енергоспоживання за сертифікатом, кВт·год на м² на рік",
                    "t.specific_energy_kwh_m2",
                ),
                *_coordinates("точки всередині будівлі"),
                APPROVED_AT,
            ),
        ),
        Resource(
            name="consumption",
            title="Річне споживання енергоресурсів",
            description="Кожен рядок — споживання однієї будівлі за один рік; buildingId — buildings.id.",
            from_sql="published.energy_consumption t",
            tables=("published.energy_consumption",),
            order_by="t.building_id, t.year",
            columns=(
                C("id", "integer", "Ідентифікатор", "Ідентифікатор запису", "t.id", required=True, unique=True),
                C(
                    "buildingId",
                    "integer",
                    "Будівля",
                    "Ідентифікатор будівлі (buildings.id)",
                    "t.building_id",
                    required=True,
                ),
                C("year", "integer", "Рік", "Рік", "t.year", required=True),
                C("heatGcal", "number", "Теплова енергія, Гкал", "Теплова енергія, гігакалорії", "t.heat_gcal"),
                C(
                    "electricityKwh",
                    "number",
                    "Електроенергія, кВт·год",
                    "Електрична енергія, кіловат-години",
                    "t.electricity_kwh",
                ),
                C("gasM3", "number", "Природний газ, м³", "Природний газ, кубічні метри", "t.gas_m3"),
                C("waterM3", "number", "Вода, м³", "Вода, кубічні метри", "t.water_m3"),
                C("costUah", "number", "Вартість, грн", "Вартість спожитих ресурсів, гривень", "t.cost_uah"),
                APPROVED_AT,
            ),
        ),
        Resource(
            name="measures",
            title="Енергоефективні заходи",
            description="Кожен рядок — один захід; buildingId — buildings.id.",
            from_sql="published.energy_measure t",
            tables=("published.energy_measure",),
            order_by="t.building_id, t.year, t.id",
            columns=(
                C("id", "integer", "Ідентифікатор", "Ідентифікатор заходу", "t.id", required=True, unique=True),
                C(
                    "buildingId",
                    "integer",
                    "Будівля",
                    "Ідентифікатор будівлі (buildings.id)",
                    "t.building_id",
                    required=True,
                ),
                C(
                    "measure",
                    "string",
                    "Захід",
                    "Вид енергоефективного заходу",
                    label("measure_type", "t.measure_type"),
                    required=True,
                ),
                C("year", "integer", "Рік", "Рік виконання", "t.year", required=True),
                C("costUah", "number", "Вартість, грн", "Вартість заходу, гривень", "t.cost_uah", required=True),
                C("fundingSource", "string", "Джерело фінансування", "Джерело фінансування", "t.funding_source"),
                C(
                    "expectedSavingPct",
                    "number",
                    "Очікувана економія, %",
                    "Очікувана економія, відсотки",
                    "t.expected_saving_pct",
                ),
                C(
                    "actualSavingPct",
                    "number",
                    "Фактична економія, %",
                    "Фактична економія, відсотки",
                    "t.actual_saving_pct",
                ),
                C(
                    "expectedSavingUah",
                    "number",
                    "Очікувана економія, грн/рік",
                    "Очікувана економія, гривень на рік",
                    "t.expected_saving_uah",
                ),
                C(
                    "actualSavingUah",
                    "number",
                    "Фактична економія, грн/рік",
                    "Фактична економія, гривень на рік",
                    "t.actual_saving_uah",
                ),
                APPROVED_AT,
            ),
        ),
    ),
)

DATASETS: tuple[Dataset, ...] = (PROPERTY, LAND, ADVERTISING, INVESTMENT, PLANNING, BUDGET, ENERGY)
BY_ID = {d.id: d for d in DATASETS}


def datasets_of_table(published_table: str) -> tuple[Dataset, ...]:
    """The datasets that read a published table (what an approval of it changes)."""
    return tuple(d for d in DATASETS if published_table in d.tables)
