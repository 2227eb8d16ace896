# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.doc_fragments.http_connection import http_suboptions


class ModuleDocFragment(object):
    # The connection options of the exmail backend (Tencent Exmail).
    DOCUMENTATION = r'''
requirements:
  - requests >= 2.31 (for O(backend=exmail) and O(backend=graph))
options:
  exmail:
    description:
      - Connection to Tencent Exmail (腾讯企业邮) through its contact-management API (通讯录管理), used when
        O(backend=exmail).
      - A user's C(email) is its C(userid); C(name), C(department) (a department id), C(title) (C(position)),
        C(employee_id) (C(extid)), C(mobile), C(aliases) (C(slaves), at most 5) and C(state) (C(enable)) map one
        to one. A new user's password is set with C(cpwd_login=1), so the person sets their own at first login.
      - Exmail cannot give a password back, so C(update_password=always) is refused; departments have no
        description; a user's department must exist in Exmail (the department module creates it).
      - Set it once for every module of this collection with C(module_defaults) and the action group
        C(group/mailops.mailbox.all).
    type: dict
    suboptions:
      corp_id:
        description:
          - The organisation's CorpID (企业ID), shown in the Exmail admin console.
        type: str
        required: true
      corp_secret:
        description:
          - The secret of the contact-management application (通讯录管理 Secret).
          - Read from the environment variable E(MAILBOX_EXMAIL_SECRET) when omitted.
        type: str
      api_url:
        description:
          - Base URL of the API.
        type: str
        default: https://api.exmail.qq.com/cgi-bin
      max_in_flight:
        description:
          - How many user writes are sent at once. Exmail limits the call frequency (errcode 45009, retried with
            backoff), so keep it small.
        type: int
        default: 4
'''


# The HTTP options close the suboptions (see http_connection.py for why they are added here).
ModuleDocFragment.DOCUMENTATION += http_suboptions(
    'exmail', token_url=False, exposed='secret, the access token and every new password')
