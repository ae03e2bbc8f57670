"""`make bench`: how fast the bot answers, next to how fast the homeserver
echoes a plain message, and how much memory the bot needs. A benchmark, not
a test.

In one run, against a fresh local Synapse, the matrix-nio client sends N
times (default 500) a plain message and waits for its own echo through
/sync, then a command and waits for the bot's reply. It prints p50/p99 of
both times, their ratio, the bot's CPU per command and its peak RSS
(VmHWM). BENCH_ARGS="--other BIN" runs a second build beside it (its own
account and room, the commands to the two taking turns) and prints both and
their ratio: a before/after in one run. --no-crypto: `[crypto] enabled =
false` for both.
"""

import argparse
import asyncio
import datetime
import math
import os
import secrets
import shutil
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bot import Bot, Network  # noqa: E402
from client import Member  # noqa: E402
from synapse import Synapse  # noqa: E402


def pct(values, p):
    """The p-th percentile (nearest rank) of values."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def ms(x):
    return f"{x * 1000:8.1f} ms"


async def bench(anna, echo_room, bots, n, command, progress=True):
    """n rounds: a plain message and its echo, then the command to each bot
    in turn (the order turned every round, so neither is always first).
    bots: [(bot, room)]. Returns (echo times, [reply times per bot])."""
    echo, reply = [], [[] for _ in bots]
    for i in range(n):
        eid, t0 = await anna.send_raw(echo_room, "m.room.message",
                                      {"msgtype": "m.text",
                                       "body": f"gewoon bericht {i}"})
        echo.append(await anna.wait_echo(echo_room, eid, 30) - t0)
        order = list(range(len(bots)))
        if i % 2:
            order.reverse()
        for k in order:
            bot, room = bots[k]
            eid, t0 = await anna.send_raw(room, "m.room.message",
                                          {"msgtype": "m.text", "body": command})
            got = await anna.wait_replies(room, bot.user_id, [eid], 30,
                                          abort=bot.died)
            reply[k].append(got[eid][0].received - t0)
        if progress and (i + 1) % 100 == 0:
            print(f"  {i + 1}/{n}", flush=True)
    return echo, reply


def cpu_s(pid):
    """CPU time of pid, all its threads, in seconds: the sum of their
    schedstat run times (nanoseconds; /proc/PID/stat counts in ticks of
    10 ms, too coarse for a difference of a few per cent)."""
    total = 0
    for task in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{task}/schedstat") as f:
                total += int(f.read().split()[0])
        except (FileNotFoundError, ProcessLookupError):
            pass  # a thread that ended meanwhile
    return total / 1e9


async def start_bot(hs, anna, here, name, binary, no_crypto):
    """A bot of its own (account, database, room) for binary."""
    bot_pw = secrets.token_urlsafe(12)
    hs.register(name, bot_pw)
    room = await anna.create_room(f"bench {name}")
    work = os.path.join(here, name)
    os.makedirs(work, exist_ok=True)
    db = os.path.join(work, "werktafel.db")
    # A new login is a new device: the last run's crypto store goes too.
    for suffix in ("", "-wal", "-shm", ".crypto"):
        if os.path.isdir(db + suffix):
            shutil.rmtree(db + suffix)
        elif os.path.exists(db + suffix):
            os.remove(db + suffix)
    bot = Bot(work, os.path.join(here, f"{name}.log"), hs.url,
              hs.user_id(name), bot_pw,
              [Network(f"bench{name}", [room])], admins=[anna.user_id],
              log_level="warn", binary=binary,
              extra_ini="[crypto]\nenabled = false\n" if no_crypto else "")
    bot.start()
    await anna.invite(room, bot.user_id)
    await anna.wait_membership(room, bot.user_id, "join", 30, abort=bot.died)
    # A meeting with a few items, so !agenda has something to show.
    d = datetime.date.today() + datetime.timedelta(days=30)
    for body in [f"!vergadering plan {d:%d-%m-%Y} 19:30"] + [
            f"!agenda voorstel Voorstel {k}\nwaarom: meten" for k in (1, 2, 3)]:
        eid = await anna.send_text(room, body)
        await anna.wait_replies(room, bot.user_id, [eid], 30, abort=bot.died)
    return bot, room


async def run(args):
    here = os.path.abspath(os.path.join(args.build, "bench"))
    os.makedirs(here, exist_ok=True)
    hs = Synapse(os.path.join(here, "synapse"),
                 os.path.join(here, "synapse.log"))
    hs.start()
    binaries = [("werktafel", os.path.abspath(os.path.join(args.build, "werktafel")))]
    if args.other:
        binaries.append(("other", os.path.abspath(args.other)))
    anna, bots = None, []
    try:
        pw = secrets.token_urlsafe(12)
        hs.register("anna", pw)
        anna = await Member(hs.url, hs.user_id("anna"), pw).start()
        echo_room = await anna.create_room("bench echo")
        for name, binary in binaries:
            bots.append(await start_bot(hs, anna, here, name, binary,
                                        args.no_crypto))
        # Warm up (first queries, filter upload); then measure.
        await bench(anna, echo_room, bots, 5, args.command, progress=False)
        cpu0 = [cpu_s(b.pid) for b, _ in bots]
        t = time.monotonic()
        echo, reply = await bench(anna, echo_room, bots, args.n, args.command)
        wall = time.monotonic() - t
        cpu = [cpu_s(b.pid) - c for (b, _), c in zip(bots, cpu0)]
        rss = [b.peak_rss_kb() for b, _ in bots]
    finally:
        if anna:
            await anna.close()
        for b, _ in bots:
            b.stop()
        hs.stop()

    e50, e99 = pct(echo, 50), pct(echo, 99)
    what = " and ".join(f"{args.n} to {n} ({b})" for n, b in binaries) \
        if args.other else f"{args.n} commands"
    print(f"""
werktafel latency, {what} ({args.command!r}{', crypto off' if args.no_crypto else ''})
and {args.n} plain messages, interleaved, in {wall:.1f} s against a local Synapse:

                              p50          p99         mean
  client echo (send->sync) {ms(e50)} {ms(e99)} {ms(statistics.mean(echo))}""")
    for (name, _), r, c, kb in zip(binaries, reply, cpu, rss):
        r50, r99 = pct(r, 50), pct(r, 99)
        print(f"""
  {name}:
  bot reply (send->reply)  {ms(r50)} {ms(r99)} {ms(statistics.mean(r))}
  ratio reply/echo         {r50 / e50:8.2f} x  {r99 / e99:8.2f} x
  bot added (reply - echo) {ms(r50 - e50)} {ms(r99 - e99)}
  bot CPU per command      {c / args.n * 1000:8.3f} ms (user + system)
  bot peak RSS (VmHWM)     {kb if kb is not None else '?'} KiB""")
    if args.other:
        print(f"""
  other / werktafel: reply p50 {pct(reply[1], 50) / pct(reply[0], 50):.3f} x,"""
              f""" CPU {cpu[1] / cpu[0] if cpu[0] else float('nan'):.3f} x""")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("-n", type=int, default=500)
    ap.add_argument("--command", default="!agenda")
    ap.add_argument("--other", metavar="BIN",
                    help="a second werktafel binary (another build), run "
                         "side by side in the same run: CPU and latency "
                         "of both and their ratio")
    ap.add_argument("--no-crypto", action="store_true",
                    help="[crypto] enabled = false for the bots")
    args = ap.parse_args()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
