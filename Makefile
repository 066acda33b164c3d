# Zhytomyr City GIS. The two commands: `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PY      := .venv/bin/python
PGPORT  ?= 55432
SIZE    ?= city
DB      ?= zhytomyr_gis

export PROJ_DATA := /usr/share/proj

.PHONY: help deps demo db stop test lint status bench

help:
	@echo "make demo    install what is missing, start the private PostGIS (127.0.0.1:$(PGPORT)),"
	@echo "             migrate and load the demo dataset (SIZE=small|city|large, default city)"
	@echo "make test    run every test on private instances (never touches the demo)"
	@echo "make stop    stop what make demo started"
	@echo "make status  records per register and workflow state"
	@echo "make lint    ruff"
	@echo "make bench   performance of the verification on the city-size dataset (private cluster,"
	@echo "             port $$ZGIS_BENCH_PGPORT or 55464); table printed, JSON in .run/bench/"

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

test: deps
	$(PY) -m pytest $(PYTEST_ARGS)

lint: deps
	$(PY) -m ruff check zhytomyr_gis zhytomyr_gis_plugin tests bench
	$(PY) -m ruff format --check zhytomyr_gis zhytomyr_gis_plugin tests bench

bench: deps
	QT_QPA_PLATFORM=offscreen $(PY) -m bench.verification $(BENCH_ARGS)
