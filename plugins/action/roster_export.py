# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mailops.mailbox.roster_export: a roster vars file -> a vendor's bulk-import template (CSV or XLSX).

An action plugin, not a filter: a filter's text goes wherever the play puts it (a copy task's
content, its diff, a log), while initial passwords may only ever reach a file of mode 0600. Here
the passwords are read from the ansible-vault file with the play's own secret and written only
into ``dest``, created 0600 through a temporary file of that mode; they never enter the result.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible_collections.mailops.mailbox.plugins.action.roster import PASSWORDS_MODE, ROSTER_MODE, _write_atomically
from ansible_collections.mailops.mailbox.plugins.module_utils._template.export import (
    FORMATS, export_roster, file_bytes, masked_rows, read_rows, rows_text,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.export_options import (
    ROSTER_EXPORT_ARGUMENT_SPEC,
)
from ansible_collections.mailops.mailbox.plugins.plugin_utils._controller_action import (
    ControllerAction, RosterFailed, VaultFile, read_roster,
)


class ActionModule(ControllerAction):
    argument_spec = ROSTER_EXPORT_ARGUMENT_SPEC

    def work(self, args):
        src = os.path.abspath(args['src'])
        dest = os.path.realpath(args['dest'])
        if not os.path.isdir(os.path.dirname(dest)):
            raise RosterFailed('dest: the directory %s does not exist' % os.path.dirname(dest))
        if not os.path.exists(src):
            raise RosterFailed('src: %s does not exist' % src)
        roster = read_roster(src, 'src')
        passwords = None
        fmt = FORMATS[args['format']]
        if args['passwords_src']:
            if fmt.password is None:
                raise RosterFailed('passwords_src: the %s has no password column: leave passwords_src out' % fmt.title)
            path = os.path.abspath(args['passwords_src'])
            if not os.path.exists(path):
                raise RosterFailed('passwords_src: %s does not exist' % path)
            passwords = _read_passwords(self._loader, path)

        export = export_roster(roster, args['format'], passwords)
        data = file_bytes(export, bom=args['bom'])
        old_rows = read_rows(dest, fmt.kind) if os.path.exists(dest) else None
        if fmt.kind == 'csv':
            changed = _read_bytes(dest) != data
        else:  # an XLSX's bytes hold the time it was saved: compare what it says
            changed = old_rows != [export.header] + export.rows
        # A file that holds passwords is never readable by others, not even for the moment before
        # the rename: one already there is narrowed first, a new one is made 0600.
        narrowed = export.with_passwords and os.path.exists(dest) and bool(os.stat(dest).st_mode & 0o077)
        if not self._task.check_mode:
            if narrowed:
                os.chmod(dest, PASSWORDS_MODE)
            if changed:
                _write_atomically(dest, data, PASSWORDS_MODE if export.with_passwords else ROSTER_MODE, 'dest')
        changed = changed or narrowed

        result = dict(changed=changed, dest=dest, format=fmt.name, users=len(export.rows), left_out=export.left_out,
                      with_passwords=export.with_passwords)
        if self._task.diff and changed:
            result['diff'] = dict(before_header=dest, after_header=dest, before=rows_text(masked_rows(old_rows or [])),
                                  after=rows_text(masked_rows([export.header] + export.rows)))
        return result


def _read_passwords(loader, path):
    """``{email: Secret}`` of the ansible-vault file ``path``, decrypted with the play's vault secrets."""
    return VaultFile(list(loader._vault.secrets or []), path, 'passwords_src',
                     'is not ansible-vault encrypted: give the passwords file that mailops.mailbox.roster wrote').passwords()


def _read_bytes(path):
    """The file's bytes, or None when there is none."""
    if not os.path.exists(path):
        return None
    with open(path, 'rb') as handle:
        return handle.read()
