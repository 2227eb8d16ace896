# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Plan a restore: the operations that make the directory's managed entries equal a snapshot (pure).

An entry is ``Entry(key, depth, dn, attrs)``: ``key`` the backend's canonical form of the DN,
``depth`` its number of RDNs, ``attrs`` ``{attribute: [value, ...]}`` of user attributes only.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import REDACTED, diff_text

SECRET_ATTRIBUTES = frozenset(('userpassword', 'unicodepwd'))
# The kind of an entry that lies outside the managed subtrees (users, departments, their containers).
OUTSIDE = 'outside'


class RestoreRefused(Exception):
    """The snapshot is refused as a whole, before any write."""


class Entry:
    __slots__ = ('key', 'depth', 'dn', 'attrs', 'kind')

    def __init__(self, key, depth, dn, attrs, kind='entry'):
        self.key = key
        self.depth = depth
        self.dn = dn
        self.attrs = attrs
        self.kind = kind


class RestoreOp:
    """``add`` (attrs: the whole entry), ``modify`` (attrs: ``{attribute: values or []}``), ``delete``."""

    __slots__ = ('action', 'entry', 'attrs', 'before')

    def __init__(self, action, entry, attrs=None, before=None):
        self.action = action
        self.entry = entry
        self.attrs = attrs
        self.before = before

    def diff(self):
        return dict(before_header=self.entry.dn, after_header=self.entry.dn,
                    before=diff_text(redact(self.before or {})), after=diff_text(redact(self._after())))

    def _after(self):
        if self.action == 'delete':
            return {}
        if self.action == 'add':
            return self.attrs
        after = dict(self.before or {})
        after.update(self.attrs)
        return dict((k, v) for k, v in after.items() if v)


def redact(attrs):
    """Attributes for a diff: secrets as ********, binary values as their size."""
    return dict((k, [REDACTED] if k.lower() in SECRET_ATTRIBUTES else [_shown(v) for v in values])
                for k, values in sorted(attrs.items()))


def _shown(value):
    return '<%d bytes>' % len(value) if isinstance(value, bytes) else value


def _folded(attrs):
    return dict((k.lower(), (k, v)) for k, v in attrs.items())


def attribute_changes(current, wanted):
    """``{attribute: values}`` that make ``current`` equal ``wanted`` ([] removes an attribute).
    Value order counts: the first ``mail`` is the primary address."""
    now, then = _folded(current), _folded(wanted)
    changes = {}
    for key, (name, values) in then.items():
        if key not in now or now[key][1] != values:
            changes[name] = values
    for key, (name, _values) in now.items():
        if key not in then:
            changes[name] = []
    return changes


def plan_restore(snapshot, current):
    """Operations, in a safe order: adds parents first, modifies, deletes children first.

    A snapshot holding an entry outside the managed subtrees was not written by this collection
    (or was altered since): RestoreRefused, whatever else it holds."""
    outside = sorted(e.dn for e in snapshot if e.kind == OUTSIDE)
    if outside:
        raise RestoreRefused('the snapshot holds %d entr%s outside users_dn and departments_dn, which a restore never '
                             'writes: %s%s. A snapshot of this collection holds none: it was altered, or taken with '
                             'other options. Nothing was changed.'
                             % (len(outside), 'y' if len(outside) == 1 else 'ies', ', '.join(outside[:5]),
                                ' and %d more' % (len(outside) - 5) if len(outside) > 5 else ''))
    wanted = dict((e.key, e) for e in snapshot)
    present = dict((e.key, e) for e in current)
    adds = [RestoreOp('add', e, attrs=e.attrs) for e in snapshot if e.key not in present]
    modifies = []
    for entry in snapshot:
        existing = present.get(entry.key)
        if existing is not None:
            changes = attribute_changes(existing.attrs, entry.attrs)
            if changes:
                modifies.append(RestoreOp('modify', existing, attrs=changes, before=existing.attrs))
    deletes = [RestoreOp('delete', e, before=e.attrs) for e in current if e.key not in wanted]
    adds.sort(key=lambda op: (op.entry.depth, op.entry.key))
    modifies.sort(key=lambda op: op.entry.key)
    deletes.sort(key=lambda op: (-op.entry.depth, op.entry.key))
    return adds + modifies + deletes


def summarise(ops):
    counts = {}
    for op in ops:
        name = '%s_%s' % (op.entry.kind, op.action)
        counts[name] = counts.get(name, 0) + 1
    return counts
