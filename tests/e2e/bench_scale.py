"""`make bench-scale`: does the bot's cost grow with the history a network
keeps? A benchmark, not a test: it prints figures and fails on nothing.

For each size (the demo database, then 1k, 10k, 100k by default) it builds a
database: the bot's own migrations and demo seed (`werktafel --seed-demo`),
then N past rows of each kind written with schema-true SQL (decisions,
closed meetings with two agenda items each, done actions, decided advice,
action-line updates, spendings, pending reminders far ahead). It starts the
real bot on it against one local Synapse, warms up, waits until its CPU
is still (the work after a start is not the commands'), sends a round of
commands (the lists and searches that read history) one at a time and
measures, per size: reply p50/p99 (send -> reply through /sync), CPU per
command (utime+stime from /proc/PID/stat before/after), idle CPU per minute
(measured over --idle seconds, scaled to 60), idle RSS (VmRSS after the
idle time), and each figure's ratio to the demo database's in the same run.
"""

import argparse
import asyncio
import math
import os
import secrets
import shutil
import sqlite3
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bot import Bot, Network  # noqa: E402
from client import Member  # noqa: E402
from synapse import Synapse  # noqa: E402

NET = "bench"
COMMANDS = ["!agenda", "!besluiten", "!besluiten werkplan", "!acties",
            "!advies", "!advies archief", "!herinneringen", "!al AL1",
            "!vergadering lijst", "!hulp agenda"]
DAY = 86400
TICK = os.sysconf("SC_CLK_TCK")


def pct(values, p):
    """The p-th percentile (nearest rank) of values."""
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def cpu_s(pid):
    """utime + stime of pid in seconds."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def next_id(c, kind, n):
    """Reserve n short ids of kind in the network; the first of them."""
    row = c.execute("SELECT next FROM id_counters WHERE network = ? AND kind = ?",
                    (NET, kind)).fetchone()
    first = row[0] if row else 1
    c.execute("INSERT INTO id_counters(network, kind, next) VALUES (?, ?, ?)"
              " ON CONFLICT(network, kind) DO UPDATE SET next = excluded.next",
              (NET, kind, first + n))
    return first


def add_history(path, n, member, room):
    """n past rows of each kind, as the bot's own tables hold them."""
    now = int(time.time())
    c = sqlite3.connect(path)
    c.execute("PRAGMA foreign_keys = ON")
    with c:
        line = c.execute("SELECT id FROM action_lines WHERE network = ?"
                         " ORDER BY short_id LIMIT 1", (NET,)).fetchone()[0]
        dec = next_id(c, "decision", n)
        act = next_id(c, "action", n)
        c.executemany(
            "INSERT INTO logged_items(network, kind, short_id, text, logged_by,"
            " room, created_at) VALUES (?, 'decision', ?, ?, ?, ?, ?)",
            ((NET, dec + i, f"Besluit {i}: de werkgroep stelt versie {i} van het"
              f" {'werkplan' if i % 100 == 0 else 'verslag'} vast", member, room,
              now - (n - i) * 600) for i in range(n)))
        c.executemany(
            "INSERT INTO logged_items(network, kind, short_id, text, owner, due_at,"
            " done_at, done_by, logged_by, room, created_at)"
            " VALUES (?, 'action', ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            ((NET, act + i, f"Actie {i}: stukken rondsturen", member,
              now - (n - i) * 600 + DAY, now - (n - i) * 600 + 3600, member,
              member, room, now - (n - i) * 600) for i in range(n)))
        mt = next_id(c, "meeting", n)
        ag = next_id(c, "agenda", 2 * n)
        for i in range(n):
            start = now - (n - i) * 7 * DAY
            cur = c.execute(
                "INSERT INTO meetings(network, short_id, title, room, starts_at,"
                " state, created_by, created_at, opened_at, closed_at)"
                " VALUES (?, ?, 'Werktafel', ?, ?, 'closed', ?, ?, ?, ?)",
                (NET, mt + i, room, start, member, start - 30 * DAY, start,
                 start + 7200))
            mid = cur.lastrowid
            c.executemany(
                "INSERT INTO agenda_items(network, short_id, meeting_id, position,"
                " title, theme, proposer, state, created_at)"
                " VALUES (?, ?, ?, ?, ?, 'kwaliteit', ?, 'discussed', ?)",
                ((NET, ag + 2 * i + k, mid, k + 1, f"Punt {k + 1} van {i}", member,
                  start - 20 * DAY) for k in range(2)))
        adv = next_id(c, "advice", n)
        c.executemany(
            "INSERT INTO advice_requests(network, short_id, title, question, theme,"
            " submitted_by, requested_by, state, outcome, note, created_at, updated_at)"
            " VALUES (?, ?, ?, 'Wat adviseert de werktafel?', 'kwaliteit', ?, ?,"
            " 'decided', 'adopted', 'Overgenomen.', ?, ?)",
            ((NET, adv + i, f"Advies {i}", member, member, now - (n - i) * 3600,
              now - (n - i) * 3600 + 600) for i in range(n)))
        c.executemany(
            "INSERT INTO action_line_updates(line_id, author, text, at)"
            " VALUES (?, ?, ?, ?)",
            ((line, member, f"Voortgang {i}", now - (n - i) * 600) for i in range(n)))
        c.executemany(
            "INSERT INTO action_line_spending(line_id, amount_cents, day, note,"
            " author, at) VALUES (?, 1, ?, ?, ?, ?)",
            ((line, time.strftime("%Y-%m-%d", time.gmtime(now - (n - i) * 600)),
              f"Uitgave {i}", member, now - (n - i) * 600) for i in range(n)))
        rem = next_id(c, "reminder", n)
        c.executemany(
            "INSERT INTO reminders(network, short_id, kind, owner, to_user, due_at,"
            " text, tz, state, created_at) VALUES (?, ?, 'personal', ?, ?, ?, ?,"
            " 'Europe/Amsterdam', 'pending', ?)",
            ((NET, rem + i, f"@lid{i}:bench.test", f"@lid{i}:bench.test",
              now + 400 * DAY + i * 60, f"Herinnering {i}", now) for i in range(n)))
    c.close()


async def settle(pid, quiet=2.0, limit=120.0):
    """Wait until the bot's CPU stays still for `quiet` seconds: the work
    after a start (the scheduler's first pass, the search index's merge
    that follows it) is not counted as the commands'."""
    end = time.monotonic() + limit
    last = cpu_s(pid)
    while time.monotonic() < end:
        await asyncio.sleep(quiet)
        now = cpu_s(pid)
        if now == last:
            return
        last = now


async def measure(args, hs, anna, bot_pw, size, idx):
    """Build the database of size, run the bot on it; its figures."""
    here = os.path.abspath(os.path.join(args.build, "bench-scale", f"s{idx}"))
    shutil.rmtree(here, ignore_errors=True)  # a new device: no old store
    os.makedirs(here)
    room = await anna.create_room(f"scale {size}")
    bot = Bot(here, os.path.join(here, "bot.log"), hs.url,
              hs.user_id("werktafel"), bot_pw, [Network(NET, [room])],
              admins=[anna.user_id], log_level="warn")
    bot.write_config()
    subprocess.run([bot.binary, "--seed-demo", "--db", bot.database, "--config",
                    bot.config_path], check=True, stdout=subprocess.DEVNULL)
    t = time.monotonic()
    if size:
        add_history(bot.database, size, anna.user_id, room)
    built = time.monotonic() - t
    db_mib = os.path.getsize(bot.database) / 2**20
    bot.start()
    try:
        await anna.invite(room, bot.user_id)
        await anna.wait_membership(room, bot.user_id, "join", 60, abort=bot.died)
        for body in COMMANDS:   # warm up: first queries, caches
            eid = await anna.send_text(room, body)
            await anna.wait_replies(room, bot.user_id, [eid], 120, abort=bot.died)
        pid = bot.pid
        await settle(pid)
        reply = []
        c0 = cpu_s(pid)
        for i in range(args.n):
            body = COMMANDS[i % len(COMMANDS)]
            eid, t0 = await anna.send_raw(room, "m.room.message",
                                          {"msgtype": "m.text", "body": body})
            got = await anna.wait_replies(room, bot.user_id, [eid], 120,
                                          abort=bot.died)
            reply.append(got[eid][0].received - t0)
        per_cmd = (cpu_s(pid) - c0) / args.n
        c1 = cpu_s(pid)
        await asyncio.sleep(args.idle)
        idle = (cpu_s(pid) - c1) * 60 / args.idle
        rss = rss_mib(pid)
    finally:
        bot.stop()
    return {"size": size, "p50": pct(reply, 50), "p99": pct(reply, 99),
            "cpu": per_cmd, "idle": idle, "rss": rss, "db": db_mib,
            "built": built}


async def run(args):
    here = os.path.abspath(os.path.join(args.build, "bench-scale"))
    os.makedirs(here, exist_ok=True)
    hs = Synapse(os.path.join(here, "synapse"), os.path.join(here, "synapse.log"))
    hs.start()
    anna = None
    rows = []
    try:
        pw = secrets.token_urlsafe(12)
        bot_pw = secrets.token_urlsafe(12)
        hs.register("anna", pw)
        hs.register("werktafel", bot_pw)
        anna = await Member(hs.url, hs.user_id("anna"), pw).start()
        for idx, size in enumerate([0] + args.sizes):
            print(f"  size {size or 'demo'} ...", flush=True)
            rows.append(await measure(args, hs, anna, bot_pw, size, idx))
    finally:
        if anna:
            await anna.close()
        hs.stop()
    base = rows[0]
    print(f"""
werktafel against its history: {args.n} commands per size, one at a time
({', '.join(COMMANDS)}), idle CPU over {args.idle:.0f} s scaled to a minute;
(xN) is the ratio to the demo database in this run.

| history | db size | reply p50 | reply p99 | CPU per command | idle CPU per minute | idle RSS |
|---|---|---|---|---|---|---|""")

    def r(v, b):
        return f"(x{v / b:.2f})" if b > 0 else "(x-)"
    for x in rows:
        name = "demo" if not x["size"] else f"{x['size'] // 1000}k"
        print(f"| {name} | {x['db']:.1f} MiB | {x['p50'] * 1000:.0f} ms {r(x['p50'], base['p50'])}"
              f" | {x['p99'] * 1000:.0f} ms {r(x['p99'], base['p99'])}"
              f" | {x['cpu'] * 1000:.1f} ms {r(x['cpu'], base['cpu'])}"
              f" | {x['idle']:.3f} s {r(x['idle'], base['idle'])}"
              f" | {x['rss']:.1f} MiB {r(x['rss'], base['rss'])} |")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("-n", type=int, default=100, help="commands per size")
    ap.add_argument("--idle", type=float, default=30.0,
                    help="seconds of idle measured (scaled to 60)")
    ap.add_argument("--sizes", type=lambda s: [int(x) for x in s.split(",")],
                    default=[1000, 10000, 100000])
    args = ap.parse_args()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
