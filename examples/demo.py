#!/usr/bin/env python3
"""The whole job on the local lab, step by step, in a short readable transcript (`make demo`).

1. start the lab (slapd + Dovecot on 127.0.0.1) with playbooks/lab.yml;
2. turn the HR template examples/staff.xlsx into a roster and a vault file of initial passwords;
3. run playbooks/site.yml: backup, then departments and users, then the run report;
4. prove it: three users log in over IMAP, every new mailbox gets a welcome message over LMTP
   and it arrives, the report's per-department table;
5. run site.yml again: changed=0;
6. change one person in the template, regenerate, show the --check --diff plan, apply it.

    python examples/demo.py [--workdir .build/demo] [--lab-dir DIR --ports LDAP LDAPS IMAP LMTP]

It drives the real ansible-playbook of the Python running it; the lab keeps running afterwards.
"""

import argparse
import csv
import imaplib
import json
import os
import re
import shutil
import smtplib
import subprocess
import sys
import unicodedata
from email.message import EmailMessage
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
VAULT_PASSWORD = REPO / "examples" / "demo-vault-password.txt"
RECAP = re.compile(r"^localhost\s+:\s+ok=(\d+)\s+changed=(\d+)\s+unreachable=(\d+)\s+failed=(\d+)", re.M)


class RosterLoader(yaml.SafeLoader):
    """The collection writes outside text tagged !unsafe (so Ansible never templates it): read it as text."""


RosterLoader.add_constructor("!unsafe", lambda loader, node: loader.construct_scalar(node))


def say(title):
    print("\n==> %s" % title, flush=True)


class Demo:
    def __init__(self, workdir, lab_dir=None, ports=None):
        self.workdir = Path(workdir).resolve()
        self.inventory = REPO / "inventory" / "lab"
        self.lab_dir = Path(lab_dir).resolve() if lab_dir else (REPO / ".build" / "lab").resolve()
        # Every run names the lab's directory; the lab role and inventory/lab both follow it.
        self.lab_args = ["-e", "mailbox_lab_state_dir=%s" % self.lab_dir]
        self.port_args = []
        for name, port in zip(("ldap", "ldaps", "imap", "lmtp"), ports or ()):
            self.port_args += ["-e", "lab_%s_port=%d" % (name, port)]
        self.roster = self.workdir / "roster.yml"
        self.passwords = self.workdir / "passwords.yml"
        self.template = self.workdir / "staff.csv"
        self.env = dict(os.environ, ANSIBLE_NOCOLOR="1", ANSIBLE_DISPLAY_OK_HOSTS="false",
                        ANSIBLE_DISPLAY_SKIPPED_HOSTS="false", ANSIBLE_LOCALHOST_WARNING="false",
                        ANSIBLE_INVENTORY_UNPARSED_WARNING="false", ANSIBLE_RETRY_FILES_ENABLED="false")
        self.env.setdefault("ANSIBLE_COLLECTIONS_PATH", str(REPO / ".build" / "collections"))

    def playbook(self, name, *args, show=False):
        """Run one of the collection's playbooks; returns (changed, output). Fails loudly."""
        argv = [str(Path(sys.executable).with_name("ansible-playbook")), "-i", str(self.inventory),
                str(REPO / "playbooks" / name), "--vault-password-file", str(VAULT_PASSWORD)] + self.lab_args + list(args)
        proc = subprocess.run(argv, capture_output=True, text=True, env=self.env, cwd=str(REPO), check=False)
        output = proc.stdout + proc.stderr
        recap = RECAP.search(output)
        if proc.returncode != 0 or not recap:
            print(output[-4000:])
            raise SystemExit("%s failed (exit %d)" % (name, proc.returncode))
        if show:
            print(output.split("PLAY RECAP")[0].strip())
        print("   %s: ok=%s changed=%s failed=%s" % (name, recap.group(1), recap.group(2), recap.group(4)))
        return int(recap.group(2)), output

    def generate(self):
        return self.playbook("generate_roster.yml", "-e", "mailbox_template=%s" % self.template,
                             "-e", "mailbox_roster_dest=%s" % self.roster,
                             "-e", "mailbox_passwords_dest=%s" % self.passwords)

    def site(self, *args, show=False):
        # update_password=always: the lab's users get the vault file's passwords even if an earlier demo set
        # others; a stored hash that already matches is no change, so a re-run stays changed=0.
        # The documented flow: the modules read the roster and the vault file themselves.
        return self.playbook("site.yml", "-e", "mailbox_roster_file=%s" % self.roster,
                             "-e", "mailbox_initial_passwords_file=%s" % self.passwords,
                             "-e", "mailbox_update_password=always", *args, show=show)

    def start_lab(self):
        return self.playbook("lab.yml", *self.port_args)

    def connection(self):
        return yaml.safe_load((self.lab_dir / "connection.yml").read_text())

    def secrets(self):
        view = subprocess.run([str(Path(sys.executable).with_name("ansible-vault")), "view", "--vault-password-file",
                               str(VAULT_PASSWORD), str(self.passwords)], capture_output=True, text=True, check=True)
        return yaml.load(view.stdout, Loader=RosterLoader)["mailbox_initial_passwords"]

    def users(self):
        return yaml.load(self.roster.read_text(), Loader=RosterLoader)["mailbox_roster"]["users"]

    def latest_report(self):
        reports = sorted(Path(self.connection()["mailbox_lab"]["state_dir"], "reports").glob("*.json"))
        return json.loads(reports[-1].read_text())


def imap_login(lab, email, password):
    imap = imaplib.IMAP4(lab["host"], lab["imap_port"])
    try:
        imap.login(email, password)
        imap.select("INBOX")
        return True
    except imaplib.IMAP4.error:
        return False
    finally:
        try:
            imap.logout()
        except (imaplib.IMAP4.error, OSError):
            pass


def welcome(lab, emails):
    with smtplib.LMTP(lab["host"], lab["lmtp_port"]) as lmtp:
        for email in emails:
            message = EmailMessage()
            message["From"], message["To"], message["Subject"] = "it@example.org", email, "Welcome to Example"
            message.set_content("Your mailbox is ready.")
            lmtp.send_message(message)


def has_welcome(lab, email, password):
    imap = imaplib.IMAP4(lab["host"], lab["imap_port"])
    try:
        imap.login(email, password)
        imap.select("INBOX", readonly=True)
        _status, found = imap.search(None, '(SUBJECT "Welcome to Example")')
        return bool(found[0].split())
    finally:
        imap.logout()


def display_width(text):
    """Columns a terminal gives ``text``: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text, width):
    return text + " " * (width - display_width(text))


def department_table(report):
    rows = sorted(report["by_department"].items())
    width = max([len("department")] + [display_width(name) for name, dummy in rows])
    lines = ["   %s  created  updated  disabled  deleted" % pad("department", width)]
    for name, counts in rows:
        lines.append("   %s  %7d  %7d  %8d  %7d" % (
            pad(name, width), counts["created"], counts["updated"], counts["disabled"], counts["deleted"]))
    return "\n".join(lines)


def change_one_person(template):
    """Promote the first person in the template: a new title, the kind of change HR sends."""
    with open(template, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    header = [h.strip().lower() for h in rows[0]]
    title = next(i for i, h in enumerate(header) if h in ("title", "职务", "职位"))
    name = next(i for i, h in enumerate(header) if h in ("name", "姓名"))
    rows[1][title] = "Regional Director"
    with open(template, "w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows(rows)
    return rows[1][name]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--workdir", default=str(REPO / ".build" / "demo"))
    parser.add_argument("--lab-dir", help="the lab's state directory (default .build/lab)")
    parser.add_argument("--ports", type=int, nargs=4, metavar=("LDAP", "LDAPS", "IMAP", "LMTP"))
    args = parser.parse_args()
    demo = Demo(args.workdir, args.lab_dir, args.ports)
    # The roster and vault file stay between demos: a re-run keeps the initial passwords the lab's
    # users already have, as it would in production.
    demo.workdir.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "examples" / "staff.csv", demo.template)

    say("1. Start the lab: slapd + Dovecot on 127.0.0.1 (playbooks/lab.yml)")
    demo.start_lab()
    lab = demo.connection()["mailbox_lab"]
    print("   LDAP %s (StartTLS), IMAP 127.0.0.1:%s, LMTP 127.0.0.1:%s" % (
        lab["ldap_uri"], lab["imap_port"], lab["lmtp_port"]))

    say("2. HR template -> roster + vault file of initial passwords (playbooks/generate_roster.yml)")
    demo.generate()
    users = demo.users()
    print("   %d people in %s; passwords encrypted in %s" % (len(users), demo.roster, demo.passwords))

    say("3. Backup, then apply the roster, then the report (playbooks/site.yml)")
    demo.site()
    report = demo.latest_report()
    print("   backup: %s" % report["backup"])
    print("   summary: %s" % ", ".join("%s %d" % item for item in report["summary"].items()))

    say("4. Proof")
    secrets = demo.secrets()
    present = [u["email"] for u in users if u["state"] == "present"]
    for email in present[:3]:
        print("   IMAP login %-32s %s" % (email, "OK" if imap_login(lab, email, secrets[email]) else "FAILED"))
    created = [email for email in report["created"] if email in present]
    welcome(lab, created)
    arrived = sum(1 for email in created if has_welcome(lab, email, secrets[email]))
    if created:
        print("   welcome message delivered over LMTP to %d new mailboxes, found in %d INBOXes"
              % (len(created), arrived))
    else:
        print("   no new mailbox in this run: the lab has them from an earlier demo (make lab-remove starts afresh)")
    print(department_table(report))

    say("5. Run site.yml again: nothing to change")
    changed, _output = demo.site()
    print("   changed=%d" % changed)

    say("6. HR changes one person: regenerate, review the plan (--check --diff), apply")
    person = change_one_person(demo.template)
    print("   %s gets a new title in %s" % (person, demo.template))
    demo.generate()
    demo.site("--check", "--diff", show=True)
    demo.site()
    print("   applied: %s" % ", ".join("%s %d" % item for item in demo.latest_report()["summary"].items()))

    failed = [email for email in present[:3] if not imap_login(lab, email, secrets[email])]
    if failed or arrived != len(created) or changed != 0:
        raise SystemExit("the demo did not prove what it should: logins failed for %s, %d/%d welcomes, changed=%d"
                         % (failed, arrived, len(created), changed))
    say("Done. The lab keeps running; stop it with: make lab-stop   (remove it: make lab-remove)")


if __name__ == "__main__":
    main()
