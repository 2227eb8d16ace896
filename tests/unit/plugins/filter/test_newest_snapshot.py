# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.filter.newest_snapshot import FilterModule

newest_snapshot = FilterModule().filters()['newest_snapshot']


def test_the_newest_stamp_wins_and_other_files_never_do():
    paths = ['/b/20260101T000000000001Z.ldif', '/b/20260102T000000000000Z.json', '/b/pre-migration.ldif',
             '/b/zz-notes.ldif', '/b/20260103T000000000000Z.roster.yml', '/b/20260104T000000Z.ldif',
             '/b/.snapshot-x.tmp']
    assert newest_snapshot(paths) == '/b/20260102T000000000000Z.json'


def test_no_snapshot_is_an_empty_string():
    assert newest_snapshot(['/b/pre-migration.ldif']) == '' and newest_snapshot([]) == ''
