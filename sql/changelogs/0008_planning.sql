-- General plan and zoning plan (department "planning").

CREATE TABLE planning.functional_zone (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    zone_type       text NOT NULL REFERENCES ref.cl_functional_zone,
    name_uk         text,
    area_ha         numeric(12, 4),
    plan_decision   text NOT NULL DEFAULT 'Генеральний план м. Житомира, затверджений рішенням міської ради',
    geom            geometry(MultiPolygon, 9836) NOT NULL
);
CREATE INDEX functional_zone_geom_idx ON planning.functional_zone USING gist (geom);
SELECT workflow.register_table('planning.functional_zone', 'planning',
    'Функціональні зони генерального плану', 'General plan functional zones');

CREATE TABLE planning.zoning_zone (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    zone_code         text NOT NULL REFERENCES ref.cl_zone_code,
    zone_index        text NOT NULL CONSTRAINT zoning_zone_index_unique UNIQUE,  -- e.g. Ж-3/17
    permitted_uses    text NOT NULL,
    conditional_uses  text,
    restrictions      text,
    max_height_m      numeric(5, 1) CONSTRAINT zoning_zone_height_range CHECK (ref.check_range(max_height_m, 3, 150, 'zoning_zone_height_range', 'Гранична висота, м', 'Height limit, m')),
    max_coverage_pct  numeric(5, 1) CONSTRAINT zoning_zone_coverage_range CHECK (ref.check_range(max_coverage_pct, 0, 100, 'zoning_zone_coverage_range', 'Гранична щільність забудови, %', 'Coverage limit, %')),
    advertising_allowed boolean NOT NULL DEFAULT true,
    council_decision  text NOT NULL,
    decision_date     date NOT NULL,
    geom              geometry(MultiPolygon, 9836) NOT NULL
);
CREATE INDEX zoning_zone_geom_idx ON planning.zoning_zone USING gist (geom);
SELECT workflow.register_table('planning.zoning_zone', 'planning',
    'Зонінг: територіальні зони', 'Zoning plan zones');

CREATE TABLE planning.restriction_zone (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            text NOT NULL REFERENCES ref.cl_restriction_kind,
    name_uk         text NOT NULL,
    legal_basis     text,
    advertising_forbidden boolean NOT NULL DEFAULT false,
    geom            geometry(MultiPolygon, 9836) NOT NULL
);
CREATE INDEX restriction_zone_geom_idx ON planning.restriction_zone USING gist (geom);
SELECT workflow.register_table('planning.restriction_zone', 'planning',
    'Зони обмежень використання території', 'Land-use restriction zones');
