# -*- coding: utf-8 -*-
"""The vendors' staff lists and templates through real ansible-playbook runs: mailops.mailbox.roster reads
each example of examples/sources with no option, and mailops.mailbox.roster_export writes templates that
read back to the same roster, with passwords only in files of mode 0600."""

import csv
import io
import stat

import openpyxl
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import parse_roster

from tests.integration.playbook import REPO, run_playbook

EXAMPLES = REPO / "examples"
SOURCES = EXAMPLES / "sources"
DEMO_VAULT_PASSWORD = EXAMPLES / "demo-vault-password.txt"
VAULT = ["--vault-password-file", str(DEMO_VAULT_PASSWORD)]
GENERIC_HEADER = ("邮箱", "姓名", "部门", "职务", "工号", "手机", "状态")
# The six people of examples/sources in the collection's own template, and what each format says of them.
PEOPLE = (
    ("zhang.san@example.org", "张三", "总部", "总经理", "E1001", "13800138000", ""),
    ("li.si@example.org", "李四", "总部/销售部", "销售总监", "E1002", "13800138001", ""),
    ("wang.fang@example.org", "王芳", "总部/销售部/华南销售", "销售经理", "E1003", "13900139002", ""),
    ("ouyang.nana@example.org", "欧阳娜娜", "总部/技术部", "后端工程师", "E1004", "13700137003", ""),
    ("john.smith@example.org", "John Smith", "总部/海外事业部", "Sales Engineer", "E1005", "+1 415 555 0100", ""),
    ("liu.yang@example.org", "刘洋", "总部/技术部", "实习生", "E1006", "13600136005", "停用"),
)
EXAMPLE_FILES = {
    "m365": ("m365-users.csv", dict(flat=True, employee_id=False, state=False)),
    "google": ("google-users.csv", dict(flat=False, employee_id=True, state=True)),
    "exmail": ("exmail-users.xlsx", dict(flat=False, employee_id=True, state=False)),
    "wecom": ("wecom-contacts.csv", dict(flat=False, employee_id=False, state=False)),
    "dingtalk": ("dingtalk-contacts.csv", dict(flat=False, employee_id=True, state=False)),
    "feishu": ("feishu-contacts.csv", dict(flat=False, employee_id=True, state=False)),
}


def equivalent_csv(path, flat, employee_id, state):
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(GENERIC_HEADER)
    for email, name, department, title, eid, mobile, status in PEOPLE:
        writer.writerow((email, name, department.rsplit("/", 1)[-1] if flat else department, title,
                         eid if employee_id else "", mobile, status if state else ""))
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


def roster_task(name, src, out, **options):
    args = dict(src=str(src), dest=str(out / ("%s.yml" % name)), passwords_dest=str(out / ("%s-pw.yml" % name)),
                domain="example.org")
    args.update(options)
    return {"name": name, "mailops.mailbox.roster": args, "ignore_errors": True}


def roster_of(path):
    """A roster vars file's ``mailbox_roster`` (its strings are tagged !unsafe)."""
    return parse_roster(path.read_text(encoding="utf-8"))


def test_every_example_converts_with_no_option_like_our_own_template(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    tasks = []
    for source, (name, says) in sorted(EXAMPLE_FILES.items()):
        tasks.append(roster_task(source, SOURCES / name, out))
        tasks.append(roster_task("generic-" + source, equivalent_csv(tmp_path / ("%s.csv" % source), **says), out))
    run = run_playbook(tmp_path, tasks, extra_args=VAULT)
    assert run.rc == 0, run.text
    for source, (name, says) in sorted(EXAMPLE_FILES.items()):
        result, generic = run.result(source), run.result("generic-" + source)
        assert not result.get("failed") and not generic.get("failed"), (result, generic)
        assert (result["source"], generic["source"], generic["ignored_columns"]) == (source, "generic", [])
        assert result["users"] == 6 and generic["users"] == 6
        assert roster_of(out / ("%s.yml" % source)) == roster_of(out / ("generic-%s.yml" % source)), source
        tree = dict((d["name"], d["parent"]) for d in roster_of(out / ("%s.yml" % source))["departments"])
        assert tree["华南销售"] == (None if says["flat"] else "销售部")
    assert run.result("google")["ignored_columns"] == [
        "New Primary Email [UPLOAD ONLY]", "Recovery Email", "Work Phone", "Employee Type", "Manager Email",
        "Cost Center", "Change Password at Next Sign-In"]
    assert run.result("exmail")["ignored_columns"] == ["性别", "生日"]
    assert run.result("wecom")["warnings"] == [
        "1 row list several departments (row 3): each person is put in the first one"]


def test_problems_in_a_known_source_name_row_and_column_and_nothing_is_written(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    m365 = (SOURCES / "m365-users.csv").read_text(encoding="utf-8").splitlines()
    unknown = tmp_path / "m365-extra.csv"
    unknown.write_text("\n".join([m365[0] + ",Badge Colour"] + [line + ",red" for line in m365[1:]]) + "\n",
                       encoding="utf-8")
    hashed = tmp_path / "google-hashed.csv"
    digest = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8"
    hashed.write_text("First Name,Last Name,Email Address,Password,Password Hash Function,Org Unit Path\n"
                      "三,张,zhang.san@example.org,%s,SHA-1,/总部\n"
                      "四,李,li.si@example.org,****,,/\n" % digest, encoding="utf-8")
    run = run_playbook(tmp_path, [roster_task("unknown", unknown, out), roster_task("hashed", hashed, out),
                                  roster_task("ignored", unknown, out, extra_columns="ignore")], extra_args=VAULT)
    unknown_result, hashed_result = run.result("unknown"), run.result("hashed")
    assert unknown_result["failed"] and [(p["row"], p["column"]) for p in unknown_result["problems"]] == \
        [(1, "Badge Colour")]
    assert "Microsoft 365" in unknown_result["problems"][0]["message"]
    assert hashed_result["failed"] and [(p["row"], p["column"], p["value"]) for p in hashed_result["problems"]] == \
        [(2, "Password", "********"), (3, "Org Unit Path", "/")]
    assert digest not in run.text
    assert sorted(p.name for p in out.iterdir()) == ["ignored-pw.yml", "ignored.yml"]
    assert run.result("ignored")["ignored_columns"][-1] == "Badge Colour"


def rows_of(path):
    if path.suffix == ".xlsx":
        workbook = openpyxl.load_workbook(str(path))
        cells = [cell for row in workbook.active.iter_rows() for cell in row]
        assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
        return [["" if v is None else str(v) for v in row] for row in workbook.active.iter_rows(values_only=True)]
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"), newline="")))


def test_exports_read_back_to_the_same_roster_with_passwords_only_in_0600_files(tmp_path):
    """The committed example roster and its vault file, exported to each template and read back."""
    out = tmp_path / "out"
    out.mkdir()
    exports = {"m365": out / "m365.csv", "google": out / "google.csv", "exmail": out / "exmail.xlsx"}
    export_tasks = []
    for fmt, dest in sorted(exports.items()):
        args = dict(src=str(EXAMPLES / "roster.yml"), dest=str(dest), format=fmt)
        if fmt != "m365":
            args["passwords_src"] = str(EXAMPLES / "passwords.yml")
        export_tasks.append({"name": "export " + fmt, "mailops.mailbox.roster_export": args})
    clear = tmp_path / "clear-passwords.yml"
    clear.write_text("mailbox_initial_passwords:\n  zhang.san@example.org: Clear-Text-Passw0rd\n", encoding="utf-8")
    refused = {"name": "refused", "ignore_errors": True, "mailops.mailbox.roster_export": dict(
        src=str(EXAMPLES / "roster.yml"), dest=str(out / "refused.csv"), format="google", passwords_src=str(clear))}
    preview = {"name": "preview", "check_mode": True, "mailops.mailbox.roster_export": dict(
        src=str(EXAMPLES / "roster.yml"), dest=str(out / "preview.xlsx"), format="exmail",
        passwords_src=str(EXAMPLES / "passwords.yml"))}
    tasks = [preview] + export_tasks + \
        [roster_task("reimport " + fmt, dest, out) for fmt, dest in sorted(exports.items())] + \
        [dict(task, name="again " + task["name"]) for task in export_tasks] + [refused]
    run = run_playbook(tmp_path, tasks, extra_args=VAULT, diff=True)
    assert run.rc == 0, run.text
    with open(EXAMPLES / "passwords.yml", "rb") as handle:
        assert handle.read().startswith(b"$ANSIBLE_VAULT")
    original = roster_of(EXAMPLES / "roster.yml")
    for fmt, dest in sorted(exports.items()):
        exported = run.result("export " + fmt)
        assert exported["changed"] and not run.result("again export " + fmt)["changed"]
        assert exported["with_passwords"] == (fmt != "m365")
        assert stat.S_IMODE(dest.stat().st_mode) == (0o600 if fmt != "m365" else 0o644 & ~0o022)
        reimported = run.result("reimport " + fmt)
        assert not reimported.get("failed") and reimported["source"] == fmt, reimported
        back = dict((u["email"], u) for u in roster_of(out / ("reimport %s.yml" % fmt))["users"])
        wanted = [u for u in original["users"] if u["email"] not in exported["left_out"]]
        assert sorted(back) == sorted(u["email"] for u in wanted) and len(wanted) == exported["users"]
        carried = ("name", "title", "mobile") + (() if fmt == "m365" else ("department", "employee_id", "state"))
        for user in wanted:
            assert dict((k, back[user["email"]][k]) for k in carried) == dict((k, user[k]) for k in carried)
        if fmt != "m365":
            used = set(u["department"] for u in wanted)
            assert [d for d in roster_of(out / ("reimport %s.yml" % fmt))["departments"] if d["name"] in used] == \
                [d for d in original["departments"] if d["name"] in used]
        rows = rows_of(dest)
        assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]
    # The passwords went into the files (and back through the roster module), never into the output.
    google = rows_of(exports["google"])
    password_column = google[0].index("Password [Required]")
    passwords = [row[password_column] for row in google[1:]]
    assert all(len(p) >= 12 for p in passwords) and "****" not in passwords
    assert not [p for p in passwords if p in run.text]
    assert "********" in run.text  # the diff shows the password column masked
    # Check mode says what would change and writes nothing.
    assert run.result("preview")["changed"] and run.result("preview")["users"] == 32
    assert not (out / "preview.xlsx").exists()
    # A passwords file in clear is refused, and nothing is written.
    assert run.result("refused")["failed"] and "not ansible-vault encrypted" in run.result("refused")["msg"]
    assert not (out / "refused.csv").exists() and "Clear-Text-Passw0rd" not in run.text


def test_template_syntax_in_a_vendor_file_stays_text(tmp_path):
    """A joined name, an org unit path and a status-bearing Google row, an M365 display name: every
    cell reaches the roster as text that Ansible loads and never runs."""
    marker = tmp_path / "command-ran"
    pipe = "{{ lookup('pipe', 'touch %s') }}" % marker
    google = tmp_path / "google.csv"
    with open(google, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([
            ("First Name [Required]", "Last Name [Required]", "Email Address [Required]", "Password [Required]",
             "Org Unit Path [Required]", "Employee Title", "New Status [UPLOAD ONLY]"),
            (pipe, "{{ 7*7 }}", "a@example.org", "****", "/总部/{% raw %}x", "{# c #}" + pipe, "Suspended")])
    m365 = tmp_path / "m365.csv"
    with open(m365, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([("User Name", "Display Name", "Department", "Fax"),
                                      ("b@example.org", pipe, "{{ 7*7 }}", "{{ 7*7 }}")])
    out = tmp_path / "out"
    out.mkdir()
    generated = run_playbook(tmp_path, [roster_task("google", google, out), roster_task("m365", m365, out)],
                             extra_args=VAULT)
    assert generated.rc == 0 and not generated.result("google").get("failed"), generated.text
    assert not marker.exists()
    shown = tmp_path / "shown.txt"
    loaded = run_playbook(tmp_path, [
        {"name": "Load", "ansible.builtin.include_vars": {"file": str(out / "google.yml"), "name": "google"}},
        {"name": "Show", "ansible.builtin.copy": {
            "dest": str(shown), "mode": "0600",
            "content": "{{ (google.mailbox_roster.users + mailbox_roster.users) | map(attribute='name') | join('|') }}\n"
                       "{{ google.mailbox_roster.users[0].title }}\n{{ google.mailbox_roster.departments | "
                       "map(attribute='name') | join('|') }}\n{{ mailbox_roster.users[0].department }}\n"}}],
        extra_args=VAULT + ["-e", "@%s" % (out / "m365.yml")])
    assert loaded.rc == 0, loaded.text
    assert not marker.exists(), "a command in a vendor file's cell ran"
    assert shown.read_text(encoding="utf-8").splitlines() == [
        "%s {{ 7*7 }}|%s" % (pipe, pipe), "{# c #}" + pipe, "总部|{% raw %}x", "{{ 7*7 }}"]
