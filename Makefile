# Zhytomyr City GIS. The two commands: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY      := .venv/bin/python
PGPORT  ?= 55432
SIZE    ?= city
DB      ?= zhytomyr_gis

export PROJ_DATA := /usr/share/proj

.PHONY: help deps demo db stop test lint status translations translations-update package install-plugin styles

help:
	@echo "make demo    install what is missing, start the private PostGIS (127.0.0.1:$(PGPORT)),"
	@echo "             migrate and load the demo dataset (SIZE=small|city|large, default city)"
	@echo "make test    run every test on private instances (never touches the demo)"
	@echo "make stop    stop what make demo started"
	@echo "make status  records per register and workflow state"
	@echo "make lint    ruff"
	@echo "make package         build/zhytomyr_gis_plugin.zip for QGIS's plugin manager"
	@echo "make install-plugin  link the working copy into a QGIS profile (PROFILE=default)"
	@echo "make translations    compile the plugin's Qt translations (.ts -> .qm)"
	@echo "make styles          store the registers' forms and styles in the demo database (layer_styles)"

deps:
	@tools/install-deps.sh

db: deps
	@tools/pgcluster.sh start "$$(tools/rundir.sh)/pg" $(PGPORT)
	@$(PY) -m zhytomyr_gis --socket-dir "$$(tools/rundir.sh)/pg/socket" --port $(PGPORT) --dbname $(DB) setup

demo: db
	@$(PY) -m zhytomyr_gis --socket-dir "$$(tools/rundir.sh)/pg/socket" --port $(PGPORT) --dbname $(DB) demo --size $(SIZE)

status:
	@$(PY) -m zhytomyr_gis --socket-dir "$$(tools/rundir.sh)/pg/socket" --port $(PGPORT) --dbname $(DB) status

stop:
	@if [ -e .run/pg ]; then tools/pgcluster.sh stop .run/pg; fi

test: deps translations
	$(PY) -m pytest $(PYTEST_ARGS)

lint: deps
	$(PY) -m ruff check zhytomyr_gis zhytomyr_gis_plugin tests tools
	$(PY) -m ruff format --check zhytomyr_gis zhytomyr_gis_plugin tests tools

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
