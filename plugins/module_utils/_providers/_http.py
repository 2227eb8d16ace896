# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The one HTTP client of the REST backends, on ``requests``.

A reused session (one connection pool), a timeout on every call, retries with backoff that honour
``Retry-After`` and the vendor's throttling answers within a bounded total time, an access token
cached until it expires and fetched again once when the vendor says it is expired or invalid, TLS
verification on (``validate_certs``, ``ca_path``), ``http://`` refused except to this machine
unless ``allow_plaintext``. Messages name the service and what failed; they never hold a URL's
query string, a token, a secret or a request body.

A backend subclasses ``RestClient`` with ``fetch_token`` (``oauth_token`` for an OAuth2 token
endpoint), ``judge`` and, unless the token goes in an ``Authorization: Bearer`` header, ``authorise``.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import concurrent.futures
import email.utils
import ipaddress
import random
import threading
import time
import traceback

from ansible.module_utils.six.moves.urllib.parse import urlparse

from ansible_collections.mailops.mailbox.plugins.module_utils._providers.base import ProviderError

try:
    import requests
    import requests.adapters
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    requests = None
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

OK, RETRY, TOKEN, ERROR = 'ok', 'retry', 'token', 'error'
# Waiting for throttling ends after this many seconds in all for one call, or this many attempts.
RETRY_BUDGET = 120.0
MAX_ATTEMPTS = 10
BACKOFF_FIRST, BACKOFF_CAP = 0.5, 16.0


class Refused(ProviderError):
    """The service answered and refused this one request (a per-user failure, not a lost
    connection); ``detail`` is what it said."""

    def __init__(self, what, detail):
        super(Refused, self).__init__('%s: %s' % (what, detail))
        self.detail = detail


def origin(url):
    """``scheme://host:port`` of ``url``: what a message may show (no path, no query, no token)."""
    parsed = urlparse(url)
    return '%s://%s' % (parsed.scheme, parsed.netloc.rsplit('@', 1)[-1])


def url_problem(option, url, allow_plaintext):
    """Why ``url`` may not be used, or None: it must be http(s), and plain http only to loopback
    unless ``allow_plaintext`` (the secret and every password would cross the network in clear)."""
    parsed = urlparse(url or '')
    scheme = parsed.scheme.lower()
    if scheme not in ('http', 'https') or not parsed.hostname:
        return '%s "%s" is not an http(s) URL' % (option, url)
    if scheme == 'http' and not allow_plaintext and not is_loopback(parsed.hostname):
        return ('%s %s would send the secret, the access token and every user password in clear over the network: '
                'use https://, or set allow_plaintext: true if the network is trusted' % (option, origin(url)))
    return None


def is_loopback(host):
    host = host.lower()
    if host == 'localhost':
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def json_body(response):
    """The JSON object a response holds, or {} (no body, not JSON, not an object)."""
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def retry_after(response):
    """Seconds a ``Retry-After`` header asks for (a number or an HTTP date), or None."""
    value = response.headers.get('Retry-After') if response is not None else None
    return parse_retry_after(value)


def parse_retry_after(value):
    if value is None:
        return None
    value = str(value).strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


class RestClient:
    """One service's session, token and retry policy; safe to share between writer threads."""

    #: What the messages call the service, for example "Exmail".
    service = 'the API'
    #: The OAuth2 token endpoint, for ``oauth_token``.
    token_url = None

    def __init__(self, options, pool_size=10):
        if requests is None:
            raise ProviderError('the Python library requests is required')
        self.timeout = options['timeout']
        self.verify = options.get('ca_path') or bool(options.get('validate_certs', True))
        self.session = requests.Session()
        adapter = requests.adapters.HTTPAdapter(pool_connections=2, pool_maxsize=max(pool_size, 2))
        self.session.mount('https://', adapter)
        self.session.mount('http://', adapter)
        self.session.headers['User-Agent'] = 'mailops.mailbox'
        self._token = None
        self._expires_at = 0.0
        self._lock = threading.Lock()
        self.stats = dict(requests=0, retries=0, tokens=0, waited=0.0)

    # What a backend supplies -------------------------------------------------------------------

    def fetch_token(self):
        """``(token, seconds_valid)`` from the vendor (use ``send``); ProviderError when refused."""
        raise NotImplementedError

    def authorise(self, kwargs, token):
        """Put ``token`` into the request's ``kwargs``: by default an OAuth2 bearer header."""
        kwargs['headers'] = dict(kwargs.get('headers') or {}, Authorization='Bearer ' + token)

    def judge(self, response):
        """``(OK, value)``, ``(RETRY, seconds_or_None)``, ``(TOKEN, message)`` or ``(ERROR, message)``."""
        raise NotImplementedError

    # The machinery -----------------------------------------------------------------------------

    def close(self):
        self.session.close()

    def oauth_token(self, form, retry_statuses, refused):
        """``(token, seconds_valid)`` from the OAuth2 token endpoint ``self.token_url``: ``form()`` is
        the body of each attempt, answers with a status in ``retry_statuses`` are waited out, and
        ``refused(status, error)`` is the message of the ProviderError when it gives no token."""
        waits = RetryWaits('token', self)
        while True:
            response = self.send('POST', self.token_url, data=form())
            if response.status_code in retry_statuses:
                waits.wait(retry_after(response))
                continue
            body = json_body(response)
            if response.status_code == 200 and body.get('access_token'):
                try:
                    return body['access_token'], float(body.get('expires_in') or 3599)
                except (TypeError, ValueError):
                    pass
            raise ProviderError(refused(response.status_code, body.get('error') or 'no access_token'))

    def token(self, stale=None):
        """The cached token, fetched when there is none, it has expired, or it is ``stale`` (the
        one the vendor just refused: another thread may have replaced it already)."""
        with self._lock:
            if self._token is None or time.monotonic() >= self._expires_at or (stale is not None and stale == self._token):
                token, seconds = self.fetch_token()
                self.stats['tokens'] += 1
                # Renew a little early, so a token does not expire between our check and the call.
                margin = min(60.0, seconds / 10.0)
                self._token, self._expires_at = token, time.monotonic() + max(seconds - margin, 1.0)
            return self._token

    def send(self, method, url, **kwargs):
        """One HTTP request with the timeout and TLS settings; ProviderError naming only the origin."""
        self.stats['requests'] += 1
        try:
            return self.session.request(method, url, timeout=self.timeout, verify=self.verify, **kwargs)
        except requests.exceptions.SSLError:
            raise ProviderError('%s at %s: TLS verification failed (give the CA in ca_path, or validate_certs: false '
                                'for a lab)' % (self.service, origin(url)))
        except requests.exceptions.Timeout:
            raise ProviderError('%s at %s did not answer within %s seconds (timeout)'
                                % (self.service, origin(url), self.timeout))
        except requests.exceptions.ConnectionError:
            raise ProviderError('cannot reach %s at %s (connection failed)' % (self.service, origin(url)))
        except requests.exceptions.RequestException as exc:
            raise ProviderError('%s at %s: %s' % (self.service, origin(url), type(exc).__name__))

    def call(self, method, url, what, **kwargs):
        """Send with the token, judge the answer, retry throttling and refresh a refused token once;
        returns the judged value or raises ProviderError beginning with ``what``."""
        waits = RetryWaits(what, self)
        refreshed = False
        while True:
            token = self.token()
            request = dict(kwargs)
            self.authorise(request, token)
            verdict, value = self.judge(self.send(method, url, **request))
            if verdict == OK:
                return value
            if verdict == TOKEN and not refreshed:
                refreshed = True
                self.token(stale=token)
                continue
            if verdict == RETRY:
                waits.wait(value)
                continue
            raise Refused(what, value)


class RetryWaits:
    """The waits of one call that is throttled: ``Retry-After`` when given, else exponential
    backoff with jitter; a ProviderError once the attempts or the time budget are spent."""

    def __init__(self, what, client, budget=RETRY_BUDGET, attempts=MAX_ATTEMPTS):
        self.what = what
        self.client = client
        self.deadline = time.monotonic() + budget
        self.budget = budget
        self.attempts = attempts
        self.done = 0

    def wait(self, seconds=None):
        self.done += 1
        if seconds is None:
            seconds = min(BACKOFF_CAP, BACKOFF_FIRST * 2 ** (self.done - 1)) * random.uniform(0.5, 1.0)
        if self.done > self.attempts or time.monotonic() + seconds > self.deadline:
            raise ProviderError('%s: %s is still throttling after %d attempts; giving up within %d seconds. A re-run '
                                'continues from here.' % (self.what, self.client.service, self.done, self.budget))
        self.client.stats['retries'] += 1
        self.client.stats['waited'] += seconds
        time.sleep(seconds)


def check_http_options(backend, options, *url_options):
    """ValueError naming the option when a timeout or URL of ``backend``'s dict is unusable."""
    if options['timeout'] <= 0:
        raise ValueError('%s.timeout must be a positive number of seconds' % backend)
    for name in url_options:
        problem = url_problem('%s.%s' % (backend, name), options[name], options['allow_plaintext'])
        if problem:
            raise ValueError(problem)


def in_flight(items, work, limit, stop_on_error):
    """``work(item)`` for every item with at most ``limit`` running at once; yields ``(item,
    error_or_None)`` as each finishes. With ``stop_on_error`` nothing more starts after an error,
    and what already started is still waited for and reported. ``work`` returns None or an error
    message; a ProviderError from it (connection lost) stops everything and is raised once the
    started work is accounted for."""
    items = iter(items)
    fatal = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=limit) as pool:
        running = {}

        def start():
            for item in items:
                running[pool.submit(work, item)] = item
                if len(running) >= limit:
                    return

        start()
        stopping = False
        while running:
            finished, _pending = concurrent.futures.wait(list(running), return_when=concurrent.futures.FIRST_COMPLETED)
            for future in finished:
                item = running.pop(future)
                try:
                    error = future.result()
                except ProviderError as exc:
                    fatal.append(exc)
                    stopping = True
                    continue
                if error is not None and stop_on_error:
                    stopping = True
                yield item, error
            if not stopping:
                start()
    if fatal:
        raise fatal[0]
