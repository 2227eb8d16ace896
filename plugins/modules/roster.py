#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r'''
module: roster
short_description: Turn an HR import template into a validated roster vars file and a vault file of initial passwords
version_added: 0.1.0
description:
  - Reads the import template (CSV or XLSX) that HR fills in, checks the whole file, and writes the roster vars file
    (C(mailbox_roster)) that M(mailops.mailbox.users) applies, plus an ansible-vault encrypted vars file
    C(mailbox_initial_passwords) with one initial password per user.
  - Every problem of the template is reported at once, each with the row number as the spreadsheet shows it (the
    header is row 1) and the column header as written, for example C(row 17, column 邮箱 "zhang@@example.org" is not
    an email address). With any problem the task fails and neither file is touched.
  - Columns (header names in English or Chinese, in any order; case, full-width letters, spaces, C(_) and C(-), a
    trailing C(*) and a note in brackets are ignored) are C(email)/C(邮箱)/C(邮箱地址)/C(账号), C(name)/C(姓名),
    C(department)/C(部门), C(title)/C(职务)/C(职位), C(initial_password)/C(初始密码)/C(密码),
    C(employee_id)/C(工号), C(mobile)/C(手机)/C(手机号), C(aliases)/C(别名) (separated by commas, C(、),
    semicolons or spaces; a bare local part gets O(domain)) and C(state)/C(状态) (V(present), V(disabled) or
    V(absent); C(在职), C(停用) or C(离职)). Only C(name) and C(department) are required.
  - The staff lists of Microsoft 365, Google Workspace, Tencent Exmail, WeCom, DingTalk and Feishu are read as they
    are, with their own headers (see O(source)).
  - A problem never shows a password. A problem in the password column, and in a row with more cells than headers
    (an unquoted delimiter shifts the cells right, so any cell from the password column on may hold part of one),
    names the row and the column only; a cell without a header is never shown either.
  - An XLSX formula cell is a problem naming its row and column, whether or not the workbook stores its result; the
    template needs the values themselves. In a CSV, a cell holding a line break is a problem (mostly a quote left
    open, which takes the rows after it into that cell).
  - Every string the roster file and the passwords file hold is tagged C(!unsafe), so Ansible never evaluates
    C({{ }}), C({% %}) or C({#comment#}) from a cell, however the file is loaded.
  - Cells are normalised with Unicode NFKC, trimmed (U+3000 and zero-width characters too), emails lower-cased;
    numbers Excel stored as floats (C(13800000000.0), C(1.38E+10)) are written as the digits typed.
  - A department is a path, C(总部/销售部), which also builds the C(departments) tree of the roster.
  - A blank email is generated from the name with O(email_format) and made unique (C(zhang.wei), C(zhang.wei2));
    a person already in the previous roster (same employee id, or same name and no other employee id) keeps the
    address given there.
  - Runs on the controller as an action plugin and encrypts with the play's own vault secret (C(--vault-id),
    C(--vault-password-file), C(--ask-vault-pass)). Passwords are never written in clear, not even to a temporary
    file, and never appear in the result, the diff or a message.
  - The roster file is deterministic (users sorted by email, every key present in a fixed order, a header comment
    with the template's SHA-256 and row count), so a regenerated roster's Git diff shows only real changes; a re-run
    on the same template rewrites neither file and reports C(changed=false).
author:
  - mailops.mailbox contributors (@mailops)
extends_documentation_fragment:
  - mailops.mailbox.controller_action
attributes:
  check_mode:
    description: Reports what would be written (RV(roster)) and writes nothing.
    support: full
  diff_mode:
    description: Shows the diff of the roster file. The passwords file is never shown.
    support: full
options:
  src:
    description:
      - The import template, a CSV or an XLSX file (told apart by its content, not its name).
      - Relative paths are relative to the directory C(ansible-playbook) runs in, as for O(dest), O(passwords_dest)
        and O(previous).
    type: path
    required: true
  dest:
    description:
      - The roster vars file to write (YAML with C(mailbox_roster)). Its directory must exist.
    type: path
    required: true
  passwords_dest:
    description:
      - The ansible-vault encrypted vars file of initial passwords, C(mailbox_initial_passwords) (email to password).
      - When it exists it is decrypted with the play's vault secret, and users that already have a password there
        keep it. A file there that is not vault encrypted is refused.
      - It holds a password for every user of the roster that is not V(absent), except leavers that had none.
    type: path
    required: true
  domain:
    description:
      - The mail domain. Every email and alias must be in it, and generated addresses are made in it.
    type: str
    required: true
  email_format:
    description:
      - How an address is made from a name when the email cell is blank.
      - V(auto) writes Chinese names as pinyin, family name first (张三 becomes C(zhang.san), 欧阳娜娜 C(ouyang.nana),
        with surname readings such as 曾 C(zeng), 单 C(shan), 解 C(xie), 区 C(ou), 仇 C(qiu), 查 C(zha), 朴 C(piao)
        and compound surnames kept whole), and other names in written order folded to ASCII (José Müller becomes
        C(jose.muller)); a name with a middle dot (迪丽热巴·迪力木拉提) is in written order too.
      - Otherwise a template of the placeholders C({family}), C({given}), C({family_initial}), C({given_initial})
        and C({given_initials}) with a-z, 0-9, C(.), C(_) and C(-) around them, for example V({family}{given})
        (C(zhangsan)), V({given_initial}{family}) (C(szhang)) or V({given}.{family}).
      - A name that gives no address (a script with no ASCII form) is a problem of its row; fill in its email.
    type: str
    default: auto
  previous:
    description:
      - An earlier roster vars file, for the leaver rule and to keep generated addresses stable.
      - Defaults to O(dest) when that file exists.
    type: path
  leavers:
    description:
      - What happens to users of the previous roster that are not in the template.
      - V(disable) keeps them with C(state=disabled) (one already V(absent) stays so), V(absent) marks them for
        deletion, V(keep) keeps them unchanged.
    type: str
    choices: [disable, absent, keep]
    default: disable
  sheet:
    description:
      - For an XLSX template, the worksheet to read. The first worksheet when omitted.
    type: str
  encoding:
    description:
      - The encoding of a CSV template, for example V(utf-8), V(gbk) or V(gb18030).
      - When omitted, a UTF-8 (or UTF-16) byte order mark decides, else the file is read as UTF-8 if it is valid
        UTF-8, and as GB18030 (a superset of GBK) otherwise. Bytes that are not valid are reported with their row.
    type: str
  delimiter:
    description:
      - The field delimiter of a CSV template, one character, or V(tab).
      - When omitted, Python's C(csv.Sniffer) picks one of C(,) C(;) C(|) or a tab.
    type: str
  password_policy:
    description:
      - What an initial password from the template must meet, and what generated ones meet.
      - Generated passwords come from Python's C(secrets) and leave out look-alike characters (C(l 1 I O 0)).
    type: dict
    suboptions:
      min_length:
        description: The least number of characters.
        type: int
        default: 12
      lower:
        description: Require a lower-case letter.
        type: bool
        default: true
      upper:
        description: Require an upper-case letter.
        type: bool
        default: true
      digit:
        description: Require a digit.
        type: bool
        default: true
      symbol:
        description: Require a character that is neither a letter nor a digit.
        type: bool
        default: false
      generated_length:
        description: The length of generated passwords; at least O(password_policy.min_length).
        type: int
        default: 16
  extra_columns:
    description:
      - V(error) makes a column the template does not know a problem (a typo in a header would otherwise drop a
        column silently); V(ignore) skips such columns.
    type: str
    choices: [error, ignore]
    default: error
  departments:
    description:
      - The departments that exist, as paths (V(总部/销售部)) or as dicts with C(name) and C(parent) (a roster's
        C(departments) list). When given, a department in the template that is not in this list is a problem, and
        this list is the roster's department tree.
      - When omitted, the tree is built from the paths in the template.
    type: list
    elements: raw
  source:
    description:
      - What kind of file O(src) is. V(auto) tells it from the header row; V(generic) reads it as this collection's
        own template only; a vendor's name reads it as that vendor's file whatever its header row says.
      - The vendors' files are the Microsoft 365 "Add multiple users" CSV (V(m365)), the Google Workspace "Bulk update
        users" CSV (V(google)), the Tencent Exmail batch-import template (V(exmail)) and the contact exports of WeCom
        (V(wecom)), DingTalk (V(dingtalk)) and Feishu (V(feishu)). A file is taken for a vendor's when it has one
        of the columns only that vendor's file has (C(User Name), C(Org Unit Path), C(生日), C(个人邮箱),
        C(入职时间), C(用户ID), ...); with none, it is read as the generic template.
      - A vendor's columns that a roster has no use for (C(性别), C(Office Number), ...) are skipped and listed in
        RV(ignored_columns); a column no vocabulary knows still follows O(extra_columns).
      - In every kind of file, a name given as first and last name (C(First Name)/C(Last Name), C(名)/C(姓)) is
        joined as its script writes it (张 + 三 is 张三, John + Smith is John Smith); an account given as a local
        part (C(zhang.san)) gets O(domain); a department cell with several departments (C(总部/销售部;总部/市场部))
        gives the first one, and a leading C(/) (C(/Sales/East)) is dropped; Google's password C(****) means no
        password from the file, and its C(New Status) C(Active)/C(Suspended) gives the state.
    type: str
    choices: [auto, generic, m365, google, exmail, wecom, dingtalk, feishu]
    default: auto
    version_added: 0.2.0
  vault_id:
    description:
      - The vault identity to encrypt with when the play has loaded several (C(--vault-id prod@...)). The first one
        loaded when omitted.
    type: str
  max_rows:
    description:
      - The most data rows the template may have. A longer template is refused with a problem naming the first row
        past the limit; it is checked while the file is read, so a file of millions of rows fails after reading this
        many, not after reading all of it.
    type: int
    default: 200000
  list_limit:
    description:
      - The most items each list of the result holds (RV(generated_emails), RV(collisions), RV(leavers),
        RV(new_passwords)); RV(summary) counts them all and RV(truncated) names the lists cut short. The roster file
        holds every user, generated addresses included.
      - Ansible hands a result around item by item (to its worker's queue, its checks, each callback, C(-v) output),
        so the lists of a 100,000-row template in full would cost the playbook more than a second and 12 MB.
      - V(0) returns the counts only.
    type: int
    default: 10000
    version_added: 0.2.0
notes:
  - Requires openpyxl for XLSX templates and pypinyin for addresses generated from Chinese names, on the controller.
  - A blank email is matched to the previous roster by employee id, or else by name; two people with the same name
    and no employee id cannot be told apart, so fill in the email or the employee id for them.
  - An alias of a leaver that the template gives to someone else moves to that person (with a warning).
  - It works on files of the controller only, so run it once, on C(localhost) as C(playbooks/generate_roster.yml)
    does (or with C(run_once)); a task for several hosts would write the same files once per host.
requirements:
  - openpyxl >= 3.1 (XLSX templates)
  - pypinyin >= 0.50 (Chinese names)
seealso:
  - module: mailops.mailbox.users
  - module: mailops.mailbox.roster_export
'''

EXAMPLES = r'''
- name: Generate the roster and the initial passwords from HR's template
  mailops.mailbox.roster:
    src: staff.xlsx
    dest: group_vars/all/roster.yml
    passwords_dest: group_vars/all/passwords.yml
    domain: example.org
  register: roster

- name: A GBK CSV with semicolons, addresses such as zhangsan@, leavers deleted
  mailops.mailbox.roster:
    src: /srv/hr/staff.csv
    encoding: gbk
    delimiter: ";"
    email_format: "{family}{given}"
    leavers: absent
    dest: roster.yml
    passwords_dest: passwords.yml
    domain: example.org
    password_policy:
      min_length: 14
      symbol: true
    vault_id: prod

- name: Apply it
  mailops.mailbox.users:
    users: "{{ mailbox_roster.users }}"
    passwords: "{{ mailbox_initial_passwords }}"
    domain: "{{ mailbox_roster.domain }}"
'''

RETURN = r'''
users:
  description: How many users the roster holds (the template's, plus leavers kept from the previous roster).
  returned: success
  type: int
  sample: 34
generated_emails:
  description:
    - The address made for each row whose email was blank, by name. When two such rows have the same name, each key
      is the name followed by its row, for example C(张伟 (row 7)).
    - At most O(list_limit) of them, in the template's order.
  returned: success
  type: dict
  sample: {"张三": zhang.san@example.org, "José Müller": jose.muller@example.org}
collisions:
  description:
    - Generated addresses that were taken (by a row or by the previous roster) and got a number instead.
    - At most O(list_limit) of them, in the template's order.
  returned: success
  type: list
  elements: dict
  sample: [{row: 9, name: "张伟", wanted: zhang.wei@example.org, email: zhang.wei2@example.org, taken_by: row 7}]
leavers:
  description:
    - Emails of the users of the previous roster that are not in the template (handled as O(leavers) says).
    - At most O(list_limit) of them, sorted.
  returned: success
  type: list
  elements: str
  sample: [li.si@example.org]
new_passwords:
  description:
    - Emails whose initial password is new in the passwords file (generated or changed in the template).
    - At most O(list_limit) of them.
  returned: success
  type: list
  elements: str
summary:
  description: How many items each list of the result has in all, before O(list_limit) cuts it.
  returned: success
  type: dict
  sample: {generated_emails: 1, collisions: 0, leavers: 2, new_passwords: 34}
  version_added: 0.2.0
truncated:
  description: The names of the lists of the result that O(list_limit) cut short (empty when none was).
  returned: success
  type: list
  elements: str
  sample: [new_passwords]
  version_added: 0.2.0
dest:
  description: The roster file's absolute path.
  returned: success
  type: str
passwords_dest:
  description: The passwords file's absolute path.
  returned: success
  type: str
source:
  description: The kind of file O(src) was read as (see O(source)).
  returned: success
  type: str
  sample: dingtalk
  version_added: 0.2.0
ignored_columns:
  description:
    - The headers of the columns that were skipped, in the file's order, each once - the known columns of the
      vendor's file that a roster has no use for, and with O(extra_columns=ignore) the unknown ones.
  returned: success
  type: list
  elements: str
  sample: ["性别", "入职时间"]
  version_added: 0.2.0
roster:
  description: In check mode, the C(mailbox_roster) that would be written.
  returned: check mode
  type: dict
  sample: {domain: example.org, departments: [{name: "总部", parent: null}],
           users: [{email: zhang.san@example.org, name: "张三", department: "总部", title: null, employee_id: E1001,
                    mobile: "13800000000", aliases: [], state: present}]}
problems:
  description:
    - Every problem found in the template, when the task fails on bad input. Nothing was written then.
    - C(row) is the row number as the spreadsheet shows it (the header is row 1), or null for the file as a whole;
      C(column) the column's header as written (the spreadsheet letter for a cell with no header); C(value) the
      cell's value (C(********) for a password).
  returned: failure on bad input
  type: list
  elements: dict
  sample: [{row: 17, column: "邮箱", value: "zhang@@example.org",
            message: "\"zhang@@example.org\" is not an email address"}]
'''

from ansible_collections.mailops.mailbox.plugins.module_utils._module.controller_only import fail_without_action_plugin
from ansible_collections.mailops.mailbox.plugins.module_utils._template.options import ROSTER_ARGUMENT_SPEC


def main():
    # The work is in plugins/action/roster.py (it needs the play's vault secret).
    fail_without_action_plugin('mailops.mailbox.roster', ROSTER_ARGUMENT_SPEC)


if __name__ == '__main__':
    main()
