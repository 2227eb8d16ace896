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

help:
	@echo "make demo   - the whole job on a local lab (slapd + Dovecot on 127.0.0.1), step by step"
	@echo "make test   - install everything and run the whole test suite against real slapd and Dovecot"
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

unit: deps
	$(VENV)/bin/python -m pytest -q tests/unit

integration: deps
	$(VENV)/bin/python -m pytest -q tests/integration

lint: deps
	$(VENV)/bin/ansible-lint --offline --nocolor roles playbooks

test: deps lint
	$(VENV)/bin/python -m pytest -q tests/unit tests/integration

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
