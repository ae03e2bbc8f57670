"""CPU per command in console mode, per database: a benchmark, not a test.

For each database given (e.g. the ones `make bench-scale` leaves in
build/bench-scale/s0..s3) and each command, `werktafel --shell` is run on a
copy of the database with the command repeated N times on stdin, and once
with no command; the difference in user+system CPU (the child's rusage),
divided by N, is the command's CPU. The best of --runs runs is taken (the
machine's load only adds). Printed as a table: one row per command, one
column per database, CPU ms per command.

  build/venv/bin/python tests/bench/console_cost.py --bin build/werktafel \
      --config build/bench-scale/s0/werktafel.ini --as @anna:localhost \
      demo=build/bench-scale/s0/werktafel.db 100k=build/bench-scale/s3/werktafel.db
"""

import argparse
import os
import shutil
import subprocess
import sys
import tempfile

COMMANDS = ["!agenda", "!besluiten", "!besluiten werkplan", "!acties",
            "!advies", "!advies archief", "!herinneringen", "!al AL1", "!al",
            "!vergadering lijst", "!hulp agenda"]


def cpu_of(args, db, text):
    """CPU seconds (user + system) of one console run on db with text in."""
    p = subprocess.Popen([args.bin, "--shell", "--db", db, "--config", args.config,
                          "--as", args.sender], stdin=subprocess.PIPE,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    p.stdin.write(text.encode())
    p.stdin.close()
    _, _, ru = os.wait4(p.pid, 0)
    p.returncode = 0
    return ru.ru_utime + ru.ru_stime


def best(args, db, text):
    """The least CPU of args.runs runs on db."""
    return min(cpu_of(args, db, text) for _ in range(args.runs))


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default="build/werktafel")
    ap.add_argument("--config", required=True)
    ap.add_argument("--as", dest="sender", required=True)
    ap.add_argument("-n", type=int, default=200, help="commands per run")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--commands", type=lambda s: s.split(","), default=COMMANDS)
    ap.add_argument("dbs", nargs="+", help="NAME=PATH")
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    dbs = []
    for name, src in (x.split("=", 1) for x in args.dbs):
        path = os.path.join(tmp.name, name + ".db")   # a copy: commands write
        shutil.copy(src, path)
        dbs.append((name, path))
    print("| command | " + " | ".join(n for n, _ in dbs) + " |")
    print("|---|" + "---|" * len(dbs))
    for cmd in args.commands:
        cells = []
        for _, path in dbs:
            base = best(args, path, "")
            full = best(args, path, (cmd + "\n") * args.n)
            cells.append(f"{max(0.0, full - base) * 1000 / args.n:.2f}")
        print(f"| `{cmd}` | " + " | ".join(cells) + " |", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
