# -*- coding: utf-8 -*-
"""The collection's playbooks (site.yml, restore.yml, drift.yml) run against the lab, for the
roles' tests (test_roles.py, test_roles_files.py) through the ``site`` fixture of conftest.py."""

from tests.integration.playbook import REPO, connection_defaults, run_playbook_file
from tests.integration.test_users import make_roster

DEPARTMENTS = [{"name": u"总部"}, {"name": u"销售部", "parent": u"总部"}, {"name": u"研发部", "parent": u"总部"},
               {"name": "Finance"}, {"name": "Operations"}]


class Site:
    """Runs the collection's playbooks against the lab with backups and reports in tmp_path."""

    def __init__(self, lab, tmp_path, count=30):
        self.lab = lab
        self.tmp_path = tmp_path
        self.users, self.passwords = make_roster(count)
        self.backup_dir = tmp_path / "backups"
        self.report_dir = tmp_path / "reports"
        self.settings = dict(mailbox_ldap=connection_defaults(lab), mailbox_backup_dir=str(self.backup_dir),
                             mailbox_report_dir=str(self.report_dir))

    def run(self, playbook="site.yml", users=None, **extra):
        extra_vars = dict(self.settings, mailbox_roster=dict(domain="example.org", departments=DEPARTMENTS,
                                                             users=self.users if users is None else users),
                          mailbox_initial_passwords=self.passwords)
        check, diff = extra.pop("check", False), extra.pop("diff", False)
        extra_vars.update(extra)
        return run_playbook_file(self.tmp_path, REPO / "playbooks" / playbook, extra_vars=extra_vars, check=check,
                                 diff=diff)

    def snapshots(self):
        return sorted(self.backup_dir.glob("*.ldif"))

    def reports(self):
        return sorted(self.report_dir.glob("*.json"))
