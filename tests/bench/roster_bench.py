"""How long converting a big XLSX template takes, and how much memory it needs.

    PYTHONPATH=.build/collections:. python tests/bench/roster_bench.py [--sizes 10000 100000] [--playbook]

For each size it writes a template in a temp dir (half the emails blank, so half the addresses
are made with pypinyin; mobiles stored as Excel floats; a 3-level department tree), then
converts it in a fresh process the way the roster action does: open the template, read its rows
while building the roster (every check) -> stream the roster to a file -> encrypt the passwords
with ansible-vault. It prints the wall time of each step and the process's peak RSS. With --playbook it also times the whole ``ansible-playbook
playbooks/generate_roster.yml`` run. Figures only: nothing is asserted.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
COMPOUND = ["欧阳", "司马", "诸葛", "上官", "尉迟", "万俟"]
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰建国志红文斌辉鹏宇浩然子轩梓涵一诺欣怡雨泽晨博"
LATIN = ["Anna Schmidt", "John Smith", "José Müller", "Maria García", "Lukas Weber", "Chloé Martin"]


def make_template(path, rows, seed=4):
    import openpyxl
    rng = random.Random(seed)
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("staff")
    sheet.append(["工号", "姓名", "邮箱", "部门", "职务", "手机", "状态"])
    divisions = ["总部/%s" % d for d in ("销售部", "技术部", "市场部", "财务部", "人力资源部")]
    teams = ["%s/%s%d组" % (d, d.split("/")[1][:2], n) for d in divisions for n in range(1, 11)]
    for number in range(rows):
        if number % 50 == 0:
            name = rng.choice(LATIN)
        else:
            surname = rng.choice(COMPOUND) if number % 40 == 1 else rng.choice(SURNAMES)
            name = surname + "".join(rng.choice(GIVEN) for dummy in range(rng.choice((1, 2))))
        email = "" if number % 2 else "user%06d@example.org" % number
        sheet.append(["E%06d" % number, name, email, rng.choice(teams), "工程师", float(13000000000 + number),
                      "停用" if number % 97 == 0 else "在职"])
    workbook.save(str(path))


def rss_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def convert(path):
    """Run in a fresh process: the conversion's steps, timed, and the peak RSS."""
    from ansible.parsing.vault import VaultLib, VaultSecret
    from ansible_collections.mailops.mailbox.plugins.module_utils._template.read import read_template
    from ansible_collections.mailops.mailbox.plugins.module_utils._template.render import (
        render_passwords, roster_comments, write_roster)
    from ansible_collections.mailops.mailbox.plugins.module_utils._template.roster import Settings, build_roster
    from pypinyin import lazy_pinyin

    lazy_pinyin("张三")  # loads pypinyin's dictionaries, so that they count in the baseline

    baseline = rss_mb()
    times, peaks = {}, {}
    start = step = time.perf_counter()
    cpu_start = time.process_time()

    def done(name):
        now = time.perf_counter()
        times[name], peaks[name] = round(now - step, 2), round(rss_mb(), 1)
        return now

    table = read_template(path, os.path.basename(path), stream=True)
    step = done("open")
    built = build_roster(table, Settings("example.org"))
    assert not built.problems, built.problems[:5]
    step = done("read+build")
    with tempfile.TemporaryFile("w+", encoding="utf-8") as out:
        write_roster(out, built.roster, roster_comments(table.source_name, table.sha256, built.row_count))
        roster_bytes = out.tell()
    users = len(built.roster["users"])
    built.roster = None  # as the action does: in its file, the roster does not wait for the encryption
    step = done("render")
    secret = VaultSecret(b"bench")
    VaultLib([("default", secret)]).encrypt(render_passwords(built.passwords), secret)
    step = done("encrypt")
    times["total"] = round(time.perf_counter() - start, 2)
    # On a shared machine the wall time says more about the neighbours than about this code.
    times["cpu_total"] = round(time.process_time() - cpu_start, 2)
    return dict(users=users, generated=len(built.generated_emails),
                collisions=len(built.collisions), roster_bytes=roster_bytes, seconds=times,
                baseline_rss_mb=round(baseline, 1), peak_rss_mb_after=peaks)


def run_playbook(path, workdir):
    password = Path(workdir) / "vault-password.txt"
    password.write_text("bench\n")
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"),
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
    playbook = str(Path(sys.executable).with_name("ansible-playbook"))
    start = time.perf_counter()
    completed = subprocess.run(
        [playbook, str(REPO / "playbooks" / "generate_roster.yml"), "--vault-password-file", str(password),
         "-e", "mailbox_template=%s" % path, "-e", "mailbox_roster_dest=%s/roster.yml" % workdir,
         "-e", "mailbox_passwords_dest=%s/passwords.yml" % workdir], env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if completed.returncode:
        raise SystemExit(completed.stdout + completed.stderr)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024.0
    return dict(seconds=round(elapsed, 2), peak_rss_mb_of_largest_process=round(peak, 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--playbook", action="store_true", help="also time a whole ansible-playbook run")
    parser.add_argument("--json", help="also write the figures to this file, as {sizes: [...]}")
    parser.add_argument("--convert", help=argparse.SUPPRESS)
    args = parser.parse_args()
    report = dict(sizes=[])
    if args.convert:
        print(json.dumps(convert(args.convert)))
        return
    with tempfile.TemporaryDirectory() as workdir:
        for size in args.sizes:
            path = os.path.join(workdir, "staff-%d.xlsx" % size)
            start = time.perf_counter()
            make_template(path, size)
            made = time.perf_counter() - start
            child = subprocess.run([sys.executable, __file__, "--convert", path], capture_output=True, text=True,
                                   env=dict(os.environ, PYTHONPATH=os.pathsep.join(
                                       [str(REPO / ".build" / "collections"), str(REPO)])), check=False)
            if child.returncode:
                raise SystemExit(child.stderr)
            figures = json.loads(child.stdout)
            figures["xlsx_mb"] = round(os.path.getsize(path) / 1e6, 1)
            figures["xlsx_made_in_s"] = round(made, 1)
            print("%7d rows: %s" % (size, json.dumps(figures, ensure_ascii=False)))
            report["sizes"].append(dict(figures, rows=size, seconds=figures["seconds"]["total"],
                                        peak_rss_mb=max(figures["peak_rss_mb_after"].values())))
            if args.playbook:
                print("%7d rows, ansible-playbook: %s" % (size, json.dumps(run_playbook(path, workdir))))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(report, handle, indent=2)


if __name__ == "__main__":
    main()
