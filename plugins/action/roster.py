# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""mailops.mailbox.roster: import template -> roster vars file + ansible-vault file of initial passwords.

An action plugin, so that it runs on the controller and encrypts with the vault secret the play
itself was started with. The work is in module_utils/_template (pure); this file reads and
writes the files, and never holds a password in a file, a result or a message in clear.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import tempfile

from ansible.module_utils.basic import missing_required_lib

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import draining
from ansible_collections.mailops.mailbox.plugins.module_utils._template.options import ROSTER_ARGUMENT_SPEC
from ansible_collections.mailops.mailbox.plugins.module_utils._template.missing import MissingLibrary
from ansible_collections.mailops.mailbox.plugins.module_utils._template.read import (
    delimiter_option, file_sha256, max_rows_option, read_template,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import (
    render_roster, roster_comments, write_passwords, write_roster,
)
from ansible_collections.mailops.mailbox.plugins.module_utils._template.roster import Settings, build_roster
from ansible_collections.mailops.mailbox.plugins.plugin_utils._vault_stream import TextSink, VaultSink
from ansible_collections.mailops.mailbox.plugins.plugin_utils._controller_action import (
    ControllerAction, PlayVault, RosterFailed, read_roster, read_text,
)

PROBLEM_KEYS = ('row', 'column', 'value', 'message')
# The message lists this many problems; the ``problems`` result has all of them.
MESSAGE_PROBLEMS = 20
ROSTER_MODE = 0o644
PASSWORDS_MODE = 0o600


class ActionModule(ControllerAction):
    argument_spec = ROSTER_ARGUMENT_SPEC

    def work(self, args):
        return generate(args, self._loader._vault.secrets, check_mode=self._task.check_mode, diff=self._task.diff)


def generate(args, vault_secrets, check_mode=False, diff=False):
    """The task's work, given its validated options and the play's vault secrets: the result, or RosterFailed."""
    paths = _Paths(args)
    try:
        settings = Settings(args['domain'], email_format=args['email_format'], leavers=args['leavers'],
                            password_policy=args['password_policy'], extra_columns=args['extra_columns'],
                            departments=args['departments'], source=args['source'])
        delimiter = delimiter_option(args['delimiter'])
        max_rows = max_rows_option(args['max_rows'])
        if args['list_limit'] < 0:
            raise ValueError('list_limit: must be 0 or more, not %d' % args['list_limit'])
    except ValueError as exc:
        raise RosterFailed(str(exc))
    vault = PlayVault(vault_secrets, args['vault_id'])
    table = _read_template(paths.src, args['sheet'], args['encoding'], delimiter, max_rows)
    previous = _read_previous(paths.previous, args['previous'] is not None)
    existing = _ExistingPasswords(vault.open_passwords(paths.passwords_dest))
    built = _build(table, settings, previous, existing.read)
    previous = None
    # Compared as text, so that a file an older version wrote (passwords not tagged !unsafe) is
    # written again once, in the form Ansible never templates.
    existing_digest = existing.digest

    comments = roster_comments(os.path.basename(paths.src), table.sha256, built.row_count)
    old_digest = file_sha256(paths.dest) if os.path.exists(paths.dest) else None
    old_text = read_text(paths.dest, 'dest') if diff else None
    users = len(built.roster['users'])
    diff_after = None

    def write(sink):
        write_roster(sink, built.roster, comments)

    def write_secrets(sink):
        write_passwords(sink, built.passwords)

    # Both files are streamed to temporary files next to them (in check mode only hashed):
    # 100,000 users are 25 MB of roster text and 24 MB of vault text that never sit in memory.
    if existing_digest is None:  # no passwords file yet: nothing to compare with
        passwords_changed = True
    else:
        sink = TextSink()
        write_secrets(sink)
        passwords_changed = sink.close() != existing_digest
    if check_mode:
        sink = TextSink()
        write(sink)
        roster_changed = sink.close() != old_digest
        if diff and roster_changed:
            diff_after = render_roster(built.roster, os.path.basename(paths.src), table.sha256, built.row_count)
    else:
        staged = _Staged(paths.dest, write, ROSTER_MODE, 'dest')
        roster_changed = staged.digest != old_digest
        if not roster_changed:
            staged.discard()
        elif diff:
            diff_after = render_roster(built.roster, os.path.basename(paths.src), table.sha256, built.row_count)
        # In its file, the roster need not wait in memory while the passwords are encrypted.
        built.roster = None
        # The passwords first: a roster that lists users whose passwords were not saved would
        # create them without one.
        if passwords_changed:
            try:
                _Staged(paths.passwords_dest, write_secrets, PASSWORDS_MODE, 'passwords_dest',
                        sink=lambda handle: VaultSink(handle, vault.secret, vault.vault_id)).put_in_place()
            except RosterFailed:
                staged.discard()
                raise
        if roster_changed:
            staged.put_in_place(already='the passwords file was written' if passwords_changed else None)

    # Written (or hashed): the passwords leave memory before the result is made and sent.
    built.passwords = None
    result = dict(built.reported(args['list_limit']), changed=roster_changed or passwords_changed, users=users,
                  dest=paths.dest, passwords_dest=paths.passwords_dest, source=built.source,
                  ignored_columns=built.ignored_columns)
    if built.warnings:
        result['warnings'] = built.warnings
    if check_mode:
        result['roster'] = dict(built.roster, users=list(built.roster['users']))
    if diff_after is not None:
        result['diff'] = dict(before_header=paths.dest, after_header=paths.dest, before=old_text or '',
                              after=diff_after)
    return result


class _ExistingPasswords:
    """The passwords file as it is (a VaultFile, or None when there is none yet): ``read()`` gives
    its ``{email: Secret}``, decrypted and parsed as it is read, when the roster's builder asks for
    them (once the previous roster has left memory); ``digest`` is then the SHA-256 of its text."""

    def __init__(self, vault_file):
        self.file = vault_file
        self.digest = None

    def read(self):
        if self.file is None:
            return {}
        passwords = self.file.passwords()
        self.digest = self.file.sha256
        return passwords


class _Paths:
    """The files of one run, absolute (relative paths are from the directory ansible-playbook runs in)."""

    def __init__(self, args):
        self.src = os.path.abspath(args['src'])
        # Written files: follow a symlink, so that the link stays and its target is replaced.
        self.dest = os.path.realpath(args['dest'])
        self.passwords_dest = os.path.realpath(args['passwords_dest'])
        self.previous = os.path.abspath(args['previous']) if args['previous'] else self.dest
        named = (('src', os.path.realpath(self.src)), ('dest', self.dest), ('passwords_dest', self.passwords_dest))
        for index, (name, path) in enumerate(named):
            for other, other_path in named[index + 1:]:
                if path == other_path:
                    raise RosterFailed('%s and %s are the same file (%s)' % (name, other, path))
        for name, path in named[1:]:
            if not os.path.isdir(os.path.dirname(path)):
                raise RosterFailed('%s: the directory %s does not exist' % (name, os.path.dirname(path)))


def _read_template(src, sheet, encoding, delimiter, max_rows):
    """The template, its rows read as the roster is built from them."""
    try:
        return read_template(src, source_name=os.path.basename(src), sheet=sheet, encoding=encoding,
                             delimiter=delimiter, max_rows=max_rows, stream=True)
    except MissingLibrary as exc:
        raise RosterFailed(missing_required_lib(exc.library), exception=exc.import_error)
    except (IOError, OSError) as exc:
        raise RosterFailed('src: cannot read %s: %s' % (src, exc.strerror or exc))


def _read_previous(path, given):
    if not os.path.exists(path):
        if given:
            raise RosterFailed('previous: %s does not exist' % path)
        return None
    previous = read_roster(path, 'previous')
    # The builder keeps each previous user as an entry: the raw dicts go as they are taken, and
    # 100,000 of both never live together (about 100 MB).
    previous['users'] = draining(previous['users'])
    return previous


def _build(table, settings, previous, existing_passwords):
    try:
        built = build_roster(table, settings, previous, existing_passwords)
    except MissingLibrary as exc:
        raise RosterFailed(missing_required_lib(exc.library), exception=exc.import_error)
    if built.problems:
        problems = [dict((key, problem.as_dict()[key]) for key in PROBLEM_KEYS) for problem in built.problems]
        lines = [problem.describe('row {row}') for problem in built.problems[:MESSAGE_PROBLEMS]]
        if len(built.problems) > MESSAGE_PROBLEMS:
            lines.append('... and %d more (see problems)' % (len(built.problems) - MESSAGE_PROBLEMS))
        raise RosterFailed('%d problem%s in the template %s, nothing was written:\n- %s'
                           % (len(problems), '' if len(problems) == 1 else 's', table.source_name, '\n- '.join(lines)),
                           problems=problems)
    return built


def _write_atomically(path, data, new_mode, option, already=None):
    """Write through a temporary file in the same directory (created 0600 by mkstemp), then rename,
    so that no reader ever sees half a file and no clear text is ever world-readable."""
    _Staged(path, lambda sink: sink.write_bytes(data), new_mode, option, already).put_in_place(already)


class _Staged:
    """The text ``write(sink)`` gives, written as it comes to a temporary file beside ``path``
    (created 0600 by mkstemp) and hashed (``digest``); ``put_in_place`` renames it over ``path``
    (keeping the mode ``path`` has), ``discard`` removes it. ``sink(handle)`` makes what takes
    the text (by default as UTF-8; ``VaultSink`` encrypts it)."""

    def __init__(self, path, write, new_mode, option, already=None, sink=None):
        self.path, self.option = path, option
        self.mode = os.stat(path).st_mode & 0o7777 if os.path.exists(path) else new_mode & ~_umask()
        self.temp = None
        try:
            fd, self.temp = tempfile.mkstemp(prefix='.%s.' % os.path.basename(path), suffix='.tmp',
                                             dir=os.path.dirname(path))
            with os.fdopen(fd, 'wb') as handle:
                sink = (sink or TextSink)(handle)
                write(sink)
                self.digest = sink.close()
                handle.flush()
                os.fsync(handle.fileno())
        except (IOError, OSError) as exc:
            self.discard()
            raise _cannot_write(option, path, exc, already)

    def put_in_place(self, already=None):
        try:
            os.chmod(self.temp, self.mode)
            os.rename(self.temp, self.path)
        except (IOError, OSError) as exc:
            self.discard()
            raise _cannot_write(self.option, self.path, exc, already)
        self.temp = None

    def discard(self):
        if self.temp is not None and os.path.exists(self.temp):
            os.unlink(self.temp)
        self.temp = None


def _cannot_write(option, path, exc, already):
    done = ' (%s; a re-run completes the work)' % already if already else ''
    return RosterFailed('%s: cannot write %s: %s%s' % (option, path, exc.strerror or exc, done), changed=bool(already))


def _umask():
    mask = os.umask(0o077)
    os.umask(mask)
    return mask
