"""The bot as a systemd service (issue 21, item 4), driven as systemd
drives it: NOTIFY_SOCKET is a real unix datagram socket of the test,
WATCHDOG_USEC asks for pings, JOURNAL_STREAM names the bot's stderr, and
SIGHUP is systemctl reload. READY=1 comes only after the first sync that
worked (the first ones fail through the fault proxy), WATCHDOG=1 keeps
coming from the event loop, SIGHUP applies log_level at once and names
[matrix] homeserver as needing a restart, and the log lines carry syslog
priorities."""

import asyncio
import os
import re
import shutil
import signal
import socket
import subprocess
import threading
import time

import pytest

from faultproxy import FaultProxy
from helpers import BOT_LOG, E2E, run, world


class NotifySocket:
    """What the bot sends to $NOTIFY_SOCKET, with the time it came."""

    def __init__(self, path):
        self.path = path
        if os.path.exists(path):
            os.unlink(path)
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.sock.bind(path)
        self.sock.settimeout(0.2)
        self.got = []
        self.lock = threading.Lock()
        self.done = False
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self):
        while not self.done:
            try:
                data = self.sock.recv(4096)
            except socket.timeout:
                continue
            except OSError:
                return
            with self.lock:
                self.got.append((time.monotonic(), data.decode()))

    def messages(self):
        with self.lock:
            return list(self.got)

    def wait(self, pred, timeout, what, abort=None):
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            hit = [m for m in self.messages() if pred(m[1])]
            if hit:
                return hit
            if abort and abort():
                raise AssertionError(abort())
            time.sleep(0.05)
        raise AssertionError(f"no {what} on NOTIFY_SOCKET; got {self.messages()}")

    def close(self):
        self.done = True
        self.thread.join(2)
        self.sock.close()
        os.unlink(self.path)


def log_since(bot, offset):
    with open(bot.logpath, errors="replace") as f:
        f.seek(offset)
        return f.read()


def wait_log(bot, offset, text, timeout=10):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if text in log_since(bot, offset):
            return
        time.sleep(0.1)
    raise AssertionError(f"{text!r} not in the bot log:\n{log_since(bot, offset)[-3000:]}")


def test_notify_watchdog_reload(homeserver, users, bots):
    os.makedirs(E2E, exist_ok=True)
    notify = NotifySocket(os.path.join(E2E, f"notify-{os.getpid()}.sock"))
    proxy = FaultProxy(homeserver.url).start()
    # the first two syncs fail: no READY=1 before one works
    proxy.fail("GET", r"/sync", "500", count=2)

    async def body():
        logst = os.stat(BOT_LOG)
        env = {"NOTIFY_SOCKET": notify.path, "WATCHDOG_USEC": "1000000",
               "JOURNAL_STREAM": f"{logst.st_dev}:{logst.st_ino}"}
        async with world(homeserver, users, bots, homeserver=proxy.url,
                         extra_env=env, log_level="info") as w:
            bot = w.bot
            ready = notify.wait(lambda m: m.startswith("READY=1"), 30,
                                "READY=1", abort=bot.died)
            assert len(ready) == 1
            ready_at = ready[0][0]
            syncs = proxy.requests("GET", r"/sync")
            ok = [r for r in syncs if r[3] == 200]
            failed = [r for r in syncs if r[3] == 500]
            assert len(failed) == 2, syncs
            assert ok and ok[0][0] < ready_at, (syncs, ready_at)
            assert all(r[0] < ready_at for r in failed)
            # the bot answers
            _, replies = await w.ask("noord", "!hulp")
            assert replies
            # pings every half second from the loop
            time.sleep(2.5)
            pings = [m for m in notify.messages() if m[1] == "WATCHDOG=1"]
            assert len(pings) >= 4, notify.messages()

            # SIGHUP: log_level applied at once, homeserver needs a restart
            offset = os.path.getsize(bot.logpath)
            bot.log_level = "debug"
            bot.homeserver = homeserver.url
            bot.write_config()
            os.kill(bot.pid, signal.SIGHUP)
            wait_log(bot, offset, "<6>config read again, applied now: [bot] log_level")
            wait_log(bot, offset, "<4>config changed, but these keys take effect "
                     "only after a restart: [matrix] homeserver")
            notify.wait(lambda m: m.startswith("RELOADING=1\nMONOTONIC_USEC="), 10,
                        "RELOADING=1")
            readies = notify.wait(lambda m: m.startswith("READY=1"), 10, "READY=1")
            end = time.monotonic() + 5
            while len(readies) < 2 and time.monotonic() < end:
                time.sleep(0.05)
                readies = [m for m in notify.messages() if m[1].startswith("READY=1")]
            assert len(readies) == 2, notify.messages()
            # still answering, through the proxy it started with
            before = len(proxy.requests("PUT", r"/send/"))
            _, replies = await w.ask("noord", "!help")
            # The proxy logs a request when the homeserver's answer is
            # back, which may be after the client saw the reply.
            end = time.monotonic() + 10
            while (len(proxy.requests("PUT", r"/send/")) <= before
                   and time.monotonic() < end):
                await asyncio.sleep(0.05)
            assert replies and len(proxy.requests("PUT", r"/send/")) > before
            # debug lines now, with priority 7
            wait_log(bot, offset, "<7>")
            # a broken file: said, and the running config stays
            with open(bot.config_path, "a") as f:
                f.write("nonsense_key = 1\n")
            offset = os.path.getsize(bot.logpath)
            os.kill(bot.pid, signal.SIGHUP)
            wait_log(bot, offset, "<3>config not read again (the running one stays)")
            _, replies = await w.ask("noord", "!hulp")
            assert replies
            assert bot.stop() == 0
            notify.wait(lambda m: m == "STOPPING=1", 5, "STOPPING=1")

    try:
        run(body())
    finally:
        notify.close()
        proxy.stop()


def filter_groups():
    """Every group of systemd-analyze syscall-filter: name -> members."""
    out = subprocess.run(["systemd-analyze", "syscall-filter"], check=True,
                         capture_output=True, text=True).stdout
    groups, cur = {}, None
    for line in out.splitlines():
        word = line.strip()
        if not word or word.startswith("#"):
            continue
        if not line.startswith(" ") and word.startswith("@"):
            cur = groups.setdefault(word, [])
        elif cur is not None:
            cur.append(word)
    return groups


def unit_allows():
    """The system calls dist/werktafel.service.in's SystemCallFilter= lines
    allow (the allow list, minus each ~ deny list)."""
    groups = filter_groups()

    def expand(names):
        out = set()
        for n in names:
            out |= expand(groups.get(n, [])) if n.startswith("@") else {n}
        return out
    allowed = None
    with open("dist/werktafel.service.in") as f:
        for line in f:
            if not line.startswith("SystemCallFilter="):
                continue
            value = line.split("=", 1)[1].split()
            if value[0].startswith("~"):
                allowed -= expand([value[0][1:]] + value[1:])
            else:
                allowed = (allowed or set()) | expand(value)
    return allowed


def traced_calls(path):
    """The system call names in an strace -f log."""
    calls = set()
    pat = re.compile(r"^\d+\s+(?:<\.\.\. )?([a-z0-9_]+)[( ]")
    with open(path, errors="replace") as f:
        for line in f:
            m = pat.match(line)
            if m:
                calls.add(m.group(1))
    return calls


@pytest.mark.skipif(not shutil.which("strace") or not shutil.which("systemd-analyze")
                    or bool(os.environ.get("WERKTAFEL_WRAPPER"))
                    or bool(os.environ.get("WERKTAFEL_MEMCHECK_DIR")),
                    reason="needs strace and systemd-analyze, and no other wrapper or "
                           "memory checker (their own system calls are not the bot's)")
def test_system_calls_within_the_units_filter(homeserver, users, bots, monkeypatch):
    """The bot, traced through start-up (login, crypto store, first sync),
    commands and a clean stop, makes only system calls the unit's
    SystemCallFilter= allows (fchown only as root: SQLite gives a new
    journal file the database's owner, and ignores a refusal)."""
    trace = os.path.join(E2E, f"strace-{os.getpid()}.log")
    monkeypatch.setenv("WERKTAFEL_WRAPPER", f"strace -f -qq -o {trace}")

    async def body():
        async with world(homeserver, users, bots) as w:
            for cmd in ("!hulp", "!agenda", "!herinneringen"):
                _, replies = await w.ask("noord", cmd)
                assert replies
            # SIGTERM to the bot itself (its parent is strace)
            with open(f"/proc/{w.bot.pid}/task/{w.bot.pid}/children") as f:
                child = int(f.read().split()[0])
            os.kill(child, signal.SIGTERM)
            w.bot.proc.wait(30)
            assert w.bot.proc.returncode == 0
    run(body())
    used = traced_calls(trace)
    assert "sendto" in used and "epoll_wait" in used, sorted(used)
    outside = used - unit_allows()
    if os.geteuid() == 0:
        outside.discard("fchown")
    assert not outside, f"system calls the unit refuses: {sorted(outside)}"
    os.unlink(trace)
