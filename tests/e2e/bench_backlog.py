"""`make bench-backlog`: how fast a bot answers a backlog. A benchmark,
not a test: it prints figures and never fails on time.

Against one local Synapse, for each size and room count (default 1,000
and 5,000 commands, in one room and spread over 10): a fresh bot account
joins the rooms, the bot is stopped, the commands go in (one member,
16 sends at a time), the bot is started, and we wait until every
command has its reply. Printed per run: answered, answered exactly
once, replies beyond one, seconds from the bot's start to its last
reply (the homeserver's timestamp), replies per second.

--other BIN runs a second werktafel binary (e.g. main's, built from
`git archive main`) on the same backlogs, interleaved, for a before and
after in one run. The measuring code is tests/e2e/backlog.py.
"""

import argparse
import asyncio
import os
import secrets
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from backlog import drain, send_backlog  # noqa: E402
from bot import Bot, Network  # noqa: E402
from client import Member  # noqa: E402
from synapse import Synapse  # noqa: E402


async def pause_sync(member):
    """Stop the member's background sync (sending goes on): its long-poll
    would wake on every message of the backlog."""
    if member._task:
        member._task.cancel()
        try:
            await member._task
        except (asyncio.CancelledError, Exception):
            pass
        member._task = None


def resume_sync(member):
    if not member._task:
        member._task = asyncio.create_task(member._sync_loop())


async def one_run(hs, here, anna, label, binary, n, nrooms, seq, args):
    """One backlog of n commands over nrooms rooms for binary."""
    name = f"bot{seq}"
    pw = secrets.token_urlsafe(12)
    hs.register(name, pw)
    rooms = [await anna.create_room(f"backlog {seq}.{k}") for k in range(nrooms)]
    work = os.path.join(here, name)
    bot = Bot(work, os.path.join(here, f"{name}.log"), hs.url,
              hs.user_id(name), pw, [Network("bench", rooms)],
              admins=[anna.user_id], log_level="warn", binary=binary)
    bot.start()
    try:
        for r in rooms:
            await anna.invite(r, bot.user_id)
        for r in rooms:
            await anna.wait_membership(r, bot.user_id, "join", 60,
                                       abort=bot.died)
        # One command answered: the bot is fully up (filter, first sync).
        eid = await anna.send_text(rooms[0], args.command)
        await anna.wait_replies(rooms[0], bot.user_id, [eid], 60,
                                abort=bot.died)
        assert bot.stop() == 0
        await pause_sync(anna)
        start = anna.client.next_batch
        t = time.monotonic()
        ids = await send_backlog(anna, rooms, n, args.command)
        sent_s = time.monotonic() - t
        started_at = time.time()
        bot.start()
        res = await drain(anna, ids, {r: start for r in rooms}, bot.user_id,
                          started_at, args.timeout, died=bot.died)
        res["rss"] = bot.peak_rss_kb()
        res["sent_s"] = sent_s
    finally:
        bot.stop()
        resume_sync(anna)
    res.update(label=label, n=n, rooms=nrooms)
    return res


def fmt(r):
    sec = f"{r['seconds']:8.1f}" if r["seconds"] else "       ?"
    rate = f"{r['per_second']:8.1f}" if r["per_second"] else "       ?"
    return (f"  {r['label']:<10} {r['n']:>6} {r['rooms']:>5} "
            f"{r['answered']:>8} {r['once']:>8} {r['extra']:>6} {sec} {rate}"
            f"   (sent in {r['sent_s']:.0f} s; peak RSS {r['rss']} KiB)")


async def run(args):
    here = os.path.abspath(os.path.join(args.build, "bench-backlog"))
    os.makedirs(here, exist_ok=True)
    hs = Synapse(os.path.join(here, "synapse"),
                 os.path.join(here, "synapse.log"))
    hs.start()
    bins = [("this", os.path.abspath(args.this or os.path.join(args.build,
                                                                "werktafel")))]
    if args.other:
        bins.insert(0, (args.other_label, os.path.abspath(args.other)))
    results, anna = [], None
    try:
        pw = secrets.token_urlsafe(12)
        hs.register("anna", pw)
        anna = await Member(hs.url, hs.user_id("anna"), pw).start()
        seq = 0
        for n in args.sizes:
            for nrooms in args.rooms:
                for label, binary in bins:
                    seq += 1
                    print(f"{label}: {n} commands in {nrooms} room(s) ...",
                          flush=True)
                    r = await one_run(hs, here, anna, label, binary, n,
                                      nrooms, seq, args)
                    print(fmt(r), flush=True)
                    results.append(r)
    finally:
        if anna:
            await anna.close()
        hs.stop()
    print(f"""
werktafel backlog ({args.command!r}), bot stopped while the commands went
in, then started; seconds from its start to its last reply:

  bot        commands rooms answered     once  extra  seconds  replies/s""")
    for r in results:
        print(fmt(r))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("--sizes", default="1000,5000",
                    type=lambda s: [int(x) for x in s.split(",")])
    ap.add_argument("--rooms", default="1,10",
                    type=lambda s: [int(x) for x in s.split(",")])
    ap.add_argument("--command", default="!hulp agenda")
    ap.add_argument("--this", help="the werktafel binary (default: BUILD's)")
    ap.add_argument("--other", help="another werktafel binary to compare")
    ap.add_argument("--other-label", default="main")
    ap.add_argument("--timeout", type=float, default=900)
    args = ap.parse_args()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
