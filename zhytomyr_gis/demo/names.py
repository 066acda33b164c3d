"""Names for the generated Zhytomyr: real streets, organisations, people.

Street names are real names of Zhytomyr streets (only those we are sure of);
the generated grid has more streets than that, and the rest are called
"Проєктна N", the way unnamed planned streets are designated, so that nobody
mistakes them for real ones. Organisation names follow the real naming
patterns of the city's institutions; companies (ТОВ) have made-up names.
People are made up from common Ukrainian names.

English names use the official Ukrainian national transliteration
(Resolution of the Cabinet of Ministers of Ukraine No. 55 of 27.01.2010),
the one used for passports and road signs.
"""

from __future__ import annotations

from dataclasses import dataclass

# ------------------------------------------------------------ transliteration
_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
}
# At the beginning of a word these letters are written differently.
_LATIN_INITIAL = {"є": "ye", "ї": "yi", "й": "y", "ю": "yu", "я": "ya"}
_APOSTROPHES = "'’ʼ`"


def transliterate(text: str) -> str:
    """Ukrainian to Latin by the national system of 2010 (KMU resolution 55).

    Why by hand: the system is small, and the libraries that implement it are
    not in Debian; the loader and the tests must run with the stdlib only.
    Rules: є ї й ю я at the start of a word become ye yi y yu ya (ie i i iu ia
    elsewhere), "зг" is "zgh", ь and the apostrophe are dropped.
    """
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        if not text[i].isalpha():
            out.append(text[i])
            i += 1
            continue
        j = i
        while j < n and (text[j].isalpha() or text[j] in _APOSTROPHES):
            j += 1
        out.append(_transliterate_word(text[i:j]))
        i = j
    return "".join(out)


def _transliterate_word(word: str) -> str:
    letters = [c for c in word if c not in _APOSTROPHES]
    all_caps = len(letters) > 1 and all(c.isupper() for c in letters)
    result: list[str] = []
    prev = ""
    for k, ch in enumerate(letters):
        low = ch.lower()
        if low not in _LATIN:
            result.append(ch)
        else:
            if low == "г" and prev == "з":
                latin = "gh"
            elif k == 0 and low in _LATIN_INITIAL:
                latin = _LATIN_INITIAL[low]
            else:
                latin = _LATIN[low]
            if ch != low and latin:
                latin = latin.upper() if all_caps else latin[0].upper() + latin[1:]
            result.append(latin)
        prev = low
    return "".join(result)


# -------------------------------------------------------------------- streets
@dataclass(frozen=True)
class StreetName:
    """A street as the registry keeps it: type, name, and the form used in addresses."""

    street_type: str  # a code of ref.cl_street_type
    name_uk: str
    # True when the name is an adjective that goes before the type
    # ("Соборний майдан", "Старий бульвар"); otherwise the type comes first.
    type_after: bool = False

    @property
    def name_en(self) -> str:
        return transliterate(self.name_uk)

    @property
    def short_uk(self) -> str:
        """The form used in addresses: "вул. Київська", "просп. Миру", "Соборний майдан"."""
        if self.type_after:
            return f"{self.name_uk} {self.street_type}"
        return f"{STREET_TYPE_ABBREVIATION[self.street_type]} {self.name_uk}"

    @property
    def full_uk(self) -> str:
        if self.type_after:
            return f"{self.name_uk} {self.street_type}"
        return f"{self.street_type} {self.name_uk}"


STREET_TYPE_ABBREVIATION = {
    "вулиця": "вул.",
    "провулок": "пров.",
    "проспект": "просп.",
    "бульвар": "бульв.",
    "майдан": "майдан",
    "площа": "пл.",
    "проїзд": "проїзд",
    "шосе": "шосе",
    "узвіз": "узвіз",
}

# Arteries: given to the main lines of the generated street grid, the
# first ones closest to the centre.
MAIN_STREETS: tuple[StreetName, ...] = (
    StreetName("вулиця", "Київська"),
    StreetName("вулиця", "Велика Бердичівська"),
    StreetName("вулиця", "Чуднівська"),
    StreetName("вулиця", "Вільський Шлях"),
    StreetName("проспект", "Миру"),
    StreetName("проспект", "Незалежності"),
    StreetName("вулиця", "Перемоги"),
    StreetName("вулиця", "Покровська"),
    StreetName("вулиця", "Небесної Сотні"),
    StreetName("вулиця", "Вітрука"),
    StreetName("вулиця", "Шевченка"),
    StreetName("вулиця", "Бориса Тена"),
    StreetName("вулиця", "Святослава Ріхтера"),
    StreetName("вулиця", "Корольова"),
    StreetName("вулиця", "Космонавтів"),
    StreetName("вулиця", "Івана Кочерги"),
    StreetName("вулиця", "Довжика"),
    StreetName("вулиця", "Домбровського"),
    StreetName("вулиця", "Східна"),
    StreetName("вулиця", "Вокзальна"),
    StreetName("вулиця", "Промислова"),
)

# Streets of the old town: given to the minor grid lines nearest the centre.
CENTRAL_STREETS: tuple[StreetName, ...] = (
    StreetName("вулиця", "Михайлівська"),
    StreetName("вулиця", "Хлібна"),
    StreetName("вулиця", "Пушкінська"),
    StreetName("вулиця", "Театральна"),
    StreetName("вулиця", "Гоголівська"),
    StreetName("вулиця", "Кафедральна"),
    StreetName("вулиця", "Мала Бердичівська"),
    StreetName("вулиця", "Лесі Українки"),
    StreetName("бульвар", "Старий", type_after=True),
    StreetName("бульвар", "Новий", type_after=True),
)

KOROLOVA_SQUARE = StreetName("майдан", "Корольова")
SOBORNYI_SQUARE = StreetName("майдан", "Соборний", type_after=True)
SQUARES: tuple[StreetName, ...] = (KOROLOVA_SQUARE, SOBORNYI_SQUARE)

# The seat of the city council.
COUNCIL_HOUSE_NUMBER = "4/2"


def generated_street(n: int) -> StreetName:
    """The n-th street of the grid that has no real name: "вулиця Проєктна n"."""
    return StreetName("вулиця", f"Проєктна {n}")


def generated_lane(n: int) -> StreetName:
    """A short unnamed street (one or two blocks): "провулок Проєктний n"."""
    return StreetName("провулок", f"Проєктний {n}")


# English words for the street types, after the name: "Myru Avenue".
STREET_TYPE_EN = {
    "вулиця": "Street",
    "провулок": "Lane",
    "проспект": "Avenue",
    "бульвар": "Boulevard",
    "майдан": "Square",
    "площа": "Square",
    "проїзд": "Passage",
    "шосе": "Highway",
    "узвіз": "Descent",
}


# --------------------------------------------------------------------- places
CITY_UK = "Житомир"
CITY_EN = "Zhytomyr"
COUNCIL_UK = "Житомирська міська рада"
COUNCIL_EN = "Zhytomyr City Council"
COUNCIL_SHORT_UK = "ЖМР"
# The hromada, the city and its districts as the codifier (КАТОТТГ, наказ
# Мінрегіону № 290 від 26.11.2020) and КОАТУУ (ДК 014-97) have them: the codes
# are those of sql/classifiers/katottg.csv and koatuu.csv.
HROMADA_UK = "Житомирська міська територіальна громада"
HROMADA_EN = "Zhytomyr urban hromada"
HROMADA_KATOTTG = "UA18040190000029215"
CITY_KATOTTG = "UA18040190010057814"
# The village of the hromada the generated boundary includes (it joined the
# city's hromada in 2018); its codes are not in the classifiers, so the demo
# puts no cadastral parcels there.
VILLAGE_UK = "Вереси"


@dataclass(frozen=True)
class District:
    name_uk: str
    name_en: str
    katottg: str
    koatuu: str  # the first part of the cadastral numbers of its parcels


DISTRICTS: tuple[District, ...] = (
    District("Богунський район", "Bohunskyi district", "UA18040190010115253", "1810136300"),
    District("Корольовський район", "Korolovskyi district", "UA18040190010281147", "1810136600"),
)

RIVER_UK = "Тетерів"

# ------------------------------------------------------------- organisations
# Municipal enterprises and council bodies: (name, short name, English name, org_type).
MUNICIPAL_BODIES: tuple[tuple[str, str, str, str], ...] = (
    (COUNCIL_UK, COUNCIL_SHORT_UK, COUNCIL_EN, "council"),
    (
        "Департамент освіти Житомирської міської ради",
        "Департамент освіти",
        "Education Department of Zhytomyr City Council",
        "council",
    ),
    (
        "Управління охорони здоров'я Житомирської міської ради",
        "Управління охорони здоров'я",
        "Health Care Department of Zhytomyr City Council",
        "council",
    ),
    (
        "Управління культури Житомирської міської ради",
        "Управління культури",
        "Culture Department of Zhytomyr City Council",
        "council",
    ),
    (
        "Управління капітального будівництва Житомирської міської ради",
        "Управління капітального будівництва",
        "Capital Construction Department of Zhytomyr City Council",
        "council",
    ),
    (
        "Департамент житлового господарства Житомирської міської ради",
        "Департамент житлового господарства",
        "Housing Department of Zhytomyr City Council",
        "council",
    ),
    (
        "Департамент соціальної політики Житомирської міської ради",
        "Департамент соціальної політики",
        "Social Policy Department of Zhytomyr City Council",
        "council",
    ),
    (
        "Управління у справах сім'ї, молоді та спорту Житомирської міської ради",
        "Управління сім'ї, молоді та спорту",
        "Family, Youth and Sport Department of Zhytomyr City Council",
        "council",
    ),
    (
        "Комунальне підприємство «Житомирводоканал» Житомирської міської ради",
        "КП «Житомирводоканал»",
        "Municipal enterprise Zhytomyrvodokanal",
        "municipal_enterprise",
    ),
    (
        "Комунальне підприємство «Житомиртеплокомуненерго» Житомирської міської ради",
        "КП «Житомиртеплокомуненерго»",
        "Municipal enterprise Zhytomyrteplokomunenerho",
        "municipal_enterprise",
    ),
    (
        "Комунальне підприємство «Житомирське трамвайно-тролейбусне управління» Житомирської міської ради",
        "КП «Житомирське ТТУ»",
        "Municipal enterprise Zhytomyr Tram and Trolleybus Authority",
        "municipal_enterprise",
    ),
    (
        "Комунальне підприємство «Житомирзеленбуд» Житомирської міської ради",
        "КП «Житомирзеленбуд»",
        "Municipal enterprise Zhytomyrzelenbud",
        "municipal_enterprise",
    ),
    (
        "Комунальне підприємство «Житлове господарство» Житомирської міської ради",
        "КП «Житлове господарство»",
        "Municipal enterprise Housing Management",
        "municipal_enterprise",
    ),
    (
        "Комунальне підприємство «Міське бюро технічної інвентаризації» Житомирської міської ради",
        "КП «Міське БТІ»",
        "Municipal enterprise City Bureau of Technical Inventory",
        "municipal_enterprise",
    ),
    (
        "Комунальне підприємство «Шляхи міста» Житомирської міської ради",
        "КП «Шляхи міста»",
        "Municipal enterprise City Roads",
        "municipal_enterprise",
    ),
)
STATE_BODIES: tuple[tuple[str, str, str, str], ...] = (
    (
        "Головне управління Держгеокадастру у Житомирській області",
        "ГУ Держгеокадастру",
        "Main Department of the State Geocadastre in Zhytomyr Oblast",
        "state_body",
    ),
    (
        "Житомирська обласна військова адміністрація",
        "Житомирська ОВА",
        "Zhytomyr Oblast Military Administration",
        "state_body",
    ),
)

# Municipal institutions that keep the buildings of the energy register:
# use code -> (nominative pattern, genitive pattern, English pattern); {n} is a number.
INSTITUTION_PATTERNS: dict[str, tuple[str, str, str]] = {
    "school": ("Житомирський ліцей № {n}", "Житомирського ліцею № {n}", "Zhytomyr Lyceum No. {n}"),
    "kindergarten": (
        "Житомирський заклад дошкільної освіти № {n}",
        "Житомирського закладу дошкільної освіти № {n}",
        "Zhytomyr Preschool No. {n}",
    ),
    "hospital": (
        "КНП «Лікарня № {n}» Житомирської міської ради",
        "КНП «Лікарня № {n}» Житомирської міської ради",
        "Municipal non-profit enterprise Hospital No. {n}",
    ),
    "polyclinic": (
        "Амбулаторія загальної практики сімейної медицини № {n}",
        "амбулаторії загальної практики сімейної медицини № {n}",
        "Family medicine outpatient clinic No. {n}",
    ),
    "administrative": (
        "Адміністративна будівля № {n} Житомирської міської ради",
        "адміністративної будівлі № {n} Житомирської міської ради",
        "Administrative building No. {n} of Zhytomyr City Council",
    ),
    "culture": (
        "Бібліотека-філія № {n} Житомирської міської ЦБС",
        "бібліотеки-філії № {n} Житомирської міської ЦБС",
        "Branch library No. {n}",
    ),
    "sport": (
        "Дитячо-юнацька спортивна школа № {n}",
        "дитячо-юнацької спортивної школи № {n}",
        "Youth sports school No. {n}",
    ),
    "social": (
        "Територіальний центр соціального обслуговування № {n}",
        "територіального центру соціального обслуговування № {n}",
        "Social services centre No. {n}",
    ),
}
# Short names for the map ("ЗДО № 12", as the brief and the people of the city say).
INSTITUTION_SHORT: dict[str, str] = {
    "school": "Ліцей № {n}",
    "kindergarten": "ЗДО № {n}",
    "hospital": "Лікарня № {n}",
    "polyclinic": "АЗПСМ № {n}",
    "administrative": "Адмінбудівля № {n}",
    "culture": "Бібліотека № {n}",
    "sport": "ДЮСШ № {n}",
    "social": "Терцентр № {n}",
}
INSTITUTION_ORG_TYPE: dict[str, str] = {
    "school": "municipal_institution",
    "kindergarten": "municipal_institution",
    "hospital": "municipal_enterprise",
    "polyclinic": "municipal_institution",
    "administrative": "council",
    "culture": "municipal_institution",
    "sport": "municipal_institution",
    "social": "municipal_institution",
}
INSTITUTION_EMAIL: dict[str, str] = {
    "school": "lyceum{n}@osvita.zhytomyr.example",
    "kindergarten": "zdo{n}@osvita.zhytomyr.example",
    "hospital": "likarnia{n}@health.zhytomyr.example",
    "polyclinic": "ambulatoriia{n}@health.zhytomyr.example",
    "administrative": "admin{n}@rada.zhytomyr.example",
    "culture": "biblioteka{n}@kultura.zhytomyr.example",
    "sport": "dyussh{n}@sport.zhytomyr.example",
    "social": "tertsentr{n}@social.zhytomyr.example",
}

# Made-up company names: a root and a trade, "ТОВ «Тетерів-Шляхбуд»".
COMPANY_ROOTS: tuple[str, ...] = (
    "Тетерів",
    "Полісся",
    "Древлянка",
    "Оберіг",
    "Граніт",
    "Магістраль",
    "Фундамент",
    "Стандарт",
    "Ресурс",
    "Вектор",
    "Горизонт",
    "Злагода",
    "Світанок",
    "Кряж",
    "Берест",
    "Явір",
    "Сосна",
    "Дубрава",
    "Лугань",
    "Кам'янка",
)
CONTRACTOR_TRADES: tuple[str, ...] = (
    "Буд",
    "Шляхбуд",
    "БудІнвест",
    "Реконструкція",
    "Інжиніринг",
    "Енергосервіс",
    "Будсервіс",
    "Дорбуд",
    "Термомодернізація",
    "Монтаж",
)
ADVERTISER_TRADES: tuple[str, ...] = ("Медіа", "Аутдор", "Реклама", "Борд", "Сіті Медіа", "Арт-Постер", "Промо")
# Lessees and owners of land and premises (not kept in the organisations register).
TENANT_TRADES: tuple[str, ...] = (
    "Трейд",
    "Агро",
    "Сервіс",
    "Маркет",
    "Логістик",
    "Фарм",
    "Авто",
    "Девелопмент",
    "Продукт",
    "Текстиль",
    "Меблі",
    "Пак",
    "Метал",
    "Енерго",
    "Хліб",
)

# ------------------------------------------------------------------- people
MALE_FIRST: tuple[str, ...] = (
    "Олександр",
    "Андрій",
    "Сергій",
    "Володимир",
    "Віктор",
    "Юрій",
    "Олег",
    "Дмитро",
    "Іван",
    "Микола",
    "Василь",
    "Петро",
    "Богдан",
    "Тарас",
    "Максим",
    "Ігор",
    "Роман",
    "Віталій",
    "Михайло",
    "Павло",
)
FEMALE_FIRST: tuple[str, ...] = (
    "Олена",
    "Наталія",
    "Ірина",
    "Тетяна",
    "Оксана",
    "Світлана",
    "Юлія",
    "Людмила",
    "Марія",
    "Ганна",
    "Валентина",
    "Катерина",
    "Галина",
    "Ольга",
    "Вікторія",
    "Лариса",
    "Надія",
    "Інна",
)
# (male, female) patronymics.
PATRONYMICS: tuple[tuple[str, str], ...] = (
    ("Олександрович", "Олександрівна"),
    ("Андрійович", "Андріївна"),
    ("Сергійович", "Сергіївна"),
    ("Володимирович", "Володимирівна"),
    ("Вікторович", "Вікторівна"),
    ("Юрійович", "Юріївна"),
    ("Олегович", "Олегівна"),
    ("Миколайович", "Миколаївна"),
    ("Васильович", "Василівна"),
    ("Петрович", "Петрівна"),
    ("Іванович", "Іванівна"),
    ("Михайлович", "Михайлівна"),
    ("Анатолійович", "Анатоліївна"),
    ("Григорович", "Григорівна"),
    ("Степанович", "Степанівна"),
)
# Surnames that do not change with gender.
SURNAMES: tuple[str, ...] = (
    "Шевченко",
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Олійник",
    "Шевчук",
    "Поліщук",
    "Мельник",
    "Бойко",
    "Ковальчук",
    "Савченко",
    "Лисенко",
    "Руденко",
    "Марченко",
    "Мороз",
    "Павленко",
    "Петренко",
    "Кравчук",
    "Левченко",
    "Гончаренко",
    "Клименко",
    "Романюк",
    "Мартинюк",
    "Савчук",
    "Литвиненко",
    "Білик",
    "Гуменюк",
    "Тимошенко",
    "Костенко",
    "Ярошенко",
    "Карпенко",
    "Нечипорук",
    "Дячук",
    "Остапчук",
    "Приходько",
    "Яковенко",
    "Сидоренко",
    "Вакуленко",
    "Головко",
)

# Funding of energy-efficiency measures.
FUNDING_SOURCES: tuple[str, ...] = (
    "бюджет Житомирської міської територіальної громади",
    "державний бюджет",
    "кредит НЕФКО",
    "кредит ЄІБ",
    "Фонд енергоефективності",
    "грант GIZ",
)
