# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What every module of the collection shares: its AnsibleModule (backend and connection options
included) and how input problems fail a task. Module files only declare options and documentation
and call one ``run_*`` function of this package."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule

from ansible_collections.mailops.mailbox.plugins.module_utils._connection_options import (
    BACKEND_REQUIRED_IF, backend_argument_spec,
)


def first_names(names, limit=20):
    """Up to ``limit`` of ``names`` joined for a warning, with ``...`` when some were left out."""
    names = list(names)
    return ', '.join(names[:limit] + (['...'] if len(names) > limit else []))


def summarised_invocation(params):
    """The module's arguments for a result: thousands of users summarised, not echoed back (a
    password put inline in a users item, which run_users refuses, is no option Ansible masks)."""
    args = dict((k, v) for k, v in params.items() if k not in ('users', 'passwords', 'passwords_text', 'password'))
    if isinstance(params.get('users'), list):
        args['users'] = '(%d users)' % len(params['users'])
    for key in ('passwords', 'passwords_text', 'password'):
        if params.get(key):
            args[key] = 'VALUE_SPECIFIED_IN_NO_LOG_PARAMETER'
    return dict(module_args=args)


def inline_passwords(items):
    """The values of every ``password`` key of a list of user items (text, as Ansible masks them)."""
    if not isinstance(items, list):
        return set()
    return set(str(item['password']) for item in items
               if isinstance(item, dict) and item.get('password') not in (None, ''))


class _Module(AnsibleModule):
    """An AnsibleModule whose own early failure does not echo the ``users`` list.

    An option Ansible refuses (a wrong choice or type) fails the task inside the constructor, before
    any code of ours runs, and the result echoes the raw options. A password put inline in a users
    item (which run_users refuses) is no option Ansible knows to mask, so the list is summarised.
    """

    _validated = False

    def __init__(self, *args, **kwargs):
        super(_Module, self).__init__(*args, **kwargs)
        self._validated = True

    def _log_invocation(self):
        """Ansible logs every invocation on the host (syslog or the journal) with the values of its
        ``no_log`` options masked. A ``password`` inside a ``users`` item is refused by validation,
        but only after this: so it is treated as a ``no_log`` sub-option here, its value masked too.
        (Declaring the items' keys as sub-options would let Ansible add every missing key as null,
        which means "clear it" in a roster.)"""
        self.no_log_values.update(inline_passwords(self.params.get('users')))
        super(_Module, self)._log_invocation()

    def fail_json(self, msg, **kwargs):
        if not self._validated and 'invocation' not in kwargs and isinstance(self.params.get('users'), list):
            kwargs['invocation'] = summarised_invocation(self.params)
        super(_Module, self).fail_json(msg, **kwargs)


def new_module(argument_spec, **kwargs):
    spec = backend_argument_spec()
    spec.update(argument_spec)
    required_if = BACKEND_REQUIRED_IF + kwargs.pop('required_if', [])
    return _Module(argument_spec=spec, supports_check_mode=True, required_if=required_if, **kwargs)


def fail_problems(module, exc, **result):
    """Fail with the one message listing every problem, and the problems as data."""
    module.fail_json(msg=str(exc), problems=[p.as_dict() for p in exc.problems], **result)
