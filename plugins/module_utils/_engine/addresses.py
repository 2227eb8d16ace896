# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""An address (email or alias) belongs to exactly one entry in the whole directory (pure)."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Problem


def address_problems(desired, current):
    """Problems for desired emails and aliases that another user of the directory holds now.

    ``current`` must be every user of the directory (their emails and aliases), not only the listed
    ones: an alias of someone outside the roster is as taken as any other address. An address that
    the roster moves away from its present holder in the same run (that holder is listed without
    it, or is being deleted) is free.
    """
    listed = dict((user.email, user) for user in desired)
    owner = {}
    for user in current:
        wanted = listed.get(user.email)
        if wanted is not None and wanted.state == 'absent':
            continue
        aliases = user.fields.get('aliases') or []
        if wanted is not None and 'aliases' in wanted.fields:
            aliases = [a for a in aliases if a in (wanted.fields.get('aliases') or [])]  # the rest it gives up
        for address in [user.email] + list(aliases):
            owner[address.lower()] = user.email
    problems = []
    for user in desired:
        if user.state == 'absent':
            continue
        for column, address in [('email', user.email)] + [('aliases', a) for a in user.fields.get('aliases') or []]:
            holder = owner.get(address)
            if holder is not None and holder != user.email:
                problems.append(Problem(user.index, column, '"%s" already belongs to %s in the directory'
                                        % (address, holder), value=address, email=user.email))
    return problems
