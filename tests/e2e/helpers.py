"""Shared steps of the bot tests: a "world" is one or more networks whose
rooms a member created, a bot configured with those rooms and started, and
the bot invited and joined.
"""

import asyncio
import contextlib
import datetime
import os

from bot import Network
from client import Member

BUILD = os.path.abspath(os.environ.get("WERKTAFEL_BUILD", "build"))
# Under pytest-xdist (tests/run: E2E_JOBS) each worker has its own
# homeservers, bots and logs: BUILD/e2e/gw0, gw1, ...
E2E = os.path.join(BUILD, "e2e", os.environ.get("PYTEST_XDIST_WORKER", ""))
SYNAPSE_LOG = os.path.join(E2E, "synapse.log")
DENDRITE_LOG = os.path.join(E2E, "dendrite.log")
BOT_LOG = os.path.join(E2E, "bot.log")

# How long the bot may take to join after the invite. Once one test has
# seen the bot never join, later tests wait less: they still run and fail,
# but the suite does not spend minutes on the same timeout.
JOIN_TIMEOUT = 30
JOIN_TIMEOUT_AFTER_FAILURE = 8
REPLY_TIMEOUT = 20
_state = {"join_failed": False}

HTML = "org.matrix.custom.html"


def run(coro, timeout=240):
    """Run one test's async body with an overall time limit."""
    return asyncio.run(asyncio.wait_for(coro, timeout))


class World:
    def __init__(self, synapse, bot, member, rooms):
        self.synapse = synapse
        self.bot = bot
        self.anna = member            # admin of every network in the config
        self.rooms = rooms            # network name -> room id
        self.others = []

    @property
    def bot_id(self):
        return self.bot.user_id

    async def command(self, room, body):
        """Send body as anna in room (a network name); returns event id."""
        return await self.anna.send_text(self.rooms.get(room, room), body)

    async def ask(self, room, body, timeout=REPLY_TIMEOUT, settle=0.0):
        """Send one command and return its replies (at least one)."""
        room_id = self.rooms.get(room, room)
        eid = await self.anna.send_text(room_id, body)
        got = await self.anna.wait_replies(room_id, self.bot_id, [eid],
                                           timeout, settle=settle,
                                           abort=self.bot.died)
        return eid, got[eid]

    async def wait_joined(self, room_id):
        timeout = (JOIN_TIMEOUT_AFTER_FAILURE if _state["join_failed"]
                   else JOIN_TIMEOUT)
        try:
            await self.anna.wait_membership(room_id, self.bot_id, "join",
                                            timeout, abort=self.bot.died)
        except (TimeoutError, AssertionError):
            _state["join_failed"] = True
            raise


@contextlib.asynccontextmanager
async def world(synapse, users, bots, nets=(("noord", "nl"),),
                homeserver=None, start=True, admins=None, tz=None, **bot_kw):
    """Create the rooms, write the config with their ids, start the bot,
    invite it to every room and wait until it joined. nets: (name, lang);
    admins: the config's admins (default: anna, who creates the rooms);
    tz: the networks' time zone (default Europe/Amsterdam)."""
    anna_id, anna_pw = users.new("anna")
    anna = await Member(synapse.url, anna_id, anna_pw).start()
    try:
        rooms = {}
        for name, _lang in nets:
            rooms[name] = await anna.create_room(f"Werktafel {name}")
        networks = [Network(name, [rooms[name]], language=lang,
                            **({"timezone": tz} if tz else {}))
                    for name, lang in nets]
        bot = bots.new(networks, admins=[anna_id] if admins is None else admins,
                       homeserver=homeserver, **bot_kw)
        w = World(synapse, bot, anna, rooms)
        if start:
            bot.start()
            for room_id in rooms.values():
                await anna.invite(room_id, bot.user_id)
            for room_id in rooms.values():
                await w.wait_joined(room_id)
        yield w
    finally:
        await anna.close()


async def joined_member(synapse, users, w, prefix):
    """A new user invited by anna and joined to the network's room."""
    uid, pw = users.new(prefix)
    m = await Member(synapse.url, uid, pw).start()
    room = w.rooms["noord"]
    await w.anna.invite(room, uid)
    await m.wait_for(lambda: room in m.invites, 10, f"the invite of {uid}")
    await m.join(room)
    await w.anna.wait_membership(room, uid, "join", 10)
    return uid, m


async def ask_as(member, w, body):
    """Send body as member in the room; return (event id, replies)."""
    room = w.rooms["noord"]
    eid = await member.send_text(room, body)
    got = await member.wait_replies(room, w.bot_id, [eid], REPLY_TIMEOUT,
                                    abort=w.bot.died)
    return eid, got[eid]


def meeting_date(days=21):
    """A date for `plan`: days from now at 19:30, as DD-MM-YYYY HH:MM."""
    d = datetime.date.today() + datetime.timedelta(days=days)
    return d.strftime("%d-%m-%Y") + " 19:30"


def shows(reply, user_id):
    """1 when reply shows user_id as replies show people: their pill (a
    matrix.to link) in formatted_body, their name in body, not the id."""
    html = reply.formatted_body or ""
    return (f'<a href="https://matrix.to/#/{user_id}">' in html
            and user_id not in (reply.body or ""))


def text_of(replies):
    """All reply bodies, for assertion messages."""
    return "\n".join(str(r.body) for r in replies)


def check_reply(reply, command_id):
    """A bot reply: a message answering the command, with a plain body and
    an HTML formatted_body; or an m.file answering it, with an mxc:// URL."""
    assert reply.in_reply_to == command_id, \
        f"reply {reply.event_id} is not a reply to {command_id}: {reply.raw}"
    assert isinstance(reply.body, str) and reply.body.strip(), reply.raw
    if reply.msgtype == "m.file":
        # A file the bot uploaded: its name as body, an mxc:// URL.
        assert isinstance(reply.url, str) and reply.url.startswith("mxc://"), \
            reply.raw
        return
    assert reply.format == HTML, f"format is {reply.format!r}: {reply.raw}"
    assert isinstance(reply.formatted_body, str) and reply.formatted_body, \
        reply.raw


def exactly_once(got):
    """Assert every command in {event id: [replies]} has exactly one."""
    counts = {eid: len(rs) for eid, rs in got.items()}
    wrong = {eid: n for eid, n in counts.items() if n != 1}
    assert not wrong, (f"{len(wrong)} of {len(counts)} commands not answered "
                       f"exactly once: {wrong}")
