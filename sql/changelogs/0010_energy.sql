-- Energy efficiency of municipal buildings (department "energy").

CREATE TABLE energy.building (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name_uk            text NOT NULL,
    name_en            text,
    building_use       text NOT NULL REFERENCES ref.cl_building_use,
    balance_holder_edrpou text NOT NULL CONSTRAINT building_balance_holder_edrpou_format CHECK (ref.check_edrpou(balance_holder_edrpou)),
    address_text       text NOT NULL,
    heated_area_m2     numeric(10, 1) NOT NULL CONSTRAINT building_heated_area_range CHECK (ref.check_range(heated_area_m2, 10, 200000, 'building_heated_area_range', 'Опалювана площа, м²', 'Heated area, m²')),
    year_built         smallint CONSTRAINT building_year_built_range CHECK (ref.check_range(year_built, 1700, 2100, 'building_year_built_range', 'Рік побудови', 'Year built')),
    floors             smallint CONSTRAINT building_floors_range CHECK (ref.check_range(floors, 1, 40, 'building_floors_range', 'Поверховість', 'Floors')),
    energy_class       text REFERENCES ref.cl_energy_class,
    certificate_number text,
    certificate_date   date,
    specific_energy_kwh_m2 numeric(8, 1),   -- from the energy certificate
    geom               geometry(MultiPolygon, 9836) NOT NULL
);
CREATE INDEX building_geom_idx ON energy.building USING gist (geom);
SELECT workflow.register_table('energy.building', 'energy',
    'Енергоефективність бюджетних будівель', 'Energy efficiency of municipal buildings');

CREATE TABLE energy.consumption (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    building_id     bigint NOT NULL REFERENCES energy.building,
    year            smallint NOT NULL CONSTRAINT consumption_year_range CHECK (ref.check_range(year, 2010, 2100, 'consumption_year_range', 'Рік', 'Year')),
    heat_gcal       numeric(12, 2) CONSTRAINT consumption_heat_range CHECK (ref.check_range(heat_gcal, 0, NULL, 'consumption_heat_range', 'Теплова енергія, Гкал', 'Heat, Gcal')),
    electricity_kwh numeric(12, 0) CONSTRAINT consumption_electricity_range CHECK (ref.check_range(electricity_kwh, 0, NULL, 'consumption_electricity_range', 'Електроенергія, кВт·год', 'Electricity, kWh')),
    gas_m3          numeric(12, 0) CONSTRAINT consumption_gas_range CHECK (ref.check_range(gas_m3, 0, NULL, 'consumption_gas_range', 'Газ, м³', 'Gas, m³')),
    water_m3        numeric(12, 0) CONSTRAINT consumption_water_range CHECK (ref.check_range(water_m3, 0, NULL, 'consumption_water_range', 'Вода, м³', 'Water, m³')),
    cost_uah        numeric(14, 2) CONSTRAINT consumption_cost_range CHECK (ref.check_range(cost_uah, 0, NULL, 'consumption_cost_range', 'Вартість, грн', 'Cost, UAH')),
    CONSTRAINT consumption_building_year_unique UNIQUE (building_id, year)
);
SELECT workflow.register_table('energy.consumption', 'energy',
    'Річне споживання енергоресурсів', 'Yearly energy consumption');

CREATE TABLE energy.measure (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    building_id         bigint NOT NULL REFERENCES energy.building,
    measure_type        text NOT NULL REFERENCES ref.cl_measure_type,
    year                smallint NOT NULL CONSTRAINT measure_year_range CHECK (ref.check_range(year, 2000, 2100, 'measure_year_range', 'Рік', 'Year')),
    cost_uah            numeric(14, 2) NOT NULL CONSTRAINT measure_cost_range CHECK (ref.check_range(cost_uah, 0, NULL, 'measure_cost_range', 'Вартість, грн', 'Cost, UAH')),
    funding_source      text,
    expected_saving_pct numeric(5, 1) CONSTRAINT measure_expected_saving_range CHECK (ref.check_range(expected_saving_pct, 0, 100, 'measure_expected_saving_range', 'Очікувана економія, %', 'Expected saving, %')),
    actual_saving_pct   numeric(5, 1) CONSTRAINT measure_actual_saving_range CHECK (ref.check_range(actual_saving_pct, -100, 100, 'measure_actual_saving_range', 'Фактична економія, %', 'Actual saving, %')),
    expected_saving_uah numeric(14, 2),
    actual_saving_uah   numeric(14, 2)
);
CREATE INDEX measure_building_idx ON energy.measure (building_id);
SELECT workflow.register_table('energy.measure', 'energy',
    'Енергоефективні заходи', 'Energy efficiency measures');
