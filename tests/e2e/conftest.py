"""pytest fixtures of the end-to-end tests: one Synapse for the session,
fresh users, bot processes, and the logs of Synapse and the bot attached to
every failing test's report. A Dendrite for the session too, built and
started on first use only (fixture dendrite); a test that takes the
fixture homeserver (with hs_users and hs_bots) runs once on each server.

The build directory comes from $WERKTAFEL_BUILD (tests/run sets it;
default "build"); everything the tests write goes to BUILD/e2e/.
"""

import itertools
import json
import os
import secrets
import shutil
import sqlite3

import pytest

import e2ee_client
from bot import Bot
from dendrite import Dendrite, binaries as dendrite_binaries
from helpers import BOT_LOG, BUILD, DENDRITE_LOG, E2E, SYNAPSE_LOG
from servers import SERVERS, skip_reason
from synapse import Synapse

LOG_LIMIT = 15000     # characters of each log shown per failing test

_marks = pytest.StashKey()
_counter = itertools.count(1)


def _size(path):
    try:
        return os.path.getsize(path)
    except OSError:
        return 0


def _since(path, offset):
    """What path gained since offset (the last LOG_LIMIT characters)."""
    try:
        with open(path, "rb") as f:
            f.seek(offset)
            data = f.read().decode(errors="replace")
    except OSError:
        return "(no log)"
    if len(data) > LOG_LIMIT:
        data = "[... cut ...]\n" + data[-LOG_LIMIT:]
    return data or "(empty)"


@pytest.fixture(scope="session")
def synapse():
    """The session's Synapse on a free port, with fresh data."""
    os.makedirs(E2E, exist_ok=True)
    for p in (SYNAPSE_LOG, BOT_LOG):
        open(p, "w").close()
    shutil.rmtree(os.path.join(E2E, "bots"), ignore_errors=True)
    hs = Synapse(os.path.join(E2E, "synapse"), SYNAPSE_LOG)
    try:
        hs.start()
    except Exception:
        print(_since(SYNAPSE_LOG, 0))
        raise
    yield hs
    hs.stop()


@pytest.fixture(scope="session")
def dendrite():
    """The session's Dendrite on a free port, with fresh data; its binaries
    are built into BUILD/dendrite by tests/e2e/setup_dendrite.sh the first
    time (minutes), then reused."""
    os.makedirs(E2E, exist_ok=True)
    open(DENDRITE_LOG, "w").close()
    hs = Dendrite(os.path.join(E2E, "dendrite"), DENDRITE_LOG,
                  dendrite_binaries(BUILD))
    try:
        hs.start()
    except Exception:
        print(_since(DENDRITE_LOG, 0))
        raise
    yield hs
    hs.stop()


@pytest.fixture(params=SERVERS)
def homeserver(request):
    """Each homeserver in turn: the test runs on Synapse and on Dendrite
    (every test that takes homeserver, users or bots), unless it is marked
    server_only (servers.py), then it is skipped on the other with the
    reason."""
    return request.getfixturevalue(request.param)


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "server_only(server, reason): the test needs a feature "
        "only that homeserver has; skipped on the others (servers.py)")
    config.addinivalue_line(
        "markers", "mixed_servers: takes synapse with users/bots (an error)")


def _server_of(item):
    return getattr(getattr(item, "callspec", None), "params",
                   {}).get("homeserver")


def _select_servers(config, items):
    """E2E_SERVERS (space-separated param ids, default all): run only
    those halves, but on every server the files named in E2E_BOTH (base
    names); make asan and make valgrind use it (see the Makefile)."""
    wanted = os.environ.get("E2E_SERVERS", "").split()
    if not wanted:
        return items
    both = set(os.environ.get("E2E_BOTH", "").split())
    keep, drop = [], []
    for item in items:
        server = _server_of(item)
        if (server is None or server in wanted
                or os.path.basename(str(item.fspath)) in both):
            keep.append(item)
        else:
            drop.append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
    return keep


def pytest_collection_modifyitems(config, items):
    """Skip a server_only test on the other homeservers, with its reason
    (E2E_ALL_SERVERS=1: run it there anyway, to see if the reason holds);
    leave out the servers E2E_SERVERS does not name."""
    items[:] = _select_servers(config, items)
    for item in items:
        names = set(getattr(item, "fixturenames", ()))
        if "synapse" in names and names & {"users", "bots", "dendrite"}:
            item.add_marker(pytest.mark.mixed_servers)
    if os.environ.get("E2E_ALL_SERVERS") == "1":
        return
    for item in items:
        server = _server_of(item)
        mark = item.get_closest_marker("server_only")
        if server is None or mark is None:
            continue
        if server != mark.args[0]:
            item.add_marker(pytest.mark.skip(
                reason=skip_reason(mark.args[0], mark.args[1])))


def pytest_runtest_setup(item):
    """A test written before both servers (fixture synapse with users or
    bots, which follow homeserver) would register its users on one server
    and talk to the other: it fails with what to write instead."""
    if item.get_closest_marker("mixed_servers"):
        pytest.fail("this test takes the fixture synapse together with "
                    "users/bots (which follow homeserver): take homeserver "
                    "instead, and mark it @server_only(\"synapse\", why) "
                    "from servers.py if it needs Synapse", pytrace=False)


@pytest.fixture(autouse=True)
def _log_marks(request):
    """Remember where the logs stood when the test began."""
    request.node.stash[_marks] = (_size(SYNAPSE_LOG), _size(BOT_LOG),
                                  _size(DENDRITE_LOG))
    e2ee_client.STARTED.clear()
    yield


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Attach this test's part of synapse.log and bot.log (and the logs of
    its E2EE devices, e2ee_client.py) to a failure."""
    outcome = yield
    rep = outcome.get_result()
    if not rep.failed or _marks not in item.stash:
        return
    syn, bot, den = item.stash[_marks]
    rep.sections.append((f"bot log ({BOT_LOG}, this test)",
                         _since(BOT_LOG, bot)))
    rep.sections.append((f"synapse log ({SYNAPSE_LOG}, this test)",
                         _since(SYNAPSE_LOG, syn)))
    for path, offset in e2ee_client.STARTED:
        rep.sections.append((f"e2ee device log ({path}, this test)",
                             _since(path, offset)))
    if "dendrite" in item.fixturenames or _size(DENDRITE_LOG) > den:
        rep.sections.append((f"dendrite log ({DENDRITE_LOG}, this test)",
                             _since(DENDRITE_LOG, den)))


def _bot_secrets(b):
    """The secrets a bot holds: its password and every access token it
    kept (database, token file)."""
    found = [b.password] if b.password else []
    try:
        con = sqlite3.connect(f"file:{b.database}?mode=ro", uri=True)
        try:
            for (v,) in con.execute("SELECT value FROM kv WHERE key IN "
                                    "('matrix.access_token', "
                                    "'matrix.refresh_token')"):
                if v:
                    found.append(v)
        finally:
            con.close()
    except sqlite3.Error:
        pass
    try:
        with open(b.token_file) as f:
            text = f.read().strip()
        try:
            kept = json.loads(text)  # the JSON form (refresh tokens)
        except ValueError:
            kept = None
        if isinstance(kept, dict):
            found += [v for k, v in kept.items()
                      if k in ("access_token", "refresh_token")
                      and isinstance(v, str)]
        else:
            found.append(text)
    except OSError:
        pass
    return [s for s in found if len(s) >= 4]


def check_logs_for_secrets(request, bots, users):
    """Fail the test when a password or token it knows is in a log it
    produced (the bot's, from where it stood when the test began)."""
    if _marks not in request.node.stash:
        return
    offset = request.node.stash[_marks][1]
    try:
        with open(BOT_LOG, "rb") as f:
            f.seek(offset)
            log = f.read().decode(errors="replace")
    except OSError:
        return
    known = set(users.passwords)
    for b in bots.all:
        known.update(_bot_secrets(b))
    leaked = sorted(s for s in known if s and s in log)
    if leaked:
        pytest.fail(f"{len(leaked)} secret(s) appear in {BOT_LOG} (a password "
                    "or access token the bot must redact), e.g. one starting "
                    f"{leaked[0][:4]!r}", pytrace=False)


class Users:
    """Registers fresh users with unique names on the test's homeserver."""

    def __init__(self, hs):
        self.hs = hs
        self.passwords = []   # every password handed out, for the log check

    def new(self, prefix, admin=False):
        """(user id, password) of a new user prefix-N."""
        name = f"{prefix}-{next(_counter)}"
        password = secrets.token_urlsafe(12)
        self.passwords.append(password)
        info = self.hs.register(name, password, admin=admin)
        return info["user_id"], password


@pytest.fixture
def users(homeserver):
    """Users on the homeserver of the test (fixture homeserver: Synapse,
    then Dendrite)."""
    return Users(homeserver)


class Bots:
    """Makes bot processes with their own account and work directory, and
    stops them all when the test ends."""

    def __init__(self, hs, users, name):
        self.hs = hs
        self.users = users
        self.name = name
        self.all = []

    def new(self, networks, admins=(), homeserver=None, **kw):
        user_id, password = self.users.new("werktafel")
        workdir = os.path.join(E2E, "bots", f"{self.name}-{len(self.all)}")
        # A fresh database even when only some tests run (-k) and an
        # earlier run left this directory.
        shutil.rmtree(workdir, ignore_errors=True)
        b = Bot(workdir, BOT_LOG, homeserver or self.hs.url, user_id,
                password, networks, admins=admins, **kw)
        self.all.append(b)
        return b

    def stop_all(self):
        for b in self.all:
            b.stop()

    def memory_reports(self):
        return [r for b in self.all for r in b.memory_reports()]


@pytest.fixture
def bots(homeserver, users, request):
    """Bots on the homeserver of the test (see homeserver)."""
    name = "".join(c if c.isalnum() else "_" for c in request.node.name)
    b = Bots(homeserver, users, name[:60])
    yield b
    b.stop_all()
    check_logs_for_secrets(request, b, users)
    # Under tests/memcheck (valgrind, ASan): a finding fails the test.
    reports = b.memory_reports()
    if reports:
        pytest.fail("memory checker findings in the bot:\n" + "\n".join(reports),
                    pytrace=False)


@pytest.fixture
def hs_users(users):
    """The same as users (the name the first two-server tests used)."""
    return users


@pytest.fixture
def hs_bots(bots):
    """The same as bots."""
    return bots


def pytest_terminal_summary(terminalreporter):
    """Write the counts for tests/run (shell variable assignments)."""
    path = os.environ.get("E2E_SUMMARY")
    if not path:
        return
    st = terminalreporter.stats
    with open(path, "w") as f:
        for key in ("passed", "failed", "error", "skipped", "xfailed",
                    "xpassed"):
            f.write(f"{key}={len(st.get(key, []))}\n")
