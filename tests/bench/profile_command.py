"""`make bench-profile`: where one command's time goes, from the sync body
in to the reply out. A benchmark, not a test.

The bot runs under valgrind's callgrind against a fresh local Synapse; a
matrix-nio client sends warm-up commands, the counters are zeroed
(callgrind_control --zero), then N commands (default 50, each waiting for
its reply), and the counters are dumped. Printed: instructions per command
and the share of the functions that matter (inclusive), as
callgrind_annotate reads the dump. Instruction counts do not depend on the
machine's load, so two builds compare well: run it before and after a
change.
"""

import argparse
import asyncio
import datetime
import glob
import os
import re
import secrets
import shutil
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

from bot import Bot, Network  # noqa: E402
from client import Member  # noqa: E402
from synapse import Synapse  # noqa: E402

# The parts of a command's path: (label, function names, how to add them
# up). Inclusive costs: "max" where the names nest (one calls the other),
# "sum" where they do not.
PARTS = [
    ("the whole loop turn (uv_run)", r"^uv_run$", "max"),
    ("sync response: JSON parse", r"^json_loadb$|^json_loads$", "sum"),
    ("sync batch: events -> handlers, one transaction", r"^sync_apply$", "max"),
    ("command handlers (wt_dispatch)", r"^wt_dispatch$", "max"),
    ("after the batch (after_sync)", r"^after_sync$", "max"),
    ("reminder generation", r"^scheduler_generate$|^reminder_generate_all$|^reminder_regen\w*$", "max"),
    ("crypto machine (wtc_* calls)", r"^wtc_\w+$", "sum"),
    ("SQL compile (sqlite3_prepare_v2/v3)", r"^sqlite3_prepare_v[23]$", "sum"),
    ("SQL run (sqlite3_step)", r"^sqlite3_step$", "max"),
    ("commit (COMMIT, WAL write)", r"^db_commit$", "max"),
    ("outbox: build and send the reply", r"^outbox_flush$", "max"),
    ("markdown -> HTML (cmark)", r"^cmark_markdown_to_html$", "max"),
    ("JSON out (json_dumps)", r"^json_dumps$", "max"),
    ("libcurl (curl_multi_socket_action)", r"^curl_multi_socket_action$", "max"),
    ("malloc + free", r"^malloc$|^free$|^realloc$|^calloc$", "sum"),
]


def annotate(path):
    """{function: inclusive Ir} and the total, from callgrind_annotate."""
    out = subprocess.run(["callgrind_annotate", "--inclusive=yes",
                          "--threshold=100", path],
                         capture_output=True, text=True, check=True).stdout
    total, fns = 0, {}
    for line in out.splitlines():
        m = re.match(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+(?:PROGRAM TOTALS|\S+:(\S+))", line)
        if not m:
            m2 = re.match(r"^\s*([\d,]+)\s+\(.*\)\s+PROGRAM TOTALS", line)
            if m2:
                total = int(m2.group(1).replace(",", ""))
            continue
        ir = int(m.group(1).replace(",", ""))
        if m.group(2) is None:
            total = ir
            continue
        name = m.group(2).split("'")[0]
        fns[name] = max(fns.get(name, 0), ir)
    return total, fns, out


async def run(args):
    if not shutil.which("valgrind") or not shutil.which("callgrind_control"):
        print("bench-profile: valgrind (callgrind) is missing (scripts/deps)")
        return 1
    here = os.path.abspath(os.path.join(args.build, "bench-profile"))
    shutil.rmtree(here, ignore_errors=True)
    os.makedirs(here)
    out_file = os.path.join(here, "callgrind.out")
    os.environ["WERKTAFEL_WRAPPER"] = (
        f"valgrind --tool=callgrind --callgrind-out-file={out_file}.%p"
        " --dump-instr=no --collect-jumps=no")
    hs = Synapse(os.path.join(here, "synapse"), os.path.join(here, "synapse.log"))
    hs.start()
    bot = anna = None
    try:
        pw, bot_pw = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
        hs.register("anna", pw)
        hs.register("werktafel", bot_pw)
        anna = await Member(hs.url, hs.user_id("anna"), pw).start()
        room = await anna.create_room("profile")
        bot = Bot(here, os.path.join(here, "bot.log"), hs.url,
                  hs.user_id("werktafel"), bot_pw,
                  [Network("profile", [room])], admins=[anna.user_id],
                  log_level="warn")
        bot.start()
        await anna.invite(room, bot.user_id)
        await anna.wait_membership(room, bot.user_id, "join", 120,
                                   abort=bot.died)
        d = datetime.date.today() + datetime.timedelta(days=30)
        warm = [f"!vergadering plan {d:%d-%m-%Y} 19:30"] + [
            f"!agenda voorstel Voorstel {k}\nwaarom: meten" for k in (1, 2, 3)]
        warm += [args.command] * 5
        for body in warm:
            eid = await anna.send_text(room, body)
            await anna.wait_replies(room, bot.user_id, [eid], 120,
                                    abort=bot.died)
        await asyncio.sleep(1)
        subprocess.run(["callgrind_control", "--zero", str(bot.pid)],
                       check=True, capture_output=True)
        for _ in range(args.n):
            eid = await anna.send_text(room, args.command)
            await anna.wait_replies(room, bot.user_id, [eid], 120,
                                    abort=bot.died)
        await asyncio.sleep(1)
        subprocess.run(["callgrind_control", "--dump=measured", str(bot.pid)],
                       check=True, capture_output=True)
    finally:
        if anna:
            await anna.close()
        if bot:
            bot.stop()
        hs.stop()

    dumps = [p for p in glob.glob(out_file + ".*")
             if re.search(r"\.\d+\.\d+$", p) or p.endswith("measured")]
    dumps = sorted(dumps, key=os.path.getmtime)
    measured = None
    for p in dumps:
        with open(p, errors="replace") as f:
            head = f.read(4096)
        if "measured" in head:
            measured = p
    if not measured:
        print(f"bench-profile: no dump found in {here}: {dumps}")
        return 1
    total, fns, text = annotate(measured)
    with open(os.path.join(here, "annotate.txt"), "w") as f:
        f.write(text)
    per = total / args.n
    print(f"\nwerktafel, {args.n} x {args.command!r} under callgrind "
          f"(counters zeroed after warm-up):")
    print(f"  instructions per command (whole process): {per / 1e6:9.2f} M\n")
    print(f"  {'part (inclusive)':48} {'M Ir/cmd':>9} {'share':>7}")
    for label, pat, how in PARTS:
        hits = [v for k, v in fns.items() if re.search(pat, k)]
        ir = (sum if how == "sum" else max)(hits) if hits else 0
        if ir:
            print(f"  {label:48} {ir / args.n / 1e6:9.2f} {100 * ir / total:6.1f}%")
    print(f"\n  full listing: {os.path.join(here, 'annotate.txt')}")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("-n", type=int, default=50)
    ap.add_argument("--command", default="!agenda")
    args = ap.parse_args()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
