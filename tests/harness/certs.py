"""A throwaway CA and a server certificate for 127.0.0.1 / localhost.

The implementation lives with the `lab` role (roles/lab/files/lab_certs.py),
which runs it as a script; the harness imports the same file, so the lab and
the tests make their TLS material one way.
"""

import importlib.util
import sys
from pathlib import Path

_SOURCE = Path(__file__).resolve().parents[2] / "roles" / "lab" / "files" / "lab_certs.py"
_spec = importlib.util.spec_from_file_location("mailops_lab_certs", _SOURCE)
_lab_certs = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = _lab_certs  # dataclasses look their module up there
_spec.loader.exec_module(_lab_certs)

CertPaths = _lab_certs.CertPaths
make_certs = _lab_certs.make_certs
certs_usable = _lab_certs.certs_usable

__all__ = ["CertPaths", "make_certs", "certs_usable"]
