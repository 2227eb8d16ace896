# Everything a newcomer or CI runs. `make demo` and `make test` install what they need themselves:
# Debian packages from bindep.txt (as root, or through sudo), a virtualenv from requirements*.txt,
# and this checkout linked as the collection mailops.mailbox on ANSIBLE_COLLECTIONS_PATH.
SHELL := /bin/bash
PYTHON ?= python3
VENV ?= .venv
BUILD := .build
COLLECTIONS := $(abspath $(BUILD))/collections
export ANSIBLE_COLLECTIONS_PATH := $(COLLECTIONS)
export PATH := $(abspath $(VENV))/bin:$(PATH)
# The plugins import each other as ansible_collections.mailops.mailbox.*; the tests import tests.harness.
export PYTHONPATH := $(COLLECTIONS):$(CURDIR)
export ANSIBLE_NOCOLOR ?= 1
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
APT_PACKAGES = $(shell awk '/platform:dpkg/ {print $$1}' bindep.txt | sort -u)

.PHONY: help deps system-deps venv collection test lint unit integration bench demo lab-dir lab-start lab-stop lab-remove clean
.PHONY: lint-ansible lint-sanity lint-units lint-docs lint-changelog lint-galaxy lint-ee dist ee docs changelog

help:
	@echo "make demo   - the whole job on a local lab (slapd + Dovecot on 127.0.0.1), step by step"
	@echo "make test   - install everything and run the whole test suite against real slapd and Dovecot"
	@echo "make lint   - the community and Galaxy checks: ansible-lint, ansible-test sanity and units, docs, changelog, galaxy-importer, ansible-builder"
	@echo "make docs   - the HTML docs site (modules, filter, roles, user guide) in $(BUILD)/docs/html"
	@echo "make changelog - CHANGELOG.md and changelogs/changelog.yaml from changelogs/fragments"
	@echo "make ee     - the execution environment's build context in $(BUILD)/ee/context (ansible-builder)"
	@echo "make lab-stop / lab-remove - stop the lab started by make demo / delete it"
	@echo "make bench  - measure 1k/10k/100k-user applies against their baselines (BENCH_ARGS='--sizes 10000')"

# The tests and the lab start their own slapd and Dovecot on 127.0.0.1: installing the packages
# must not start the system services (on a systemd machine they would listen on every address).
system-deps:
	@missing=$$(for p in $(APT_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages: $$missing"; \
	  export DEBIAN_FRONTEND=noninteractive; \
	  guard=; if [ ! -e /usr/sbin/policy-rc.d ]; then guard=1; \
	    printf '#!/bin/sh\n# mailops.mailbox: keep slapd and Dovecot from starting as system services\nexit 101\n' | \
	      $(SUDO) tee /usr/sbin/policy-rc.d >/dev/null && $(SUDO) chmod 0755 /usr/sbin/policy-rc.d; fi; \
	  $(SUDO) apt-get update -qq && $(SUDO) apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	  status=$$?; if [ -n "$$guard" ]; then $(SUDO) rm -f /usr/sbin/policy-rc.d; fi; exit $$status; \
	fi

$(VENV)/.installed: requirements.txt requirements-test.txt | system-deps
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -r requirements-test.txt
	touch $@

venv: $(VENV)/.installed

collection:
	@mkdir -p $(COLLECTIONS)/ansible_collections/mailops
	@ln -sfn $(CURDIR) $(COLLECTIONS)/ansible_collections/mailops/mailbox

deps: system-deps venv collection

# -n auto: pytest-xdist workers, each with its own slapd and Dovecot (tests/harness); with the
# integration tests, three for every two cores (tests/integration/conftest.py says why).
# --dist loadgroup: the Samba AD tests (fixed ports 389/636, xdist_group "samba_dc") share one worker and one DC.
unit: deps
	$(VENV)/bin/python -m pytest -q -n auto tests/unit

integration: deps
	$(VENV)/bin/python -m pytest -q -n auto --dist loadgroup tests/integration

# make lint: what the Ansible community collections and Galaxy check, each step on its own target.
VERSION := $(shell awk '/^version:/ {print $$2}' galaxy.yml)
DIST := $(BUILD)/dist
ARTIFACT := $(DIST)/mailops-mailbox-$(VERSION).tar.gz

# The checks run side by side, one per core: each is mostly one process, and one after the other they
# kept two cores 1.14 busy (331 s the first time on a new machine; warm, 223 s against 137 s side by
# side). The longest first; --output-sync prints each check's output whole, when it ends.
LINT_CHECKS := lint-sanity lint-galaxy lint-ansible lint-docs lint-changelog lint-ee
LINT_JOBS ?= $(shell nproc)
lint: deps
	@$(MAKE) --no-print-directory -j$(LINT_JOBS) --output-sync=target $(LINT_CHECKS) lint-units

# Every YAML file of the collection (roles, playbooks, examples, inventories, galaxy.yml, meta/,
# execution-environment.yml) with the production profile; .ansible-lint says what is what.
lint-ansible: deps
	$(VENV)/bin/ansible-lint --offline --nocolor

# ansible-test on a copy of the collection at ansible_collections/mailops/mailbox (.ci/ansible-test).
lint-sanity: deps
	.ci/ansible-test sanity

lint-units: deps
	.ci/ansible-test units

lint-docs: deps
	cd $(COLLECTIONS)/ansible_collections/mailops/mailbox && \
	  $(abspath $(VENV))/bin/antsibull-docs lint-collection-docs --plugin-docs --check-extra-docs-refs --validate-collection-refs all .

# The fragments, changelog.yaml, and CHANGELOG.md as `make changelog` renders it.
lint-changelog: deps
	$(VENV)/bin/antsibull-changelog lint
	$(VENV)/bin/antsibull-changelog lint-changelog-yaml --strict changelogs/changelog.yaml
	@out=$$(mktemp) && trap 'rm -f $$out' EXIT && \
	  $(VENV)/bin/antsibull-changelog generate --output $$out --output-format md && \
	  diff -u CHANGELOG.md $$out || { echo "CHANGELOG.md is not what changelogs/changelog.yaml renders: run make changelog"; exit 1; }

# Galaxy's import checks on the artifact, with the config in .ci/galaxy-importer.cfg.
lint-galaxy: dist
	.ci/galaxy-importer $(ARTIFACT)

lint-ee: ee

dist: deps
	rm -rf $(DIST)
	$(VENV)/bin/ansible-galaxy collection build --output-path $(DIST)

# The execution environment's build context (execution-environment.yml); building the image from
# it needs podman or docker: ansible-builder build -f execution-environment.yml -t mailops-mailbox-ee
ee: dist
	rm -rf $(BUILD)/ee && mkdir -p $(BUILD)/ee
	cp $(ARTIFACT) $(BUILD)/ee/mailops-mailbox.tar.gz
	$(VENV)/bin/ansible-builder create -f execution-environment.yml -c $(BUILD)/ee/context --output-filename Containerfile
	test -s $(BUILD)/ee/context/Containerfile && test -s $(BUILD)/ee/context/_build/requirements.yml

# The docs site: antsibull-docs + Sphinx, into $(BUILD)/docs/html (not part of make test: slow).
docs: deps
	.ci/docs $(BUILD)/docs/html

# Until 0.1.0 is released, its entry is refreshed from the fragments (keep_fragments: true).
changelog: deps
	$(VENV)/bin/antsibull-changelog release --version $(VERSION) --update-existing --refresh --reload-plugins

# Every lint check, then the integration tests in parallel. The unit tests run once, in make lint's
# `ansible-test units` (every one of them, in parallel too): as ansible-test runs them, module_utils
# tests without the controller's ansible packages, which catches imports plain pytest cannot.
# `make unit` runs them with plain pytest.
test: deps lint
	$(VENV)/bin/python -m pytest -q -n auto tests/integration

# The lab (roles/lab): slapd + Dovecot on 127.0.0.1 in $(BUILD)/lab, which gets connection.yml.
# The baseline loop uses community.general's ldap_entry/ldap_passwd, which the ansible package carries.
bench: deps
	$(VENV)/bin/pip install -q 'ansible>=11,<13'
	$(VENV)/bin/python tests/bench/bench.py $(BENCH_ARGS)

# Dovecot reads mail as the unprivileged user nobody, which cannot pass a checkout below a
# private home (/root is 0700): the lab's state then lives in /var/tmp, linked from .build/lab.
lab-dir:
	@mkdir -p $(BUILD)
	@if [ ! -e $(BUILD)/lab ] && [ "$$(id -u)" = 0 ] && \
	    ! setpriv --reuid=65534 --regid=65534 --clear-groups test -x $(CURDIR)/$(BUILD) 2>/dev/null; then \
	  dir=$$(mktemp -d /var/tmp/mailops-lab.XXXXXX) && chmod 0711 $$dir && ln -sfn $$dir $(BUILD)/lab && \
	  echo "The lab lives in $$dir (linked from $(BUILD)/lab): nobody cannot reach this checkout."; \
	fi

lab-start: deps lab-dir
	$(VENV)/bin/ansible-playbook -i inventory/lab playbooks/lab.yml

lab-stop:
	@if [ -x $(VENV)/bin/ansible-playbook ]; then \
	  $(MAKE) --no-print-directory collection && $(VENV)/bin/ansible-playbook -i inventory/lab playbooks/lab.yml -e lab_state=stopped; \
	fi

lab-remove:
	@if [ -x $(VENV)/bin/ansible-playbook ]; then \
	  $(MAKE) --no-print-directory collection && $(VENV)/bin/ansible-playbook -i inventory/lab playbooks/lab.yml -e lab_state=absent; \
	fi
	rm -f $(BUILD)/lab

demo: deps lab-dir
	$(VENV)/bin/python examples/demo.py

clean: lab-remove
	rm -rf $(BUILD) $(VENV)
