# Two commands on a fresh machine: `make run` and `make test`. Everything else bootstraps itself.
SHELL := /bin/bash
# python3.13 on PATH first (if it really runs), then pyenv's installs.
PYTHON ?= $(shell for p in $$(command -v python3.13) $$(ls -d $$HOME/.pyenv/versions/3.13*/bin/python3.13 2>/dev/null); do \
	  $$p -c 'import sys; assert sys.version_info[:2] == (3, 13)' >/dev/null 2>&1 && { echo $$p; break; }; done)
VENV := .venv
PY := $(VENV)/bin/python
PROTOS := $(shell find proto -name '*.proto')

.PHONY: run test test-faults bench lint proto venv infra images clean help asyncapi browser console-screenshots

help:
	@echo "make run    - the whole platform on embedded Kafka (Tansu) and MongoDB-wire (mongoeco/SQLite)"
	@echo "make test   - the whole test suite (starts its own broker and Mongo server)"
	@echo "make test-faults - the slow fault tests (two whole make run instances side by side); CI runs it"
	@echo "make bench  - benchmarks as ratios to baselines measured in the same run"
	@echo "make lint   - ruff;  make proto - generate protobuf/gRPC code;  make images - container image"
	@echo "make console-screenshots - the console's browser tests, saving its main pages to docs/console/"

$(VENV)/.installed: requirements.lock pyproject.toml
	@if [ -z "$(PYTHON)" ]; then echo "python3.13 not found: install Python 3.13 (e.g. 'pyenv install 3.13') and retry" >&2; exit 1; fi
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements.lock
	@site=$$($(PY) -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])'); \
	  printf '%s\n%s\n' "$(CURDIR)" "$(CURDIR)/gen" > "$$site/bth-root.pth"
	@touch $@

venv: $(VENV)/.installed

gen/.stamp: $(PROTOS) services/common/command_gen.py services/common/segmenter.py $(VENV)/.installed
	@rm -rf gen.tmp && mkdir -p gen.tmp
	$(PY) -m grpc_tools.protoc -I proto --python_out=gen.tmp --grpc_python_out=gen.tmp --pyi_out=gen.tmp $(PROTOS)
	@find gen.tmp -type d -exec touch {}/__init__.py \;
	$(PY) services/common/command_gen.py gen.tmp
	$(PY) services/common/segmenter.py gen.tmp/jieba_dict >/dev/null
	@rm -rf gen && mv gen.tmp gen
	@touch $@

proto: gen/.stamp

run: proto
	$(PY) -m services.devrun

# The console's browser tests drive Debian's Chromium (never a browser downloaded by Playwright);
# a CJK font only matters for screenshots. Installed here when missing (CI runs as root).
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
browser:
	@command -v chromium >/dev/null || ($(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q chromium)

test: proto browser
	$(PY) -m pytest -q --durations=15 $(PYTEST_ARGS)

console-screenshots: proto browser
	@fc-list :lang=zh 2>/dev/null | grep -q . || $(SUDO) apt-get install -y -q fonts-wqy-microhei
	CONSOLE_SCREENSHOTS=docs/console $(PY) -m pytest -q -p no:randomly tests/console $(PYTEST_ARGS)

test-faults: proto
	$(PY) -m pytest -q -m faults -s tests/faults $(PYTEST_ARGS)

bench: proto
	$(PY) -m pytest -q -m bench -p no:randomly tests/bench $(PYTEST_ARGS) -s

lint: venv
	$(VENV)/bin/ruff check services tests


asyncapi: proto
	$(PY) -m services.gateway.asyncapi docs/asyncapi.json

images:
	docker build -t bth-platform:dev -f deploy/Dockerfile .

clean:
	rm -rf gen .data $(VENV)
