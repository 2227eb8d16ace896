# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The connection options of the ldap backend.
    DOCUMENTATION = r'''
options:
  ldap:
    description:
      - Connection to the directory, used when O(backend=ldap).
      - Set it once for every module of this collection with C(module_defaults) and the action group
        C(group/mailops.mailbox.all).
    type: dict
    suboptions:
      server_uri:
        description:
          - URI of the directory server, for example V(ldaps://ldap.example.org) or V(ldap://127.0.0.1:389).
        type: str
        required: true
      bind_dn:
        description:
          - DN to bind as. Use a provisioning account that may write only below O(ldap.users_dn) and
            O(ldap.departments_dn), not the directory's root DN.
          - Anonymous when omitted (an anonymous search is usually capped at a few hundred entries).
        type: str
      bind_pw:
        description:
          - Password of O(ldap.bind_dn).
          - Read from the environment variable E(MAILBOX_LDAP_BIND_PW) when omitted.
        type: str
      base_dn:
        description:
          - Base DN of the directory, for example V(dc=example,dc=org).
        type: str
        required: true
      users_dn:
        description:
          - Where user entries live, flat, as C(uid=<local part>,<users_dn>) (a DN that stays stable when a
            person changes department). Created as an organizational unit if missing.
          - Defaults to C(ou=people,<base_dn>).
        type: str
      departments_dn:
        description:
          - Where department organizational units live. Defaults to C(ou=departments,<base_dn>).
        type: str
      start_tls:
        description:
          - Upgrade a V(ldap://) connection with StartTLS before binding.
        type: bool
        default: false
      validate_certs:
        description:
          - Verify the server's TLS certificate and host name (V(ldaps://) or O(ldap.start_tls)).
          - Only set to V(false) for a lab, as the bind password crosses the connection.
        type: bool
        default: true
      allow_plaintext:
        description:
          - Allow plain V(ldap://) without O(ldap.start_tls) to a host other than this machine. The bind password
            and every new password would cross the network in clear, so it is refused unless this is set.
          - Loopback (V(127.0.0.1), V(::1), V(localhost)) and V(ldapi://) are always allowed.
        type: bool
        default: false
      ca_path:
        description:
          - A PEM file of CA certificates, or a hashed certificate directory, to verify the server with.
            The system's trust store is used when omitted.
        type: path
      timeout:
        description:
          - Seconds to wait for the connection and for each operation before failing.
        type: int
        default: 30
      profile:
        description:
          - Attribute mapping. C(inetorgperson) stores a user as an C(inetOrgPerson) entry with C(mail) (the
            email, then the aliases), C(uid) (the local part), C(cn) and C(displayName) (the name), C(sn) and
            C(givenName), C(title), C(ou) (the department), C(employeeNumber), C(mobile) and a C({CRYPT})
            C(userPassword).
          - A disabled user keeps its entry and mailbox; its password carries the lock marker C({CRYPT}!...)
            so every bind (and so every IMAP, POP3 or SMTP login through the directory) fails, and enabling
            it restores the old password. Where the server offers ppolicy, C(pwdAccountLockedTime) is set too.
        type: str
        choices: [inetorgperson]
        default: inetorgperson
      password_scheme:
        description:
          - Hash scheme for new passwords, stored as C({CRYPT}).
        type: str
        choices: [sha512_crypt, sha256_crypt]
        default: sha512_crypt
      password_rounds:
        description:
          - Rounds of the hash. 5000 is glibc's and C(doveadm pw)'s default; the server re-computes the hash at
            every login, so a high count costs CPU on every IMAP login.
        type: int
        default: 5000
requirements:
  - python-ldap >= 3.4 (for O(backend=ldap))
  - libpass >= 1.9 or passlib >= 1.7 (password hashes)
'''
