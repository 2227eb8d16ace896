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


def new_module(argument_spec, **kwargs):
    spec = backend_argument_spec()
    spec.update(argument_spec)
    required_if = BACKEND_REQUIRED_IF + kwargs.pop('required_if', [])
    return AnsibleModule(argument_spec=spec, supports_check_mode=True, required_if=required_if, **kwargs)


def fail_problems(module, exc, **result):
    """Fail with the one message listing every problem, and the problems as data."""
    module.fail_json(msg=str(exc), problems=[p.as_dict() for p in exc.problems], **result)
