"""`make bench-web`: the board's web server under load while the bot
syncs. A benchmark, not a test.

Against a fresh local Synapse one bot runs with [web] on, a network with a
meeting, an agenda and action lines. The admin asks `!bord link` and
takes the link from the direct message. Then, first alone and then during
the load, a client sends a command every 0.2 s and times its reply (the
sync's path: long-poll, dispatch, outbox). The load is N (default 1,000)
HTTP requests for the board, all opened at once, each on its own
connection. Prints the requests' latency percentiles, their statuses, the
requests per second, and the command replies' p50/p99 with and without the
load: the sync is "delayed" when the replies' p99 under load is more than
twice the baseline's plus 100 ms.
"""

import argparse
import asyncio
import json
import datetime
import math
import os
import re
import secrets
import shutil
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "e2e"))

from bot import Bot, Network  # noqa: E402
from client import Member  # noqa: E402
from synapse import Synapse  # noqa: E402


def pct(values, p):
    s = sorted(values)
    if not s:
        return float("nan")
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def get(port, path):
    """One GET on its own connection: (status, seconds, bytes)."""
    t = time.monotonic()
    try:
        r, w = await asyncio.open_connection("127.0.0.1", port)
        w.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        await w.drain()
        data = await r.read()
        w.close()
    except OSError:
        return 0, time.monotonic() - t, 0
    m = re.match(rb"HTTP/1\.[01] (\d+)", data)
    return (int(m.group(1)) if m else -1), time.monotonic() - t, len(data)


async def ticker(anna, bot, room, stop, out):
    """A command every 0.2 s until stop is set: reply latencies into out."""
    while not stop.is_set():
        eid, t0 = await anna.send_raw(room, "m.room.message",
                                      {"msgtype": "m.text", "body": "!agenda"})
        got = await anna.wait_replies(room, bot.user_id, [eid], 30, abort=bot.died)
        out.append(got[eid][0].received - t0)
        try:
            await asyncio.wait_for(stop.wait(), 0.2)
        except asyncio.TimeoutError:
            pass


async def baseline(anna, bot, room, seconds):
    stop, out = asyncio.Event(), []
    task = asyncio.create_task(ticker(anna, bot, room, stop, out))
    await asyncio.sleep(seconds)
    stop.set()
    await task
    return out


async def link(anna, bot, room):
    eid = await anna.send_text(room, "!bord link")
    await anna.wait_replies(room, bot.user_id, [eid], 30, abort=bot.died)
    await anna.wait_for(lambda: anna.invites, 30, "the direct chat", bot.died)
    dm = sorted(anna.invites)[0]
    await anna.join(dm)

    def found():
        for ev in anna.events(dm):
            m = re.search(r"http://127\.0\.0\.1:\d+(/n/bench\?t=[0-9.a-f]+)",
                          (ev.get("content") or {}).get("body") or "")
            if m:
                return m.group(1)
        return None
    await anna.wait_for(found, 30, "the link", bot.died)
    return found()


async def run(args):
    here = os.path.abspath(os.path.join(args.build, "bench-web"))
    os.makedirs(here, exist_ok=True)
    hs = Synapse(os.path.join(here, "synapse"), os.path.join(here, "synapse.log"))
    hs.start()
    anna = bot = None
    port = free_port()
    try:
        pw = secrets.token_urlsafe(12)
        hs.register("anna", pw)
        anna = await Member(hs.url, hs.user_id("anna"), pw).start()
        room = await anna.create_room("bench web")
        bot_pw = secrets.token_urlsafe(12)
        hs.register("werktafel", bot_pw)
        wd = os.path.join(here, "bot")
        shutil.rmtree(wd, ignore_errors=True)  # a fresh database and crypto store
        bot = Bot(wd, os.path.join(here, "bot.log"), hs.url, hs.user_id("werktafel"),
                  bot_pw, [Network("bench", [room])], admins=[anna.user_id],
                  log_level="warn",
                  extra_ini=f"[web]\nlisten = 127.0.0.1:{port}\n"
                            f"public_url = http://127.0.0.1:{port}\n")
        bot.start()
        await anna.invite(room, bot.user_id)
        await anna.wait_membership(room, bot.user_id, "join", 30, abort=bot.died)
        d = datetime.date.today() + datetime.timedelta(days=30)
        seed = [f"!vergadering plan {d:%d-%m-%Y} 19:30"]
        seed += [f"!agenda voorstel Voorstel {k}\nwaarom: meten\nwat: iets\nhoe: samen"
                 for k in range(1, 6)]
        seed += [f"!agenda accepteer {k}" for k in range(1, 6)]
        seed += [f"!al nieuw Actielijn {k}\nbudget: 1000" for k in range(1, 6)]
        for body in seed:
            eid = await anna.send_text(room, body)
            await anna.wait_replies(room, bot.user_id, [eid], 30, abort=bot.died)
        path = await link(anna, bot, room)
        status, _, size = await get(port, path)
        assert status == 200, status
        base = await baseline(anna, bot, room, args.baseline)

        stop, under = asyncio.Event(), []
        tick = asyncio.create_task(ticker(anna, bot, room, stop, under))
        await asyncio.sleep(0.3)
        t = time.monotonic()
        # The load from its own process: its event loop must not slow the
        # client that times the command replies.
        proc = await asyncio.create_subprocess_exec(
            sys.executable, os.path.abspath(__file__), "--load", str(port), path,
            "-n", str(args.n), stdout=asyncio.subprocess.PIPE)
        out, _ = await proc.communicate()
        wall = time.monotonic() - t
        results = json.loads(out)
        await asyncio.sleep(0.5)
        stop.set()
        await tick
        rss = bot.peak_rss_kb()
    finally:
        if anna:
            await anna.close()
        if bot:
            bot.stop()
        hs.stop()

    lat = [r[1] for r in results]
    statuses = {}
    for r in results:
        statuses[r[0]] = statuses.get(r[0], 0) + 1
    b99, u99 = pct(base, 99), pct(under, 99)
    delayed = u99 > 2 * b99 + 0.1
    print(f"""
werktafel web board: {args.n} concurrent GETs of the board page ({size} bytes),
one connection each, against the bot while it syncs (local Synapse)

  requests: {wall:.2f} s wall (the load process's start included), \
{args.n / wall:.0f} requests/s
  latency ms: p50 {pct(lat, 50) * 1000:.1f}  p90 {pct(lat, 90) * 1000:.1f}  \
p99 {pct(lat, 99) * 1000:.1f}  max {max(lat) * 1000:.1f}
  statuses: {", ".join(f"{k}: {v}" for k, v in sorted(statuses.items()))}

  command replies (!agenda every 0.2 s), ms:
    alone        n={len(base):3}  p50 {pct(base, 50) * 1000:.1f}  p99 {b99 * 1000:.1f}
    under load   n={len(under):3}  p50 {pct(under, 50) * 1000:.1f}  p99 {u99 * 1000:.1f}
  sync delayed by the load: {"YES" if delayed else "no"} (p99 under load > 2 x alone + 100 ms)
  bot peak RSS (VmHWM): {rss} KiB""")
    return 1 if statuses.get(200, 0) != args.n else 0


async def load(port, path, n):
    """The load process: n GETs at once; their results as JSON."""
    results = await asyncio.gather(*[get(port, path) for _ in range(n)])
    print(json.dumps(results))
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--baseline", type=float, default=5.0)
    ap.add_argument("--load", nargs=2, metavar=("PORT", "PATH"))
    args = ap.parse_args()
    if args.load:
        return asyncio.run(load(int(args.load[0]), args.load[1], args.n))
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
