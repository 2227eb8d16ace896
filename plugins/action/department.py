# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mailops.mailbox.department: the module, unless the play's own snapshot shows nothing to change.

The backup role reads the whole directory moments before the provision role ensures the
departments, and writes what it read as a roster file (the snapshot's roster copy). Given that
file as ``directory_roster_file``, a task whose departments it already shows as wanted ends here,
on the controller: no module process and no second read of the directory, which is most of a
second of every re-run. Anything to change, or any doubt, and the module runs as it always does.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

from ansible.plugins.action import ActionBase
from ansible.utils.vars import merge_hash

# Only what planning needs: the module's own imports (python-ldap among them) would cost every play that loads this.
from ansible_collections.mailops.mailbox.plugins.module_utils._engine.departments import unchanged
from ansible_collections.mailops.mailbox.plugins.module_utils._module.roster_input import read_roster_departments


class ActionModule(ActionBase):
    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ActionModule, self).run(tmp, task_vars)
        known = self._task.args.get('directory_roster_file')
        if known and not self._task.async_val and self._files_are_here(known):
            items = self._wanted()
            if items is not None and unchanged_against(items, known):
                result.update(changed=False, created=[], updated=[], deleted=[], planned_from=known)
                if self._task.diff:
                    result['diff'] = []
                return result
        wrap_async = self._task.async_val and not self._connection.has_native_async
        result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _files_are_here(self, known):
        """The module reads its files on the host it runs on: the controller reads the same ones only
        when that host is the controller itself, and a relative path is the module's to resolve."""
        roster = self._task.args.get('departments_file')
        paths = [known, roster] if roster else [known]
        return getattr(self._connection, 'transport', None) == 'local' and all(
            isinstance(path, str) and os.path.isabs(path) for path in paths)

    def _wanted(self):
        """The department dicts the task ensures, or None when only the module can tell (one ``name``)."""
        args = self._task.args
        if args.get('departments_file'):
            try:
                return read_roster_departments(args['departments_file'])
            except ValueError:
                return None  # the module says what is wrong with the file
        departments = args.get('departments')
        return departments if isinstance(departments, list) else None


def unchanged_against(items, directory_roster_file):
    """Whether ensuring the department dicts ``items`` changes nothing in a directory whose departments
    are those of ``directory_roster_file``, a roster file of the directory as mailops.mailbox.snapshot
    wrote it (``roster_path``) from the read it had just made. False on any doubt (bad items, a file
    that cannot be read or was altered), so that the module reads the directory itself."""
    try:
        return unchanged(items, read_roster_departments(directory_roster_file))
    except ValueError:
        return False
