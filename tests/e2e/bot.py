"""The werktafel process under test: write its ini config, start it, stop
it, SIGKILL it, and read its peak memory.

The binary is $WERKTAFEL_BIN (default ./werktafel). Its stderr and stdout
are appended to one log file (BUILD/e2e/bot.log in the tests).

$WERKTAFEL_WRAPPER, when set, is a command line put in front of the binary
(e.g. "valgrind --error-exitcode=99 --leak-check=full ..."; tests/memcheck
sets it); stops then wait longer. memory_reports() returns what a memory
checker said about this bot's processes: the files it wrote to
$WERKTAFEL_MEMCHECK_DIR (valgrind vg.PID.log, ASan/UBSan asan.PID and
ubsan.PID) and the exit statuses that mean a finding (99: valgrind; 23:
LeakSanitizer); the e2e fixture fails the test on any.
"""

import glob
import os
import re
import shlex
import signal
import subprocess
import time
from dataclasses import dataclass, field


@dataclass
class Network:
    """One [network.NAME] section."""
    name: str
    rooms: list
    language: str = "nl"
    timezone: str = "Europe/Amsterdam"
    themes: list = field(default_factory=lambda: [
        "preventie", "samenwerking", "digitalisering",
        "arbeidsmarkt", "mantelzorg", "wonen"])
    # Direct chats the bot opens are encrypted by default; the matrix-nio
    # members of most tests have no end-to-end encryption, so theirs are
    # plain (tests/e2e/test_e2ee*.py set it).
    encrypt_direct_chats: bool = False


# The flood limit of the tests' bots unless a test sets its own: above any
# rate the tests reach.
HIGH_LIMIT = 1000000


def default_binary():
    return os.path.abspath(os.environ.get("WERKTAFEL_BIN", "./werktafel"))


def wrapper():
    """The command line in front of the binary ([] for none)."""
    return shlex.split(os.environ.get("WERKTAFEL_WRAPPER", ""))


# Exit statuses that mean the memory checker found something.
CHECKER_EXIT = {99: "valgrind reported errors (--error-exitcode=99)",
                23: "LeakSanitizer reported leaks"}
VALGRIND_ERRORS = re.compile(r"ERROR SUMMARY: ([1-9][0-9]*) errors")


def memcheck_files(pid):
    """What the memory checker wrote for process pid: [(path, text)] of
    reports that hold a finding."""
    d = os.environ.get("WERKTAFEL_MEMCHECK_DIR")
    if not d or pid is None:
        return []
    found = []
    for path in sorted(glob.glob(os.path.join(d, f"*.{pid}*"))):
        try:
            with open(path, errors="replace") as f:
                text = f.read()
        except OSError:
            continue
        name = os.path.basename(path)
        if name.startswith("vg.") and not VALGRIND_ERRORS.search(text):
            continue
        found.append((path, text))
    return found


class Bot:
    """One werktafel process with its own config, database and account."""

    def __init__(self, workdir, logpath, homeserver, user_id, password,
                 networks, admins=(), language="nl",
                 timezone="Europe/Amsterdam", transport="http",
                 log_level="debug", device_id=None, binary=None,
                 extra_env=None, commands_per_minute=HIGH_LIMIT,
                 command_burst=HIGH_LIMIT, displayname=None, avatar=None,
                 replies=None, extra_ini=""):
        self.workdir = os.path.abspath(workdir)
        self.logpath = os.path.abspath(logpath)
        self.homeserver = homeserver
        self.user_id = user_id
        self.password = password
        self.networks = list(networks)
        self.admins = list(admins)
        self.language = language
        self.timezone = timezone
        self.transport = transport
        self.log_level = log_level
        self.device_id = device_id
        # The tests send hundreds of commands from one client; the flood
        # limit stays on, set high (tests/e2e/test_flood.py sets it low).
        self.commands_per_minute = commands_per_minute
        self.command_burst = command_burst
        # [bot] displayname / avatar: the bot's profile (None: not set).
        self.displayname = displayname
        self.avatar = avatar
        self.replies = replies  # [bot] replies: None (default), notice, text
        self.extra_ini = extra_ini  # more sections, e.g. "[web]\nlisten = ..."
        self.binary = binary or default_binary()
        self.extra_env = extra_env or {}
        self.proc = None
        self.starts = 0
        self.pids = []          # every process started, for memory_reports
        self.exits = []         # their exit statuses after a stop
        os.makedirs(self.workdir, exist_ok=True)
        self.config_path = os.path.join(self.workdir, "werktafel.ini")
        self.database = os.path.join(self.workdir, "werktafel.db")
        self.token_file = os.path.join(self.workdir, "access_token")

    def config_text(self):
        """The ini file, in the format of config.example.ini."""
        lines = [
            "# written by the end-to-end tests",
            "[matrix]",
            f"homeserver = {self.homeserver}",
            f"user_id = {self.user_id}",
            f"password = {self.password}",
            f"transport = {self.transport}",
        ]
        if self.device_id:
            lines.append(f"device_id = {self.device_id}")
        lines += [
            "",
            "[bot]",
            f"database = {self.database}",
            f"log_level = {self.log_level}",
            f"language = {self.language}",
            f"timezone = {self.timezone}",
        ]
        # None: the bot's own defaults (run_local.py, like a real setup).
        if self.commands_per_minute is not None:
            lines.append(f"commands_per_minute = {self.commands_per_minute}")
        if self.command_burst is not None:
            lines.append(f"command_burst = {self.command_burst}")
        if self.replies is not None:
            lines.append(f"replies = {self.replies}")
        if self.admins:
            lines.append("admins = " + ", ".join(self.admins))
        if self.displayname is not None:
            lines.append(f"displayname = {self.displayname}")
        if self.avatar is not None:
            lines.append(f"avatar = {self.avatar}")
        for net in self.networks:
            lines += [
                "",
                f"[network.{net.name}]",
                "rooms = " + ", ".join(net.rooms),
                "themes = " + ", ".join(net.themes),
                f"language = {net.language}",
                f"timezone = {net.timezone}",
                "encrypt_direct_chats = "
                + ("yes" if net.encrypt_direct_chats else "no"),
            ]
        if self.extra_ini:
            lines += ["", self.extra_ini.rstrip("\n")]
        return "\n".join(lines) + "\n"

    def write_config(self):
        with open(self.config_path, "w") as f:
            f.write(self.config_text())
        os.chmod(self.config_path, 0o600)

    def start(self, foreground=False):
        """Start the bot (config rewritten first). foreground: its output
        goes to our terminal instead of the log file."""
        if self.running():
            raise RuntimeError("bot already running")
        self.write_config()
        self.starts += 1
        env = dict(os.environ)
        env.update(self.extra_env)
        args = wrapper() + [self.binary, "--config", self.config_path]
        if foreground:
            self.proc = subprocess.Popen(args, cwd=self.workdir, env=env)
            return self
        with open(self.logpath, "ab") as log:
            log.write(f"\n=== werktafel start #{self.starts} "
                      f"({self.user_id}) at {time.strftime('%H:%M:%S')} "
                      f"===\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                args, stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                cwd=self.workdir, env=env, start_new_session=True)
        self.pids.append(self.proc.pid)
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def died(self):
        """None while the bot runs as it should; else why it does not."""
        if self.proc is None:
            return "the bot is not started"
        rc = self.proc.poll()
        if rc is None:
            return None
        return f"the bot exited with status {rc} (log: {self.logpath})"

    def stop(self, timeout=10):
        """SIGTERM, then SIGKILL after timeout. Returns the exit status."""
        if self.proc is None:
            return None
        if wrapper():
            timeout = max(timeout, 120)  # valgrind's leak check at exit
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        rc = self.proc.returncode
        self.exits.append(rc)
        self.proc = None
        return rc

    def memory_reports(self):
        """Findings of the memory checker for this bot's processes (list of
        strings; empty when clean or when no checker runs)."""
        out = []
        for pid in self.pids:
            for path, text in memcheck_files(pid):
                out.append(f"{path}:\n{text[-6000:]}")
        for rc in self.exits:
            if rc in CHECKER_EXIT:
                out.append(f"exit status {rc}: {CHECKER_EXIT[rc]}")
        return out

    def kill(self):
        """SIGKILL: no chance to clean up, as in a crash."""
        if self.running():
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def peak_rss_kb(self):
        """VmHWM of the running bot in KiB (None when unknown)."""
        if not self.running():
            return None
        try:
            with open(f"/proc/{self.proc.pid}/status") as f:
                for line in f:
                    if line.startswith("VmHWM:"):
                        return int(line.split()[1])
        except OSError:
            return None
        return None
