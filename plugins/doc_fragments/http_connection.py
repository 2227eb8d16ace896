# -*- coding: utf-8 -*-
# Copyright (c) mailops.mailbox contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The HTTP options every hosted backend's dict takes (``module_utils/_connection_options.py``
``http_options``), documented once for the exmail, graph and google fragments.

Not a fragment a module extends: Ansible merges a fragment's options one level deep only, so a
fragment that documented O(exmail.timeout) would replace the exmail fragment's suboptions instead of
adding to them. Each backend fragment appends ``http_suboptions()`` to its own DOCUMENTATION, whose
last lines are its dict's suboptions.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

_SUBOPTIONS = r'''
      timeout:
        description:
          - Seconds to wait for each HTTP request before failing.
        type: int
        default: 30
      validate_certs:
        description:
          - Verify the TLS certificates and host names of {endpoints}. Only set to V(false) for a lab.
        type: bool
        default: true
      ca_path:
        description:
          - A PEM file of CA certificates to verify {endpoints} with. The system's trust store is used when omitted.
        type: path
      allow_plaintext:
        description:
          - Allow an V(http://) {urls} to a host other than this machine. The {exposed} would cross the network in
            clear, so it is refused unless this is set.
        type: bool
        default: false
'''


def http_suboptions(backend, token_url, exposed):
    """The YAML of the HTTP options, indented as suboptions of ``backend``'s dict. ``token_url``:
    the backend has a token endpoint of its own (option ``token_url``) besides ``api_url``;
    ``exposed``: what plain HTTP would send in clear."""
    urls = 'O({0}.api_url) or O({0}.token_url)' if token_url else 'O({0}.api_url)'
    endpoints = 'the API and the token endpoint' if token_url else 'the API'
    return _SUBOPTIONS.lstrip('\n').format(endpoints=endpoints, urls=urls.format(backend), exposed=exposed)
