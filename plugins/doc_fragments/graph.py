# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.doc_fragments.http_connection import http_suboptions


class ModuleDocFragment(object):
    # The connection options of the graph backend (Microsoft 365).
    DOCUMENTATION = r'''
options:
  graph:
    description:
      - Connection to Microsoft 365 through Microsoft Graph, used when O(backend=graph), as an Entra app
        registration with the C(User.ReadWrite.All) application permission (client credentials).
      - A user's C(email) is its C(userPrincipalName) (C(mailNickname) the local part); C(name) is
        C(displayName) (C(givenName) and C(surname) derived from it), C(department), C(title) (C(jobTitle)),
        C(employee_id) (C(employeeId)), C(mobile) (C(mobilePhone)), C(state) (C(accountEnabled)). A new user's
        password has C(forceChangePasswordNextSignIn).
      - Graph cannot give a password back, so C(update_password=always) is refused. Aliases (C(proxyAddresses))
        are read-only in Graph (Exchange Online manages them); they are read and compared, never written, and a
        roster whose aliases differ gets one warning listing the users. Departments are only the users'
        C(department) text, so the department module writes nothing for this backend.
      - Set it once for every module of this collection with C(module_defaults) and the action group
        C(group/mailops.mailbox.all).
    type: dict
    suboptions:
      tenant_id:
        description:
          - The directory (tenant) ID of the organisation.
        type: str
        required: true
      client_id:
        description:
          - The application (client) ID of the app registration.
        type: str
        required: true
      client_secret:
        description:
          - A client secret of the app registration.
          - Read from the environment variable E(MAILBOX_GRAPH_CLIENT_SECRET) when omitted.
        type: str
      api_url:
        description:
          - Base URL of Microsoft Graph.
        type: str
        default: https://graph.microsoft.com/v1.0
      token_url:
        description:
          - The OAuth2 token endpoint. Defaults to C(https://login.microsoftonline.com/<tenant_id>/oauth2/v2.0/token).
        type: str
      usage_location:
        description:
          - Two-letter country code set as C(usageLocation) on new users; required by Microsoft 365 before a
            licence can be assigned.
        type: str
      license_sku:
        description:
          - The C(skuId) of a licence assigned to every new user with C(assignLicense). No licence when omitted.
        type: str
'''


# The HTTP options close the suboptions (see http_connection.py for why they are added here).
ModuleDocFragment.DOCUMENTATION += http_suboptions(
    'graph', token_url=True, exposed='client secret, the access token and every new password')
