# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""What the hosted mail backends (Exmail, Graph, Google) share: a ``RestClient`` (``_http.py``)
opened by fetching the first token, one cached listing of every user read per run, and JSON
snapshots named after the organisation they were taken of.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import abc

from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import Provider
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.json_snapshot import JsonSnapshots


class HostedProvider(JsonSnapshots, Provider):
    """A backend over one REST API. A subclass names its ``client_class`` (a ``RestClient``), the
    option that says what a snapshot is of (``scope_option``: the corp id, tenant, customer) and
    the field of a listed user that holds its email (``email_field``); it lists the users
    (``list_users``), turns one into a CurrentUser (``to_user``) and writes them (``write_users``)."""

    client_class = None
    scope_option = None
    email_field = None

    def __init__(self, options):
        self.options = options
        self.client = self.client_class(options)
        self.api_url = options['api_url']
        self._users = None

    def connect(self):
        # The first token is the login: wrong credentials fail here, before anything is read.
        self.client.token()

    def close(self):
        self.client.close()

    def snapshot_scope(self):
        return self.options[self.scope_option]

    # Reading -------------------------------------------------------------------------------

    @abc.abstractmethod
    def list_users(self):
        """Every user of the organisation as the API lists them (all pages)."""

    @abc.abstractmethod
    def to_user(self, email, item):
        """The CurrentUser of one listed user whose (lower-case) email is ``email``."""

    def _user_list(self):
        """The users as listed, read once and kept until the next write."""
        if self._users is None:
            self._users = self.list_users()
        return self._users

    def read_users(self, emails=None):
        users = []
        for item in self._user_list():
            email = str(item.get(self.email_field) or '').lower()
            if email and (emails is None or email in emails):
                users.append(self.to_user(email, item))
        return users

    # Writing -------------------------------------------------------------------------------

    @abc.abstractmethod
    def write_users(self, changes, stop_on_error):
        """``apply_users`` for this API: yields ``(change, error_or_None)``."""

    def apply_users(self, changes, stop_on_error=False):
        # What was read is out of date once this writes; after the writes the users are read
        # again (a restore checks what it did).
        self._users = None
        try:
            yield from self.write_users(changes, stop_on_error)
        finally:
            self._users = None
