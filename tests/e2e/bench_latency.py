"""`make bench`: how fast the bot answers, next to how fast the homeserver
echoes a plain message, and how much memory the bot needs. A benchmark, not
a test.

In one run, against a fresh local Synapse, the matrix-nio client sends N
times (default 500) a plain message and waits for its own echo through
/sync, then a command and waits for the bot's reply. It prints p50/p99 of
both times, their ratio, and the bot's peak RSS (VmHWM).
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


async def bench(hs, bot, anna, room, n, command):
    echo, reply = [], []
    for i in range(n):
        eid, t0 = await anna.send_raw(room, "m.room.message",
                                      {"msgtype": "m.text",
                                       "body": f"gewoon bericht {i}"})
        echo.append(await anna.wait_echo(room, eid, 30) - t0)
        eid, t0 = await anna.send_raw(room, "m.room.message",
                                      {"msgtype": "m.text", "body": command})
        got = await anna.wait_replies(room, bot.user_id, [eid], 30,
                                      abort=bot.died)
        reply.append(got[eid][0].received - t0)
        if (i + 1) % 100 == 0:
            print(f"  {i + 1}/{n}", flush=True)
    return echo, reply


async def run(args):
    here = os.path.abspath(os.path.join(args.build, "bench"))
    os.makedirs(here, exist_ok=True)
    hs = Synapse(os.path.join(here, "synapse"),
                 os.path.join(here, "synapse.log"))
    hs.start()
    bot = anna = None
    try:
        pw = secrets.token_urlsafe(12)
        bot_pw = secrets.token_urlsafe(12)
        hs.register("anna", pw)
        hs.register("werktafel", bot_pw)
        anna = await Member(hs.url, hs.user_id("anna"), pw).start()
        room = await anna.create_room("bench")
        db = os.path.join(here, "werktafel.db")
        # A new login is a new device: the last run's crypto store goes too.
        for suffix in ("", "-wal", "-shm", ".crypto"):
            if os.path.isdir(db + suffix):
                shutil.rmtree(db + suffix)
            elif os.path.exists(db + suffix):
                os.remove(db + suffix)
        bot = Bot(here, os.path.join(here, "bot.log"), hs.url,
                  hs.user_id("werktafel"), bot_pw,
                  [Network("bench", [room])], admins=[anna.user_id],
                  log_level="warn")
        bot.start()
        await anna.invite(room, bot.user_id)
        await anna.wait_membership(room, bot.user_id, "join", 30,
                                   abort=bot.died)
        # A meeting with a few items, so !agenda has something to show;
        # warm up (first queries, filter upload); then measure.
        d = datetime.date.today() + datetime.timedelta(days=30)
        for body in [f"!vergadering plan {d:%d-%m-%Y} 19:30"] + [
                f"!agenda voorstel Voorstel {k}\nwaarom: meten" for k in (1, 2, 3)]:
            eid = await anna.send_text(room, body)
            await anna.wait_replies(room, bot.user_id, [eid], 30,
                                    abort=bot.died)
        await bench(hs, bot, anna, room, 5, args.command)
        t = time.monotonic()
        echo, reply = await bench(hs, bot, anna, room, args.n, args.command)
        wall = time.monotonic() - t
        rss = bot.peak_rss_kb()
    finally:
        if anna:
            await anna.close()
        if bot:
            bot.stop()
        hs.stop()

    e50, e99 = pct(echo, 50), pct(echo, 99)
    r50, r99 = pct(reply, 50), pct(reply, 99)
    print(f"""
werktafel latency, {args.n} commands ({args.command!r}) and {args.n} plain
messages, interleaved, in {wall:.1f} s against a local Synapse:

                              p50          p99         mean
  client echo (send->sync) {ms(e50)} {ms(e99)} {ms(statistics.mean(echo))}
  bot reply (send->reply)  {ms(r50)} {ms(r99)} {ms(statistics.mean(reply))}
  ratio reply/echo         {r50 / e50:8.2f} x  {r99 / e99:8.2f} x
  bot added (reply - echo) {ms(r50 - e50)} {ms(r99 - e99)}

  bot peak RSS (VmHWM)     {rss if rss is not None else '?'} KiB""")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("-n", type=int, default=500)
    ap.add_argument("--command", default="!agenda")
    args = ap.parse_args()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
