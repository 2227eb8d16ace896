# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.doc_fragments.http_connection import http_suboptions


class ModuleDocFragment(object):
    # The connection options of the google backend (Google Workspace).
    DOCUMENTATION = r'''
requirements:
  - requests (for O(backend=google))
  - cryptography (for O(backend=google), to sign the service account's JWT)
options:
  google:
    description:
      - Connection to Google Workspace through the Admin SDK Directory API, used when O(backend=google), as a
        service account with domain-wide delegation of the scopes
        C(https://www.googleapis.com/auth/admin.directory.user) and
        C(https://www.googleapis.com/auth/admin.directory.orgunit) (and no other), acting for an administrator.
      - A user's C(email) is its C(primaryEmail); C(name) gives C(name.familyName) and C(name.givenName);
        C(department) and C(title) are those of the primary entry of C(organizations), and the department is
        also the user's org unit (C(orgUnitPath)); C(employee_id) is the C(externalIds) entry of type
        C(organization), C(mobile) the C(phones) entry of type C(mobile); C(aliases) are the user's aliases;
        C(state=disabled) is C(suspended). A new user gets C(changePasswordAtNextLogin) and its password as a
        SHA-512-crypt hash (C(hashFunction=crypt)), so no clear password leaves the controller.
      - Departments are org units, created parents first by the department module.
      - Google cannot give a password back, so C(update_password=always) is refused; a restore re-creates a
        deleted user with a new initial password.
      - Set it once for every module of this collection with C(module_defaults) and the action group
        C(group/mailops.mailbox.all).
    type: dict
    suboptions:
      customer:
        description:
          - The Google Workspace customer ID; V(my_customer) is the admin's own account.
        type: str
        default: my_customer
      admin_subject:
        description:
          - The email of the administrator the service account acts for (the JWT's C(sub)).
        type: str
        required: true
      service_account_file:
        description:
          - The path of the service account's JSON key file, or the key's JSON itself. It is never logged.
          - Read from the environment variable E(MAILBOX_GOOGLE_SERVICE_ACCOUNT) when omitted.
        type: str
      api_url:
        description:
          - Base URL of the Directory API.
        type: str
        default: https://admin.googleapis.com/admin/directory/v1
      token_url:
        description:
          - The OAuth2 token endpoint (also the JWT's audience). Defaults to the key file's C(token_uri), else
            C(https://oauth2.googleapis.com/token).
        type: str
      max_in_flight:
        description:
          - How many user writes are sent at once (1 to 20). Google throttles per user and per project, and throttled
            requests are retried with exponential backoff.
        type: int
        default: 4
'''


# The HTTP options close the suboptions (see http_connection.py for why they are added here).
ModuleDocFragment.DOCUMENTATION += http_suboptions(
    'google', token_url=True, exposed='signed assertion and the access token')
