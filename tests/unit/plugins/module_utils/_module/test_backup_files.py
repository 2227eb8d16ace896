# -*- coding: utf-8 -*-
"""Which files of a backup directory are snapshots, their order, and the roster copy's text."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os

import yaml

from ansible_collections.mailops.mailbox.plugins.module_utils._module import backup_files


def touch(directory, *names):
    for name in names:
        (directory / name).write_text("x")


def test_only_stamped_snapshots_count_newest_first(tmp_path):
    touch(tmp_path, "20260101T000000000001Z.ldif", "20251231T235959999999Z.ldif", "20260102T000000000000Z.ldif",
          "pre-migration.ldif", "zz.ldif", "20260103T000000000000Z.roster.yml", ".snapshot-x.tmp",
          "20260104T000000Z.ldif")
    assert backup_files.snapshots_newest_first(str(tmp_path)) == [
        "20260102T000000000000Z.ldif", "20260101T000000000001Z.ldif", "20251231T235959999999Z.ldif"]


def test_rotation_removes_old_snapshots_with_their_copies_and_nothing_else(tmp_path):
    touch(tmp_path, "20260101T000000000000Z.ldif", "20260101T000000000000Z.roster.yml",
          "20260102T000000000000Z.ldif", "20260103T000000000000Z.ldif", "20260103T000000000000Z.roster.yml",
          "pre-migration.ldif")
    taken = str(tmp_path / "20260103T000000000000Z.ldif")
    assert backup_files.beyond_keep(str(tmp_path), 2, taken) == [
        str(tmp_path / "20260101T000000000000Z.ldif"), str(tmp_path / "20260101T000000000000Z.roster.yml")]
    assert backup_files.beyond_keep(str(tmp_path), 5, taken) == []


def test_rotation_never_removes_the_snapshot_just_taken(tmp_path):
    """A clock set back gives the new snapshot the oldest stamp: it is kept all the same."""
    touch(tmp_path, "20260101T000000000000Z.ldif", "20260102T000000000000Z.ldif", "20250101T000000000000Z.ldif")
    taken = str(tmp_path / "20250101T000000000000Z.ldif")
    assert backup_files.beyond_keep(str(tmp_path), 1, taken) == [
        str(tmp_path / "20260102T000000000000Z.ldif"), str(tmp_path / "20260101T000000000000Z.ldif")]
    # A snapshot named otherwise is not one of the counted ones: keep counts the stamped ones.
    assert backup_files.beyond_keep(str(tmp_path), 1, str(tmp_path / "manual.ldif")) == [
        str(tmp_path / "20260101T000000000000Z.ldif"), str(tmp_path / "20250101T000000000000Z.ldif")]


def test_roster_copy_is_private_and_tags_every_directory_string(tmp_path):
    hostile = u"{{ lookup('pipe', 'id') }}"
    roster = dict(domain="example.org", departments=[dict(name=u"{% raw %}", parent=None)],
                  users=[dict(email="a@example.org", name=hostile, department=u"{% raw %}", title="1001",
                              employee_id=None, mobile=None, aliases=["b@example.org"], state="present")])
    path = tmp_path / "20260101T000000000000Z.roster.yml"
    backup_files.write_roster_copy(str(path), roster, "20260101T000000000000Z.ldif")
    assert oct(os.stat(path).st_mode & 0o777) == "0o600"
    text = path.read_text()
    assert "20260101T000000000000Z.ldif" in text.splitlines()[0]

    class Loader(yaml.SafeLoader):
        pass

    Loader.add_constructor("!unsafe", lambda loader, node: ("UNSAFE", loader.construct_scalar(node)))
    user = yaml.load(text, Loader=Loader)["mailbox_roster"]["users"][0]
    assert user["name"] == ("UNSAFE", hostile) and user["title"] == "1001"
    assert user["aliases"] == [("UNSAFE", "b@example.org")]
    assert not [name for name in os.listdir(str(tmp_path)) if name.endswith(".tmp")]


def test_roster_copy_path_sits_beside_the_snapshot():
    assert backup_files.roster_copy_path("/b/20260101T000000000000Z.ldif") == "/b/20260101T000000000000Z.roster.yml"
