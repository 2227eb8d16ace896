# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Backend selection and the connection options of every backend, documented once.
    DOCUMENTATION = r'''
options:
  backend:
    description:
      - The mail system to talk to.
      - C(ldap) is a directory such as OpenLDAP or 389-DS that Dovecot, Postfix and most on-premises mail
        servers read their users from.
    type: str
    choices: [ldap]
    default: ldap
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
          - Several URIs separated by spaces or commas are tried in turn; O(ldap.allow_plaintext) applies to each.
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
          - Every email and alias must be unique across the C(mail) values of all entries below it (and below
            O(ldap.users_dn)): an address another entry holds is refused, naming that entry, before any write.
        type: str
        required: true
      users_dn:
        description:
          - Where user entries live, flat, as C(uid=<local part>,<users_dn>) (a DN that stays stable when a
            person changes department). It must exist, unless O(ldap.create_containers=true).
          - Defaults to C(ou=people,<base_dn>).
        type: str
      departments_dn:
        description:
          - Where department organizational units live. Defaults to C(ou=departments,<base_dn>).
          - It must exist, unless O(ldap.create_containers=true).
        type: str
      create_containers:
        description:
          - Create O(ldap.users_dn) or O(ldap.departments_dn) as an organizational unit when a run would add
            a user or a department there and it does not exist.
          - When V(false), a missing container fails the task, naming it, before anything is written (in check
            mode too): it is most often a mistyped O(ldap.base_dn), and creating it would put a second copy of
            every user there.
        type: bool
        default: false
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
