# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Opening an LDAP connection (TLS, bind, timeouts) and the few operations the provider uses."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import collections
import os
import re
import threading
import traceback

from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError

LDAP_IMPORT_ERROR = None
try:
    import ldap
    import ldap.dn
    import ldap.filter
    from ldap.controls import SimplePagedResultsControl
except ImportError:
    LDAP_IMPORT_ERROR = traceback.format_exc()

PAGE_SIZE = 1000
# Writes in flight on one connection: enough to keep slapd busy, well under the pending-operation
# limit at which it drops a connection (conn_max_pending_auth, 1000 by default).
WINDOW = 64


def error_message(exc):
    """A readable message from a python-ldap exception: its description and the server's info."""
    details = exc.args[0] if exc.args and isinstance(exc.args[0], dict) else {}
    desc = details.get('desc') or exc.__class__.__name__
    info = details.get('info')
    return '%s (%s)' % (desc, info) if info else desc


class LdapConnection:
    """One bound connection. ``options`` is the module's ``ldap`` dict (bind_pw a Secret)."""

    def __init__(self, options):
        self.options = options
        self.conn = None

    def open(self):
        """Connect, StartTLS and bind, all within ``timeout`` seconds.

        libldap's own timeouts cover the TCP connect (OPT_NETWORK_TIMEOUT) and every answer we wait
        for (OPT_TIMEOUT, ``conn.timeout``), but not every TLS handshake: with GnuTLS (Debian's
        libldap 2.5) an ``ldaps://`` peer that accepts and never answers makes the handshake spin
        forever. So the whole opening runs in a worker thread that we wait for at most ``timeout``;
        a worker still stuck then is abandoned (a daemon thread: it ends with the module's process).
        """
        outcome = {}

        def work():
            try:
                outcome['conn'] = self._open()
            except BaseException as exc:  # handed to the caller's thread below
                outcome['error'] = exc

        worker = threading.Thread(target=work, name='ldap-open', daemon=True)
        worker.start()
        # A little grace, so that libldap's own, more precise timeout errors win when they fire.
        worker.join(self.options['timeout'] + 0.5)
        if worker.is_alive():
            raise ProviderError('%s did not complete the connection (TCP, TLS handshake and bind) within timeout=%ss'
                                % (self.options['server_uri'], self.options['timeout']))
        if 'error' in outcome:
            raise outcome['error']
        self.conn = outcome['conn']
        return self

    def _open(self):
        opts = self.options
        uri = opts['server_uri']
        try:
            conn = ldap.initialize(uri)
        except ldap.LDAPError as exc:
            raise ProviderError('server_uri "%s" is not usable: %s' % (uri, error_message(exc)))
        timeout = opts['timeout']
        conn.set_option(ldap.OPT_PROTOCOL_VERSION, 3)
        conn.set_option(ldap.OPT_REFERRALS, 0)
        conn.set_option(ldap.OPT_NETWORK_TIMEOUT, timeout)
        conn.set_option(ldap.OPT_TIMEOUT, timeout)
        conn.timeout = timeout
        tls = uri.lower().startswith('ldaps://') or opts['start_tls']
        if tls:
            self._configure_tls(conn)
        # libldap reports a failed TLS handshake only as a connect error, so say what to check.
        hint = ('; with TLS the server certificate must verify against ca_path (or the system trust store) and match '
                'the host name, unless validate_certs is false' if tls and opts['validate_certs'] else '')
        try:
            if opts['start_tls']:
                conn.start_tls_s()
            conn.simple_bind_s(opts['bind_dn'] or '', opts['bind_pw'].reveal() if opts['bind_pw'] else '')
        except ldap.INVALID_CREDENTIALS:
            raise ProviderError('cannot bind to %s as "%s": invalid credentials (check bind_dn and bind_pw)'
                                % (uri, opts['bind_dn'] or '(anonymous)'))
        except ldap.TIMEOUT:
            raise ProviderError('%s did not answer within timeout=%ss' % (uri, timeout))
        except ldap.SERVER_DOWN as exc:
            raise ProviderError('cannot reach %s: %s%s' % (uri, error_message(exc), hint))
        except ldap.CONNECT_ERROR as exc:
            raise ProviderError('cannot connect to %s: %s%s' % (uri, error_message(exc), hint))
        except ldap.LDAPError as exc:
            raise ProviderError('cannot bind to %s: %s' % (uri, error_message(exc)))
        return conn

    def _configure_tls(self, conn):
        opts = self.options
        conn.set_option(ldap.OPT_X_TLS_REQUIRE_CERT,
                        ldap.OPT_X_TLS_DEMAND if opts['validate_certs'] else ldap.OPT_X_TLS_NEVER)
        ca_path = opts.get('ca_path')
        if ca_path:
            if not os.path.exists(ca_path):
                raise ProviderError('ca_path "%s" does not exist' % ca_path)
            conn.set_option(ldap.OPT_X_TLS_CACERTDIR if os.path.isdir(ca_path) else ldap.OPT_X_TLS_CACERTFILE, ca_path)
        # libldap reads the TLS options above only when a new context is made, and it must be last.
        conn.set_option(ldap.OPT_X_TLS_NEWCTX, 0)

    def close(self):
        if self.conn is not None:
            try:
                self.conn.unbind_s()
            except ldap.LDAPError:
                pass
            self.conn = None

    def search(self, base, filterstr, attrs, scope=None, decode=True):
        """All entries below ``base`` in pages, as ``(dn, {attr: [str, ...]})`` (bytes unless
        ``decode``); none if base is missing.

        Each next page is asked for as soon as the current one has arrived, before its entries are
        handed out: the server prepares it while the caller works through this one."""
        scope = ldap.SCOPE_SUBTREE if scope is None else scope
        control = SimplePagedResultsControl(True, size=PAGE_SIZE, cookie='')
        msgid = self._search_page(base, scope, filterstr, attrs, control)
        try:
            while msgid is not None:
                try:
                    # result3 waits at most conn.timeout (the ``timeout`` option) for each page.
                    _rtype, data, _msgid, controls = self._call(lambda: self.conn.result3(msgid))
                except ldap.NO_SUCH_OBJECT:
                    msgid = None
                    return
                except ldap.LDAPError as exc:
                    msgid = None
                    raise ProviderError('search below "%s" failed: %s' % (base, error_message(exc)))
                cookies = [c.cookie for c in controls if c.controlType == SimplePagedResultsControl.controlType]
                msgid = None
                if cookies and cookies[0]:
                    control.cookie = cookies[0]
                    msgid = self._search_page(base, scope, filterstr, attrs, control)
                for dn, entry in data:
                    if dn is not None:  # None marks a search reference
                        yield dn, ({k: [v.decode('utf-8') for v in vals] for k, vals in entry.items()}
                                   if decode else entry)
        finally:
            if msgid is not None and self.conn is not None:
                # The caller stopped early: the page asked for ahead is not wanted.
                try:
                    self.conn.abandon(msgid)
                except ldap.LDAPError:
                    pass

    def _search_page(self, base, scope, filterstr, attrs, control):
        """Send the search for one page (``control`` holds the cookie); its message id."""
        try:
            return self._call(lambda: self.conn.search_ext(base, scope, filterstr, attrs, serverctrls=[control]))
        except ldap.LDAPError as exc:
            raise ProviderError('search below "%s" failed: %s' % (base, error_message(exc)))

    def exists(self, dn):
        try:
            self._call(lambda: self.conn.search_s(dn, ldap.SCOPE_BASE, '(objectClass=*)', ['1.1']))
            return True
        except ldap.NO_SUCH_OBJECT:
            return False

    def subschema_knows(self, attribute):
        """Whether the server's schema defines ``attribute`` (for example ppolicy's lock time)."""
        try:  # a lost connection or a timeout is a ProviderError from _call, not "no such attribute"
            root = self._call(lambda: self.conn.search_s('', ldap.SCOPE_BASE, '(objectClass=*)', ['subschemaSubentry']))
            subschema = root[0][1].get('subschemaSubentry', [b'cn=Subschema'])[0].decode('utf-8')
            schema = self._call(lambda: self.conn.search_s(subschema, ldap.SCOPE_BASE, '(objectClass=subschema)',
                                                           ['attributeTypes']))
        except ldap.LDAPError:
            return False
        needle = ("NAME '%s'" % attribute).lower().encode('utf-8')
        return any(needle in value.lower() for value in schema[0][1].get('attributeTypes', []))

    def add(self, dn, attrs):
        self.conn.add_s(dn, [(k, [_b(v) for v in vals]) for k, vals in attrs.items()])

    def modify(self, dn, mods):
        self.conn.modify_s(dn, [(op, attr, None if vals is None else [_b(v) for v in vals]) for op, attr, vals in mods])

    def delete(self, dn):
        self.conn.delete_s(dn)

    def rename(self, dn, rdn, new_superior):
        """Move ``dn`` below ``new_superior`` keeping its RDN (modrdn with newSuperior)."""
        self._call(lambda: self.conn.rename_s(dn, rdn, newsuperior=new_superior))

    def _submit(self, kind, dn, payload):
        if kind == 'add':
            return self.conn.add_ext(dn, [(k, [_b(v) for v in vals]) for k, vals in payload.items()])
        if kind == 'modify':
            return self.conn.modify_ext(dn, [(op, attr, None if vals is None else [_b(v) for v in vals])
                                             for op, attr, vals in payload])
        return self.conn.delete_ext(dn)

    def pipeline(self, requests, stop_on_error=False, settle=None):
        """Send ``(token, kind, dn, payload)`` writes with up to WINDOW in flight and yield
        ``(token, error_or_None)`` as each completes. ``settle(token, ldap_exception)`` may finish a
        refused write (an add that finds its entry already there) and returns what remains of the
        error, or None; without it the error is the exception. With ``stop_on_error`` nothing more is
        sent after an error that remains, but every write already sent is still waited for and reported.
        A lost connection or a timeout raises ProviderError, which says how many writes were sent
        but never confirmed (each of those was applied whole or not at all: LDAP writes are atomic
        per entry, and a re-run plans from what the directory then holds).

        When making the next request fails (a password that cannot be hashed), nothing more is
        sent, the writes in flight are still waited for and reported, and then that error is raised:
        the caller learns exactly what was written before it."""
        in_flight = collections.deque()
        stopped = False
        failure = None
        requests = iter(requests)
        while True:
            while not stopped and len(in_flight) < WINDOW:
                try:
                    request = next(requests, None)
                except Exception as exc:  # raised again once the writes already sent are accounted for
                    failure, request = exc, None
                if request is None:
                    stopped = True
                    break
                token, kind, dn, payload = request
                try:
                    in_flight.append((token, self._call(lambda: self._submit(kind, dn, payload))))
                except ProviderError as exc:
                    raise _unconfirmed(exc, len(in_flight))
            if not in_flight:
                if failure is not None:
                    raise failure
                return
            token, msgid = in_flight.popleft()
            try:
                self._call(lambda: self.conn.result3(msgid, all=1, timeout=self.options['timeout']))
            except ProviderError as exc:
                raise _unconfirmed(exc, len(in_flight) + 1)
            except ldap.LDAPError as exc:
                error = settle(token, exc) if settle else exc
                # Only a refusal that remains stops the run: a settled write is done.
                stopped = stopped or (stop_on_error and error is not None)
                yield token, error
                continue
            yield token, None

    def _call(self, operation):
        try:
            return operation()
        except ldap.SERVER_DOWN as exc:
            raise ProviderError('lost the connection to %s: %s' % (self.options['server_uri'], error_message(exc)))
        except ldap.TIMEOUT:
            raise ProviderError('%s did not answer within timeout=%ss' % (self.options['server_uri'],
                                                                          self.options['timeout']))


def _unconfirmed(exc, count):
    """The ProviderError of a lost connection, saying how many writes were sent but not answered."""
    if not count:
        return exc
    return ProviderError('%s (%d write%s sent before that %s not confirmed: each was applied in full or not at all)'
                         % (exc, count, '' if count == 1 else 's', 'was' if count == 1 else 'were'))


def _b(value):
    return value.encode('utf-8') if not isinstance(value, bytes) else value


# Pure functions of a DN, remembered for the run (a module run is one short process).
_PARSED, _DN_KEYS = {}, {}
# A DN of single-valued RDNs whose names and values hold only characters no DN form escapes or
# spaces around (most DNs are such): read without libldap's parser, with the same result.
_PLAIN_DN = re.compile(r'[A-Za-z][A-Za-z0-9-]*=[A-Za-z0-9._@-]+(?:,[A-Za-z][A-Za-z0-9-]*=[A-Za-z0-9._@-]+)*\Z')


def child_dn(attribute, value, parent_dn):
    """``attribute=value,parent_dn`` with the value escaped by python-ldap, never by formatting."""
    parent = _parsed(parent_dn)
    rdn = ldap.dn.dn2str([[(attribute, value, ldap.AVA_STRING)]])
    try:
        round_trips = ldap.dn.str2dn(rdn)[0][0][1] == value
    except ldap.DECODING_ERROR:  # "\n#" is written bare, and the result is no DN libldap reads
        round_trips = False
    if not round_trips:
        # libldap leaves a leading or trailing tab, CR or LF bare, and reads it back as blank space that
        # it drops: "a\n" would name "a". Every control character is written as a hex pair then (RFC 4514).
        escaped = re.sub(u'[\x01-\x1f\x7f]', lambda m: '\\%02x' % ord(m.group()), ldap.dn.escape_dn_chars(value))
        rdn = '%s=%s' % (attribute, escaped)
    return '%s,%s' % (rdn, parent) if parent else rdn


def _parsed(dn):
    """``dn`` as libldap writes it back (a few parent DNs, parsed once per run)."""
    if dn not in _PARSED:
        _PARSED[dn] = ldap.dn.dn2str(ldap.dn.str2dn(dn))
    return _PARSED[dn]


def rdn_value(dn):
    return ldap.dn.str2dn(dn)[0][0][1]


def parent_dn(dn):
    return ldap.dn.dn2str(ldap.dn.str2dn(dn)[1:])


def dn_depth(dn):
    """How many RDNs ``dn`` has."""
    return dn.count(',') + 1 if _PLAIN_DN.match(dn) else len(ldap.dn.str2dn(dn))


def is_below(dn, ancestor_dn):
    """Whether ``dn`` lies strictly below ``ancestor_dn`` (compared RDN by RDN, case-insensitively)."""
    return below(ancestor_dn)(dn)


def below(ancestor_dn):
    """``is_below(dn, ancestor_dn)`` as a one-argument test, the ancestor parsed once (for many DNs)."""
    ancestor = _canonical(ancestor_dn)
    # Two plain DNs (no escapes, one value an RDN) need no parsing: ",<ancestor>" ends the one below it.
    plain_suffix = ',' + ancestor_dn.lower() if _PLAIN_DN.match(ancestor_dn) else None

    def test(dn):
        if plain_suffix is not None and _PLAIN_DN.match(dn):
            return dn.lower().endswith(plain_suffix)
        dn_parts = _canonical(dn)
        return len(dn_parts) > len(ancestor) and dn_parts[len(dn_parts) - len(ancestor):] == ancestor
    return test


def dn_key(dn):
    """A DN in one canonical text form (attribute names and values lower-cased, escaping normalised),
    so that two spellings of one entry compare equal. Remembered: a run keys the same entries several
    times (as address holders, as users, as entries to create)."""
    key = _DN_KEYS.get(dn)
    if key is None:
        if _PLAIN_DN.match(dn):
            key = dn.lower()  # what str2dn and dn2str give for it: nothing in it is escaped
        else:
            key = ldap.dn.dn2str([[(a.lower(), v.lower(), t) for a, v, t in rdn] for rdn in ldap.dn.str2dn(dn)])
        _DN_KEYS[dn] = key
    return key


def same_dn(first, second):
    return _canonical(first) == _canonical(second)


def _canonical(dn):
    if _PLAIN_DN.match(dn):
        return [((attribute, value),) for attribute, value in (rdn.split('=') for rdn in dn.lower().split(','))]
    return [_canonical_rdn(rdn) for rdn in ldap.dn.str2dn(dn)]


def _canonical_rdn(rdn):
    if len(rdn) == 1:  # nearly every RDN: nothing to order
        return ((rdn[0][0].lower(), rdn[0][1].lower()),)
    return tuple(sorted((a.lower(), v.lower()) for a, v, _t in rdn))


def equality_filter(attribute, values):
    """``(|(attribute=v1)(attribute=v2))`` with every value escaped by ldap.filter."""
    parts = ['(%s=%s)' % (attribute, ldap.filter.escape_filter_chars(v)) for v in values]
    return parts[0] if len(parts) == 1 else '(|%s)' % ''.join(parts)
