-- Budget on the map: development-budget capital projects (department "budget").

CREATE TABLE budget.project (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title_uk          text NOT NULL,
    title_en          text,
    object_name       text NOT NULL,
    sector            text NOT NULL REFERENCES ref.cl_budget_sector,
    budget_year       smallint NOT NULL CONSTRAINT project_year_range CHECK (ref.check_range(budget_year, 2015, 2100, 'project_year_range', 'Бюджетний рік', 'Budget year')),
    kpkvk             text NOT NULL CONSTRAINT project_kpkvk_format CHECK (ref.check_kpkvk(kpkvk)),
    kekv              text NOT NULL CONSTRAINT project_kekv_format CHECK (ref.check_kekv(kekv)) REFERENCES ref.cl_kekv,
    planned_uah       numeric(14, 2) NOT NULL CONSTRAINT project_planned_range CHECK (ref.check_range(planned_uah, 0, NULL, 'project_planned_range', 'Заплановано, грн', 'Planned, UAH')),
    actual_uah        numeric(14, 2) CONSTRAINT project_actual_range CHECK (ref.check_range(actual_uah, 0, NULL, 'project_actual_range', 'Фактично, грн', 'Actual, UAH')),
    contractor_edrpou text CONSTRAINT project_contractor_edrpou_format CHECK (ref.check_edrpou(contractor_edrpou)),
    contractor_name   text,
    tender_id         text CONSTRAINT project_tender_id_format CHECK (ref.check_tender_id(tender_id)),
    project_status    text NOT NULL REFERENCES ref.cl_project_status,
    start_date        date,
    end_date          date,
    district_id       bigint REFERENCES ref.district,
    address_text      text,
    CONSTRAINT project_dates_order CHECK (ref.check_date_order(start_date, end_date, 'project_dates_order', 'Строки робіт', 'Works period')),
    geom              geometry(Point, 9836) NOT NULL
);
CREATE INDEX project_geom_idx ON budget.project USING gist (geom);
SELECT workflow.register_table('budget.project', 'budget',
    'Бюджет на карті: капітальні проєкти', 'Budget on the map: capital projects');

CREATE TABLE budget.payment (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    project_id    bigint NOT NULL REFERENCES budget.project,
    paid_on       date NOT NULL,
    amount_uah    numeric(14, 2) NOT NULL CONSTRAINT payment_amount_range CHECK (ref.check_range(amount_uah, 0.01, NULL, 'payment_amount_range', 'Сума платежу, грн', 'Payment amount, UAH')),
    document      text NOT NULL,
    purpose       text
);
CREATE INDEX payment_project_idx ON budget.payment (project_id);
SELECT workflow.register_table('budget.payment', 'budget',
    'Платежі за проєктами', 'Project payments');
