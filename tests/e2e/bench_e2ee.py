"""`make bench-e2ee`: the bot's reply latency in an encrypted room next to
a plain room, measured side by side in one run, and its peak memory with
the crypto machine. A benchmark, not a test.

Against a fresh local Synapse, one E2EE client (matrix-js-sdk with its Rust
crypto, the stack of Element Web: tests/e2e/e2ee_client.py) is in two rooms
of the bot's network, one plain and one encrypted. It sends N times
(default 300) the same command in each, interleaved, and waits for the
bot's reply (decrypted, in the encrypted room). It prints p50/p99/mean of
both, their ratio, and the bot's peak RSS (VmHWM) and CPU time.
"""

import argparse
import asyncio
import datetime
import os
import secrets
import statistics
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_latency import ms, pct  # noqa: E402
from bot import Bot, Network  # noqa: E402
from e2ee_client import Device  # noqa: E402
from synapse import Synapse  # noqa: E402


async def ask(anna, bot, room, body, encrypted):
    """Send body in room; seconds until the bot's (decrypted) reply."""
    t0 = time.monotonic()
    eid, _ = await anna.send(room, body, encrypted=encrypted)
    await anna.wait_replies(room, bot.user_id, [eid], 60, abort=bot.died)
    return time.monotonic() - t0


async def bench(anna, bot, plain, secret, n, command):
    lat = {"plain": [], "encrypted": []}
    for i in range(n):
        lat["plain"].append(await ask(anna, bot, plain, command, False))
        lat["encrypted"].append(await ask(anna, bot, secret, command, True))
        if (i + 1) % 50 == 0:
            print(f"  {i + 1}/{n}", flush=True)
    return lat


def cpu_seconds(pid):
    """User + system CPU time of process pid, in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def run(args):
    here = os.path.abspath(os.path.join(args.build, "bench-e2ee"))
    os.makedirs(here, exist_ok=True)
    hs = Synapse(os.path.join(here, "synapse"),
                 os.path.join(here, "synapse.log"))
    hs.start()
    bot = anna = None
    try:
        pw, bot_pw = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
        hs.register("anna", pw)
        hs.register("werktafel", bot_pw)
        anna = Device(hs.url, hs.user_id("anna"), pw, "bench")
        await anna.start()
        plain = await anna.create_room("bench plain", encrypted=False)
        secret = await anna.create_room("bench encrypted", encrypted=True)
        db = os.path.join(here, "werktafel.db")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db + suffix):
                os.remove(db + suffix)
        store = db + ".crypto"
        if os.path.isdir(store):
            for name in os.listdir(store):
                os.remove(os.path.join(store, name))
        bot = Bot(here, os.path.join(here, "bot.log"), hs.url,
                  hs.user_id("werktafel"), bot_pw,
                  [Network("bench", [plain, secret])], admins=[anna.user_id],
                  log_level="warn")
        bot.start()
        for room in (plain, secret):
            await anna.invite(room, bot.user_id)
            await anna.wait_membership(room, bot.user_id, "join", 60,
                                       abort=bot.died)
        # A meeting with a few items, so the command has something to show;
        # warm up both rooms (first queries, the room key); then measure.
        d = datetime.date.today() + datetime.timedelta(days=30)
        for body in [f"!vergadering plan {d:%d-%m-%Y} 19:30"] + [
                f"!agenda voorstel Voorstel {k}\nwaarom: meten" for k in (1, 2, 3)]:
            await ask(anna, bot, plain, body, False)
        await bench(anna, bot, plain, secret, 5, args.command)
        cpu0 = cpu_seconds(bot.proc.pid)
        t = time.monotonic()
        lat = await bench(anna, bot, plain, secret, args.n, args.command)
        wall = time.monotonic() - t
        cpu = cpu_seconds(bot.proc.pid) - cpu0
        rss = bot.peak_rss_kb()
    finally:
        if anna:
            await anna.close()
        if bot:
            bot.stop()
        hs.stop()

    p, e = lat["plain"], lat["encrypted"]
    print(f"""
werktafel in an encrypted room, {args.n} commands ({args.command!r}) in each
of a plain and an encrypted room, interleaved, in {wall:.1f} s against a
local Synapse, sent and read by one matrix-js-sdk client with Rust crypto:

                              p50          p99         mean
  plain room (send->reply) {ms(pct(p, 50))} {ms(pct(p, 99))} {ms(statistics.mean(p))}
  encrypted room           {ms(pct(e, 50))} {ms(pct(e, 99))} {ms(statistics.mean(e))}
  ratio encrypted/plain    {pct(e, 50) / pct(p, 50):8.2f} x  {pct(e, 99) / pct(p, 99):8.2f} x

  bot CPU for the {2 * args.n} commands  {cpu:.2f} s ({cpu / (2 * args.n) * 1000:.1f} ms each)
  bot peak RSS (VmHWM)     {rss if rss is not None else '?'} KiB""")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("-n", type=int, default=300)
    ap.add_argument("--command", default="!agenda")
    args = ap.parse_args()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
