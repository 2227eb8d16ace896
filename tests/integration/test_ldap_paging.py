# -*- coding: utf-8 -*-
"""The LDAP connection's paged search against the harness's slapd: every entry across pages, with
each next page asked for ahead, and a search left early abandons the page asked for ahead."""

import ldap

from ansible_collections.mailops.mailbox.plugins.module_utils._providers import ldap_connection
from tests.integration.test_directory_guards import add_as_root, provider_for


def test_a_paged_search_gives_every_entry_once_and_one_left_early_leaves_the_connection_usable(clean_lab, monkeypatch):
    for number in range(7):
        add_as_root(clean_lab, "uid=paged%d,%s" % (number, clean_lab.slapd.users_dn), dict(
            objectClass=["inetOrgPerson"], uid="paged%d" % number, cn="Paged %d" % number, sn="Paged",
            mail="paged%d@example.org" % number))
    root = clean_lab.slapd.connect()
    try:
        expected = sorted(dn for dn, _attrs in root.search_s(clean_lab.slapd.base_dn, ldap.SCOPE_SUBTREE))
    finally:
        root.unbind_s()
    # Pages of 2: the 7 users and the tree's other entries take several, each asked for ahead.
    monkeypatch.setattr(ldap_connection, "PAGE_SIZE", 2)
    provider = provider_for(clean_lab)
    with provider:
        search = provider.connection.search
        found = [dn for dn, _attrs in search(clean_lab.slapd.base_dn, "(objectClass=*)", ["1.1"])]
        assert sorted(found) == expected and len(found) > 9
        early = search(clean_lab.slapd.base_dn, "(objectClass=*)", ["1.1"])
        assert next(early)[0] in expected
        early.close()  # the page asked for ahead is abandoned
        users = [dn for dn, attrs in search(clean_lab.slapd.users_dn, "(uid=paged*)", ["mail"])]
        assert sorted(users) == sorted("uid=paged%d,%s" % (n, clean_lab.slapd.users_dn) for n in range(7))
