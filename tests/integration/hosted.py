"""Playbooks against the fakes of hosted mail APIs: connection dicts and a roster shared by the tests."""

import secrets
from pathlib import Path

import yaml

from tests.integration.playbook import run_playbook_file

SURNAMES = u"张王李赵刘陈杨黄周吴"
DEPARTMENTS = [dict(name=u"总部"), dict(name=u"销售部", parent=u"总部"), dict(name=u"研发部", parent=u"总部"),
               dict(name="Finance")]


def exmail_connection(api, **overrides):
    options = dict(corp_id=api.corp_id, corp_secret=api.corp_secret, api_url=api.url + "/cgi-bin", timeout=10)
    options.update(overrides)
    return options


def graph_connection(api, **overrides):
    options = dict(tenant_id=api.tenant_id, client_id=api.client_id, client_secret=api.client_secret,
                   api_url=api.url + "/v1.0", token_url=api.url + "/%s/oauth2/v2.0/token" % api.tenant_id,
                   usage_location="CN", timeout=10)
    options.update(overrides)
    return options


def make_roster(count=20, domain="example.org"):
    users, passwords = [], {}
    for i in range(count):
        name = SURNAMES[i % 10] + u"小" + u"明红刚丽"[i % 4] if i % 2 else "Person %04d Smith" % i
        email = "user%04d@%s" % (i, domain)
        users.append(dict(email=email, name=name, department=DEPARTMENTS[i % 4]["name"], title="Engineer %d" % (i % 3),
                          employee_id="E%04d" % i, mobile="+86138%08d" % i, aliases=[], state="present"))
        passwords[email] = "Pw-" + secrets.token_urlsafe(12)
    return users, passwords


def run_hosted(tmp_path, backend, connection, tasks, extra_vars=None, **kwargs):
    """One play with module_defaults selecting ``backend`` with its ``connection`` dict."""
    play = dict(name="hosted play", hosts="localhost", connection="local", gather_facts=False, tasks=tasks,
                module_defaults={"group/mailops.mailbox.all": {"backend": backend, backend: connection}})
    path = Path(tmp_path) / "playbook.yml"
    path.write_text(yaml.safe_dump([play], allow_unicode=True, sort_keys=False))
    return run_playbook_file(tmp_path, path, extra_vars=extra_vars, **kwargs)


def apply_tasks(purge=False, **options):
    users = {"users": "{{ roster_users }}", "passwords": "{{ roster_passwords }}", "domain": "example.org",
             "purge": purge}
    users.update(options)
    return [{"name": "departments", "mailops.mailbox.department": {"departments": "{{ roster_departments }}"}},
            {"name": "apply", "mailops.mailbox.users": users}]


def roster_vars(users, passwords):
    return {"roster_users": users, "roster_passwords": passwords, "roster_departments": DEPARTMENTS}
