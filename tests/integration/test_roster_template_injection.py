# -*- coding: utf-8 -*-
"""A template in an HR cell is text: through the roster file, Ansible's loaders and a task, it
reaches the directory verbatim and never runs (a command in a cell would leave a marker file)."""

import ldap
import ldap.filter

from tests.integration.playbook import run_playbook

PASSWORD = u"Passw0rd{{7*7}}xyZ"
EMAIL = u"{{7*7}}@example.org"
DEPARTMENT = u"研发{{ 7*7 }}"


def cells(marker):
    pipe = u"{{ lookup('pipe', 'touch %s') }}" % marker
    return dict(name=pipe, title=u"{%% if true %%}boss{%% endif %%}{# c #}%s" % pipe, department=DEPARTMENT)


def write_template(tmp_path, marker):
    row = cells(marker)
    template = tmp_path / "staff.csv"
    template.write_text(u"姓名,邮箱,部门,职务,别名,初始密码\r\n\"%s\",%s,总部/%s,\"%s\",{#a#},%s\r\n"
                        % (row["name"], EMAIL, row["department"], row["title"], PASSWORD), encoding="utf-8")
    return template


def generate(tmp_path, template):
    vault_password = tmp_path / "vault-password"
    vault_password.write_text("injection-test\n")
    vault = ["--vault-password-file", str(vault_password)]
    roster, passwords = tmp_path / "roster.yml", tmp_path / "passwords.yml"
    generated = run_playbook(tmp_path, [{"mailops.mailbox.roster": dict(
        src=str(template), dest=str(roster), passwords_dest=str(passwords), domain="example.org")}], extra_args=vault)
    assert generated.rc == 0, generated.text
    return roster, passwords, vault


def apply_tasks(shown):
    return [
        {"name": "Departments", "mailops.mailbox.department": {"departments": "{{ mailbox_roster.departments }}"}},
        {"name": "Users", "mailops.mailbox.users": {
            "users": "{{ mailbox_roster.users }}", "passwords": "{{ mailbox_initial_passwords }}",
            "domain": "{{ mailbox_roster.domain }}"}},
        {"name": "Show", "ansible.builtin.copy": {
            "dest": str(shown), "mode": "0600",
            "content": "{{ mailbox_roster.users[0].name }}\n{{ mailbox_roster.users[0].title }}\n"
                       "{{ mailbox_roster.users[0].email }}\n{{ mailbox_roster.users[0].aliases | join(',') }}\n"}},
    ]


def test_template_cells_reach_the_directory_verbatim_and_never_run(clean_lab, tmp_path):
    marker = tmp_path / "command-ran"
    row = cells(marker)
    roster, passwords, vault = generate(tmp_path, write_template(tmp_path, marker))
    assert not marker.exists()
    expected = u"%s\n%s\n%s\n{#a#}@example.org\n" % (row["name"], row["title"], EMAIL)

    shown = tmp_path / "shown-e.txt"
    first = run_playbook(tmp_path, apply_tasks(shown), lab=clean_lab,
                         extra_args=vault + ["-e", "@%s" % roster, "-e", "@%s" % passwords])
    assert first.rc == 0, first.text
    assert first.result("Users")["created"] == [EMAIL]
    assert not marker.exists(), "a command in a template cell ran"
    assert shown.read_text(encoding="utf-8") == expected

    shown = tmp_path / "shown-vars-files.txt"
    second = run_playbook(tmp_path, apply_tasks(shown), lab=clean_lab, vars_files=[roster, passwords],
                          extra_args=vault)
    assert second.rc == 0, second.text
    assert second.result("Users")["changed"] is False  # the same values again, not evaluated ones
    assert not marker.exists(), "a command in a template cell ran"
    assert shown.read_text(encoding="utf-8") == expected

    conn = clean_lab.slapd.connect()
    try:
        found = conn.search_s(clean_lab.slapd.users_dn, ldap.SCOPE_ONELEVEL,
                              ldap.filter.filter_format("(mail=%s)", [EMAIL]), ["cn", "title", "ou"])
    finally:
        conn.unbind_s()
    assert len(found) == 1
    dn, attrs = found[0]
    assert attrs["cn"] == [row["name"].encode("utf-8")]
    assert attrs["title"] == [row["title"].encode("utf-8")]
    assert attrs["ou"] == [DEPARTMENT.encode("utf-8")]
    # The password as typed, {{7*7}} included, is the one the directory holds.
    clean_lab.slapd.connect(dn, PASSWORD).unbind_s()
    assert PASSWORD not in first.text + second.text
