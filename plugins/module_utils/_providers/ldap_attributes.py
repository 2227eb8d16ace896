# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""How a directory profile writes a roster user's fields as attributes (pure), written once for
the ``inetorgperson`` profile (``ldap_profile.py``) and the ``ad`` one (``ldap_ad_profile.py``):
they differ only in their attribute table.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.names import split_name


class AttributeMap:
    """A profile's attribute table.

    ``simple``: ``(roster key, attribute)`` pairs for the keys one attribute holds.
    ``full_name``: the attributes holding the whole name (the name also feeds ``sn``/``givenName``).
    ``addresses``: ``(email, aliases) -> {attribute: values}``, the attributes that hold the aliases.
    ``state``: ``change -> {attribute: values}`` for a profile that stores the state in an
    attribute; None where the state lives elsewhere (the inetorgperson password lock).
    """

    def __init__(self, simple, full_name, addresses, state=None):
        self.simple = tuple(simple)
        self.full_name = tuple(full_name)
        self.addresses = addresses
        self.state = state

    def name_attributes(self, name):
        family, given = split_name(name)
        attrs = dict((attribute, [name]) for attribute in self.full_name)
        attrs.update(sn=[family or name], givenName=[given] if given else [])
        return attrs

    def new_entry(self, entry, attrs):
        """``attrs`` (the profile's own: object classes, naming, addresses) with the name and the
        simple attributes of a roster ``entry``; empty attributes are left out."""
        attrs = dict(attrs)
        attrs.update(self.name_attributes(entry['name']))
        for key, attribute in self.simple:
            if entry.get(key) not in (None, ''):
                attrs[attribute] = [entry[key]]
        return dict((k, v) for k, v in attrs.items() if v)

    def changes(self, change):
        """``{attribute: [values] or []}`` for the roster keys a change touches ([] removes)."""
        after = change.after
        simple = dict(self.simple)
        result = {}
        for key in change.changed_keys:
            if key == 'name':
                result.update(self.name_attributes(after['name']))
            elif key == 'aliases':
                result.update(self.addresses(after['email'], after['aliases']))
            elif key == 'state':
                if self.state is not None:
                    result.update(self.state(change))
            else:
                result[simple[key]] = [after[key]] if after.get(key) not in (None, '') else []
        return result
