# irdesk — two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
DEMO   ?= demo/demo.ircase
DEMO_BOOK ?= demo/demo.irbook
PKG_VENV  ?= .venv-package
PKG_PY    := $(PKG_VENV)/bin/python
PKG_STAMP := $(PKG_VENV)/.installed
# What tests/packaging/test_wheel_install.py installs: irdesk's sdist and the wheel built from it
# (again on every run), and the wheels of its dependencies (again only when the pins change).
DISTS      ?= build/dists
WHEELHOUSE ?= build/wheelhouse
HOUSE_STAMP := $(WHEELHOUSE)/.complete
TS_STAMP := $(VENV)/.timesketch
export IRDESK_DEMO_PASSPHRASE ?= tangerine-lighthouse-47-orbit

.PHONY: run test test-long dists wheelhouse bench bench-quick lint typecheck package package-test clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock -e '.[dev]'
	@touch $(STAMP)

## Timesketch's importers for the timeline tests, pinned, without timesketch's server requirements.
$(TS_STAMP): requirements-timesketch.txt $(STAMP)
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-timesketch.txt
	@touch $(TS_STAMP)

## Open the desktop app on the demo case and its readiness book (both created on first use;
## a demo case made before books existed opens alone: remove demo/ for a new pair).
run: $(STAMP)
	@mkdir -p $(dir $(DEMO)) $(dir $(DEMO_BOOK))
	@test -f $(DEMO) || { export IRDESK_NEW_PASSPHRASE=$$IRDESK_DEMO_PASSPHRASE; \
	  if test -f $(DEMO_BOOK); then $(VENV)/bin/irdesk demo $(DEMO); \
	  else IRDESK_BOOK_PASSPHRASE=$$IRDESK_DEMO_PASSPHRASE $(VENV)/bin/irdesk demo $(DEMO) --book $(DEMO_BOOK); fi; } >/dev/null
	@echo "Demo case: $(DEMO), its book: $(DEMO_BOOK)  (passphrase: $$IRDESK_DEMO_PASSPHRASE)"
	IRDESK_PASSPHRASE=$$IRDESK_DEMO_PASSPHRASE IRDESK_BOOK_PASSPHRASE=$$IRDESK_DEMO_PASSPHRASE \
	  $(VENV)/bin/irdesk gui $(DEMO) $$(test -f $(DEMO_BOOK) && echo --book $(DEMO_BOOK))

## The whole suite, headless. As root it first installs the system tools the tests use.
## pip reaches the package registry here, before pytest: the suite itself never does.
test: $(STAMP) $(TS_STAMP) dists $(HOUSE_STAMP)
	@tests/system-packages.sh
	$(PY) -m ruff check irdesk tests benchmarks
	$(PY) -m mypy irdesk
	IRDESK_TEST_DISTS=$(DISTS) IRDESK_TEST_WHEELHOUSE=$(WHEELHOUSE) IRDESK_TEST_TIMESKETCH=1 $(PY) -m pytest

test-long: $(STAMP) $(TS_STAMP) dists $(HOUSE_STAMP)
	@tests/system-packages.sh
	IRDESK_TEST_DISTS=$(DISTS) IRDESK_TEST_WHEELHOUSE=$(WHEELHOUSE) IRDESK_TEST_TIMESKETCH=1 \
	  HYPOTHESIS_PROFILE=long IRDESK_KILLS=2000 $(PY) -m pytest

## The sdist and the wheel a user installs (`python -m build`: the wheel is built from the sdist).
dists: $(STAMP)
	@rm -rf $(DISTS) && mkdir -p $(DISTS)
	@$(PY) -m build --outdir $(DISTS) . >$(DISTS)/build.log 2>&1 \
	  || { cat $(DISTS)/build.log; echo "make: building the sdist and wheel failed"; exit 1; }
	@echo "Built $$(cd $(DISTS) && ls irdesk-*.tar.gz irdesk-*.whl | tr '\n' ' ')in $(DISTS)/"

## The wheels of everything irdesk needs, pinned by requirements.lock, from pip's cache or the
## registry, so the install test can run `pip install --no-index --find-links`.
wheelhouse: $(HOUSE_STAMP)

$(HOUSE_STAMP): pyproject.toml requirements.lock | dists
	@rm -rf $(WHEELHOUSE)
	$(PY) -m pip wheel --quiet --disable-pip-version-check -c requirements.lock \
	  --wheel-dir $(WHEELHOUSE) $(DISTS)/irdesk-*.whl
	@rm -f $(WHEELHOUSE)/irdesk-*.whl
	@touch $@

bench: $(STAMP)
	$(PY) benchmarks/run.py

bench-quick: $(STAMP)
	$(PY) benchmarks/run.py --quick

lint: $(STAMP)
	$(PY) -m ruff check irdesk tests benchmarks

typecheck: $(STAMP)
	$(PY) -m mypy irdesk

## The air-gapped bundle: dist/irdesk/ (PyInstaller one-folder), dist/SHA256SUMS, and both
## packed in dist/irdesk-VERSION-linux-ARCH.tar.gz (+ .sha256) for the USB stick.
## Built in its own venv from requirements.lock + packaging/requirements-package.lock.
$(PKG_STAMP): pyproject.toml requirements.lock packaging/requirements-package.lock
	@test -x $(PKG_PY) || $(PYTHON) -m venv $(PKG_VENV)
	$(PKG_PY) -m pip install --quiet --disable-pip-version-check -c requirements.lock \
	  -r packaging/requirements-package.lock -e .
	@touch $(PKG_STAMP)

package: $(PKG_STAMP)
	PACKAGE_PYTHON=$(PKG_PY) packaging/build.sh

## Runs the frozen bundle with an empty environment: --version, demo, report, check, gui.
package-test: package
	packaging/smoke_test.sh dist/irdesk/irdesk

clean:
	rm -rf $(VENV) $(PKG_VENV) build dist .pytest_cache .hypothesis .mypy_cache
