# Two commands do everything on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp

.PHONY: run test screenshots bench clean

$(STAMP): pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev,models]'
	touch $(STAMP)

run: $(STAMP)
	$(PY) main.py gui

# ruff and the import contracts first (pyproject.toml): a violation fails the run before any test.
test: $(STAMP)
	$(PY) -m ruff check .
	$(VENV)/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest -q

# Regenerates the pictures in the README from a fresh workspace of the seed articles.
screenshots: $(STAMP)
	rm -rf build/screens && mkdir -p build/screens docs/screenshots
	$(PY) main.py import seeds --db build/screens/demo.db
	$(PY) main.py preannotate --db build/screens/demo.db
	QT_QPA_PLATFORM=offscreen $(PY) main.py gui --db build/screens/demo.db --annotator ana \
		--doc 000_0757fb7f7850cbb7 --screenshot docs/screenshots/article.png
	QT_QPA_PLATFORM=offscreen $(PY) main.py gui --db build/screens/demo.db --annotator ana \
		--doc 004_295428edb6b84db4 --screenshot docs/screenshots/dutch.png
	$(PY) examples/curate_as_team.py build/screens/demo.db build/screens
	cp build/screens/demo.db build/screens/review.db
	$(PY) main.py import-annotations --db build/screens/review.db build/screens/ana.jsonl build/screens/bo.db
	QT_QPA_PLATFORM=offscreen $(PY) main.py gui --review --db build/screens/review.db --annotator rev \
		--doc 000_0757fb7f7850cbb7 --screenshot docs/screenshots/review.png

clean:
	rm -rf $(VENV) build *.egg-info
