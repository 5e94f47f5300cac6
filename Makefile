# Two commands for a fresh machine: `make demo` and `make test`. Each installs what it needs.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.8
UV := $(shell command -v uv 2>/dev/null)
ifeq ($(UV),)
UV := python3 -m uv
endif
SUDO := $(shell [ "$$(id -u)" = "0" ] || echo sudo)
export UV_LINK_MODE := copy
export DBT_SEND_ANONYMOUS_USAGE_STATS := false
export DAGSTER_DISABLE_TELEMETRY := 1

.PHONY: help uv system-deps install demo demo-check test lint format bench bench-tools

help:
	@echo "make demo   - install everything, then run the demo (Ctrl-C stops it)"
	@echo "make test   - install everything, then lint and run every test"

uv:
	@command -v uv >/dev/null 2>&1 || python3 -m uv --version >/dev/null 2>&1 || \
		python3 -m pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

system-deps:
	@missing=""; \
	command -v git >/dev/null 2>&1 || missing="$$missing git"; \
	[ -x /usr/bin/chromium ] || missing="$$missing chromium"; \
	if [ -n "$$missing" ]; then \
		echo "installing Debian packages:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

install: uv system-deps
	$(UV) sync --frozen
	@# the project's own modules are an editable install: compile them too (start-up time)
	$(UV) run --frozen python -m compileall -q warden ingestion analysis orchestration dashboard bench >/dev/null
	$(UV) run --frozen python -c "from orchestration.dbt_paths import ensure_manifest; ensure_manifest(force=True)"

demo: install
	$(UV) run --frozen warden demo

demo-check: install
	$(UV) run --frozen warden demo --check

lint:
	$(UV) run --frozen ruff check .
	$(UV) run --frozen ruff format --check .

test: install lint
	$(UV) run --frozen pytest -n 2 --dist loadfile

format:
	$(UV) run --frozen ruff format .
	$(UV) run --frozen ruff check --fix .

bench: install
	$(UV) run --frozen python -m bench

# Bandit and Semgrep for the speed comparison, in bench/.tools (never the app's venv)
bench-tools: uv
	UV="$(UV)" bench/review_speed/install_tools.sh
