# -*- coding: utf-8 -*-
from __future__ import absolute_import, division, print_function

__metaclass__ = type

import pytest

from ansible_collections.mailops.mailbox.plugins.module_utils._providers._http import (
    origin, parse_retry_after, url_problem,
)


@pytest.mark.parametrize('url, allowed, refused', [
    ('https://api.exmail.qq.com/cgi-bin', False, False),
    ('http://127.0.0.1:8080/cgi-bin', False, False),
    ('http://localhost/x', False, False),
    ('http://[::1]:9/x', False, False),
    ('http://api.example.org/x', False, True),
    ('http://10.0.0.5/x', False, True),
    ('http://api.example.org/x', True, False),
])
def test_plaintext_only_to_loopback_unless_allowed(url, allowed, refused):
    problem = url_problem('exmail.api_url', url, allowed)
    assert (problem is not None) is refused
    if refused:
        assert 'in clear' in problem and 'exmail.api_url' in problem


def test_not_a_url():
    assert 'not an http(s) URL' in url_problem('graph.token_url', 'ftp://x', False)


def test_origin_drops_path_query_and_credentials():
    assert origin('https://user:pw@api.example.org:8443/cgi-bin/user/list?access_token=abc') == \
        'https://api.example.org:8443'


@pytest.mark.parametrize('value, seconds', [('3', 3.0), ('0', 0.0), (None, None), ('soon', None)])
def test_retry_after(value, seconds):
    assert parse_retry_after(value) == seconds


def test_retry_after_http_date_in_the_past_is_zero():
    assert parse_retry_after('Wed, 21 Oct 2015 07:28:00 GMT') == 0.0
