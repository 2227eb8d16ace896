"""Run real ansible-playbook against this checkout's collection and read its results."""

import json
import os
import subprocess
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]
# The ansible-playbook of the virtualenv running the tests, whatever PATH says.
ANSIBLE_PLAYBOOK = str(Path(sys.executable).parent / "ansible-playbook")
COLLECTIONS = REPO / ".build" / "collections"


CALLBACKS = Path(__file__).resolve().parent / "callback_plugins"


class PlaybookRun:
    def __init__(self, proc, output):
        self.rc = proc.returncode
        self.stdout = proc.stdout
        self.stderr = proc.stderr
        self.output = output  # what the record_results callback wrote

    @property
    def text(self):
        """Everything the run printed, for scanning for secrets."""
        return self.stdout + self.stderr

    def results(self):
        """Each task's result for localhost, in order, as dicts with the task name under '_task'."""
        return [dict(r["result"], _task=r["task"], _role=r.get("role"), _seconds=r.get("seconds"))
                for r in self.output["results"]]

    def result(self, name):
        matches = [r for r in self.results() if r["_task"] == name or r["_task"].endswith(" : " + name)]
        assert matches, "no task %r in %s" % (name, [r["_task"] for r in self.results()])
        return matches[-1]

    @property
    def stats(self):
        return self.output["stats"]["localhost"]


def connection_defaults(lab, **overrides):
    """The `ldap:` dict for the harness's directory, bound as the provisioning account."""
    slapd = lab.slapd
    options = dict(server_uri=slapd.uri, bind_dn=slapd.service_dn, bind_pw=slapd.service_pw,
                   base_dn=slapd.base_dn, users_dn=slapd.users_dn, departments_dn=slapd.departments_dn)
    options.update(overrides)
    return options


def run_playbook(tmp_path, tasks, lab=None, extra_vars=None, ldap=None, vars_files=(), **kwargs):
    """Write a one-play playbook of ``tasks`` (with module_defaults for the collection's action
    group pointing at the lab) and run it; returns a PlaybookRun."""
    play = dict(name="test play", hosts="localhost", connection="local", gather_facts=False, tasks=tasks)
    if lab is not None or ldap is not None:
        play["module_defaults"] = {"group/mailops.mailbox.all": {"ldap": ldap or connection_defaults(lab)}}
    if vars_files:
        play["vars_files"] = [str(v) for v in vars_files]
    path = Path(tmp_path) / "playbook.yml"
    path.write_text(yaml.safe_dump([play], allow_unicode=True, sort_keys=False))
    return run_playbook_file(tmp_path, path, extra_vars=extra_vars, **kwargs)


def run_playbook_file(tmp_path, path, extra_vars=None, check=False, diff=False, verbosity=0, env=None,
                      extra_args=(), timeout=600):
    """Run one playbook file with this checkout's collection; returns a PlaybookRun (a run longer
    than ``timeout`` seconds raises subprocess.TimeoutExpired)."""
    argv = [ANSIBLE_PLAYBOOK, "-i", "localhost,", str(path)] + list(extra_args)
    if extra_vars:
        # JSON, which Ansible parses several times faster than YAML: big rosters stay quick.
        vars_path = Path(tmp_path) / "extra_vars.json"
        vars_path.write_text(json.dumps(extra_vars, ensure_ascii=False))
        argv += ["-e", "@%s" % vars_path]
    if check:
        argv.append("--check")
    if diff:
        argv.append("--diff")
    if verbosity:
        argv.append("-" + "v" * verbosity)
    environment = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS), ANSIBLE_NOCOLOR="1",
                       ANSIBLE_HOST_KEY_CHECKING="False", ANSIBLE_RETRY_FILES_ENABLED="False",
                       ANSIBLE_PYTHON_INTERPRETER=sys.executable,
                       ANSIBLE_LOCALHOST_WARNING="False", ANSIBLE_INVENTORY_UNPARSED_WARNING="False")
    results_path = Path(tmp_path) / "results.json"
    if results_path.exists():
        results_path.unlink()
    environment.update(ANSIBLE_CALLBACK_PLUGINS=str(CALLBACKS), ANSIBLE_CALLBACKS_ENABLED="record_results",
                       MAILBOX_TEST_RESULTS=str(results_path))
    environment.update(env or {})
    proc = subprocess.run(argv, capture_output=True, text=True, env=environment, cwd=str(tmp_path), timeout=timeout, check=False)
    output = json.loads(results_path.read_text()) if results_path.exists() else dict(results=[], stats={})
    return PlaybookRun(proc, output)
