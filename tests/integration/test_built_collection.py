# -*- coding: utf-8 -*-
"""The collection as users get it: the artifact of `ansible-galaxy collection build`, installed
with `ansible-galaxy collection install` into a fresh virtualenv that has nothing but the
collection's documented requirements (its requirements.txt), and used from a directory outside
this checkout, with only the install directory on ANSIBLE_COLLECTIONS_PATH and no PYTHONPATH.

A playbook there turns the example template shipped in the artifact into a roster (the roster
action), applies it to the test lab (department and users modules), reads it back
(directory_info), and a generated user logs in over IMAP with the initial password from the
vault file the action wrote.
"""

import json
import os
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import load_yaml
from tests.integration.playbook import REPO, connection_defaults

VAULT_PASSWORD = "built-collection-test-vault-password"
# Enough for a python-ldap build from source on a cold pip cache; with a warm cache it takes seconds.
PIP_TIMEOUT = 600


def run(argv, env, cwd, timeout=300):
    proc = subprocess.run([str(a) for a in argv], env=env, cwd=str(cwd), capture_output=True, text=True,
                          timeout=timeout, check=False)
    assert proc.returncode == 0, "%s failed:\n%s\n%s" % (" ".join(str(a) for a in argv), proc.stdout, proc.stderr)
    return proc


def clean_env(home, venv, **extra):
    """An environment that knows nothing of this checkout or of the virtualenv running the tests."""
    env = dict(PATH=os.pathsep.join([str(venv / "bin"), "/usr/local/bin", "/usr/bin", "/bin"]),
               HOME=str(home), LC_ALL="C.UTF-8", LANG="C.UTF-8", ANSIBLE_NOCOLOR="1",
               ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="False", ANSIBLE_LOCALHOST_WARNING="False",
               ANSIBLE_INVENTORY_UNPARSED_WARNING="False", ANSIBLE_RETRY_FILES_ENABLED="False")
    env.update(extra)
    return env


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """(venv, collections path, collection dir, env) with the built artifact installed."""
    work = tmp_path_factory.mktemp("built-collection")
    home = work / "home"
    home.mkdir()
    dist = work / "dist"
    build_env = dict(os.environ, ANSIBLE_NOCOLOR="1")
    run([Path(sys.executable).with_name("ansible-galaxy"), "collection", "build", "--output-path", dist, REPO],
        build_env, work)
    artifacts = list(dist.glob("mailops-mailbox-*.tar.gz"))
    assert len(artifacts) == 1, artifacts
    artifact = artifacts[0]
    with tarfile.open(str(artifact)) as tar:
        names = tar.getnames()
        requirements = tar.extractfile("requirements.txt").read()
    # What the artifact must not carry: development and build leftovers, tests that need the checkout.
    for unwanted in (".build", ".venv", ".ci", "Makefile", "tests/integration", "tests/harness", "tests/output"):
        assert not [n for n in names if n == unwanted or n.startswith(unwanted + "/")], unwanted
    assert not [n for n in names if n.endswith((".tar.gz", ".pyc")) or "__pycache__" in n]

    venv = work / "venv"
    (work / "requirements.txt").write_bytes(requirements)
    pip_cache = subprocess.run([sys.executable, "-m", "pip", "cache", "dir"], capture_output=True, text=True,
                               check=False).stdout.strip()
    env = clean_env(home, venv, **({"PIP_CACHE_DIR": pip_cache} if pip_cache else {}))
    run([sys.executable, "-m", "venv", venv], env, work)
    run([venv / "bin" / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", "-r",
         work / "requirements.txt"], env, work, timeout=PIP_TIMEOUT)

    collections = work / "collections"
    run([venv / "bin" / "ansible-galaxy", "collection", "install", "-p", collections, artifact], env, work)
    collection_dir = collections / "ansible_collections" / "mailops" / "mailbox"
    assert collection_dir.is_dir() and not collection_dir.is_symlink()
    env = clean_env(home, venv, ANSIBLE_COLLECTIONS_PATH=str(collections))
    listed = run([venv / "bin" / "ansible-galaxy", "collection", "list", "mailops.mailbox", "--format", "json"],
                 env, work)
    assert list(json.loads(listed.stdout)) == [str(collections / "ansible_collections")]
    return venv, collections, collection_dir, env


def test_the_installed_artifact_works_without_the_source_tree(installed, clean_lab, tmp_path):
    venv, collections, collection_dir, env = installed
    project = tmp_path / "project"  # a playbook directory of its own, outside the checkout
    project.mkdir()
    assert REPO not in project.resolve().parents
    (project / "vault-password").write_text(VAULT_PASSWORD + "\n")
    play = dict(
        name="Use the installed collection", hosts="localhost", connection="local", gather_facts=False,
        vars=dict(ansible_python_interpreter="{{ ansible_playbook_python }}"),
        module_defaults={"group/mailops.mailbox.all": {"ldap": connection_defaults(clean_lab)}},
        tasks=[
            {"name": "Generate the roster from the example template shipped in the collection",
             "mailops.mailbox.roster": {"src": str(collection_dir / "examples" / "staff.csv"),
                                        "dest": "{{ playbook_dir }}/roster.yml",
                                        "passwords_dest": "{{ playbook_dir }}/passwords.yml",
                                        "domain": "example.org"}},
            {"name": "Load the roster and the initial passwords",
             "ansible.builtin.include_vars": {"file": "{{ playbook_dir }}/{{ item }}"},
             "loop": ["roster.yml", "passwords.yml"]},
            {"name": "Departments",
             "mailops.mailbox.department": {"departments": "{{ mailbox_roster.departments }}"}},
            {"name": "Users",
             "mailops.mailbox.users": {"users": "{{ mailbox_roster.users }}",
                                       "passwords": "{{ mailbox_initial_passwords }}",
                                       "domain": "{{ mailbox_roster.domain }}"},
             "register": "applied"},
            {"name": "Read the directory back",
             "mailops.mailbox.directory_info": {},
             "register": "directory"},
            {"name": "Keep what the test checks",
             "ansible.builtin.copy": {
                 "content": "{{ {'summary': applied.summary, 'users': directory.users,"
                            " 'departments': directory.departments} | to_json }}",
                 "dest": "{{ playbook_dir }}/result.json", "mode": "0600"}},
        ])
    (project / "site.yml").write_text(yaml.safe_dump([play], allow_unicode=True, sort_keys=False))
    playbook = [venv / "bin" / "ansible-playbook", "-i", "localhost,", "site.yml",
                "--vault-password-file", "vault-password"]
    run(playbook, env, project)

    roster = load_yaml((project / "roster.yml").read_text(encoding="utf-8"))["mailbox_roster"]
    wanted = sorted(u["email"] for u in roster["users"] if u["state"] != "absent")
    result = json.loads((project / "result.json").read_text(encoding="utf-8"))
    assert result["summary"]["created"] == len(wanted) > 30
    assert sorted(u["email"] for u in result["users"]) == wanted
    assert sorted(d["name"] for d in result["departments"]) == sorted(d["name"] for d in roster["departments"])

    passwords = load_yaml(run([venv / "bin" / "ansible-vault", "view", "--vault-password-file", "vault-password",
                               "passwords.yml"], env, project).stdout)["mailbox_initial_passwords"]
    assert clean_lab.dovecot.imap_login("zhang.san@example.org", passwords["zhang.san@example.org"])

    run(playbook, env, project)  # a re-run changes nothing in the directory
    result = json.loads((project / "result.json").read_text(encoding="utf-8"))
    assert result["summary"]["unchanged"] == len(roster["users"])  # an absent user that is not there too
    assert not [action for action, count in result["summary"].items() if action != "unchanged" and count]
