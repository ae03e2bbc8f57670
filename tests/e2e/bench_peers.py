"""`make bench-peers`: werktafel side by side with the bots people run today
(mautrix-go, mautrix-python, matrix-bot-sdk: a minimal `!ping` bot each;
matrix-reminder-bot: the real bot, `!help`), on one local Synapse, driven
by the same matrix-nio client. A benchmark, not a test: nothing fails on
time; it exits 1 only when a bot could not be built or started (and says
which, after measuring the others).

Per bot, in one run, commands round-robin across the bots (so load and
homeserver state are shared), each round also one plain message whose echo
through the client's own /sync is the yardstick:
  - start-up to first reply (a command every 0.5 s from the process start);
  - reply p50/p99 and their ratio to the echo p50/p99;
  - idle RSS (VmRSS after 5 s idle) and peak RSS (VmHWM), summed over the
    bot's process tree; CPU seconds (utime + stime) per 1,000 commands;
  - backlog: every bot stopped, BENCH_BACKLOG commands sent to each, then
    each started again alone, one after another; how many were answered, how many more than once (counted
    from /messages by reply relation), and the time from the start to the
    last reply (its origin_server_ts).
Then the issue's targets, as ratios, each "met" or "not met".

BENCH_COMMANDS (default 200) commands per bot; BENCH_BACKLOG (1000; 5000
for the second figure of the issue); BENCH_PEERS: a comma list to run only
some peers (werktafel always runs); BENCH_WT_COMMAND: werktafel's command
(default `!hulp agenda`). werktafel runs three times: as configured
(encryption on), with `[crypto] enabled = false` as the !ping peers run,
and without crypto answering a command whose reply is one line, like
"pong" (BENCH_WT_SHORT, default `!peiling 1`: "Er is geen peiling 1. ..."),
so the reply's size is like for like too (no backlog for that one).
"""

import argparse
import asyncio
import importlib.metadata
import math
import os
import secrets
import shutil
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from nio import MessageDirection, RoomMessagesResponse  # noqa: E402

from bot import Bot, Network  # noqa: E402
from client import Member  # noqa: E402
from peers import (command_output, cpu_seconds, make_peers,  # noqa: E402
                   process_tree, status_kib)
from synapse import Synapse  # noqa: E402

# The command (a long reply: its size is Synapse's work and the
# client's too); BENCH_WT_COMMAND=!tijdzone gives a reply as short as a
# peer's "pong", to tell the bot's own time from the reply's size.
WERKTAFEL_COMMAND = os.environ.get("BENCH_WT_COMMAND", "!hulp agenda")
NOCRYPTO = "werktafel, no crypto"
SHORT = "werktafel, short"
SHORT_COMMAND = os.environ.get("BENCH_WT_SHORT", "!peiling 1")
REPLY_TIMEOUT = 30


def pct(values, p):
    """The p-th percentile (nearest rank) of values (None when empty)."""
    if not values:
        return None
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def fmt_ms(x):
    return "-" if x is None else f"{x * 1000:.1f} ms"


def fmt_mib(kib):
    return "-" if not kib else f"{kib / 1024:.1f} MiB"


class Entry:
    """One bot in the run and everything measured of it."""

    def __init__(self, name, bot, command, relation, version):
        self.name = name
        self.bot = bot
        self.command = command
        self.relation = relation
        self.version = version
        self.room = None
        self.failed = None       # why it could not be built or started
        self.startup = None
        self.reply = []
        self.misses = 0
        self.cmd_ids = []        # the latency phase's commands
        self.idle_rss = None
        self.peak_rss = None
        self.cpu_per_1000 = None
        self.backlog = None      # dict, see measure_backlog

    def pids(self):
        return process_tree(self.bot.pid) if self.bot.pid else []


def next_reply(member, e, eid, base):
    """The bot's reply to command eid: by reply relation, or (a bot whose
    replies carry none) the first bot message after the base-th."""
    replies = member.replies(e.room, e.bot.user_id)
    if e.relation:
        for r in replies:
            if r.in_reply_to == eid:
                return r
        return None
    return replies[base] if len(replies) > base else None


async def command(member, e):
    """Send e's command once and wait for its reply; returns the reply time
    in seconds (None on a timeout)."""
    base = len(member.replies(e.room, e.bot.user_id))
    eid, t0 = await member.send_raw(e.room, "m.room.message",
                                    {"msgtype": "m.text", "body": e.command})
    e.cmd_ids.append(eid)
    try:
        await member.wait_for(lambda: next_reply(member, e, eid, base),
                              REPLY_TIMEOUT, f"reply of {e.name}",
                              abort=e.bot.died)
    except (TimeoutError, AssertionError):
        e.misses += 1
        return None
    return next_reply(member, e, eid, base).received - t0


async def startup(member, e, limit=120):
    """Start e's bot and send its command every 0.5 s until one is answered;
    returns seconds from the process start to that first reply."""
    base = len(member.replies(e.room, e.bot.user_id))
    t0 = time.monotonic()
    e.bot.start()
    while time.monotonic() - t0 < limit:
        why = e.bot.died()
        if why:
            raise RuntimeError(why)
        eid, _ = await member.send_raw(e.room, "m.room.message",
                                       {"msgtype": "m.text",
                                        "body": e.command})
        e.cmd_ids.append(eid)
        try:
            await member.wait_for(
                lambda: len(member.replies(e.room, e.bot.user_id)) > base,
                0.5, "first reply")
        except TimeoutError:
            continue
        got = member.replies(e.room, e.bot.user_id)[base]
        await asyncio.sleep(2)   # let the other probes be answered
        return got.received - t0
    raise RuntimeError(f"{e.name}: no reply within {limit} s of its start")


async def room_replies(member, room, start, bot_id):
    """[(in_reply_to or None, origin_server_ts)] of every message of bot_id
    after the token start, read forward with /messages."""
    out, token = [], start
    flt = {"senders": [bot_id], "types": ["m.room.message"]}
    while True:
        resp = await member.client.room_messages(
            room, start=token, direction=MessageDirection.front, limit=500,
            message_filter=flt)
        if not isinstance(resp, RoomMessagesResponse):
            raise RuntimeError(f"/messages failed: {resp}")
        for ev in resp.chunk:
            content = ev.source.get("content") or {}
            rel = (content.get("m.relates_to") or {}).get("m.in_reply_to") or {}
            out.append((rel.get("event_id"),
                        ev.source.get("origin_server_ts", 0)))
        if not resp.chunk or not resp.end or resp.end == token:
            return out
        token = resp.end


async def measure_backlog(member, entries, n, quiet=30):
    """Every bot stopped, n commands sent to each room (four senders per
    room, the rooms in parallel), then the bots started one after another,
    each alone on the homeserver while it catches up (two bots draining
    together would each take twice as long); count the answers from
    /messages. Sets e.backlog."""
    for e in entries:
        e.bot.stop()
    start = member.client.next_batch
    ids = {e.name: [] for e in entries}

    async def fill(e, count):
        for _ in range(count):
            eid, _ = await member.send_raw(
                e.room, "m.room.message",
                {"msgtype": "m.text", "body": e.command})
            ids[e.name].append(eid)
    # Four senders per room: the order of the commands does not matter to
    # the count, and the homeserver takes them faster so.
    t = time.monotonic()
    await asyncio.gather(*(fill(e, n // 4 + (k < n % 4))
                           for e in entries for k in range(4)))
    print(f"  sent {n} commands to each of {len(entries)} stopped bots in "
          f"{time.monotonic() - t:.0f} s", flush=True)
    await asyncio.sleep(2)
    for e in entries:
        t1_wall = time.time()
        t1 = time.monotonic()
        e.bot.start()
        base = len(member.replies(e.room, e.bot.user_id))
        last_change, seen = t1, base
        deadline = t1 + max(300, n * 0.3)
        while time.monotonic() < deadline:
            await asyncio.sleep(2)
            now = len(member.replies(e.room, e.bot.user_id))
            if now != seen:
                seen, last_change = now, time.monotonic()
            if now - base >= n or time.monotonic() - last_change > quiet:
                break
        await asyncio.sleep(5)   # duplicates would come now
        got = await room_replies(member, e.room, start, e.bot.user_id)
        mine = set(ids[e.name])
        old = set(e.cmd_ids)
        per = {}
        for irt, _ts in got:
            if irt in mine:
                per[irt] = per.get(irt, 0) + 1
        ts = [t for _irt, t in got]
        b = {"replies": len(got), "n": n,
             "last_s": (max(ts) / 1000 - t1_wall) if ts else None,
             "peak_rss": status_kib(e.pids(), "VmHWM")}
        if e.relation:
            b["answered"] = len(per)
            b["twice"] = sum(1 for c in per.values() if c > 1)
            b["old"] = sum(1 for irt, _ in got if irt in old)
        e.backlog = b
        print(f"  {e.name}: caught up alone, last reply {b['last_s'] or 0:.1f} s"
              " after its start", flush=True)


async def run(args):
    here = os.path.abspath(os.path.join(args.build, "bench-peers"))
    # Each run starts from nothing: a fresh Synapse, so no bot may keep a
    # database, crypto store or sync token of an earlier run.
    shutil.rmtree(here, ignore_errors=True)
    os.makedirs(here)
    n = args.commands
    hs = Synapse(os.path.join(here, "synapse"),
                 os.path.join(here, "synapse.log"))
    hs.start()
    entries, member, problems = [], None, []
    try:
        pw = secrets.token_urlsafe(12)
        hs.register("anna", pw)
        member = await Member(hs.url, hs.user_id("anna"), pw).start()
        echo_room = await member.create_room("echo")

        names = ["mautrix-go", "mautrix-python", "matrix-bot-sdk",
                 "matrix-reminder-bot"]
        if args.peers:
            names = [x for x in names if x in args.peers]
        accounts = {}
        for name in names:
            local = "peer-" + name.replace("-", "")
            p = secrets.token_urlsafe(12)
            hs.register(local, p)
            accounts[name] = (local, hs.user_id(local), p)
        binary = os.path.abspath(os.path.join(args.build, "werktafel"))
        version = command_output([binary, "--version"])
        # werktafel as configured, and the same bot without end-to-end
        # encryption ([crypto] enabled = false), as the !ping peers run:
        # memory and CPU like for like; with encryption on beside it.
        nocrypto = "[crypto]\nenabled = false\n"
        for name, local, ini, cmd in (
                ("werktafel", "werktafel", "", WERKTAFEL_COMMAND),
                (NOCRYPTO, "werktafelnc", nocrypto, WERKTAFEL_COMMAND),
                (SHORT, "werktafelshort", nocrypto, SHORT_COMMAND)):
            wt_pw = secrets.token_urlsafe(12)
            hs.register(local, wt_pw)
            room = await member.create_room("bench-" + local)
            wt = Bot(os.path.join(here, local), os.path.join(here, local + ".log"),
                     hs.url, hs.user_id(local), wt_pw, [Network("bench", [room])],
                     admins=[member.user_id], log_level="warn", binary=binary,
                     extra_ini=ini)
            e = Entry(name, wt, cmd, True, version)
            e.room = room
            entries.append(e)
        for name, peer, why in make_peers(args.build, hs.url, accounts, here):
            if name not in names:
                continue
            if peer is None:
                problems.append(f"{name}: not built: {why}")
                continue
            e = Entry(name, peer, peer.command, peer.relation, peer.version)
            e.room = await member.create_room("bench-" + name)
            entries.append(e)

        # First start: log in, join on invite; then stopped, so the next
        # start is timed from a known, joined state.
        for e in entries:
            try:
                e.bot.start()
                await member.invite(e.room, e.bot.user_id)
                await member.wait_membership(e.room, e.bot.user_id, "join",
                                             120, abort=e.bot.died)
            except Exception as ex:  # noqa: BLE001 - reported, run goes on
                e.failed = f"could not be started: {ex}"
            e.bot.stop()
        for e in entries:
            if e.failed:
                continue
            try:
                e.startup = await startup(member, e)
            except Exception as ex:  # noqa: BLE001
                e.failed = f"no first reply: {ex}"
                e.bot.stop()
            print(f"  {e.name}: first reply {fmt_ms(e.startup)} after its "
                  f"start", flush=True)
        live = [e for e in entries if not e.failed]
        for e in entries:
            if e.failed:
                problems.append(f"{e.name}: {e.failed}")

        for _ in range(5):                      # warm up
            for e in live:
                await command(member, e)
        await asyncio.sleep(5)
        for e in live:
            e.idle_rss = status_kib(e.pids(), "VmRSS")
            e.misses = 0

        echo = []
        cpu0 = {e.name: cpu_seconds(e.pids()) for e in live}
        t = time.monotonic()
        for i in range(n):
            eid, t0 = await member.send_raw(
                echo_room, "m.room.message",
                {"msgtype": "m.text", "body": f"gewoon bericht {i}"})
            echo.append(await member.wait_echo(echo_room, eid, 30) - t0)
            k = i % len(live)
            for e in live[k:] + live[:k]:       # who goes first rotates
                r = await command(member, e)
                if r is not None:
                    e.reply.append(r)
            if (i + 1) % 50 == 0:
                print(f"  {i + 1}/{n} rounds", flush=True)
        wall = time.monotonic() - t
        for e in live:
            e.cpu_per_1000 = (cpu_seconds(e.pids()) - cpu0[e.name]) / n * 1000
            e.peak_rss = status_kib(e.pids(), "VmHWM")

        send_rtt = []
        for i in range(20):    # the PUT round trip alone, for the backlog
            t0 = time.monotonic()
            await member.send_raw(echo_room, "m.room.message",
                                  {"msgtype": "m.text", "body": f"rtt {i}"})
            send_rtt.append(time.monotonic() - t0)
        await measure_backlog(member, [e for e in live if e.name != SHORT],
                              args.backlog)
    finally:
        if member:
            await member.close()
        for e in entries:
            e.bot.stop()
        hs.stop()

    report(args, entries, problems, echo, wall, pct(send_rtt, 50))
    return 1 if problems else 0


def report(args, entries, problems, echo, wall, rtt50):
    """Print the versions, the table and the targets."""
    n = args.commands
    e50, e99 = pct(echo, 50), pct(echo, 99)
    print("\nversions:")
    print(f"  Synapse {importlib.metadata.version('matrix-synapse')}, driving client matrix-nio "
          f"{importlib.metadata.version('matrix-nio')}, Python "
          f"{sys.version.split()[0]}")
    for e in entries:
        print(f"  {e.name}: {e.version}")
    print(f"\n{n} rounds in {wall:.0f} s: one plain message (echo) and one "
          f"command per bot each,\nround-robin; echo p50 {fmt_ms(e50)}, "
          f"p99 {fmt_ms(e99)}; PUT round trip p50 {fmt_ms(rtt50)}\n")
    head = (f"{'bot':<21}{'command':<14}{'p50':>10}{'p99':>10}{'p50/echo':>9}"
            f"{'p99/echo':>9}{'idle RSS':>11}{'peak RSS':>11}"
            f"{'CPU s/1000':>11}{'start-up':>10}")
    print(head)
    print("-" * len(head))
    for e in entries:
        if e.failed:
            print(f"{e.name:<21}{e.failed}")
            continue
        r50, r99 = pct(e.reply, 50), pct(e.reply, 99)
        ratio50 = f"{r50 / e50:.2f}x" if r50 else "-"
        ratio99 = f"{r99 / e99:.2f}x" if r99 else "-"
        print(f"{e.name:<21}{e.command:<14}{fmt_ms(r50):>10}{fmt_ms(r99):>10}"
              f"{ratio50:>9}{ratio99:>9}{fmt_mib(e.idle_rss):>11}"
              f"{fmt_mib(e.peak_rss):>11}{e.cpu_per_1000:>11.2f}"
              f"{e.startup:>9.2f}s"
              + (f"  ({e.misses} unanswered)" if e.misses else ""))
    nb = args.backlog
    print(f"\nbacklog: bots stopped, {nb} commands sent to each, bots "
          f"started one at a time, each alone:")
    for e in entries:
        b = e.backlog
        if e.failed or not b:
            continue
        last = f"{b['last_s']:.1f} s" if b["last_s"] is not None else "-"
        if e.relation:
            line = (f"{b['answered']}/{nb} answered, {b['twice']} more than "
                    f"once, last reply {last} after the start")
            if b["old"]:
                line += (f"; {b['old']} replies to commands answered before "
                         f"the stop")
        else:
            line = (f"{b['replies']} replies to {nb} commands (its replies "
                    f"carry no reply relation: once-each is not countable), "
                    f"last {last} after the start")
        print(f"  {e.name:<21}{line}; peak RSS {fmt_mib(b['peak_rss'])}")
    targets(entries, e50, rtt50, nb)
    for p in problems:
        print(f"\nNOT MEASURED: {p}")


def targets(entries, e50, rtt50, nb):
    """The issue's targets for werktafel, as ratios of this run."""
    by = {e.name: e for e in entries if not e.failed}
    wt = by.get("werktafel")
    if not wt or not wt.reply:
        print("\ntarget lines: werktafel not measured")
        return
    print()

    def line(what, value, ok):
        print(f"target  {what}: {value}  {'met' if ok else 'not met'}")
    w50 = pct(wt.reply, 50)
    line("werktafel reply p50 <= 2.05x echo p50", f"{w50 / e50:.2f}x",
         w50 / e50 <= 2.05)
    for name, e in by.items():
        if name not in ("werktafel", NOCRYPTO, SHORT) and e.reply:
            p = pct(e.reply, 50)
            line(f"werktafel reply p50 below {name}'s",
                 f"{fmt_ms(w50)} vs {fmt_ms(p)} ({w50 / p:.2f}x)", w50 < p)
    short = by.get(SHORT)
    if short and short.reply:
        # Like for like: a one-line reply without crypto, as the !ping
        # bots answer; not the target line, the one above is.
        s50 = pct(short.reply, 50)
        print(f"(like for like: {SHORT} `{short.command}` p50 {fmt_ms(s50)}, "
              f"{s50 / e50:.2f}x echo"
              + "".join(f"; {n}'s {pct(e.reply, 50) / e50:.2f}x"
                        for n, e in by.items()
                        if n not in ("werktafel", NOCRYPTO, SHORT) and e.reply)
              + ")")
    go = by.get("mautrix-go")
    if go:
        # mautrix-go runs without its crypto helper: the like-for-like
        # line is werktafel without crypto; with it, reported beside.
        for name in (NOCRYPTO, "werktafel"):
            w = by.get(name)
            if not w or not w.reply:
                continue
            line(f"{name}: idle RSS <= 1/2 of mautrix-go's",
                 f"{fmt_mib(w.idle_rss)} vs {fmt_mib(go.idle_rss)} "
                 f"({w.idle_rss / go.idle_rss:.2f}x)",
                 w.idle_rss <= go.idle_rss / 2)
            line(f"{name}: CPU per 1000 commands <= 1/2 of mautrix-go's",
                 f"{w.cpu_per_1000:.2f} s vs {go.cpu_per_1000:.2f} s "
                 f"({w.cpu_per_1000 / max(go.cpu_per_1000, 1e-9):.2f}x)",
                 w.cpu_per_1000 <= go.cpu_per_1000 / 2)
    else:
        print("target  idle RSS and CPU against mautrix-go: not measured")
    b = wt.backlog
    if b:
        line(f"werktafel backlog of {nb} answered exactly once",
             f"{b['answered']}/{nb}, {b['twice']} twice",
             b["answered"] == nb and b["twice"] == 0)
        if b["last_s"] is not None and rtt50:
            serial = nb * rtt50
            line("werktafel backlog faster than one send per round trip",
                 f"{b['last_s']:.1f} s vs {nb} x {fmt_ms(rtt50)} = "
                 f"{serial:.1f} s ({b['last_s'] / serial:.2f}x)",
                 b["last_s"] < serial)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("--commands", type=int,
                    default=int(os.environ.get("BENCH_COMMANDS", "200")))
    ap.add_argument("--backlog", type=int,
                    default=int(os.environ.get("BENCH_BACKLOG", "1000")))
    ap.add_argument("--peers", default=os.environ.get("BENCH_PEERS", ""),
                    help="comma list of peers to run (default: all)")
    args = ap.parse_args()
    args.peers = [x.strip() for x in args.peers.split(",") if x.strip()]
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
