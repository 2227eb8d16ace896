# -*- coding: utf-8 -*-
"""`make demo`'s steps, end to end, on a lab of their own (own state directory and ports)."""

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from tests.harness.servers import free_ports, port_is_free
from tests.integration.playbook import COLLECTIONS, REPO


def test_demo_runs_end_to_end_and_the_lab_stops_clean(tmp_path):
    # Dovecot reads mail as nobody, who cannot pass pytest's private tmp_path: the lab goes beside it.
    lab_parent = Path(tempfile.mkdtemp(prefix="mailops-demo-"))
    os.chmod(lab_parent, 0o711)
    lab_dir = lab_parent / "lab"
    ports = [str(p) for p in free_ports(4)]
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS))
    demo = [sys.executable, str(REPO / "examples" / "demo.py"), "--workdir", str(tmp_path / "demo"),
            "--lab-dir", str(lab_dir), "--ports"] + ports
    try:
        run = subprocess.run(demo, capture_output=True, text=True, env=env, timeout=600, check=False)
        out = run.stdout + run.stderr
        assert run.returncode == 0, out
        assert out.count(" OK\n") == 3  # three IMAP logins
        assert "welcome message delivered over LMTP to 32 new mailboxes, found in 32 INBOXes" in out
        assert "summary: created 33" in out
        assert "==> 5. Run site.yml again: nothing to change\n   site.yml: ok=13 changed=0" in out
        assert '+title: "Regional Director"' in out and "updated 1" in out
        assert "make lab-stop" in out
        for secret_line in ("bind_pw", "$6$", "{CRYPT}"):
            assert secret_line not in out
    finally:
        argv = [os.path.join(os.path.dirname(sys.executable), "ansible-playbook"),
                "-i", str(REPO / "inventory" / "lab"), str(REPO / "playbooks" / "lab.yml"),
                "-e", "mailbox_lab_state_dir=%s" % lab_dir, "-e", "lab_state=absent"]
        argv += ["-e=lab_%s_port=%s" % pair for pair in zip(("ldap", "ldaps", "imap", "lmtp"), ports)]
        removed = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120, check=False)
    assert removed.returncode == 0 and not lab_dir.exists(), removed.stdout + removed.stderr
    shutil.rmtree(lab_parent)
    assert all(port_is_free(int(port)) for port in ports)
