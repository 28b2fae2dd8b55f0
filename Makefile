# The two commands: `make preview` (the main job, offline) and `make test`.
PYTHON ?= python3
VENV := venv
PY := $(VENV)/bin/python
STACK ?= staging
PACK := policies
NODE_PACKS := tests/policy_packs/node

.PHONY: venv node-packs test test-pytest test-drill test-preview test-parity preview preview-json parity up bench schema docs \
	release-demo release drill

venv: $(VENV)/.installed

# Rebuilt only when a requirements file changes.
$(VENV)/.installed: requirements.txt $(PACK)/requirements.txt
	@echo "make: (re)building $(VENV) from the requirements files" >&2
	@test -x $(PY) || $(PYTHON) -m venv $(VENV) >&2
	@$(PY) -m pip install --quiet --disable-pip-version-check -r requirements.txt -r $(PACK)/requirements.txt >&2
	@touch $@

# The Node.js test packs' dependencies (tests/test_node_packs.py), exactly as package-lock.json says; reinstalled
# only when the lock or a package.json changes.
node-packs: $(NODE_PACKS)/node_modules/.installed

$(NODE_PACKS)/node_modules/.installed: $(NODE_PACKS)/package-lock.json $(NODE_PACKS)/package.json $(wildcard $(NODE_PACKS)/*/package.json)
	@cd $(NODE_PACKS) && npm ci --no-audit --no-fund --loglevel=error >/dev/null
	@touch $@

# The tests on every CPU (pytest-xdist), the failover drill, the preview of both stacks and the parity check at the
# same time; each one's output is printed whole when it ends (--output-sync), and any failure fails `make test`.
# The drill (tests/test_drill.py, which needs the Debian packages .ci/run installs) runs beside the other tests
# rather than among them: it mostly waits for health checks, so it would hold a CPU's worker idle for a minute.
test: venv node-packs
	@$(MAKE) --no-print-directory -j4 --output-sync=target test-pytest test-drill test-preview test-parity

test-pytest:
	$(PY) -m pytest -q -n auto --dist loadscope --ignore=tests/test_drill.py

test-drill:
	$(PY) -m pytest -q tests/test_drill.py

test-preview:
	$(PY) -m preflight --stack staging --stack prod --policy-pack $(PACK)

test-parity:
	$(PY) -m preflight parity --stack staging --stack prod

preview: venv
	$(PY) -m preflight --stack $(STACK) --policy-pack $(PACK)

# Only the JSON document reaches stdout (no recipe echo), so it can be piped into a JSON parser.
preview-json: venv
	@$(PY) -m preflight --stack $(STACK) --policy-pack $(PACK) --json

parity: venv
	$(PY) -m preflight parity --stack staging --stack prod

bench: venv
	$(PY) bench/preflight_bench.py

schema: venv
	$(PY) -m components.schema --write

# The application release: build/releases/$(RELEASE)/portal.tar.gz and its .sha256, byte-identical on rebuild.
release: venv
	@test -n "$(RELEASE)" || { echo "make release: set RELEASE=<release id>, e.g. make release RELEASE=2026.12.06-1" >&2; exit 2; }
	$(PY) app/build.py "$(RELEASE)"

# The failover drill: the release on this machine with MariaDB, memcached, php -S and HAProxy (README, Failover drill).
drill: venv
	$(PY) -m drill

# Regenerates the README's tables (config keys, outputs, policies) from their sources.
docs: venv
	$(PY) tools/sync_readme.py

# A recorded session of the release tool (upload, deploy, promote, an automatic rollback, rollback, status) against
# moto in-process: no AWS account, no Pulumi CLI.
release-demo: venv
	$(PY) -m tests.release.demo

# Real cloud: needs the Pulumi CLI, a backend login and AWS credentials. The pack's `runtime: python` runs on
# the interpreter found first on PATH, so the venv goes first.
up: venv
	PATH="$(CURDIR)/$(VENV)/bin:$$PATH" pulumi up --stack $(STACK) --policy-pack $(PACK)
