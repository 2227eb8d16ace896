"""`make bench`: how fast the users module applies big rosters, against the physical limit.

    PYTHONPATH=.build/collections:. python tests/bench/bench.py [--sizes 1000 10000 100000]
        [--loop-users 1000] [--json bench.json]

Everything runs against slapd instances this script starts on 127.0.0.1 (the test harness), with
synthetic rosters. Every figure is measured in this run, next to its baseline:

- baseline: hashing every password with the same scheme and cost on every CPU core, plus
  `ldapadd -f` of the equivalent LDIF into an empty slapd: the physical limit of a first apply;
- the users module's first apply, re-run with no change, and re-run after one user changed
  (module time = the task's time as Ansible measured it), and the whole ansible-playbook time,
  with the roster and passwords read from their files (users_file, passwords_text), and a re-run
  with them passed through Ansible variables instead, for comparison;
- the users module's peak RSS, from its own result;
- the per-user time of what people write today: a loop of community.general.ldap_entry +
  ldap_passwd tasks (needs the `ansible` package, which `make bench` installs);
- roster generation from a 10k-row XLSX (tests/bench/roster_bench.py).

It prints a table and writes JSON. Targets are printed beside the figures, never asserted.
"""

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import ldap
import yaml
from passlib.hash import sha512_crypt

from tests.bench import hosted_bench
from tests.harness.servers import LabServers
from tests.integration.playbook import REPO, run_playbook

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


def _hash(password):
    return "{CRYPT}" + sha512_crypt.using(rounds=5000).hash(password)


def baseline_hash(passwords):
    """Seconds to hash every password on every core, and the hashes."""
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
        roster.write_text(yaml.dump({"mailbox_roster": {"domain": "example.org", "users": users}},
                                    Dumper=getattr(yaml, "CSafeDumper", yaml.SafeDumper), allow_unicode=True))
        secrets_file.write_text(json.dumps({"mailbox_initial_passwords": passwords}))
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


def measure_size(size, workdir):
    users, passwords = roster(size)
    figures = dict(users=size)
    hash_seconds, hashes = baseline_hash([passwords[u["email"]] for u in users])
    with LabServers() as empty:
        figures["baseline_ldapadd_s"] = baseline_ldapadd(empty.slapd, users, hashes, workdir)
    figures["baseline_hash_s"] = hash_seconds
    figures["baseline_s"] = hash_seconds + figures["baseline_ldapadd_s"]
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


def roster_generation(workdir):
    """The roster module's figures for a 10k-row XLSX, from tests/bench/roster_bench.py."""
    out = Path(workdir) / "roster-bench.json"
    proc = subprocess.run([sys.executable, str(REPO / "tests" / "bench" / "roster_bench.py"), "--sizes", "10000",
                           "--json", str(out)], capture_output=True, text=True, check=False)
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
            ("%s baseline: hash on %d cores + ldapadd" % (label(size), report["machine"]["cpus"]),
             "%.2f s (%.2f + %.2f)" % (f["baseline_s"], f["baseline_hash_s"], f["baseline_ldapadd_s"]), ""),
            ("%s first apply, module" % label(size),
             "%.2f s = %.2f x baseline, peak RSS %s MB" % (f["first_apply_module_s"], f["first_apply_vs_baseline"],
                                                           f["first_apply_peak_rss_mb"]),
             {10000: "<= 1.5 x baseline", 100000: "peak RSS < 300 MB"}.get(size, "")),
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
    generation = report.get("roster_generation") or {}
    for item in generation.get("sizes", []):
        rows.append(("roster generation, %d-row XLSX" % item["rows"],
                     "%.2f s, peak RSS %.0f MB" % (item["seconds"], item["peak_rss_mb"]), "< 10 s"))
    width = max(len(r[0]) for r in rows)
    lines = ["%-*s  %-48s  %s" % (width, "figure", "measured", "target")]
    lines += ["%-*s  %-48s  %s" % (width, a, b, c) for a, b, c in rows]
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 100000])
    parser.add_argument("--loop-users", type=int, default=1000, help="users in the ldap_entry loop (0: skip)")
    parser.add_argument("--no-roster", action="store_true", help="skip the roster generation figure")
    parser.add_argument("--hosted-users", type=int, default=1000, help="users applied to each hosted fake (0: skip)")
    parser.add_argument("--json", default=str(REPO / ".build" / "bench.json"))
    args = parser.parse_args()
    report = dict(machine=machine(), sizes=[])
    with tempfile.TemporaryDirectory(prefix="mailops-bench-") as workdir:
        for size in args.sizes:
            print("measuring %d users ..." % size, file=sys.stderr, flush=True)
            report["sizes"].append(measure_size(size, workdir))
        if args.loop_users:
            print("measuring the ldap_entry loop on %d users ..." % args.loop_users, file=sys.stderr, flush=True)
            report["ldap_entry_loop"] = ldap_entry_loop(args.loop_users, workdir)
        if not args.no_roster:
            print("measuring roster generation ...", file=sys.stderr, flush=True)
            report["roster_generation"] = roster_generation(workdir)
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
