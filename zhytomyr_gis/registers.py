"""One declaration per register: what the forms, the published projects and
the checks need to know about each table beyond what the database says.

The database is the authority on types and rules; this module adds the
human side: Ukrainian and English labels, form tabs, widgets, which
classifier fills a drop-down, how a feature is named. A test keeps it in
step with the migrations (every column declared, nothing invented).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Columns the workflow manages on every register (read-only in forms).
WORKFLOW_COLUMNS = (
    "status",
    "version",
    "deleted",
    "status_note",
    "restored_from",
    "created_by",
    "created_at",
    "updated_by",
    "updated_at",
)


@dataclass(frozen=True)
class Department:
    """A department that keeps registers, as workflow.department holds it
    (sql/changelogs/0003_workflow.sql; tests/test_registers.py keeps the two equal)."""

    code: str
    title_uk: str
    title_en: str

    @property
    def editor_role(self) -> str:
        return "gis_admin" if self.code == ADMIN else f"{self.code}_editor"

    @property
    def verifier_role(self) -> str:
        return "gis_admin" if self.code == ADMIN else f"{self.code}_verifier"


# The GIS administrator keeps the reference data (schema ref) as a department
# of its own, with one role (gis_admin) for both editing and verifying.
ADMIN = "admin"
DEPARTMENTS: tuple[Department, ...] = (
    Department("property", "Управління комунальної власності", "Municipal Property Department"),
    Department("investment", "Відділ інвестицій", "Investment Department"),
    Department("planning", "Управління містобудування та архітектури", "Urban Planning and Architecture Department"),
    Department("advertising", "Відділ зовнішньої реклами", "Outdoor Advertising Department"),
    Department("energy", "Відділ енергоменеджменту", "Energy Management Department"),
    Department("budget", "Департамент бюджету та фінансів", "Budget and Finance Department"),
    Department(ADMIN, "Адміністратор ГІС", "GIS administration"),
)
# The departments with editor and verifier roles of their own.
STAFF_DEPARTMENTS: tuple[str, ...] = tuple(d.code for d in DEPARTMENTS if d.code != ADMIN)

STATUS_LABELS = {
    "draft": ("чернетка", "draft"),
    "submitted": ("на перевірці", "submitted"),
    "verified": ("затверджено", "verified"),
    "rejected": ("відхилено", "rejected"),
}


@dataclass(frozen=True)
class Field:
    name: str
    label_uk: str
    label_en: str
    widget: str = "text"  # text | multiline | integer | decimal | date | bool | classifier | relation | readonly
    classifier: str | None = None  # ref.cl_* table for widget "classifier"
    relation: str | None = None  # schema.table for widget "relation" (a parent record)
    group: str = "main"
    personal: bool = False  # never published


@dataclass(frozen=True)
class Register:
    table: str  # schema.table of the working table
    department: str
    title_uk: str
    title_en: str
    geometry: str | None  # Point | MultiPolygon | MultiLineString | None
    display_expression: str
    fields: tuple[Field, ...]
    groups: tuple[tuple[str, str, str], ...] = (("main", "Основне", "Main"),)
    parent: tuple[str, str] | None = None  # (parent table, foreign key column)
    children: tuple[str, ...] = field(default=())

    @property
    def schema(self) -> str:
        return self.table.split(".")[0]

    @property
    def name(self) -> str:
        return self.table.split(".")[1]

    @property
    def published_table(self) -> str:
        return f"published.{self.schema}_{self.name}"

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.table} has no field {name}")

    @property
    def public_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not f.personal)


def F(name, uk, en, widget="text", **kw) -> Field:  # noqa: N802 - reads like a table row
    return Field(name, uk, en, widget, **kw)


ID = F("id", "Ідентифікатор", "Id", "readonly")
GEOM_GROUPS = (("main", "Основне", "Main"),)

REGISTERS: tuple[Register, ...] = (
    Register(
        "ref.city_boundary",
        "admin",
        "Межа громади",
        "Hromada boundary",
        "MultiPolygon",
        '"name_uk"',
        (
            ID,
            F("name_uk", "Назва", "Name (uk)"),
            F("name_en", "Назва англійською", "Name (en)"),
            F("katottg", "Код КАТОТТГ", "KATOTTG code"),
            F("decision", "Рішення про встановлення меж", "Boundary decision"),
        ),
    ),
    Register(
        "ref.district",
        "admin",
        "Райони міста",
        "City districts",
        "MultiPolygon",
        '"name_uk"',
        (
            ID,
            F("name_uk", "Назва", "Name (uk)"),
            F("name_en", "Назва англійською", "Name (en)"),
            F("katottg", "Код КАТОТТГ", "KATOTTG code"),
        ),
    ),
    Register(
        "ref.street",
        "admin",
        "Вулиці",
        "Streets",
        "MultiLineString",
        '"street_type" || \' \' || "name_uk"',
        (
            ID,
            F("name_uk", "Назва", "Name (uk)"),
            F("name_en", "Назва англійською", "Name (en)"),
            F("street_type", "Тип", "Type", "classifier", classifier="cl_street_type"),
            F("former_name", "Колишня назва", "Former name"),
        ),
    ),
    Register(
        "ref.address",
        "admin",
        "Адресний реєстр",
        "Addresses",
        "Point",
        '"house_number"',
        (
            ID,
            F("street_id", "Вулиця", "Street", "relation", relation="ref.street"),
            F("house_number", "Номер будинку", "House number"),
            F("postcode", "Поштовий індекс", "Postcode"),
            F("district_id", "Район", "District", "relation", relation="ref.district"),
        ),
    ),
    Register(
        "ref.organisation",
        "admin",
        "Організації",
        "Organisations",
        None,
        '"name_uk"',
        (
            ID,
            F("edrpou", "Код ЄДРПОУ", "EDRPOU code"),
            F("name_uk", "Повна назва", "Full name (uk)"),
            F("name_en", "Назва англійською", "Name (en)"),
            F("short_name_uk", "Скорочена назва", "Short name"),
            F(
                "org_type",
                "Тип організації",
                "Organisation type",
                "classifier",
                classifier="cl_org_type",
            ),
            F("address_text", "Адреса", "Address"),
            F("email", "Електронна пошта", "E-mail"),
            F("phone", "Телефон", "Phone", personal=True),
            F("head_name", "Керівник", "Head", personal=True),
        ),
    ),
    Register(
        "property.land_parcel",
        "property",
        "Земельні ділянки",
        "Land parcels",
        "MultiPolygon",
        '"cadastral_number"',
        (
            ID,
            F("cadastral_number", "Кадастровий номер", "Cadastral number"),
            F("area_ha", "Площа, га", "Area, ha", "decimal"),
            F(
                "land_category",
                "Категорія земель",
                "Land category",
                "classifier",
                classifier="cl_land_category",
            ),
            F(
                "land_use_code",
                "Цільове призначення (КВЦПЗ)",
                "Land use (KVTsPZ)",
                "classifier",
                classifier="cl_land_use",
            ),
            F("ownership", "Форма власності", "Ownership", "classifier", classifier="cl_ownership"),
            F("address_text", "Адреса", "Address"),
            F("district_id", "Район", "District", "relation", relation="ref.district"),
            F("rnonm", "Реєстраційний номер у ДРРП (РНОНМ)", "Real estate registration number (DRRP)"),
            F(
                "lease_status",
                "Стан використання",
                "Use status",
                "classifier",
                classifier="cl_lease_status",
                group="use",
            ),
            F("balance_holder_edrpou", "ЄДРПОУ балансоутримувача", "Balance holder EDRPOU", group="use"),
            F("user_edrpou", "ЄДРПОУ користувача (юрособи)", "User EDRPOU (company)", group="use"),
            F("user_name", "Назва користувача (юрособи)", "User name (company)", group="use"),
            F(
                "user_person_name",
                "ПІБ користувача (фізособи)",
                "User name (private person)",
                group="use",
                personal=True,
            ),
            F("user_person_rnokpp", "РНОКПП користувача", "User tax number", group="use", personal=True),
            F("lease_until", "Договір оренди діє до", "Lease until", "date", group="use"),
            F("lease_decision", "Рішення про надання", "Decision", group="use"),
            F("note", "Примітка", "Note", "multiline", group="use"),
        ),
        groups=(("main", "Ділянка", "Parcel"), ("use", "Користування", "Use and lease")),
        children=("property.parcel_land", "property.parcel_lease", "property.parcel_restriction"),
    ),
    # What an exchange file states of a parcel beyond its own columns
    # (sql/changelogs/0421_parcel_parts.sql).
    Register(
        "property.parcel_land",
        "property",
        "Угіддя земельних ділянок",
        "Lands of land parcels",
        None,
        '"land_code"',
        (
            ID,
            F("parcel_id", "Земельна ділянка", "Land parcel", "relation", relation="property.land_parcel"),
            F("land_code", "Код угіддя", "Land code"),
            F("area_ha", "Площа угіддя, га", "Land area, ha", "decimal"),
        ),
        parent=("property.land_parcel", "parcel_id"),
    ),
    Register(
        "property.parcel_lease",
        "property",
        "Оренда та суборенда земельних ділянок",
        "Leases and subleases of land parcels",
        None,
        '"registration"',
        (
            ID,
            F("parcel_id", "Земельна ділянка", "Land parcel", "relation", relation="property.land_parcel"),
            F("sublease", "Суборенда", "Sublease", "bool"),
            F("lessee_edrpou", "ЄДРПОУ орендаря (юрособи)", "Lessee EDRPOU (company)"),
            F("lessee_name", "Орендар (юрособа)", "Lessee (company)"),
            F("lessee_person_name", "Орендар (фізособа)", "Lessee (private person)", personal=True),
            F("lessee_person_rnokpp", "РНОКПП орендаря", "Lessee tax number", personal=True),
            F("area_ha", "Площа в оренді, га", "Leased area, ha", "decimal"),
            F("starts_on", "Оренда з", "Lease from", "date"),
            F("expires_on", "Оренда до", "Lease until", "date"),
            F("registration", "Державна реєстрація договору", "Registration of the agreement"),
            F("decision", "Рішення про передачу в оренду", "Lease decision", "multiline"),
        ),
        parent=("property.land_parcel", "parcel_id"),
    ),
    Register(
        "property.parcel_restriction",
        "property",
        "Обмеження у використанні земельних ділянок",
        "Restrictions of land parcel use",
        None,
        '"name_uk"',
        (
            ID,
            F("parcel_id", "Земельна ділянка", "Land parcel", "relation", relation="property.land_parcel"),
            F("kind", "Вид обмеження", "Kind", "classifier", classifier="cl_restriction_kind"),
            F("cadastre_code", "Код обмеження за кадастром", "Cadastre restriction code"),
            F("name_uk", "Обмеження", "Restriction", "multiline"),
            F("expires_on", "Діє до", "Valid until", "date"),
        ),
        parent=("property.land_parcel", "parcel_id"),
    ),
    Register(
        "property.property_object",
        "property",
        "Будівлі та приміщення",
        "Buildings and premises",
        "MultiPolygon",
        "\"name_uk\" || ' (' || \"registry_id\" || ')'",
        (
            ID,
            F("registry_id", "Реєстровий номер", "Registry id", "readonly"),
            F("balance_holder_edrpou", "ЄДРПОУ балансоутримувача", "Balance holder EDRPOU"),
            F("inventory_number", "Інвентарний номер", "Inventory number"),
            F("object_type", "Тип об'єкта", "Object type", "classifier", classifier="cl_object_type"),
            F("name_uk", "Назва", "Name"),
            F("use_code", "Використання", "Use", "classifier", classifier="cl_property_use"),
            F(
                "total_area_m2",
                "Загальна площа, м²",
                "Total area, m²",
                "decimal",
            ),
            F("floors", "Поверховість", "Floors", "integer"),
            F("year_built", "Рік побудови", "Year built", "integer"),
            F("address_id", "Адреса (з реєстру)", "Address", "relation", relation="ref.address"),
            F("address_text", "Адреса (текстом)", "Address (text)"),
            F("parcel_cadastral_number", "Кадастровий номер ділянки", "Parcel cadastral number"),
            F("rnonm", "Реєстраційний номер у ДРРП (РНОНМ)", "Real estate registration number (DRRP)"),
            F(
                "lease_status",
                "Стан використання",
                "Use status",
                "classifier",
                classifier="cl_lease_status",
                group="use",
            ),
            F("lessee_edrpou", "ЄДРПОУ орендаря", "Lessee EDRPOU", group="use"),
            F("lessee_name", "Орендар (юрособа)", "Lessee (company)", group="use"),
            F("lessee_person_name", "Орендар (фізособа)", "Lessee (private person)", group="use", personal=True),
            F("lease_until", "Оренда до", "Lease until", "date", group="use"),
            F("monthly_rent_uah", "Орендна плата, грн/міс.", "Rent, UAH/month", "decimal", group="use"),
        ),
        groups=(("main", "Об'єкт", "Object"), ("use", "Оренда", "Lease")),
    ),
    Register(
        "investment.site",
        "investment",
        "Інвестиційні об'єкти",
        "Investment sites",
        "MultiPolygon",
        '"name_uk"',
        (
            ID,
            F("site_code", "Код об'єкта", "Site code"),
            F("name_uk", "Назва", "Name (uk)"),
            F("name_en", "Назва англійською", "Name (en)"),
            F("site_type", "Тип", "Type", "classifier", classifier="cl_site_type"),
            F("offer_type", "Умови", "Offer", "classifier", classifier="cl_offer_type"),
            F("area_ha", "Площа, га", "Area, ha", "decimal"),
            F("building_area_m2", "Площа будівель, м²", "Building area, m²", "decimal"),
            F("zone_code", "Зона за зонінгом", "Zoning zone", "classifier", classifier="cl_zone_code"),
            F("cadastral_number", "Кадастровий номер", "Cadastral number"),
            F("ownership", "Форма власності", "Ownership", "classifier", classifier="cl_ownership"),
            F(
                "electricity_kw",
                "Електроенергія, кВт",
                "Power, kW",
                "decimal",
                group="utilities",
            ),
            F("has_water", "Водопостачання", "Water supply", "bool", group="utilities"),
            F("has_sewage", "Водовідведення", "Sewage", "bool", group="utilities"),
            F("has_gas", "Газопостачання", "Gas", "bool", group="utilities"),
            F("has_heating", "Теплопостачання", "Heating", "bool", group="utilities"),
            F("road_access", "Під'їзд автотранспорту", "Road access", "bool", group="utilities"),
            F("rail_access", "Залізнична колія", "Rail access", "bool", group="utilities"),
            F("price_uah", "Ціна (стартова), грн", "Starting price, UAH", "decimal", group="terms"),
            F("terms_uk", "Умови", "Terms (uk)", "multiline", group="terms"),
            F("terms_en", "Умови англійською", "Terms (en)", "multiline", group="terms"),
            F("contact_department", "Контакт: підрозділ", "Contact: department", group="terms"),
            F("contact_email", "Контакт: e-mail", "Contact: e-mail", group="terms"),
            F("contact_phone", "Контакт: телефон", "Contact: phone", group="terms"),
        ),
        groups=(
            ("main", "Об'єкт", "Site"),
            ("utilities", "Інженерні мережі", "Utilities"),
            ("terms", "Умови та контакти", "Terms and contact"),
        ),
    ),
    Register(
        "planning.functional_zone",
        "planning",
        "Функціональні зони генерального плану",
        "General plan functional zones",
        "MultiPolygon",
        '"zone_type"',
        (
            ID,
            F(
                "zone_type",
                "Функціональна зона",
                "Functional zone",
                "classifier",
                classifier="cl_functional_zone",
            ),
            F("name_uk", "Назва", "Name"),
            F("area_ha", "Площа, га", "Area, ha", "decimal"),
            F("plan_decision", "Рішення про затвердження", "Approval decision", "multiline"),
        ),
    ),
    Register(
        "planning.zoning_zone",
        "planning",
        "Зонінг: територіальні зони",
        "Zoning plan zones",
        "MultiPolygon",
        '"zone_index"',
        (
            ID,
            F("zone_code", "Код зони", "Zone code", "classifier", classifier="cl_zone_code"),
            F("zone_index", "Індекс зони", "Zone index"),
            F("permitted_uses", "Переважні види використання", "Permitted uses", "multiline"),
            F("conditional_uses", "Супутні види використання", "Conditional uses", "multiline"),
            F("restrictions", "Обмеження", "Restrictions", "multiline"),
            F(
                "max_height_m",
                "Гранична висота, м",
                "Height limit, m",
                "decimal",
                group="limits",
            ),
            F(
                "max_coverage_pct",
                "Гранична щільність забудови, %",
                "Coverage limit, %",
                "decimal",
                group="limits",
            ),
            F(
                "advertising_allowed",
                "Зовнішня реклама дозволена",
                "Outdoor advertising allowed",
                "bool",
                group="limits",
            ),
            F("council_decision", "Рішення міської ради", "Council decision", group="limits"),
            F("decision_date", "Дата рішення", "Decision date", "date", group="limits"),
        ),
        groups=(("main", "Зона", "Zone"), ("limits", "Обмеження та рішення", "Limits and decision")),
    ),
    Register(
        "planning.restriction_zone",
        "planning",
        "Зони обмежень використання території",
        "Land-use restriction zones",
        "MultiPolygon",
        '"name_uk"',
        (
            ID,
            F("kind", "Вид обмеження", "Kind", "classifier", classifier="cl_restriction_kind"),
            F("name_uk", "Назва", "Name"),
            F("legal_basis", "Підстава", "Legal basis", "multiline"),
            F("advertising_forbidden", "Реклама заборонена", "Advertising forbidden", "bool"),
        ),
    ),
    Register(
        "advertising.structure",
        "advertising",
        "Рекламні засоби",
        "Advertising structures",
        "Point",
        '"structure_code"',
        (
            ID,
            F("structure_code", "Обліковий номер", "Structure code"),
            F("structure_type", "Тип", "Type", "classifier", classifier="cl_structure_type"),
            F("width_m", "Ширина, м", "Width, m", "decimal"),
            F("height_m", "Висота, м", "Height, m", "decimal"),
            F("faces", "Кількість сторін", "Faces", "integer"),
            F("illuminated", "Підсвічування", "Illuminated", "bool"),
            F("address_text", "Адреса", "Address"),
            F("owner_edrpou", "ЄДРПОУ власника", "Owner EDRPOU"),
            F("owner_name", "Власник", "Owner"),
        ),
        children=("advertising.permit",),
    ),
    Register(
        "advertising.permit",
        "advertising",
        "Дозволи на розміщення реклами",
        "Advertising permits",
        None,
        '"permit_number"',
        (
            ID,
            F(
                "structure_id",
                "Рекламний засіб",
                "Structure",
                "relation",
                relation="advertising.structure",
            ),
            F("permit_number", "Номер дозволу", "Permit number"),
            F("distributor_edrpou", "ЄДРПОУ розповсюджувача", "Distributor EDRPOU"),
            F("distributor_name", "Розповсюджувач (юрособа)", "Distributor (company)"),
            F("distributor_person_name", "Розповсюджувач (ФОП)", "Distributor (sole trader)", personal=True),
            F("distributor_rnokpp", "РНОКПП ФОП", "Sole trader tax number", personal=True),
            F(
                "distributor_passport",
                "Паспорт ФОП, що відмовився від РНОКПП (відмітка «відмова»)",
                "Passport of a sole trader who refused the tax number",
                personal=True,
            ),
            F("distributor_contact", "Контакт розповсюджувача (маркування)", "Distributor's contact (marking)"),
            F(
                "distributor_person_contact",
                "Контакт розповсюджувача (ФОП)",
                "Distributor's contact (sole trader)",
                personal=True,
            ),
            F("decision_number", "Рішення виконкому", "Executive committee decision"),
            F("issued_on", "Дата видачі", "Issued on", "date"),
            F("valid_from", "Діє з", "Valid from", "date"),
            F("valid_to", "Діє до", "Valid to", "date"),
            F(
                "permit_state",
                "Стан дозволу",
                "Permit state",
                "classifier",
                classifier="cl_permit_state",
            ),
            F("replaces_permit", "Замінює дозвіл", "Replaces permit"),
            F("fee_uah_month", "Плата, грн/міс.", "Fee, UAH/month", "decimal"),
        ),
        parent=("advertising.structure", "structure_id"),
    ),
    Register(
        "energy.building",
        "energy",
        "Енергоефективність бюджетних будівель",
        "Energy efficiency of municipal buildings",
        "MultiPolygon",
        '"name_uk"',
        (
            ID,
            F("name_uk", "Назва закладу", "Name (uk)"),
            F("name_en", "Назва англійською", "Name (en)"),
            F("building_use", "Призначення", "Use", "classifier", classifier="cl_building_use"),
            F("balance_holder_edrpou", "ЄДРПОУ балансоутримувача", "Balance holder EDRPOU"),
            F("address_text", "Адреса", "Address"),
            F(
                "heated_area_m2",
                "Опалювана площа, м²",
                "Heated area, m²",
                "decimal",
            ),
            F("year_built", "Рік побудови", "Year built", "integer"),
            F("floors", "Поверховість", "Floors", "integer"),
            F(
                "energy_class",
                "Клас енергоефективності",
                "Energy class",
                "classifier",
                classifier="cl_energy_class",
                group="certificate",
            ),
            F("certificate_number", "Номер енергосертифіката", "Certificate number", group="certificate"),
            F("certificate_date", "Дата сертифіката", "Certificate date", "date", group="certificate"),
            F(
                "certificate_valid_until",
                "Сертифікат чинний до",
                "Certificate valid until",
                "readonly",
                group="certificate",
            ),
            F(
                "certificate_assessor",
                "Енергоаудитор (склав сертифікат)",
                "Assessor (made the certificate)",
                group="certificate",
                personal=True,
            ),
            F(
                "specific_energy_kwh_m2",
                "Питоме енергоспоживання, кВт·год/м²",
                "Specific energy use, kWh/m²",
                "decimal",
                group="certificate",
            ),
        ),
        groups=(("main", "Будівля", "Building"), ("certificate", "Енергосертифікат", "Energy certificate")),
        children=("energy.consumption", "energy.measure"),
    ),
    Register(
        "energy.consumption",
        "energy",
        "Річне споживання енергоресурсів",
        "Yearly energy consumption",
        None,
        '"year"',
        (
            ID,
            F("building_id", "Будівля", "Building", "relation", relation="energy.building"),
            F("year", "Рік", "Year", "integer"),
            F("heat_gcal", "Теплова енергія, Гкал", "Heat, Gcal", "decimal"),
            F("electricity_kwh", "Електроенергія, кВт·год", "Electricity, kWh", "decimal"),
            F("gas_m3", "Природний газ, м³", "Natural gas, m³", "decimal"),
            F("water_m3", "Вода, м³", "Water, m³", "decimal"),
            F("cost_uah", "Вартість, грн", "Cost, UAH", "decimal"),
        ),
        parent=("energy.building", "building_id"),
    ),
    Register(
        "energy.measure",
        "energy",
        "Енергоефективні заходи",
        "Energy efficiency measures",
        None,
        '"measure_type"',
        (
            ID,
            F("building_id", "Будівля", "Building", "relation", relation="energy.building"),
            F("measure_type", "Захід", "Measure", "classifier", classifier="cl_measure_type"),
            F("year", "Рік", "Year", "integer"),
            F("cost_uah", "Вартість, грн", "Cost, UAH", "decimal"),
            F("funding_source", "Джерело фінансування", "Funding source"),
            F("expected_saving_pct", "Очікувана економія, %", "Expected saving, %", "decimal"),
            F("actual_saving_pct", "Фактична економія, %", "Actual saving, %", "decimal"),
            F("expected_saving_uah", "Очікувана економія, грн/рік", "Expected saving, UAH/year", "decimal"),
            F("actual_saving_uah", "Фактична економія, грн/рік", "Actual saving, UAH/year", "decimal"),
        ),
        parent=("energy.building", "building_id"),
    ),
    Register(
        "budget.project",
        "budget",
        "Бюджет на карті: капітальні проєкти",
        "Budget on the map: capital projects",
        "Point",
        '"title_uk"',
        (
            ID,
            F("title_uk", "Назва проєкту", "Title (uk)"),
            F("title_en", "Назва англійською", "Title (en)"),
            F("object_name", "Об'єкт", "Object"),
            F("sector", "Галузь", "Sector", "classifier", classifier="cl_budget_sector"),
            F("budget_year", "Бюджетний рік", "Budget year", "integer"),
            F("district_id", "Район", "District", "relation", relation="ref.district"),
            F("address_text", "Адреса", "Address"),
            F("fund", "Фонд бюджету", "Budget fund", "classifier", classifier="cl_budget_fund", group="finance"),
            F("kpkvk", "КПКВКМБ", "Programme code (KPKVK)", group="finance"),
            F("kfkvk", "КФКВК (функціональна класифікація)", "Functional code (KFKVK)", group="finance"),
            F(
                "kekv",
                "КЕКВ",
                "Economic code (KEKV)",
                "classifier",
                classifier="cl_kekv",
                group="finance",
            ),
            F("planned_uah", "Заплановано, грн", "Planned, UAH", "decimal", group="finance"),
            F("actual_uah", "Використано, грн", "Spent, UAH", "decimal", group="finance"),
            F("contractor_edrpou", "ЄДРПОУ підрядника", "Contractor EDRPOU", group="finance"),
            F("contractor_name", "Підрядник", "Contractor", group="finance"),
            F("tender_id", "Ідентифікатор закупівлі ProZorro", "ProZorro tender id", group="finance"),
            F("project_status", "Стан", "Status", "classifier", classifier="cl_project_status"),
            F("start_date", "Початок робіт", "Works start", "date"),
            F("end_date", "Завершення робіт", "Works end", "date"),
        ),
        groups=(("main", "Проєкт", "Project"), ("finance", "Фінансування", "Funding")),
        children=("budget.payment",),
    ),
    Register(
        "budget.payment",
        "budget",
        "Платежі за проєктами",
        "Project payments",
        None,
        '"document"',
        (
            ID,
            F("project_id", "Проєкт", "Project", "relation", relation="budget.project"),
            F("paid_on", "Дата платежу", "Paid on", "date"),
            F("amount_uah", "Сума, грн", "Amount, UAH", "decimal"),
            F("document", "Платіжний документ", "Payment document"),
            F("purpose", "Призначення платежу", "Purpose", "multiline"),
        ),
        parent=("budget.project", "project_id"),
    ),
)

BY_TABLE = {r.table: r for r in REGISTERS}


def register(table: str) -> Register:
    """The declaration of a register by its schema.table name."""
    try:
        return BY_TABLE[table]
    except KeyError:
        raise KeyError(f"no register {table}; known: {', '.join(BY_TABLE)}") from None


def of_department(department: str) -> tuple[Register, ...]:
    return tuple(r for r in REGISTERS if r.department == department)
