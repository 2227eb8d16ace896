"""`make bench`: how fast the users module and site.yml apply big rosters, against the physical limit.

    PYTHONPATH=.build/collections:. python tests/bench/bench.py [--sizes 1000 10000 100000]
        [--site-sizes 10000 100000] [--roster-sizes 10000 100000] [--loop-users 1000] [--json bench.json]

Everything runs against slapd instances this script starts on 127.0.0.1 (the test harness), with
synthetic rosters. Every figure is measured in this run, next to its baseline:

- baseline: hashing every password (SHA-512-crypt, 5,000 rounds) with the C library's crypt(3) on
  every CPU core, plus `ldapadd -f` of the equivalent LDIF into an empty slapd: the physical limit
  of a first apply;
- the users module's first apply, re-run with no change, and re-run after one user changed
  (module time = the task's time as Ansible measured it), and the whole ansible-playbook time,
  with the roster and passwords read from their files (users_file, passwords_text), and a re-run
  with them passed through Ansible variables instead, for comparison;
- the users module's peak RSS, from its own result;
- the per-user time of what people write today: a loop of community.general.ldap_entry +
  ldap_passwd tasks (needs the `ansible` package, which `make bench` installs);
- roster generation from 10k- and 100k-row XLSX templates (tests/bench/roster_bench.py): the task's
  own work, its regeneration over the files it wrote, and the whole `ansible-playbook
  playbooks/generate_roster.yml` (the path users take);
- site: the whole `ansible-playbook -i inventory/lab playbooks/site.yml` as the README documents
  it (roster and vault-encrypted passwords as files: mailbox_roster_file,
  mailbox_initial_passwords_file), on a lab of its own (the harness's slapd and Dovecot on their
  own ports, described by a connection.yml as the lab role writes it): first apply, re-run with
  nothing to change, one user changed, `--check --diff` of one change, and each run's peak memory
  (the largest process of the run: ansible-playbook, its workers or a module).

It prints a table and writes JSON. Targets are printed beside the figures, never asserted.
"""

import argparse
import json
import os
import platform
import secrets
import string
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import ldap
import yaml

from ansible_collections.mailops.mailbox.plugins.module_utils._engine.model import Secret
from ansible_collections.mailops.mailbox.plugins.module_utils._providers.passwords import C_CRYPT
from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import write_passwords, write_roster
from tests.bench import hosted_bench
from tests.harness.servers import HOST, LabServers
from tests.integration.playbook import (ANSIBLE_PLAYBOOK, CALLBACKS, COLLECTIONS, REPO, PlaybookRun,
                                        run_playbook)

DEPARTMENTS = ["Sales", "Engineering", "Finance", "Operations", "Support", "Marketing", "Legal", "HR"]


def roster(size, seed="bench"):
    """A synthetic roster: ``(users, passwords)``."""
    users, passwords = [], {}
    for number in range(size):
        email = "user%06d@example.org" % number
        users.append(dict(email=email, name="Bench User %06d" % number, department=DEPARTMENTS[number % 8],
                          title="Engineer", employee_id="E%06d" % number, mobile="+86138%08d" % number,
                          aliases=[], state="present"))
        passwords[email] = "%s-%06d-%s" % (seed, number, secrets.token_hex(4))
    return users, passwords


SALT_CHARS = "./" + string.digits + string.ascii_letters
VAULT_PASSWORD = "bench-vault-password"
# Runs a command and writes, to the file named by $BENCH_RUSAGE, the peak RSS (KiB) of its largest
# process (itself or a descendant: what one ansible-playbook run needed at most) and the CPU seconds
# of them all, which a machine busy with other work inflates far less than wall time.
RUSAGE_WRAPPER = """
import os, resource, subprocess, sys
rc = subprocess.call(sys.argv[1:])
used = resource.getrusage(resource.RUSAGE_CHILDREN)
with open(os.environ["BENCH_RUSAGE"], "w") as out:
    out.write("%d %.3f" % (used.ru_maxrss, used.ru_utime + used.ru_stime))
sys.exit(rc)
"""


def _hash(password):
    """SHA-512-crypt, 5,000 rounds, by the C library, as the users module's default."""
    return "{CRYPT}" + C_CRYPT(password, "$6$" + "".join(secrets.choice(SALT_CHARS) for dummy in range(16)))


def baseline_hash(passwords):
    """Seconds to hash every password in C on every core, and the hashes."""
    if C_CRYPT is None:
        raise SystemExit("the baseline hashes with the C library's crypt(3), which this Python cannot reach")
    started = time.monotonic()
    with ProcessPoolExecutor(max_workers=os.cpu_count()) as pool:
        hashes = list(pool.map(_hash, passwords, chunksize=64))
    return time.monotonic() - started, hashes


def baseline_ldapadd(slapd, users, hashes, workdir):
    """Seconds of `ldapadd -f` of the equivalent entries into an empty slapd."""
    path = Path(workdir) / "baseline.ldif"
    with open(path, "w") as ldif:
        for user, hashed in zip(users, hashes):
            uid = user["email"].split("@")[0]
            ldif.write("dn: uid=%s,%s\nobjectClass: inetOrgPerson\nuid: %s\nmail: %s\ncn: %s\ndisplayName: %s\n"
                       "sn: %s\ngivenName: Bench User\ntitle: %s\nou: %s\nemployeeNumber: %s\nmobile: %s\n"
                       "userPassword: %s\n\n"
                       % (uid, slapd.users_dn, uid, user["email"], user["name"], user["name"],
                          user["name"].split()[-1], user["title"], user["department"], user["employee_id"],
                          user["mobile"], hashed))
    started = time.monotonic()
    subprocess.run(["ldapadd", "-x", "-H", slapd.uri, "-D", slapd.root_dn, "-w", slapd.root_pw, "-f", str(path)],
                   check=True, stdout=subprocess.DEVNULL)
    return time.monotonic() - started


def apply(lab, workdir, users, passwords, from_files=True):
    """One ansible-playbook run of the users module: (module seconds, playbook seconds, result).

    ``from_files``: the roster and the passwords in files that the module reads (users_file,
    passwords_text from the unvault lookup), as the provision role does with mailbox_roster_file;
    otherwise both pass through Ansible variables (JSON extra vars, the fastest form of those)."""
    if from_files:
        roster, secrets_file = Path(workdir) / "roster.yml", Path(workdir) / "passwords.yml"
        # Both as generate_roster.yml writes them (the collection's writers; the vault file unencrypted here).
        with roster.open("w", encoding="utf-8") as out:
            write_roster(out, dict(domain="example.org", departments=[], users=users))
        with secrets_file.open("w", encoding="utf-8") as out:
            write_passwords(out, dict((email, Secret(password)) for email, password in passwords.items()))
        secrets_file.chmod(0o600)
        extra = None
        args = {"users_file": str(roster), "passwords_text": "{{ lookup('ansible.builtin.unvault', '%s') }}"
                % secrets_file}
    else:
        extra = {"roster_users": users, "roster_passwords": passwords}
        args = {"users": "{{ roster_users }}", "passwords": "{{ roster_passwords }}", "domain": "example.org"}
    tasks = [{"name": "apply", "mailops.mailbox.users": args}]
    started = time.monotonic()
    run = run_playbook(workdir, tasks, lab=lab, extra_vars=extra)
    whole = time.monotonic() - started
    if run.rc != 0:
        raise SystemExit("apply failed:\n" + run.text[-3000:])
    result = run.result("apply")
    return result["_seconds"], whole, result


# {size: baseline figures}: each size's baseline is measured once per run, for every section.
BASELINES = {}


def baseline(size, workdir):
    """The physical limit of a first apply of ``size`` users, measured once per size and run."""
    if size not in BASELINES:
        print("measuring the baseline of %d users ..." % size, file=sys.stderr, flush=True)
        users, passwords = roster(size)
        hash_seconds, hashes = baseline_hash([passwords[u["email"]] for u in users])
        with LabServers() as empty:
            ldapadd_seconds = baseline_ldapadd(empty.slapd, users, hashes, workdir)
        BASELINES[size] = dict(baseline_hash_s=hash_seconds, baseline_ldapadd_s=ldapadd_seconds,
                               baseline_s=hash_seconds + ldapadd_seconds)
    return BASELINES[size]


def measure_size(size, workdir):
    users, passwords = roster(size)
    figures = dict(users=size, **baseline(size, workdir))
    with LabServers() as lab:
        module, whole, result = apply(lab, workdir, users, passwords)
        assert result["summary"]["created"] == size
        figures.update(first_apply_module_s=module, first_apply_playbook_s=whole,
                       first_apply_peak_rss_mb=result["peak_rss_mb"], first_apply_phases=result["timings"])
        module, whole, result = apply(lab, workdir, users, passwords)
        assert result["changed"] is False
        figures.update(rerun_module_s=module, rerun_playbook_s=whole, rerun_peak_rss_mb=result["peak_rss_mb"])
        module, whole, result = apply(lab, workdir, users, passwords, from_files=False)
        assert result["changed"] is False
        figures.update(rerun_vars_module_s=module, rerun_vars_playbook_s=whole)
        users[size // 2] = dict(users[size // 2], title="Changed")
        module, whole, result = apply(lab, workdir, users, passwords)
        assert result["summary"]["updated"] == 1
        figures.update(one_change_module_s=module, one_change_playbook_s=whole)
    figures["first_apply_vs_baseline"] = figures["first_apply_module_s"] / figures["baseline_s"]
    return figures


def lab_connection(lab, state_dir):
    """connection.yml as the lab role writes it (roles/lab/vars/main.yml), for the harness's servers:
    inventory/lab reads it from mailbox_lab_state_dir."""
    slapd, dovecot = lab.slapd, lab.dovecot
    return dict(
        mailbox_ldap=dict(server_uri=slapd.uri, start_tls=True, validate_certs=True, ca_path=str(slapd.ca_path),
                          bind_dn=slapd.service_dn, bind_pw=slapd.service_pw, base_dn=slapd.base_dn,
                          users_dn=slapd.users_dn, departments_dn=slapd.departments_dn),
        mailbox_lab=dict(state_dir=str(state_dir), host=HOST, imap_port=dovecot.imap_port,
                         lmtp_port=dovecot.lmtp_port, ldap_uri=slapd.uri, ldaps_uri=slapd.ldaps_uri,
                         ca_path=str(slapd.ca_path), root_dn=slapd.root_dn, root_pw_file=str(state_dir / "root_pw"),
                         mail_dir=str(dovecot.mail_dir), dovecot_config=str(dovecot.conf_path)))


class SiteRun:
    """``ansible-playbook -i inventory/lab playbooks/site.yml`` with the roster and the vault file of
    passwords as files, the way the README documents it, against a lab of the bench's own."""

    def __init__(self, lab, workdir):
        self.workdir = Path(tempfile.mkdtemp(prefix="site-", dir=workdir))
        self.state_dir = self.workdir / "lab"
        self.state_dir.mkdir(parents=True, mode=0o700)
        connection = self.state_dir / "connection.yml"
        connection.write_text(yaml.safe_dump(lab_connection(lab, self.state_dir), sort_keys=False))
        connection.chmod(0o600)
        self.roster_file = self.workdir / "roster.yml"
        self.passwords_file = self.workdir / "passwords.yml"
        self.vault_password_file = self.workdir / "vault-password"
        self.vault_password_file.write_text(VAULT_PASSWORD + "\n")
        self.vault_password_file.chmod(0o600)

    def write_roster(self, users):
        """The roster file as generate_roster.yml writes it (the collection's own writer)."""
        departments = [dict(name=name) for name in DEPARTMENTS]
        with self.roster_file.open("w", encoding="utf-8") as out:
            write_roster(out, dict(domain="example.org", departments=departments, users=users))

    def write_passwords(self, passwords):
        """The vault file of initial passwords as generate_roster.yml writes it, encrypted by ansible-vault."""
        with self.passwords_file.open("w", encoding="utf-8") as out:
            write_passwords(out, dict((email, Secret(password)) for email, password in passwords.items()))
        self.passwords_file.chmod(0o600)
        subprocess.run([str(Path(ANSIBLE_PLAYBOOK).with_name("ansible-vault")), "encrypt", "--vault-password-file",
                        str(self.vault_password_file), str(self.passwords_file)], check=True, capture_output=True)

    def run(self, check=False, diff=False):
        """(seconds of the whole ansible-playbook, its peak RSS in MB, its CPU seconds, PlaybookRun)."""
        argv = [sys.executable, "-c", RUSAGE_WRAPPER, ANSIBLE_PLAYBOOK, "-i", str(REPO / "inventory" / "lab"),
                str(REPO / "playbooks" / "site.yml"), "-e", "mailbox_lab_state_dir=%s" % self.state_dir,
                "-e", "mailbox_roster_file=%s" % self.roster_file,
                "-e", "mailbox_initial_passwords_file=%s" % self.passwords_file,
                "--vault-password-file", str(self.vault_password_file)]
        argv += ["--check"] * check + ["--diff"] * diff
        results, usage = self.workdir / "results.json", self.workdir / "rusage"
        for stale in (results, usage):
            if stale.exists():
                stale.unlink()
        env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS), ANSIBLE_NOCOLOR="1",
                   ANSIBLE_CALLBACK_PLUGINS=str(CALLBACKS), ANSIBLE_CALLBACKS_ENABLED="record_results",
                   MAILBOX_TEST_RESULTS=str(results), BENCH_RUSAGE=str(usage), ANSIBLE_LOCALHOST_WARNING="False")
        started = time.monotonic()
        proc = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=str(self.workdir), check=False)
        seconds = time.monotonic() - started
        run = PlaybookRun(proc, json.loads(results.read_text()) if results.exists() else dict(results=[], stats={}))
        if run.rc != 0:
            raise SystemExit("site.yml failed:\n" + run.text[-3000:])
        peak_kib, cpu_seconds = usage.read_text().split()
        return seconds, int(peak_kib) / 1024, float(cpu_seconds), run


def measure_site(size, workdir):
    """site.yml's figures for ``size`` users, beside the same run's baseline."""
    users, passwords = roster(size)
    figures = dict(users=size, **baseline(size, workdir))

    def record(name, run_figures):
        seconds, peak, cpu, run = run_figures
        figures.update({name + "_s": seconds, name + "_peak_rss_mb": peak, name + "_cpu_s": cpu})
        return run

    with LabServers() as lab:
        site = SiteRun(lab, workdir)
        site.write_roster(users)
        site.write_passwords(passwords)
        run = record("first_apply", site.run())
        assert run.result("Ensure the users")["summary"]["created"] == size
        figures["first_apply_vs_baseline"] = figures["first_apply_s"] / figures["baseline_s"]
        run = record("rerun", site.run())
        assert run.stats["changed"] == 0, run.stats
        users[size // 2] = dict(users[size // 2], title="Changed")
        site.write_roster(users)
        run = record("one_change", site.run())
        assert run.result("Ensure the users")["summary"]["updated"] == 1
        users[size // 3] = dict(users[size // 3], title="Planned")
        site.write_roster(users)
        run = record("check_diff", site.run(check=True, diff=True))
        assert run.result("Ensure the users")["summary"]["updated"] == 1
    return figures


def ldap_entry_loop(count, workdir):
    """Per-user seconds of a community.general ldap_entry + ldap_passwd loop, first run."""
    users, passwords = roster(count, seed="loop")
    with LabServers() as lab:
        auth = dict(server_uri=lab.slapd.uri, bind_dn=lab.slapd.root_dn, bind_pw=lab.slapd.root_pw)
        tasks = [
            {"name": "entries", "community.general.ldap_entry": dict(
                auth, dn="uid={{ item.email.split('@')[0] }},%s" % lab.slapd.users_dn,
                objectClass=["inetOrgPerson"],
                attributes={"uid": "{{ item.email.split('@')[0] }}", "mail": "{{ item.email }}",
                            "cn": "{{ item.name }}", "sn": "{{ item.name.split()[-1] }}",
                            "title": "{{ item.title }}", "ou": "{{ item.department }}"}),
             "loop": "{{ roster_users }}"},
            {"name": "passwords", "community.general.ldap_passwd": dict(
                auth, dn="uid={{ item.email.split('@')[0] }},%s" % lab.slapd.users_dn,
                passwd="{{ roster_passwords[item.email] }}"),
             "loop": "{{ roster_users }}", "no_log": True},
        ]
        started = time.monotonic()
        run = run_playbook(workdir, tasks, extra_vars={"roster_users": users, "roster_passwords": passwords})
        seconds = time.monotonic() - started
        if run.rc != 0:
            return dict(error=run.text[-2000:])
    return dict(users=count, seconds=seconds, per_user_s=seconds / count)


def roster_generation(workdir, sizes):
    """The roster task's figures for XLSX templates of ``sizes`` rows, and the whole
    generate_roster.yml's, from tests/bench/roster_bench.py."""
    out = Path(workdir) / "roster-bench.json"
    proc = subprocess.run([sys.executable, str(REPO / "tests" / "bench" / "roster_bench.py"), "--playbook",
                           "--json", str(out), "--sizes"] + [str(size) for size in sizes],
                          capture_output=True, text=True, check=False)
    if proc.returncode != 0 or not out.exists():
        return dict(error=(proc.stdout + proc.stderr)[-2000:])
    return json.loads(out.read_text())


def machine():
    versions = subprocess.run(["slapd", "-VV"], capture_output=True, text=True, check=False).stderr.strip().splitlines()
    return dict(cpus=os.cpu_count(), python=platform.python_version(), platform=platform.platform(),
                python_ldap=ldap.__version__, slapd=versions[0] if versions else None,
                memory_gib=round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30, 1))


def label(size):
    """1000 -> '1k', 50 -> '50': how the table names a roster size."""
    return "%dk" % (size // 1000) if size % 1000 == 0 else str(size)


def table(report):
    rows = []
    by_size = dict((f["users"], f) for f in report["sizes"])
    for size, f in sorted(by_size.items()):
        rows += [
            ("%s baseline: C hash on %d cores + ldapadd" % (label(size), report["machine"]["cpus"]),
             "%.2f s (%.2f + %.2f)" % (f["baseline_s"], f["baseline_hash_s"], f["baseline_ldapadd_s"]), ""),
            ("%s first apply, module" % label(size),
             "%.2f s = %.2f x baseline, peak RSS %s MB" % (f["first_apply_module_s"], f["first_apply_vs_baseline"],
                                                           f["first_apply_peak_rss_mb"]),
             {10000: "<= 1.0 x baseline", 100000: "<= 1.0 x baseline, peak RSS < 300 MB"}.get(size, "")),
            ("%s re-run, no change" % label(size),
             "%.2f s module, %.2f s playbook" % (f["rerun_module_s"], f["rerun_playbook_s"]),
             "<= 3 s module, <= 6 s playbook" if size == 10000 else ""),
            ("%s re-run, roster through variables" % label(size),
             "%.2f s module, %.2f s playbook" % (f["rerun_vars_module_s"], f["rerun_vars_playbook_s"]), ""),
            ("%s one user changed" % label(size), "%.2f s module" % f["one_change_module_s"],
             "<= 3 s" if size == 10000 else ""),
        ]
    if 10000 in by_size and 100000 in by_size:
        growth = by_size[100000]["first_apply_module_s"] / by_size[10000]["first_apply_module_s"]
        rows.append(("first apply growth 10k -> 100k", "%.1f x" % growth, "<= 12 x"))
    loop = report.get("ldap_entry_loop") or {}
    if "per_user_s" in loop and 10000 in by_size:
        ours = by_size[10000]["first_apply_module_s"] / 10000
        rows.append(("per user: ldap_entry+ldap_passwd loop (%d users) vs users module" % loop["users"],
                     "%.1f ms vs %.3f ms = %.0f x faster" % (
                         loop["per_user_s"] * 1000, ours * 1000, loop["per_user_s"] / ours), ">= 100 x"))
    for f in report.get("site", []):
        size = label(f["users"])

        def run_row(name):
            return "%.2f s (CPU %.1f s), peak RSS %.0f MB" % (f[name + "_s"], f[name + "_cpu_s"], f[name + "_peak_rss_mb"])

        rows += [
            ("site.yml %s first apply (whole ansible-playbook)" % size,
             "%.2f s = %.2f x baseline (%.2f s), CPU %.1f s, peak RSS %.0f MB" % (
                 f["first_apply_s"], f["first_apply_vs_baseline"], f["baseline_s"], f["first_apply_cpu_s"],
                 f["first_apply_peak_rss_mb"]),
             "<= 1.3 x baseline" if f["users"] == 10000 else ""),
            ("site.yml %s re-run, nothing to change" % size, run_row("rerun"),
             {10000: "<= 6 s", 100000: "<= 40 s, <= 400 MB peak"}.get(f["users"], "")),
            ("site.yml %s one user changed" % size, run_row("one_change"), "<= 7 s" if f["users"] == 10000 else ""),
            ("site.yml %s --check --diff of one change" % size, run_row("check_diff"),
             "<= 7 s" if f["users"] == 10000 else ""),
        ]
    generation = report.get("roster_generation") or {}
    for item in generation.get("sizes", []):
        size = label(item["rows"])
        rows.append(("roster generation %s rows, the task's work" % size,
                     "%.2f s (CPU %.1f s), peak RSS %.0f MB" % (item["seconds"], item["cpu_seconds"],
                                                                item["peak_rss_mb"]), ""))
        if "playbook" in item:
            playbook = item["playbook"]
            rows.append(("generate_roster.yml %s rows (whole ansible-playbook)" % size,
                         "%.2f s (CPU %.1f s), peak RSS %.0f MB" % (playbook["seconds"], playbook["cpu_seconds"],
                                                                    playbook["peak_rss_mb_of_largest_process"]),
                         "<= 10 s, <= 150 MB peak" if item["rows"] == 100000 else ""))
        if "again" in item:
            rows.append(("roster regeneration %s rows over its files, the task's work" % size,
                         "%.2f s (CPU %.1f s), peak RSS %.0f MB" % (item["again"]["seconds"], item["again"]["cpu_seconds"],
                                                                    item["again"]["peak_rss_mb"]), ""))
    width = max([len(r[0]) for r in rows] + [6])
    lines = ["%-*s  %-60s  %s" % (width, "figure", "measured", "target")]
    lines += ["%-*s  %-60s  %s" % (width, a, b, c) for a, b, c in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10000, 100000],
                        help="users module figures at these sizes (none: skip)")
    parser.add_argument("--site-sizes", type=int, nargs="*", default=[10000],
                        help="site.yml figures at these sizes (none: skip; add 100000 for the 100k re-run)")
    parser.add_argument("--loop-users", type=int, default=1000, help="users in the ldap_entry loop (0: skip)")
    parser.add_argument("--roster-sizes", type=int, nargs="*", default=[10000, 100000],
                        help="roster generation figures for XLSX templates of these rows (none: skip)")
    parser.add_argument("--no-roster", action="store_true", help="skip the roster generation figures")
    parser.add_argument("--hosted-users", type=int, default=1000, help="users applied to each hosted fake (0: skip)")
    parser.add_argument("--json", default=str(REPO / ".build" / "bench.json"))
    args = parser.parse_args()
    report = dict(machine=machine(), sizes=[], site=[])
    with tempfile.TemporaryDirectory(prefix="mailops-bench-") as workdir:
        for size in args.sizes:
            print("measuring %d users ..." % size, file=sys.stderr, flush=True)
            report["sizes"].append(measure_size(size, workdir))
        for size in args.site_sizes:
            print("measuring site.yml on %d users ..." % size, file=sys.stderr, flush=True)
            report["site"].append(measure_site(size, workdir))
        if args.loop_users:
            print("measuring the ldap_entry loop on %d users ..." % args.loop_users, file=sys.stderr, flush=True)
            report["ldap_entry_loop"] = ldap_entry_loop(args.loop_users, workdir)
        if args.roster_sizes and not args.no_roster:
            print("measuring roster generation ...", file=sys.stderr, flush=True)
            report["roster_generation"] = roster_generation(workdir, args.roster_sizes)
        if args.hosted_users:
            report["hosted"] = hosted_bench.measure(args.hosted_users, workdir)
    Path(args.json).parent.mkdir(parents=True, exist_ok=True)
    Path(args.json).write_text(json.dumps(report, indent=2))
    print("machine: %(cpus)d CPUs, %(memory_gib)s GiB, Python %(python)s, python-ldap %(python_ldap)s, %(slapd)s"
          % report["machine"])
    print(table(report))
    if report.get("hosted"):
        print(hosted_bench.table(report["hosted"], report["sizes"]))
    print("JSON: %s" % args.json)


if __name__ == "__main__":
    main()
