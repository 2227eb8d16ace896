# -*- coding: utf-8 -*-
"""The GitOps pipelines in examples/gitops hand secrets over only through the environment, and
follow the documented flow (roster and vault files read by the modules)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

from tests.integration.playbook import REPO

GITOPS = REPO / "examples" / "gitops"
SECRETS = ("ANSIBLE_VAULT_PASSWORD", "MAILBOX_LDAP_BIND_PW")


def github_steps():
    workflow = yaml.safe_load((GITOPS / ".github" / "workflows" / "mailbox.yml").read_text())
    return [step for job in workflow["jobs"].values() for step in job["steps"]]


def gitlab_scripts():
    pipeline = yaml.safe_load((GITOPS / ".gitlab-ci.yml").read_text())
    lines = []
    for name, job in pipeline.items():
        if isinstance(job, dict):
            for key in ("before_script", "script", "after_script"):
                lines += job.get(key) or []
    return lines


def test_github_workflow_passes_secrets_only_through_the_environment():
    steps = github_steps()
    runs = [step["run"] for step in steps if "run" in step]
    assert runs
    for script in runs:
        # GitHub substitutes ${{ ... }} into the script text before the shell runs it.
        assert "${{" not in script, script
    secret_envs = [step["env"] for step in steps if "secrets." in str(step.get("env"))]
    assert all(re.fullmatch(r"\$\{\{ secrets\.[A-Z_]+ \}\}", value) for env in secret_envs for value in env.values()
               if "secrets." in value)
    # Only the steps that run the playbook see the secrets: the install step runs third-party code.
    install = next(step for step in steps if step.get("name") == "Install")
    assert "secrets." not in str(install)


def test_gitlab_pipeline_never_writes_or_expands_the_passwords():
    for line in gitlab_scripts():
        for name in SECRETS:
            assert name not in line, line
        # The API token is expanded by the shell inside double quotes, never pasted into the command.
        if "GITLAB_API_TOKEN" in line:
            assert '"PRIVATE-TOKEN: $GITLAB_API_TOKEN"' in line


def test_pipelines_run_the_documented_flow():
    commands = [step["run"] for step in github_steps() if "ansible-playbook" in step.get("run", "")]
    commands += [line for line in gitlab_scripts() if "ansible-playbook" in line]
    assert len(commands) == 4
    for command in commands:
        assert "-e mailbox_roster_file=roster.yml" in command and "mailbox_initial_passwords_file=passwords.yml" in command
        assert "-e @" not in command and "--vault-password-file ./vault-password-from-env.sh" in command
        assert "mailops.mailbox.site" in command


def test_vault_password_client_reads_a_hostile_password_from_the_environment(tmp_path):
    """A quote, a $() and a newline-free shell metacharacter soup decrypt the vault file, and run nothing."""
    marker = tmp_path / "ran"
    password = "it's \"$(touch %s)\" `touch %s`; ${HOME} \\" % (marker, marker)
    secret = tmp_path / "passwords.yml"
    secret.write_text("mailbox_initial_passwords: {a@example.org: x}\n")
    plain = tmp_path / "password.txt"
    plain.write_text(password + "\n")
    vault = str(Path(sys.executable).with_name("ansible-vault"))
    subprocess.run([vault, "encrypt", "--vault-password-file", str(plain), str(secret)], check=True, capture_output=True)
    client = GITOPS / "vault-password-from-env.sh"
    assert os.access(client, os.X_OK)
    env = dict(os.environ, ANSIBLE_VAULT_PASSWORD=password)
    shown = subprocess.run([vault, "view", "--vault-password-file", str(client), str(secret)], env=env,
                           capture_output=True, text=True, check=False)
    assert shown.returncode == 0, shown.stderr
    assert "a@example.org" in shown.stdout and not marker.exists()
