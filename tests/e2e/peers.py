"""The peer bots of `make bench-peers` (tests/bench/peers/, built into
BUILD/peers by tests/bench/peers/setup_peers.sh) as processes, with the
same interface as bot.Bot (start, stop, died, pid, user_id), and what
/proc says about a bot's process tree (RSS, peak RSS, CPU seconds).
"""

import json
import os
import re
import signal
import subprocess
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS_SRC = os.path.normpath(os.path.join(HERE, "..", "bench", "peers"))
CLK_TCK = os.sysconf("SC_CLK_TCK")


# --- /proc ---------------------------------------------------------------

def process_tree(pid):
    """pid and every descendant of it that runs now (node and python bots
    may start helpers)."""
    children = {}
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        children.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def status_kib(pids, key):
    """Sum of /proc/PID/status `key` (VmRSS, VmHWM) in KiB over pids."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith(key + ":"):
                        total += int(line.split()[1])
        except OSError:
            pass
    return total


def cpu_seconds(pids):
    """utime + stime of pids in seconds (/proc/PID/stat fields 14, 15)."""
    total = 0
    for p in pids:
        try:
            with open(f"/proc/{p}/stat") as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        total += int(fields[11]) + int(fields[12])
    return total / CLK_TCK


# --- versions ------------------------------------------------------------

def pinned(path, name):
    """The version pinned for name in a requirements.txt or go.mod."""
    try:
        with open(path) as f:
            text = f.read()
    except OSError:
        return "?"
    m = re.search(rf"^\s*(?:require\s+)?{re.escape(name)}(?:==|\s+)(\S+)",
                  text, re.M | re.I)
    return m.group(1) if m else "?"


def command_output(argv):
    """First line of argv's output, or '?' when it cannot run."""
    try:
        out = subprocess.run(argv, capture_output=True, text=True, timeout=20)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, subprocess.SubprocessError, IndexError):
        return "?"


# --- the peers -----------------------------------------------------------

class Peer:
    """One peer bot process: argv run in workdir, output to logpath."""

    def __init__(self, name, command, user_id, argv, workdir, logpath,
                 version, relation=True, env=None):
        self.name = name
        self.command = command      # what the driver sends it
        self.user_id = user_id
        self.argv = argv
        self.workdir = workdir
        self.logpath = logpath
        self.version = version
        self.relation = relation    # do its replies carry m.in_reply_to?
        self.env = env or {}
        self.proc = None
        os.makedirs(workdir, exist_ok=True)

    def start(self):
        env = dict(os.environ)
        env.update(self.env)
        with open(self.logpath, "ab") as log:
            log.write(f"\n=== {self.name} start at "
                      f"{time.strftime('%H:%M:%S')} ===\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                self.argv, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                cwd=self.workdir, env=env, start_new_session=True)
        return self

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def died(self):
        if self.proc is None:
            return f"{self.name} is not started"
        rc = self.proc.poll()
        if rc is None:
            return None
        return f"{self.name} exited with status {rc} (log: {self.logpath})"

    def stop(self, timeout=10):
        """SIGTERM to its process group, then SIGKILL after timeout."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
            except ProcessLookupError:
                pass
        rc = self.proc.returncode
        self.proc = None
        return rc


def unbuilt(peers_dir, name):
    """Why peer name is not built (BUILD/peers/NAME.failed), or None."""
    failed = os.path.join(peers_dir, name + ".failed")
    if os.path.exists(failed):
        with open(failed, errors="replace") as f:
            return f.read().strip()
    if not os.path.exists(os.path.join(peers_dir, name + ".stamp")):
        return f"{name} is not built (run tests/bench/peers/setup_peers.sh)"
    return None


def reminder_config(workdir, homeserver, user_id, password):
    """matrix-reminder-bot's config.yaml (JSON is YAML); returns its path."""
    cfg = {
        "command_prefix": "!",
        "matrix": {"user_id": user_id, "user_password": password,
                   "homeserver_url": homeserver, "device_id": "BENCHREMINDER",
                   "device_name": "bench"},
        "storage": {"database": "sqlite://" + os.path.join(workdir, "bot.db"),
                    "store_path": os.path.join(workdir, "store")},
        "reminders": {"timezone": "Europe/Amsterdam"},
        "allowlist": {"enabled": False, "regexes": []},
        "blocklist": {"enabled": False, "regexes": []},
        "logging": {"level": "WARNING",
                    "file_logging": {"enabled": False},
                    "console_logging": {"enabled": True}},
    }
    path = os.path.join(workdir, "config.yaml")
    with open(path, "w") as f:
        json.dump(cfg, f, indent=1)
    return path


def make_peers(build, homeserver, accounts, here):
    """[(name, Peer or None, why not)] for the peers accounts names (of
    the four). accounts maps a peer name to (localpart, user id,
    password)."""
    peers_dir = os.path.abspath(os.path.join(build, "peers"))
    out = []

    def add(name, make):
        if name not in accounts:        # not asked for (BENCH_PEERS)
            return
        why = unbuilt(peers_dir, name)
        if why:
            out.append((name, None, why))
            return
        workdir = os.path.join(here, name)
        os.makedirs(workdir, exist_ok=True)
        local, uid, pw = accounts[name]
        out.append((name, make(workdir, local, uid, pw), None))

    go_mod = os.path.join(PEERS_SRC, "mautrix-go", "go.mod")
    add("mautrix-go", lambda w, local, uid, pw: Peer(
        "mautrix-go", "!ping", uid,
        [os.path.join(peers_dir, "mautrix-go-ping"), homeserver, local, pw],
        w, os.path.join(here, "mautrix-go.log"),
        f"mautrix-go {pinned(go_mod, 'maunium.net/go/mautrix')}, "
        + command_output(["go", "version"]).replace("go version ", "")))

    mp_req = os.path.join(PEERS_SRC, "mautrix-python", "requirements.txt")
    mp_py = os.path.join(peers_dir, "mautrix-python", "bin", "python")
    add("mautrix-python", lambda w, local, uid, pw: Peer(
        "mautrix-python", "!ping", uid,
        [mp_py, os.path.join(PEERS_SRC, "mautrix-python", "ping_bot.py"),
         homeserver, local, pw],
        w, os.path.join(here, "mautrix-python.log"),
        f"mautrix {pinned(mp_req, 'mautrix')}, aiohttp "
        f"{pinned(mp_req, 'aiohttp')}, "
        + command_output([mp_py, "--version"])))

    sdk = os.path.join(PEERS_SRC, "matrix-bot-sdk")
    sdk_pkg = os.path.join(peers_dir, "matrix-bot-sdk", "node_modules",
                           "matrix-bot-sdk", "package.json")

    def sdk_version():
        try:
            with open(sdk_pkg) as f:
                return json.load(f)["version"]
        except (OSError, ValueError, KeyError):
            return "?"
    add("matrix-bot-sdk", lambda w, local, uid, pw: Peer(
        "matrix-bot-sdk", "!ping", uid,
        ["node", "-r", os.path.join(sdk, "nocrypto.js"),
         os.path.join(sdk, "bot.js"), homeserver, local, pw,
         os.path.join(w, "bot.json")],
        w, os.path.join(here, "matrix-bot-sdk.log"),
        f"matrix-bot-sdk {sdk_version()} (crypto module not loaded), node "
        + command_output(["node", "--version"]),
        env={"NODE_PATH": os.path.join(peers_dir, "matrix-bot-sdk",
                                       "node_modules")}))

    rb_req = os.path.join(PEERS_SRC, "matrix-reminder-bot", "requirements.txt")
    rb_bin = os.path.join(peers_dir, "matrix-reminder-bot", "bin")
    add("matrix-reminder-bot", lambda w, local, uid, pw: Peer(
        "matrix-reminder-bot", "!help", uid,
        [os.path.join(rb_bin, "python"),
         os.path.join(rb_bin, "matrix-reminder-bot"),
         reminder_config(w, homeserver, uid, pw)],
        w, os.path.join(here, "matrix-reminder-bot.log"),
        f"matrix-reminder-bot {pinned(rb_req, 'matrix-reminder-bot')}, "
        f"matrix-nio {pinned(rb_req, 'matrix-nio')} with vodozemac "
        f"{pinned(rb_req, 'vodozemac')} (encryption on, rooms plain), "
        + command_output([os.path.join(rb_bin, "python"), "--version"]),
        relation=False))
    return out
