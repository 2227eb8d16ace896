"""How long converting a big XLSX template takes, and how much memory it needs.

    PYTHONPATH=.build/collections:. python tests/bench/roster_bench.py [--sizes 10000 100000] [--playbook]

For each size it writes a template in a temp dir (half the emails blank, so half the addresses
are made with pypinyin; mobiles stored as Excel floats; a 3-level department tree), then
converts it in a fresh process with the roster action's own code (``generate`` in
plugins/action/roster.py: read and check every row, build the roster, write it and the
ansible-vault encrypted passwords file): its wall time, CPU seconds and the process's peak RSS,
beside the RSS before the task (ansible-core and the plugin loaded); a sheet this big is read by a
child process beside the conversion (where a second core is free): the CPU seconds count it, and
``reader_peak_rss_mb`` is its peak RSS (which counts the pages it shares with its parent; at most: the
largest child of the process, ansible-core's start runs one too). Then it converts the same
template again over those files (``again``), as a regeneration from HR's next list does: the
previous roster and the vault's passwords are read back first, and nothing changes. With --playbook it also
runs the whole ``ansible-playbook playbooks/generate_roster.yml`` (the path users take): wall
time, CPU seconds and the peak RSS of its largest process. Figures only: nothing is asserted.
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


def convert(path, workdir):
    """Run in a fresh process: the roster task's own work (the action plugin's ``generate``, the
    template to the two files), timed, with the process's peak RSS."""
    from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
    from ansible.parsing.vault import VaultSecret
    from ansible_collections.mailops.mailbox.plugins.action.roster import generate
    from ansible_collections.mailops.mailbox.plugins.module_utils._template.options import ROSTER_ARGUMENT_SPEC

    args = ArgumentSpecValidator(ROSTER_ARGUMENT_SPEC).validate(dict(
        src=path, dest=os.path.join(workdir, "roster.yml"), passwords_dest=os.path.join(workdir, "passwords.yml"),
        domain="example.org")).validated_parameters
    secrets = [("default", VaultSecret(b"bench"))]
    # What is loaded before the task runs (ansible-core, the plugin, its module_utils): the
    # worker process of ansible-playbook has all of it and more (its play, its inventory).
    baseline = rss_mb()
    # Loading ansible-core ran a child already (ldconfig, to find libc): not part of the task.
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    cpu_start = time.process_time()
    result = generate(args, secrets)
    seconds = time.perf_counter() - start
    # On a shared machine the wall time says more about the neighbours than about this code. The
    # CPU time counts the child process that reads a big sheet beside the conversion, too.
    reader = resource.getrusage(resource.RUSAGE_CHILDREN)
    reader_cpu = reader.ru_utime + reader.ru_stime - before.ru_utime - before.ru_stime
    cpu = time.process_time() - cpu_start + reader_cpu
    return dict(changed=result["changed"], users=result["users"], generated=result["summary"]["generated_emails"],
                collisions=result["summary"]["collisions"], roster_bytes=os.path.getsize(args["dest"]),
                passwords_bytes=os.path.getsize(args["passwords_dest"]), seconds=round(seconds, 2),
                cpu_seconds=round(cpu, 2), baseline_rss_mb=round(baseline, 1), peak_rss_mb=round(rss_mb(), 1),
                reader_cpu_seconds=round(reader_cpu, 2),
                reader_peak_rss_mb=round(reader.ru_maxrss / 1024.0, 1) if reader_cpu else None)


# Runs a command and prints its wall time, CPU seconds and the peak RSS of its largest process:
# in a process of its own, so that no earlier child of this script counts in RUSAGE_CHILDREN.
MEASURE = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], capture_output=True, text=True, check=False)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps(dict(rc=done.returncode, output=(done.stdout + done.stderr)[-3000:],
                      seconds=round(time.perf_counter() - start, 2), cpu_seconds=round(usage.ru_utime + usage.ru_stime, 2),
                      peak_rss_mb_of_largest_process=round(usage.ru_maxrss / 1024.0, 1))))
"""


def run_playbook(path, workdir):
    password = Path(workdir) / "vault-password.txt"
    password.write_text("bench\n")
    output = Path(workdir) / ("playbook-%s" % Path(path).stem)
    output.mkdir()
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=str(REPO / ".build" / "collections"),
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0")
    playbook = str(Path(sys.executable).with_name("ansible-playbook"))
    completed = subprocess.run(
        [sys.executable, "-c", MEASURE, playbook, str(REPO / "playbooks" / "generate_roster.yml"),
         "--vault-password-file", str(password), "-e", "mailbox_template=%s" % path,
         "-e", "mailbox_roster_dest=%s/roster.yml" % output, "-e", "mailbox_passwords_dest=%s/passwords.yml" % output],
        env=env, capture_output=True, text=True, check=True)
    figures = json.loads(completed.stdout)
    if figures.pop("rc"):
        raise SystemExit(figures["output"])
    del figures["output"]
    return figures


def convert_in_child(path, output):
    child = subprocess.run([sys.executable, __file__, "--convert", path, output], capture_output=True, text=True,
                           env=dict(os.environ, PYTHONPATH=os.pathsep.join(
                               [str(REPO / ".build" / "collections"), str(REPO)])), check=False)
    if child.returncode:
        raise SystemExit(child.stderr)
    return json.loads(child.stdout)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", maxsplit=1)[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10000, 100000])
    parser.add_argument("--playbook", action="store_true", help="also time a whole ansible-playbook run")
    parser.add_argument("--json", help="also write the figures to this file, as {sizes: [...]}")
    parser.add_argument("--convert", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    report = dict(sizes=[])
    if args.convert:
        print(json.dumps(convert(*args.convert)))
        return
    with tempfile.TemporaryDirectory() as workdir:
        for size in args.sizes:
            path = os.path.join(workdir, "staff-%d.xlsx" % size)
            start = time.perf_counter()
            make_template(path, size)
            made = time.perf_counter() - start
            output = os.path.join(workdir, "out-%d" % size)
            os.mkdir(output)
            figures = convert_in_child(path, output)
            # The same template converted again over those files, as HR's next list is: the previous
            # roster (stable generated addresses) and the vault's passwords are read back first.
            figures["again"] = convert_in_child(path, output)
            figures["xlsx_mb"] = round(os.path.getsize(path) / 1e6, 1)
            figures["xlsx_made_in_s"] = round(made, 1)
            print("%7d rows: %s" % (size, json.dumps(figures, ensure_ascii=False)))
            report["sizes"].append(dict(figures, rows=size))
            if args.playbook:
                report["sizes"][-1]["playbook"] = run_playbook(path, workdir)
                print("%7d rows, ansible-playbook: %s" % (size, json.dumps(report["sizes"][-1]["playbook"])))
    if args.json:
        with open(args.json, "w") as handle:
            json.dump(report, handle, indent=2)


if __name__ == "__main__":
    main()
