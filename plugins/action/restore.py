# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mailops.mailbox.restore: with ``passwords_dest``, new initial passwords for the users a restore
re-creates on a backend whose snapshots hold no passwords (Exmail, Graph).

An action plugin, so that the passwords are encrypted with the play's own vault secret on the
controller. Before the module runs, every user of the (JSON) snapshot gets a generated password and
the whole set is written to ``passwords_dest``, ansible-vault encrypted, so that nothing is lost
if the run stops midway; the module receives them in its no_log ``passwords`` option and uses only
those of users it re-creates; the file is then rewritten with just those users. Without
``passwords_dest`` the module runs as it is.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import json
import os

from ansible.plugins.action import ActionBase

from ansible_collections.mailops.mailbox.plugins.module_utils._files import atomic_write
from ansible_collections.mailops.mailbox.plugins.module_utils._template.options import DEFAULT_POLICY
from ansible_collections.mailops.mailbox.plugins.module_utils._template.passwords import generate
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import render_passwords
from ansible_collections.mailops.mailbox.plugins.plugin_utils._controller_action import PlayVault, RosterFailed

MODULE = 'mailops.mailbox.restore'


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        args = dict(self._task.args)
        dest = args.pop('passwords_dest', None)
        if not dest or self._task.check_mode:
            result.update(self._execute_module(module_name=MODULE, module_args=args, task_vars=task_vars))
            return result
        try:
            vault = PlayVault(self._loader._vault.secrets, None)
            candidates = self._candidates(args.get('src'), dest)
            if candidates:
                _write(dest, vault.encrypt(render_passwords(candidates)))
        except RosterFailed as exc:
            result.update(exc.result, failed=True, msg=str(exc))
            return result
        if candidates:
            args['passwords'] = dict((email, secret.reveal()) for email, secret in candidates.items())
        outcome = self._execute_module(module_name=MODULE, module_args=args, task_vars=task_vars)
        recreated = [email for email in outcome.get('recreated') or [] if email in candidates]
        if candidates:
            if recreated:
                _write(dest, vault.encrypt(render_passwords(dict((e, candidates[e]) for e in recreated))))
                outcome['passwords_dest'] = dest
                outcome.setdefault('warnings', []).append(
                    '%d users were re-created with new initial passwords (their old ones cannot be restored on this '
                    'backend); the passwords are in %s, ansible-vault encrypted' % (len(recreated), dest))
            else:
                os.unlink(dest)
        result.update(outcome)
        return result

    @staticmethod
    def _candidates(src, dest):
        """A generated password for each user of a JSON snapshot (none for an LDIF one, which
        restores the password hashes themselves)."""
        if not os.path.isdir(os.path.dirname(os.path.abspath(dest))):
            raise RosterFailed('passwords_dest: the directory of %s does not exist' % dest)
        if os.path.exists(dest):
            raise RosterFailed('passwords_dest: %s exists; refusing to overwrite passwords written earlier' % dest)
        try:
            with open(src, 'r') as handle:
                document = json.load(handle)
        except (IOError, OSError, ValueError, TypeError):
            return {}
        users = document.get('users') if isinstance(document, dict) else None
        return dict((str(u.get('email')).lower(), generate(DEFAULT_POLICY)) for u in users or []
                    if isinstance(u, dict) and u.get('email'))


def _write(path, data):
    with atomic_write(path, 0o600, '.passwords-', binary=True) as output:
        output.write(data)
