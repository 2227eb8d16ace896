# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Backend selection; each backend's options dict is documented by its own fragment
    # (mailops.mailbox.ldap, mailops.mailbox.exmail, mailops.mailbox.graph, mailops.mailbox.google).
    DOCUMENTATION = r'''
options:
  backend:
    description:
      - The mail system to talk to.
      - C(ldap) is a directory such as OpenLDAP or 389-DS that Dovecot, Postfix and most on-premises mail
        servers read their users from; its connection is O(ldap).
      - C(exmail) is Tencent Exmail (腾讯企业邮) through its contact-management API; its connection is O(exmail).
      - C(graph) is Microsoft 365 through Microsoft Graph; its connection is O(graph).
      - C(google) is Google Workspace through the Admin SDK Directory API; its connection is O(google).
      - What a backend cannot do (for example C(update_password=always) where passwords cannot be read back)
        fails before anything is written, naming the backend and the option.
    type: str
    choices: [ldap, exmail, graph, google]
    default: ldap
'''
