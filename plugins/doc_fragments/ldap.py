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
            O(ldap.users_dn)); an address another entry holds is refused, naming that entry, before any write.
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
            mode too); it is most often a mistyped O(ldap.base_dn), and creating it would put a second copy of
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
          - C(ad) (Active Directory, Samba AD) stores a user as a C(user) object C(CN=<sAMAccountName>) with
            C(sAMAccountName) (at most 20 characters from the local part; a name already taken in the domain
            gets a number, and an account keeps the name it was created with), C(userPrincipalName) and
            C(mail) (the email), C(proxyAddresses) (C(SMTP:) the email, C(smtp:) each alias), C(displayName),
            C(givenName) and C(sn), C(department), C(title), C(employeeID), C(mobile);
            C(userAccountControl) 512 (enabled) or 514 (disabled, other bits kept). Passwords go to
            C(unicodePwd) with C(pwdLastSet=0) (change at the first login), and only over C(ldaps://) or
            StartTLS; on plain LDAP a run with passwords to set fails before any write.
          - With C(ad), C(unicodePwd) cannot be read back, so O(ldap.password_scheme) and O(ldap.password_rounds)
            do not apply, C(update_password=always) is refused, and snapshots are JSON (users and departments,
            no passwords), and a restore re-creates a deleted user with a new initial password.
        type: str
        choices: [inetorgperson, ad]
        default: inetorgperson
      ou_per_department:
        description:
          - With O(ldap.profile=ad), place each user in its department's OU (below O(ldap.departments_dn), made
            by the department module) instead of O(ldap.users_dn); a user whose department changes is moved
            (modrdn with newSuperior). Users without a department stay in O(ldap.users_dn).
          - Refused with O(ldap.profile=inetorgperson), whose DNs stay stable below O(ldap.users_dn).
        type: bool
        default: false
      password_scheme:
        description:
          - Hash scheme for new passwords, stored as C({CRYPT}).
          - New hashes come from the C library's C(crypt(3)) (glibc or libxcrypt, through Python's C(crypt) module,
            or the C(crypt-r) package from Python 3.13 on), which is about three times faster than pure Python. Where
            no C crypt with SHA-crypt is found, libpass computes the same hashes. Stored hashes of other schemes
            (salted SHA, MD5-crypt, ...) are checked with libpass.
        type: str
        choices: [sha512_crypt, sha256_crypt]
        default: sha512_crypt
      password_rounds:
        description:
          - Rounds of the hash. 5000 is glibc's and C(doveadm pw)'s default; the server re-computes the hash at
            every login, so a high count costs CPU on every IMAP login.
          - At 5000 the hash leaves C(rounds=) out, as C(crypt(3)) writes it by default; a stored hash that spells
            C(rounds=5000) out is the same hash and verifies alike.
        type: int
        default: 5000
requirements:
  - python-ldap >= 3.4 (for O(backend=ldap))
  - libpass >= 1.9 or passlib >= 1.7 (checks stored password hashes; hashes new ones where the C library has no SHA-crypt)
  - crypt-r on Python 3.13 and later (the C library's crypt(3), which Python 3.12 and earlier carry as C(crypt))
'''
