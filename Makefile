# Zhytomyr City GIS. The two commands: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY      := .venv/bin/python
PGPORT  ?= 55432
SIZE    ?= city
DB      ?= zhytomyr_gis

export PROJ_DATA := /usr/share/proj

SERVER_PORT ?= 8080
RUN         = $$(tools/rundir.sh)
SUPERUSER_DSN = host=$(RUN)/pg/socket port=$(PGPORT) user=postgres dbname=$(DB)
PORTAL_ENV  = PGSERVICEFILE=$(RUN)/server/pg_service.conf PGPASSFILE=$(RUN)/server/pgpass QT_QPA_PLATFORM=offscreen

.PHONY: help deps demo db stop test lint status translations translations-update package install-plugin styles
.PHONY: credentials projects check-projects portal bench bench-verification bench-maps bench-profile bench-import bench-portal bench-desktop
.PHONY: reliability reliability-api soak

help:
	@echo "make demo    install what is missing, start the private PostGIS (127.0.0.1:$(PGPORT)),"
	@echo "             migrate and load the demo dataset (SIZE=small|city|large, default city)"
	@echo "make test    run every test on private instances (never touches the demo)"
	@echo "make stop    stop what make demo started"
	@echo "make projects        regenerate projects/*.qgs from zhytomyr_gis/publishing/catalog.py"
	@echo "make check-projects  refuse projects with invalid layers, credentials, writable layers..."
	@echo "make portal          build the geoportal's pages into portal/dist (npm: OpenLayers, esbuild)"
	@echo "make status  records per register and workflow state"
	@echo "make lint    ruff"
	@echo "make reliability  the long reliability checks (not part of make test): schemathesis over the"
	@echo "             OGC API of every project (reliability-api), point-in-time recovery, PostgreSQL"
	@echo "             restarted under load, a second public server on a streaming replica, two minutes"
	@echo "             of concurrent editing and of soak; reports in .run/reliability/"
	@echo "make soak    the soak alone: public load (Locust) with editors and verifiers at work for"
	@echo "             SOAK_SECONDS (default 1800); figures in .run/reliability/soak.json"
	@echo "make package         build/zhytomyr_gis_plugin.zip for QGIS's plugin manager"
	@echo "make install-plugin  link the working copy into a QGIS profile (PROFILE=default)"
	@echo "make translations    compile the plugin's Qt translations (.ts -> .qm)"
	@echo "make styles          store the registers' forms and styles in the demo database (layer_styles)"
	@echo "make bench   every benchmark (not part of make test): verification, maps, import, portal, desktop"
	@echo "make bench-verification  performance of the verification on the city-size dataset (private"
	@echo "             cluster, port $$ZGIS_BENCH_PGPORT or 55464); table printed, JSON in .run/bench/"
	@echo "make bench-import  exchange file (1,000 parcels) and GeoPackage (40,000) to drafts; peak memory"
	@echo "make bench-maps  QGIS Server vs MapServer 8, tile cache, WFS and OGC API on the demo datasets"
	@echo "             (private cluster, port 55504; BENCH_MAPS_ARGS=--quick for a smoke run);"
	@echo "             results in .run/bench/maps.{json,png}, see bench/README.md"
	@echo "make bench-profile  where QGIS Server and MapServer spend a map's CPU (perf on the workers;"
	@echo "             full map, dense centre tiles, tiles over the city); .run/bench/profile.json"
	@echo "make bench-portal  the viewer in Chromium: first tile and canvas drawn, cold, on loopback and"
	@echo "             on a throttled phone (BENCH_PORTAL_ARGS=--size small --runs 3); .run/bench/portal.json"
	@echo "make bench-desktop  real QGIS under Xvfb on the city dataset: workspace, a parcel's form, saving,"
	@echo "             submitting and reviewing 1,000 parcels (private cluster, port 55474;"
	@echo "             BENCH_DESKTOP_ARGS=--profile save,submit); .run/bench/desktop.json"

deps:
	@tools/install-deps.sh

db: deps
	@tools/pgcluster.sh start "$$(tools/rundir.sh)/pg" $(PGPORT)
	@$(PY) -m zhytomyr_gis --socket-dir "$$(tools/rundir.sh)/pg/socket" --port $(PGPORT) --dbname $(DB) setup

demo: db
	@$(PY) -m zhytomyr_gis --socket-dir "$$(tools/rundir.sh)/pg/socket" --port $(PGPORT) --dbname $(DB) demo --size $(SIZE)
	@$(MAKE) --no-print-directory check-projects portal
	@tools/server.sh start "$(RUN)/server" $(SERVER_PORT) projects
	@$(PY) -m zhytomyr_gis --socket-dir "$$(tools/rundir.sh)/pg/socket" --port $(PGPORT) --dbname $(DB) \
		history head --out "$(RUN)/server/history-heads.log" \
		&& install -m 0644 "$(RUN)/server/history-heads.log.json" "$(RUN)/server/portal/history-head.json"

status:
	@$(PY) -m zhytomyr_gis --socket-dir "$$(tools/rundir.sh)/pg/socket" --port $(PGPORT) --dbname $(DB) status

stop:
	@if [ -e .run/server ]; then tools/server.sh stop .run/server; fi
	@if [ -e .run/pg ]; then tools/pgcluster.sh stop .run/pg; fi

# The public role's password (generated once, kept in .run/server) and the
# pg_service.conf + pgpass that QGIS Server and the project builder use.
credentials: db
	@$(PY) -m zhytomyr_gis.publishing credentials "$(RUN)/server" --superuser-dsn "$(SUPERUSER_DSN)" \
		--port $(PGPORT) --dbname $(DB)

projects: credentials
	@$(PY) -m zhytomyr_gis.publishing docs
	@$(PORTAL_ENV) $(PY) -m zhytomyr_gis.publishing build --out projects

check-projects: credentials
	@$(PORTAL_ENV) $(PY) -m zhytomyr_gis.publishing check projects/*.qgs

# The geoportal's pages (served by the same nginx at /, /map.html, /embed):
# OpenLayers and esbuild from npm at the versions of portal/package-lock.json.
PORTAL_SOURCES := $(shell find portal/src portal/public -type f 2>/dev/null) portal/build.mjs
portal: deps portal/dist/index.html

portal/node_modules/.installed: portal/package.json portal/package-lock.json
	cd portal && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

portal/dist/index.html: portal/node_modules/.installed $(PORTAL_SOURCES)
	cd portal && node build.mjs

test: deps translations portal
	$(PY) -m pytest $(PYTEST_ARGS)

lint: deps
	$(PY) -m ruff check zhytomyr_gis zhytomyr_gis_plugin tests tools qgis_server bench
	$(PY) -m ruff format --check zhytomyr_gis zhytomyr_gis_plugin tests tools qgis_server bench

# ------------------------------------------------------------- QGIS plugin
PLUGIN       := zhytomyr_gis_plugin
PROFILE      ?= default
QGIS_PROFILE ?= $(HOME)/.local/share/QGIS/QGIS3/profiles/$(PROFILE)
TS_FILES     := $(wildcard $(PLUGIN)/i18n/*.ts)

translations: $(TS_FILES:.ts=.qm)

$(PLUGIN)/i18n/%.qm: $(PLUGIN)/i18n/%.ts
	lrelease -silent $< -qm $@

# Refresh the .ts sources from the code (keeps existing translations).
translations-update:
	pylupdate5 -noobsolete $$(find $(PLUGIN) -name '*.py' -not -path '*/vendor/*' | sort) -ts $(TS_FILES)

package: deps translations
	$(PY) tools/package_plugin.py --output build/$(PLUGIN).zip

install-plugin: deps translations
	$(PY) tools/package_plugin.py --vendor-only
	mkdir -p "$(QGIS_PROFILE)/python/plugins"
	ln -sfn "$(CURDIR)/$(PLUGIN)" "$(QGIS_PROFILE)/python/plugins/$(PLUGIN)"
	@echo "linked $(PLUGIN) into $(QGIS_PROFILE)/python/plugins; enable it in Plugins > Manage and Install Plugins"

styles: db
	QT_QPA_PLATFORM=offscreen $(PY) -m $(PLUGIN).layers.styles \
	    --dsn "host=$$(tools/rundir.sh)/pg/socket port=$(PGPORT) dbname=$(DB) user=postgres"

# ------------------------------------------------------------- reliability
# Long checks kept out of make test (tests/reliability, collected only with
# ZGIS_RELIABILITY=1), on the same private instances as the tests; further
# clusters and servers on ZGIS_TEST_SPARE_PGPORT (55440..55443) and
# ZGIS_TEST_SPARE_SERVER_PORT (18090..18094). Reports in .run/reliability/.
SOAK_SECONDS ?= 1800

reliability: deps
	@tools/install-deps.sh reliability
	@tools/install-deps.sh monitoring
	ZGIS_RELIABILITY=1 $(PY) -m pytest tests/reliability $(PYTEST_ARGS)

reliability-api: deps
	@tools/install-deps.sh reliability
	ZGIS_RELIABILITY=1 $(PY) -m pytest tests/reliability/test_ogcapi_schemathesis.py $(PYTEST_ARGS)

soak: deps
	@tools/install-deps.sh reliability
	ZGIS_RELIABILITY=1 ZGIS_SOAK_SECONDS=$(SOAK_SECONDS) $(PY) -m pytest -s tests/reliability/test_soak.py $(PYTEST_ARGS)

# ------------------------------------------------------------- benchmarks
bench: bench-verification bench-maps bench-profile bench-import bench-portal bench-desktop

bench-verification: deps
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.verification $(BENCH_ARGS)

# The import: a 1,000-parcel exchange file and 40,000 parcels from a
# GeoPackage to drafts, and peak memory of reading 1k/10k/40k parcels.
bench-import: deps
	$(PY) -m bench.importing $(BENCH_IMPORT_ARGS)

# The public maps against MapServer 8 (bench/README.md). Loads the small,
# city and large datasets once into .run/bench/pg; later runs reuse them.
bench-maps: deps
	$(PY) -m bench.maps $(BENCH_MAPS_ARGS)

# Where each server spends a map's CPU (perf), on the benchmarks' city instance.
bench-profile: deps
	$(PY) -m bench.maps.profile $(BENCH_PROFILE_ARGS)


# The geoportal in Chromium (bench/README.md, "The geoportal in the browser"):
# the city viewer opened cold on loopback and on a throttled phone profile.
bench-portal: deps portal
	$(PY) -m bench.portal $(BENCH_PORTAL_ARGS)

# The desktop (bench/README.md, "The desktop"): real QGIS with the plugin under
# Xvfb on a copy of the city dataset (loaded once into .run/bench/desktop-pg).
bench-desktop: deps translations
	$(PY) -m bench.desktop $(BENCH_DESKTOP_ARGS)
