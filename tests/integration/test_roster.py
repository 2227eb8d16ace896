"""mailops.mailbox.roster through real ansible-playbook runs: files, vault, idempotence, errors."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import load_yaml

REPO = Path(__file__).resolve().parents[2]
COLLECTIONS = REPO / ".build" / "collections"
EXAMPLES = REPO / "examples"
PLAYBOOK = REPO / "playbooks" / "generate_roster.yml"
SOURCE_LINE = "# Source: "
HEADER = "姓名,邮箱,部门,别名,状态,初始密码\r\n"
VALID = HEADER + "张三,zhang.san@example.org,总部/销售部,sales,,\r\n张伟,,总部/技术部,,,\r\n张伟,,技术部,,停用,\r\n"


def ansible(tool):
    """The ansible-* command of the Python running the tests (its virtualenv), else from PATH."""
    beside = Path(sys.executable).with_name(tool)
    return str(beside) if beside.exists() else shutil.which(tool)


@pytest.fixture(scope="module", autouse=True)
def collection_is_installed():
    if not (COLLECTIONS / "ansible_collections" / "mailops" / "mailbox" / "plugins").is_dir():
        pytest.fail("the collection is not linked under %s: run `make collection` first" % COLLECTIONS)


def env():
    return dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS), ANSIBLE_NOCOLOR="1",
                ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
                ANSIBLE_STDOUT_CALLBACK="ansible.builtin.default", ANSIBLE_RETRY_FILES_ENABLED="0")


def run(args, cwd):
    return subprocess.run([ansible("ansible-playbook")] + [str(a) for a in args], cwd=str(cwd), env=env(),
                          capture_output=True, text=True, timeout=300, check=False)


class Lab:
    """A temp dir with a vault password file, the output files and helpers to run plays in it."""

    def __init__(self, path):
        self.path = path
        self.vault_password = path / "vault-password.txt"
        self.vault_password.write_text("integration-test-vault-password\n")
        self.roster = path / "out" / "roster.yml"
        self.passwords = path / "out" / "passwords.yml"
        self.roster.parent.mkdir()

    def template(self, content, name="staff.csv"):
        path = self.path / name
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
        return path

    def generate(self, template, *extra):
        """Run playbooks/generate_roster.yml as a user would."""
        return run([PLAYBOOK, "--vault-password-file", self.vault_password,
                    "-e", "mailbox_template=%s" % template, "-e", "mailbox_roster_dest=%s" % self.roster,
                    "-e", "mailbox_passwords_dest=%s" % self.passwords] + list(extra), self.path)

    def roster_from_scratch(self, template):
        """The roster text ``generate`` writes with no earlier files, and its source line apart
        (the one line that names the template)."""
        for path in (self.roster, self.passwords):
            if path.exists():
                path.unlink()
        completed = self.generate(template)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        lines = self.roster.read_text(encoding="utf-8").splitlines(True)
        source = [line for line in lines if line.startswith(SOURCE_LINE)]
        return "".join(line for line in lines if not line.startswith(SOURCE_LINE)), "".join(source)

    def task(self, template, *flags, **options):
        """Run the module once in a play and return its registered result."""
        args = dict(src=str(template), dest=str(self.roster), passwords_dest=str(self.passwords),
                    domain="example.org")
        args.update(options)
        result_file = self.path / "result.json"
        play = [{"hosts": "localhost", "connection": "local", "gather_facts": False, "tasks": [
            {"mailops.mailbox.roster": args, "register": "out", "ignore_errors": True},
            {"ansible.builtin.copy": {"content": "{{ out | to_json }}", "dest": str(result_file), "mode": "0600"},
             "check_mode": False, "diff": False, "changed_when": False},
        ]}]
        playbook = self.path / "play.yml"
        playbook.write_text(yaml.safe_dump(play, allow_unicode=True))
        vault = list(flags) if any(str(f).startswith("--vault") for f in flags) else \
            ["--vault-password-file", self.vault_password] + list(flags)
        completed = run([playbook] + vault, self.path)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        self.output = completed.stdout + completed.stderr
        return json.loads(result_file.read_text())

    def view_passwords(self):
        completed = subprocess.run([ansible("ansible-vault"), "view", "--vault-password-file", str(self.vault_password),
                                    str(self.passwords)], env=env(), capture_output=True, text=True, timeout=60, check=False)
        assert completed.returncode == 0, completed.stderr
        return load_yaml(completed.stdout)["mailbox_initial_passwords"]

    def snapshot(self):
        """Every file of the output directory with its bytes and modification time."""
        return dict((p.name, (p.read_bytes(), p.stat().st_mtime_ns)) for p in sorted(self.roster.parent.iterdir()))


@pytest.fixture
def lab(tmp_path):
    return Lab(tmp_path)


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A roster and passwords file generated once from VALID, for tests that only need them to exist."""
    lab = Lab(tmp_path_factory.mktemp("generated"))
    completed = lab.generate(lab.template(VALID))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    return lab


def test_the_three_example_templates_give_the_same_roster(lab):
    # The GBK form, with CRLF line ends as Excel saves a CSV on a Chinese Windows, is made from
    # staff.csv here (examples/make_examples.py --gbk writes the same bytes): the collection's
    # files are all UTF-8 text.
    gbk = lab.template((EXAMPLES / "staff.csv").read_text(encoding="utf-8").replace("\n", "\r\n").encode("gbk"),
                       name="staff-gbk.csv")
    rosters = {}
    for name, template in (("staff.csv", EXAMPLES / "staff.csv"), ("staff-gbk.csv", gbk),
                           ("staff.xlsx", EXAMPLES / "staff.xlsx")):
        rosters[name], source = lab.roster_from_scratch(template)
        assert source.startswith("%s%s, 34 data rows, sha256 " % (SOURCE_LINE, name))
    assert rosters["staff.csv"] == rosters["staff-gbk.csv"] == rosters["staff.xlsx"]
    committed = (EXAMPLES / "roster.yml").read_text(encoding="utf-8")
    assert "".join(line for line in committed.splitlines(True) if not line.startswith(SOURCE_LINE)) == \
        rosters["staff.csv"]


def test_the_committed_example_passwords_decrypt_with_the_demo_password():
    completed = subprocess.run([ansible("ansible-vault"), "view", "--vault-password-file",
                                str(EXAMPLES / "demo-vault-password.txt"), str(EXAMPLES / "passwords.yml")],
                               env=env(), capture_output=True, text=True, timeout=60, check=False)
    assert completed.returncode == 0, completed.stderr
    passwords = load_yaml(completed.stdout)["mailbox_initial_passwords"]
    roster = load_yaml((EXAMPLES / "roster.yml").read_text(encoding="utf-8"))["mailbox_roster"]
    assert set(passwords) == set(u["email"] for u in roster["users"] if u["state"] != "absent")


def test_vault_file_holds_exactly_the_users_created_and_the_roster_no_password(lab):
    completed = lab.generate(lab.template(VALID))
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert lab.passwords.read_bytes().startswith(b"$ANSIBLE_VAULT;1.1;AES256\n")
    assert oct(lab.passwords.stat().st_mode & 0o777) == "0o600"
    passwords = lab.view_passwords()
    roster = load_yaml(lab.roster.read_text(encoding="utf-8"))["mailbox_roster"]
    assert sorted(passwords) == sorted(u["email"] for u in roster["users"]) == [
        "zhang.san@example.org", "zhang.wei2@example.org", "zhang.wei@example.org"]
    text = lab.roster.read_text(encoding="utf-8")
    assert "password" not in text.split("\n", 3)[3]  # only the header comment speaks of passwords
    for password in passwords.values():
        assert password not in text
        assert password not in completed.stdout + completed.stderr


def test_the_roster_is_what_the_users_module_takes(lab):
    assert lab.generate(lab.template(VALID)).returncode == 0
    roster = load_yaml(lab.roster.read_text(encoding="utf-8"))["mailbox_roster"]
    assert roster["domain"] == "example.org"
    assert roster["departments"] == [{"name": "总部", "parent": None}, {"name": "技术部", "parent": "总部"},
                                     {"name": "销售部", "parent": "总部"}]
    assert [u["email"] for u in roster["users"]] == ["zhang.san@example.org", "zhang.wei@example.org",
                                                     "zhang.wei2@example.org"]


def test_a_rerun_changes_nothing(lab):
    template = lab.template(VALID)
    first = lab.generate(template)
    assert first.returncode == 0 and "changed=1" in first.stdout
    before = lab.snapshot()
    second = lab.generate(template)
    assert second.returncode == 0 and "changed=0" in second.stdout, second.stdout
    assert lab.snapshot() == before  # same bytes, not even rewritten


def test_a_rerun_keeps_passwords_and_adds_new_users(lab):
    lab.generate(lab.template(VALID))
    old = lab.view_passwords()
    result = lab.task(lab.template(VALID + "李四,,总部,,,\r\n"))
    assert result["changed"] is True and result["new_passwords"] == ["li.si@example.org"]
    new = lab.view_passwords()
    assert dict((k, v) for k, v in new.items() if k in old) == old
    assert sorted(new) == sorted(list(old) + ["li.si@example.org"])


def test_the_result_lists_at_most_list_limit_items_and_counts_them_all(lab):
    result = lab.task(lab.template(VALID), list_limit=1)
    assert result["summary"] == {"generated_emails": 2, "collisions": 1, "leavers": 0, "new_passwords": 3}
    assert result["truncated"] == ["generated_emails", "new_passwords"]
    assert len(result["generated_emails"]) == 1 and len(result["new_passwords"]) == 1
    assert result["collisions"][0]["email"] == "zhang.wei2@example.org"
    roster = load_yaml(lab.roster.read_text(encoding="utf-8"))["mailbox_roster"]
    assert len(roster["users"]) == 3  # the files hold everyone
    assert lab.task(lab.template(VALID), list_limit=-1)["msg"] == "list_limit: must be 0 or more, not -1"


def test_leavers_are_disabled(lab):
    lab.generate(lab.template(VALID))
    result = lab.task(lab.template(HEADER + "张三,zhang.san@example.org,总部/销售部,sales,,\r\n"))
    assert result["leavers"] == ["zhang.wei2@example.org", "zhang.wei@example.org"]
    roster = load_yaml(lab.roster.read_text(encoding="utf-8"))["mailbox_roster"]
    states = dict((u["email"], u["state"]) for u in roster["users"])
    assert states == {"zhang.san@example.org": "present", "zhang.wei@example.org": "disabled",
                      "zhang.wei2@example.org": "disabled"}


def test_check_mode_writes_nothing_and_reports_the_roster(lab):
    result = lab.task(lab.template(VALID), "--check")
    assert result["changed"] is True and not result.get("failed")
    assert [u["email"] for u in result["roster"]["users"]] == ["zhang.san@example.org", "zhang.wei@example.org",
                                                               "zhang.wei2@example.org"]
    assert lab.snapshot() == {}


def test_check_diff_shows_the_roster_change_and_no_password(lab):
    lab.generate(lab.template(VALID))
    before = lab.snapshot()
    passwords = lab.view_passwords()
    completed = lab.generate(lab.template(VALID + "李四,,总部,,,\r\n"), "--check", "--diff")
    assert completed.returncode == 0, completed.stdout
    assert "+    - email: !unsafe li.si@example.org" in completed.stdout
    assert lab.snapshot() == before
    for password in passwords.values():
        assert password not in completed.stdout


def test_without_a_vault_secret_it_fails_and_writes_nothing(lab):
    completed = run([PLAYBOOK, "-e", "mailbox_template=%s" % lab.template(VALID),
                     "-e", "mailbox_roster_dest=%s" % lab.roster, "-e", "mailbox_passwords_dest=%s" % lab.passwords],
                    lab.path)
    assert completed.returncode != 0
    assert "no vault secret is loaded" in completed.stdout
    assert lab.snapshot() == {}


def test_a_vault_file_of_another_secret_is_refused(lab):
    lab.generate(lab.template(VALID))
    before = lab.snapshot()
    other = lab.path / "other-password.txt"
    other.write_text("another one\n")
    result = lab.task(lab.path / "staff.csv", "--vault-password-file", other)
    assert result["failed"] and "cannot be decrypted with the vault secrets loaded" in result["msg"]
    assert lab.snapshot() == before


def test_vault_id_picks_the_secret(lab):
    other = lab.path / "other-password.txt"
    other.write_text("another one\n")
    flags = ["--vault-id", "first@%s" % other, "--vault-id", "second@%s" % lab.vault_password]
    result = lab.task(lab.template(VALID), *flags, vault_id="second")
    assert result["changed"] and lab.passwords.read_bytes().startswith(b"$ANSIBLE_VAULT;1.2;AES256;second\n")
    assert len(lab.view_passwords()) == 3
    result = lab.task(lab.template(VALID), *flags, vault_id="third")
    assert result["failed"] and result["msg"] == 'vault_id: no vault secret "third" is loaded (loaded: first, second)'


def test_a_plain_text_passwords_file_is_never_overwritten(lab):
    lab.passwords.write_text("mailbox_initial_passwords: {a@example.org: clear}\n")
    before = lab.snapshot()
    result = lab.task(lab.template(VALID))
    assert result["failed"] and "is not ansible-vault encrypted" in result["msg"]
    assert lab.snapshot() == before


def _gbk_with_bad_bytes():
    return (HEADER + "张三,,技术部,,,\r\n").encode("gbk") + b"\xe6\x9d\x8e\xe5\x9b\x9b,,\xff\xfe,,,\r\n"


# (template, extra module options, the problems' (row, column), a fragment of the first message)
ERROR_CLASSES = {
    "missing required column": ("姓名,邮箱\r\n张三,\r\n", {}, [(1, "department")], "required column is missing"),
    "empty required cell": (HEADER + "张三,,,,,\r\n", {}, [(2, "部门")], "is empty"),
    "malformed email": (HEADER + "张三,zhang@@example.org,技术部,,,\r\n", {}, [(2, "邮箱")], "is not an email address"),
    "email outside domain": (HEADER + "张三,zs@example.com,技术部,,,\r\n", {}, [(2, "邮箱")], "not in the domain"),
    "duplicate email": (HEADER + "张三,zs@example.org,技术部,,,\r\n李四,ZS@example.org,技术部,,,\r\n", {},
                        [(3, "邮箱")], "row 2 has it too"),
    "duplicate alias": (HEADER + "张三,zs@example.org,技术部,sales,,\r\n李四,ls@example.org,技术部,sales,,\r\n", {},
                        [(3, "别名")], "duplicate alias"),
    "alias is another user's email": (HEADER + "张三,zs@example.org,技术部,,,\r\n李四,ls@example.org,技术部,zs,,\r\n",
                                      {}, [(3, "别名")], "is the email of row 2"),
    "unknown department": (HEADER + "张三,,总部/市场部,,,\r\n", {"departments": ["总部/销售部"]}, [(2, "部门")],
                           "unknown department"),
    "unknown state": (HEADER + "张三,,技术部,,休假,\r\n", {}, [(2, "状态")], "is not a state"),
    "password below policy": (HEADER + "张三,,技术部,,,weak\r\n", {}, [(2, "初始密码")], "below the password policy"),
    "not csv or xlsx": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", {}, [(None, None)], "neither CSV nor XLSX"),
    "empty file": (b"", {}, [(None, None)], "the file is empty"),
    "undecodable bytes": (_gbk_with_bad_bytes(), {}, [(3, "部门")], "bytes that are not valid"),
    "more cells than headers": (HEADER + "张三,,技术部,,,,surplus\r\n", {}, [(2, "G")], "more cells than headers"),
    "line break in a cell": (HEADER + "张三,,\"技术部\n\",,,\r\n", {}, [(2, "部门")], "holds a line break"),
    "more rows than max_rows": (HEADER + "张三,,技术部,,,\r\n李四,,技术部,,,\r\n", {"max_rows": 1}, [(3, None)],
                                "more than 1 data rows (max_rows)"),
}


@pytest.mark.parametrize("error_class", sorted(ERROR_CLASSES))
def test_every_error_class_fails_with_its_row_and_column_and_changes_nothing(lab, generated, error_class):
    content, options, expected, fragment = ERROR_CLASSES[error_class]
    for name in (generated.roster, generated.passwords):
        shutil.copy2(str(name), str(lab.roster.parent))
    lab.vault_password.write_bytes(generated.vault_password.read_bytes())
    before = lab.snapshot()
    result = lab.task(lab.template(content, "bad.csv"), **options)
    assert result["failed"] is True and result["changed"] is False
    assert [(p["row"], p["column"]) for p in result["problems"]] == expected
    assert fragment in result["problems"][0]["message"]
    assert set(result["problems"][0]) == {"row", "column", "value", "message"}
    if expected[0][1] is not None:
        assert "row %d, column %s: " % expected[0] in result["msg"]
    elif expected[0][0] is not None:
        assert "row %d: " % expected[0][0] in result["msg"]
    assert lab.snapshot() == before  # same bytes, same mtimes, no temporary file left behind


def test_a_password_shifted_by_an_unquoted_comma_is_never_shown(lab):
    result = lab.task(lab.template(HEADER + "张三,zs@example.org,技术部,,,Hidden,Word-9\r\n"))
    assert result["failed"] is True
    assert [(p["row"], p["column"], p["value"]) for p in result["problems"]] == [(2, "G", None)]
    for secret in ("Hidden", "Word-9"):
        assert secret not in json.dumps(result, ensure_ascii=False) and secret not in lab.output


def test_max_rows_below_one_is_an_option_error(lab):
    result = lab.task(lab.template(VALID), max_rows=0)
    assert result["failed"] is True and result["msg"] == "max_rows: must be 1 or more, not 0"
    assert lab.snapshot() == {}


def big_rows(count):
    """``count`` data rows of the shape HEADER names, half of them with a blank email."""
    surnames, given = "王李张刘陈杨黄赵吴周", "伟芳娜敏静丽强磊军洋"
    return [(surnames[n % 10] + given[n // 10 % 10] + given[n // 100 % 10], "" if n % 2 else "user%05d@example.org" % n,
             "总部/部门%d" % (n % 40), "", "", "") for n in range(count)]


def test_a_big_workbook_read_beside_the_conversion_gives_the_roster_its_csv_gives(lab, tmp_path):
    # A sheet this big is read by a child process of ansible-playbook's worker (see
    # module_utils/_template/forked.py); the same rows as CSV are read in the worker itself.
    import openpyxl
    from ansible_collections.mailops.mailbox.plugins.module_utils._template import forked, read, xlsx
    if not forked.available():
        pytest.skip("with one CPU (or no fork) every sheet is read in the worker")
    rows = big_rows(16000)
    workbook = openpyxl.Workbook()
    workbook.active.append(HEADER.strip().split(","))
    for row in rows:
        workbook.active.append(list(row))
    big = tmp_path / "big.xlsx"
    workbook.save(str(big))
    opened = xlsx.Workbook(str(big))
    try:
        assert opened.part_size(opened.sheets[0][1]) >= read.FORKED_SHEET_SIZE
    finally:
        opened.close()
    rosters = {}
    for template in (lab.template(HEADER + "".join(",".join(row) + "\r\n" for row in rows), "big.csv"), big):
        rosters[template.suffix] = lab.roster_from_scratch(template)[0]
    assert rosters[".csv"] == rosters[".xlsx"] and rosters[".csv"].count("- email: ") == 16000

    # A formula deep in the sheet is a problem named by its row and column, and nothing is written.
    workbook.active["B15000"] = '=LOWER("X@EXAMPLE.ORG")'
    workbook.save(str(big))
    before = lab.snapshot()
    result = lab.task(big)
    assert result["failed"] is True and result["changed"] is False
    assert [(p["row"], p["column"]) for p in result["problems"]] == [(15000, "邮箱")]
    assert lab.snapshot() == before
