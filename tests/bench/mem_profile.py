"""`make bench-mem`: where the bot's memory goes, what its start-up costs,
and what it does when idle. A benchmark, not a test: it prints figures.

For each binary given (--bin LABEL=PATH; `make bench-mem` passes the
normal build, crypto on, and a WITH_CRYPTO=0 build, crypto off), against
one local Synapse, with a fresh database and its own bot account:

  1. cold start: process start -> "first sync" in the bot's log (login,
     filter, first /sync), and the RSS by mapping after start-up (from
     /proc/PID/smaps: each shared library, the binary, heap, thread
     stacks, malloc arenas, other anonymous memory; RSS, private and
     shared), the number of threads;
  2. the same after N commands (default 200) from a matrix-nio client;
  3. idle for --idle seconds (default 60): CPU seconds (/proc/PID/stat)
     and wake-ups (context switches of the threads, from
     /proc/PID/task/*/status) and, with --strace, the system calls
     (strace -c -f, in a second idle period);
  4. restart: a command is sent while the bot is stopped, the bot is
     started again: process start -> that command's reply.
"""

import argparse
import asyncio
import datetime
import os
import re
import secrets
import shutil
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))

from bot import Bot, Network  # noqa: E402
from client import Member  # noqa: E402
from synapse import Synapse  # noqa: E402

KIB_FIELDS = ("Rss", "Pss", "Shared_Clean", "Shared_Dirty",
              "Private_Clean", "Private_Dirty", "Anonymous", "Swap")
HEADER = re.compile(r"^([0-9a-f]+)-([0-9a-f]+) (\S+) \S+ \S+ \S+\s*(.*)$")
ARENA = 64 * 1024 * 1024  # glibc's per-thread malloc heap reservation


def read_maps(pid):
    """[(start, end, perms, name, {field: KiB})] of /proc/PID/smaps."""
    maps, cur = [], None
    with open(f"/proc/{pid}/smaps") as f:
        for line in f:
            m = HEADER.match(line)
            if m:
                cur = (int(m.group(1), 16), int(m.group(2), 16), m.group(3),
                       m.group(4).strip(), {})
                maps.append(cur)
                continue
            key, _, rest = line.partition(":")
            if cur is not None and key in KIB_FIELDS:
                cur[4][key] = int(rest.split()[0])
    return maps


def classify(maps, binary):
    """RSS by kind of mapping: {label: {field: KiB}}. Anonymous mappings
    are told apart by their neighbours: a thread stack has a no-access
    guard page right below it; a malloc arena of a thread is a read-write
    start of a 64 MiB reservation whose rest is no-access."""
    out = {}
    real_bin = os.path.realpath(binary)
    for i, (start, end, perms, name, f) in enumerate(maps):
        if name:
            if os.path.realpath(name) == real_bin:
                label = "werktafel (binary)"
            elif name.startswith("/"):
                label = os.path.basename(name)
                label = re.sub(r"\.so(\.[0-9.]+)?$", ".so", label)
            else:
                label = name  # [heap], [stack], [vdso], [vvar]...
        else:
            prev = maps[i - 1] if i else None
            nxt = maps[i + 1] if i + 1 < len(maps) else None
            if prev and prev[2].startswith("---") and prev[1] == start \
                    and not prev[3] and (prev[1] - prev[0]) <= 64 * 1024:
                label = "[thread stacks]"
            elif nxt and nxt[2].startswith("---") and nxt[0] == end \
                    and not nxt[3] and start % ARENA == 0 \
                    and (nxt[1] - start) == ARENA:
                label = "[malloc arenas]"
            elif perms.startswith("---"):
                label = "[reserved, no access]"
            else:
                label = "[anonymous]"
        acc = out.setdefault(label, {k: 0 for k in KIB_FIELDS})
        for k in KIB_FIELDS:
            acc[k] += f.get(k, 0)
    return out


def threads(pid):
    """[(tid, name)] of the process's threads."""
    out = []
    for tid in sorted(os.listdir(f"/proc/{pid}/task"), key=int):
        try:
            with open(f"/proc/{pid}/task/{tid}/comm") as f:
                out.append((int(tid), f.read().strip()))
        except OSError:
            pass
    return out


def cpu_and_wakeups(pid):
    """(CPU seconds user+system of the whole process, exited threads
    included; {tid: context switches} of the live threads)."""
    tck = os.sysconf("SC_CLK_TCK")
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / tck
    ctx = {}
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/status") as f:
                n = 0
                for line in f:
                    if "ctxt_switches" in line:
                        n += int(line.split()[1])
            ctx[int(tid)] = n
        except (OSError, ValueError):
            pass
    return cpu, ctx


def delta(a, b):
    """CPU seconds and context switches between two cpu_and_wakeups, and
    how many threads started and ended in between (the switches of a
    thread that ended are lost; strace -c counts them)."""
    cpu = b[0] - a[0]
    sw = sum(n - a[1].get(tid, 0) for tid, n in b[1].items())
    return cpu, sw, len(set(b[1]) - set(a[1])), len(set(a[1]) - set(b[1]))


def status_kib(pid, key):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def snapshot(pid, binary):
    return {"maps": classify(read_maps(pid), binary),
            "rss": status_kib(pid, "VmRSS"), "hwm": status_kib(pid, "VmHWM"),
            "threads": threads(pid)}


def mib(kib):
    return f"{kib / 1024:7.2f}"


def print_table(title, snaps, top):
    """One table: a row per mapping kind, columns RSS / private / shared /
    dirty for each snapshot (label, snap). Private and shared depend on
    what else runs (another process mapping the same library pages makes
    them shared); dirty pages (written: relocations, data, heap) are the
    process's own whatever else runs."""
    print(f"\n{title}")
    labels = {}
    for _, s in snaps:
        for k, v in s["maps"].items():
            labels[k] = max(labels.get(k, 0), v["Rss"])
    order = [k for k, _ in sorted(labels.items(), key=lambda kv: -kv[1])]
    shown, rest = order[:top], order[top:]
    head = "  {:<30}".format("mapping (MiB)")
    for name, _ in snaps:
        head += " | {:^35}".format(name)
    print(head)
    sub = "  {:<30}".format("")
    for _ in snaps:
        sub += " | {:>8} {:>8} {:>8} {:>8}".format("RSS", "private", "shared",
                                                   "dirty")
    print(sub)

    def row(label, vals):
        line = f"  {label:<30}"
        for v in vals:
            priv = v["Private_Clean"] + v["Private_Dirty"]
            shared = v["Shared_Clean"] + v["Shared_Dirty"]
            dirty = v["Private_Dirty"] + v["Shared_Dirty"]
            line += (f" | {mib(v['Rss']):>8} {mib(priv):>8} {mib(shared):>8}"
                     f" {mib(dirty):>8}")
        print(line)

    zero = {k: 0 for k in KIB_FIELDS}
    for label in shown:
        row(label, [s["maps"].get(label, zero) for _, s in snaps])
    if rest:
        sums = []
        for _, s in snaps:
            acc = dict(zero)
            for label in rest:
                for k in KIB_FIELDS:
                    acc[k] += s["maps"].get(label, zero)[k]
            sums.append(acc)
        row(f"({len(rest)} others)", sums)
    totals = []
    for _, s in snaps:
        acc = dict(zero)
        for v in s["maps"].values():
            for k in KIB_FIELDS:
                acc[k] += v[k]
        totals.append(acc)
    row("total", totals)
    line = "  {:<30}".format("threads")
    for _, s in snaps:
        names = {}
        for _, n in s["threads"]:
            names[n] = names.get(n, 0) + 1
        desc = ", ".join(f"{n}x{c}" if c > 1 else n for n, c in names.items())
        line += " | {:>35}".format(f"{len(s['threads'])} ({desc})"[:35])
    print(line)


async def wait_log(path, pattern, offset, timeout):
    """Monotonic time at which pattern first appears in the log after
    offset (polled every 2 ms), None after timeout."""
    end = time.monotonic() + timeout
    rx = re.compile(pattern)
    while time.monotonic() < end:
        try:
            with open(path, "rb") as f:
                f.seek(offset)
                if rx.search(f.read().decode(errors="replace")):
                    return time.monotonic()
        except OSError:
            pass
        await asyncio.sleep(0.002)
    return None


def log_size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


async def commands(bot, anna, room, n, command):
    for _ in range(n):
        eid = await anna.send_text(room, command)
        await anna.wait_replies(room, bot.user_id, [eid], 30, abort=bot.died)


async def profile(hs, label, binary, args, workroot):
    """Everything for one binary; returns its figures."""
    here = os.path.join(workroot, label)
    shutil.rmtree(here, ignore_errors=True)
    os.makedirs(here)
    name = "anna" + secrets.token_hex(3)
    pw, bot_pw = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    botname = "werktafel" + secrets.token_hex(3)
    hs.register(name, pw)
    hs.register(botname, bot_pw)
    anna = await Member(hs.url, hs.user_id(name), pw).start()
    room = await anna.create_room("geheugen")
    logpath = os.path.join(here, "bot.log")
    bot = Bot(here, logpath, hs.url, hs.user_id(botname), bot_pw,
              [Network("meting", [room])], admins=[anna.user_id],
              log_level="info", binary=os.path.abspath(binary))
    res = {"label": label}
    try:
        off = log_size(logpath)
        t0 = time.monotonic()
        bot.start()
        t_sync = await wait_log(logpath, r"first sync", off, 60)
        res["cold_first_sync"] = t_sync - t0 if t_sync else None
        await anna.invite(room, bot.user_id)
        await anna.wait_membership(room, bot.user_id, "join", 30,
                                   abort=bot.died)
        d = datetime.date.today() + datetime.timedelta(days=30)
        for body in [f"!vergadering plan {d:%d-%m-%Y} 19:30"] + [
                f"!agenda voorstel Voorstel {k}\nwaarom: meten"
                for k in (1, 2, 3)]:
            await commands(bot, anna, room, 1, body)
        await commands(bot, anna, room, 1, args.command)
        await asyncio.sleep(1)
        res["start"] = snapshot(bot.pid, binary)
        cpu0 = cpu_and_wakeups(bot.pid)
        t = time.monotonic()
        await commands(bot, anna, room, args.n, args.command)
        cpu1 = cpu_and_wakeups(bot.pid)
        res["cmd_wall"] = time.monotonic() - t
        res["cmd_cpu"] = cpu1[0] - cpu0[0]
        await asyncio.sleep(1)
        res["after"] = snapshot(bot.pid, binary)

        # Idle: nobody writes; the bot long-polls.
        await anna.close()
        anna = None
        c0 = cpu_and_wakeups(bot.pid)
        await asyncio.sleep(args.idle)
        c1 = cpu_and_wakeups(bot.pid)
        res["idle"] = delta(c0, c1)
        res["idle_threads"] = len(threads(bot.pid))
        # strace stops the threads at each system call (more context
        # switches): a second idle period of its own.
        if args.strace and shutil.which("strace"):
            sfile = os.path.join(here, "strace.txt")
            strace = subprocess.Popen(
                ["strace", "-c", "-f", "-o", sfile, "-p", str(bot.pid)],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            await asyncio.sleep(args.idle)
            strace.terminate()
            strace.wait(10)
            with open(sfile) as f:
                res["strace"] = f.read()
        res["idle_snap"] = snapshot(bot.pid, binary)

        # Restart with a command waiting.
        bot.stop()
        anna = await Member(hs.url, hs.user_id(name), pw).start()
        eid = await anna.send_text(room, args.command)
        off = log_size(logpath)
        t0 = time.monotonic()
        bot.start()
        t_conn = await wait_log(logpath, r"connected to", off, 60)
        got = await anna.wait_replies(room, bot.user_id, [eid], 60,
                                      abort=bot.died)
        res["warm_connected"] = t_conn - t0 if t_conn else None
        res["warm_reply"] = got[eid][0].received - t0
    finally:
        if anna:
            await anna.close()
        bot.stop()
    return res


def fmt_s(x):
    return "     ?" if x is None else f"{x * 1000:7.0f} ms"


async def run(args):
    workroot = os.path.abspath(os.path.join(args.build, "bench-mem"))
    os.makedirs(workroot, exist_ok=True)
    hs = Synapse(os.path.join(workroot, "synapse"),
                 os.path.join(workroot, "synapse.log"))
    hs.start()
    results = []
    try:
        for spec in args.bin:
            label, _, path = spec.partition("=")
            if not os.path.exists(path):
                print(f"skipped {label}: {path} does not exist")
                continue
            print(f"profiling {label} ({path}) ...", flush=True)
            results.append(await profile(hs, label, path, args, workroot))
    finally:
        hs.stop()

    for r in results:
        print_table(f"== {r['label']}: where the memory goes "
                    f"(after start-up | after {args.n} commands | "
                    f"after {args.idle:.0f} s idle)",
                    [("start-up", r["start"]), (f"{args.n} commands", r["after"]),
                     ("idle", r["idle_snap"])], args.top)
    print("\n== summary")
    print(f"  {'build':<14} {'RSS start':>10} {'RSS after':>10} {'VmHWM':>8}"
          f" {'threads':>7} {'CPU/cmd':>9} {'idle CPU':>9} {'wake-ups':>9}"
          f" {'thr+/-':>7} {'cold->sync':>11} {'restart->reply':>15}")
    for r in results:
        idle_cpu, idle_ctx, born, died = r["idle"]
        print(f"  {r['label']:<14} {mib(r['start']['rss']):>10}"
              f" {mib(r['after']['rss']):>10} {mib(r['after']['hwm']):>8}"
              f" {len(r['after']['threads']):>7}"
              f" {r['cmd_cpu'] / args.n * 1000:7.2f}ms"
              f" {idle_cpu:8.2f}s {idle_ctx:>9}"
              f" {born:>3}/{died:<3}"
              f" {fmt_s(r['cold_first_sync']):>11} {fmt_s(r['warm_reply']):>15}")
    print(f"  (RSS in MiB; CPU/cmd over {args.n} x {args.command!r};"
          f" idle over {args.idle:.0f} s: CPU seconds, context switches of"
          f" the threads alive at its end, threads started/ended in it;"
          f" cold->sync: process start to the first sync of a new device;"
          f" restart->reply: process start to the reply to a command sent"
          f" while the bot was stopped)")
    for r in results:
        if r.get("strace"):
            print(f"\n== {r['label']}: system calls in {args.idle:.0f} s idle"
                  " (strace -c -f)")
            print(r["strace"].rstrip())
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build")
    ap.add_argument("--bin", action="append", default=[],
                    help="LABEL=PATH of a werktafel binary (repeatable)")
    ap.add_argument("-n", type=int, default=200)
    ap.add_argument("--idle", type=float, default=60)
    ap.add_argument("--command", default="!agenda")
    ap.add_argument("--top", type=int, default=16)
    ap.add_argument("--strace", action="store_true",
                    help="also count the system calls while idle")
    args = ap.parse_args()
    if not args.bin:
        args.bin = [f"crypto-on={args.build}/werktafel"]
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
