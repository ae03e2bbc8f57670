"""The bot in end-to-end encrypted rooms (issue 14, item 7), against a real
E2EE client nobody here wrote: matrix-js-sdk with its Rust crypto (the
stack of Element Web), one Node process per simulated device
(tests/e2e/e2ee_client.py). The rooms are created as Element creates a
private room: m.room.encryption in the initial state.

Cases: commands in an encrypted Dutch and English room are answered
encrypted and the client decrypts the answers; a member who joins later
reads the bot's next reply; a member's second device reads it too; the
calendar file from `!agenda ics` is an encrypted attachment that decrypts
to a valid .ics; a command whose room key arrives after it is answered
once; a SIGKILL of the bot while it shares its room key loses nothing and
doubles nothing; the restarted bot keeps its device and keys; and no event
the bot sent into an encrypted room is plaintext (its reactions too).

Every wait is bounded and says what it waited for.
"""

import asyncio
import contextlib
import datetime
import os
import shutil
import time

from zoneinfo import ZoneInfo

from bot import Network
from e2ee_client import Device, relation
from faultproxy import FaultProxy
from helpers import JOIN_TIMEOUT, meeting_date, run
from servers import NO_XSIGN, server_only

WAIT = 30            # a reply, a join, a device's keys
SETTLE = 4           # after a reply: time for a second one to show
KEYS_TIMEOUT = 30    # the bot's device keys on the server
ENCRYPTED = "m.room.encrypted"
ACK = "\u2705"


class EWorld:
    """Encrypted rooms anna created on her device, and the bot in them."""

    def __init__(self, homeserver, users, bot, anna, rooms):
        self.homeserver = homeserver
        self.users = users
        self.bot = bot
        self.anna = anna             # anna's first device (admin)
        self.rooms = rooms           # network name -> room id
        self.devices = [anna]        # every device started, closed at the end
        self.bot_keys = {}           # the bot's device: {device_id: keys}

    @property
    def bot_id(self):
        return self.bot.user_id

    async def device(self, name, user=None):
        """Start another device: of a new user (prefix name), or of user
        ((user id, password)) again. Joins nothing."""
        uid, pw = user or self.users.new(name)
        d = Device(self.homeserver.url, uid, pw, name)
        self.devices.append(d)
        await d.start()
        return d

    async def member(self, name, net="noord"):
        """A new user's device, invited by anna and joined to net's room."""
        d = await self.device(name)
        room = self.rooms[net]
        await self.anna.invite(room, d.user_id)
        await d.join(room)
        await self.anna.wait_membership(room, d.user_id, "join", WAIT)
        return d

    async def ask(self, dev, net, text, n=1, settle=SETTLE, timeout=WAIT):
        """Send text from dev in net's room; wait for n decrypted replies
        from the bot on dev (then settle seconds more); returns (event id,
        replies)."""
        room = self.rooms.get(net, net)
        eid, _ = await dev.send(room, text)
        return eid, await replies(dev, room, self.bot_id, eid, n, settle,
                                  timeout, self.bot.died)

    async def wait_bot_device(self, timeout=KEYS_TIMEOUT):
        """Wait until the bot's device has keys on the server and anna's
        crypto knows them (else anna would not encrypt for the bot)."""
        deadline = time.monotonic() + timeout
        while True:
            keys = await self.anna.keys_query(self.bot_id)
            keys = {d: k for d, k in keys.items() if k.get("ed25519")}
            if keys:
                known = await self.anna.devices(self.bot_id)
                if set(keys) <= set(known):
                    self.bot_keys = keys
                    return keys
            why = self.bot.died()
            if why:
                raise AssertionError(f"{why} (waiting for its device keys)")
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"the bot's device has no keys on the server after "
                    f"{timeout}s (server: {keys}): the bot does not take "
                    f"part in end-to-end encryption, so nobody can encrypt "
                    f"for it")
            await asyncio.sleep(0.5)


async def replies(dev, room, bot_id, eid, n=1, settle=SETTLE, timeout=WAIT,
                  abort=None):
    """Wait until dev decrypted n replies from the bot to eid, then settle
    seconds more; returns them all."""
    await dev.wait_for(
        lambda: len(dev.replies_to(room, bot_id, [eid])[eid]) >= n, timeout,
        f"{n} decrypted repl{'y' if n == 1 else 'ies'} from the bot to {eid} "
        f"on {dev.name} ({undecryptable(dev, room, bot_id)})", abort)
    if settle:
        await asyncio.sleep(settle)
    return dev.replies_to(room, bot_id, [eid])[eid]


async def poll_async(predicate, timeout, what, abort=None):
    """Wait until await predicate() is true (asked every 0.5 s);
    TimeoutError naming what."""
    deadline = time.monotonic() + timeout
    while True:
        if abort and abort():
            raise AssertionError(f"{abort()} (waiting for {what})")
        if await predicate():
            return
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.5)


async def poll(predicate, timeout, what, abort=None):
    """Wait until predicate() (checked every 0.2 s); TimeoutError naming
    what. abort() (the bot died) raises at once."""
    deadline = time.monotonic() + timeout
    while not predicate():
        why = abort() if abort else None
        if why:
            raise AssertionError(f"{why} (waiting for {what})")
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.2)


async def wait_keys_on_server(dev, new, timeout=WAIT):
    """Wait until new's device keys are on the server (dev asks): from
    then on the bot's next sync tells it about the new device."""
    deadline = time.monotonic() + timeout
    while new.device_id not in await dev.keys_query(new.user_id):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{new.name}'s device keys not on the server "
                               f"after {timeout}s")
        await asyncio.sleep(0.3)


def undecryptable(dev, room, bot_id):
    """What dev has from the bot in room, for timeout messages."""
    evs = [e for e in dev.messages(room, bot_id, decrypted_only=False)
           if e["type"] != "m.room.member"]
    bad = [e for e in evs if e["encrypted"] and not e["decrypted"]]
    plain = [e for e in evs if not e["encrypted"]]
    return (f"from the bot so far: {len(evs)} event(s), {len(bad)} not "
            f"decryptable, {len(plain)} in plaintext")


def check_encrypted_reply(w, reply, command_id):
    """A reply the bot encrypted with its device's key, answering the
    command."""
    e = reply.raw
    assert e["encrypted"] and e["decrypted"], e
    assert e["wire_type"] == ENCRYPTED, e
    assert reply.in_reply_to == command_id, \
        f"reply {reply.event_id} answers {reply.in_reply_to}, not {command_id}"
    assert isinstance(reply.body, str) and reply.body.strip(), e
    if w.bot_keys:
        assert e["claimed_ed25519"] in [k["ed25519"] for k in w.bot_keys.values()], \
            (e, w.bot_keys)


async def assert_nothing_plaintext(w, dev, room, at_least=()):
    """Over every event the bot sent to the room as the server holds it:
    none is plaintext (state events aside: membership; redactions carry no
    reason). at_least: event ids that must be among them."""
    raw = await dev.raw_events(room)
    mine = [e for e in raw if e.get("sender") == w.bot_id]
    ids = {e["event_id"] for e in mine}
    missing = [eid for eid in at_least if eid not in ids]
    assert not missing, f"bot events not on the server: {missing}"
    plain = []
    for e in mine:
        if "state_key" in e:
            continue
        if e["type"] == "m.room.redaction" and "reason" not in e.get("content", {}):
            continue
        if e["type"] != ENCRYPTED:
            plain.append(e)
    assert not plain, (f"{len(plain)} of {len(mine)} events the bot sent "
                       f"into encrypted room {room} are plaintext: "
                       f"{[(e['type'], e.get('content')) for e in plain][:5]}")
    return mine


@contextlib.asynccontextmanager
async def e2ee_world(hs, users, bots, nets=(("noord", "nl"),),
                     homeserver=None, **bot_kw):
    """anna's device creates one encrypted room per network, the bot is
    configured with them, started, invited and joined, and its device keys
    are known to anna's crypto."""
    anna_id, anna_pw = users.new("anna")
    anna = Device(hs.url, anna_id, anna_pw, "anna")
    w = None
    try:
        await anna.start()
        rooms = {}
        for name, _lang in nets:
            rooms[name] = await anna.create_room(f"Werktafel {name}")
        # Its users have E2EE devices: direct chats encrypted, as default.
        networks = [Network(name, [rooms[name]], language=lang,
                            encrypt_direct_chats=True)
                    for name, lang in nets]
        bot = bots.new(networks, admins=[anna_id], homeserver=homeserver,
                       **bot_kw)
        w = EWorld(hs, users, bot, anna, rooms)
        bot.start()
        for room_id in rooms.values():
            await anna.invite(room_id, bot.user_id)
        for room_id in rooms.values():
            await anna.wait_membership(room_id, bot.user_id, "join",
                                       JOIN_TIMEOUT, abort=bot.died)
        await w.wait_bot_device()
        yield w
    finally:
        devs = w.devices if w else [anna]
        await asyncio.gather(*(d.close() for d in devs), return_exceptions=True)


def near_start():
    """A planned start half an hour from now, Amsterdam time."""
    t = datetime.datetime.now(ZoneInfo("Europe/Amsterdam")) \
        + datetime.timedelta(minutes=30)
    return t.strftime("%d-%m-%Y %H:%M")


# --- commands ----------------------------------------------------------------

def test_commands_in_encrypted_dutch_and_english_rooms(homeserver, users, bots):
    async def body():
        async with e2ee_world(homeserver, users, bots,
                              nets=(("noord", "nl"), ("west", "en"))) as w:
            a = w.anna
            eid, nl = await w.ask(a, "noord", "!hulp")
            assert len(nl) == 1, [r.raw for r in nl]
            check_encrypted_reply(w, nl[0], eid)
            assert "!agenda" in nl[0].body and "!vergadering" in nl[0].body, \
                nl[0].body
            eid2, en = await w.ask(a, "west", "!help")
            assert len(en) == 1, [r.raw for r in en]
            check_encrypted_reply(w, en[0], eid2)
            assert "!agenda" in en[0].body and "!meeting" in en[0].body, \
                en[0].body
            assert nl[0].body != en[0].body, "the same help in nl and en"
            # A wrong command: answered, encrypted, in the room's language.
            eid3, bad = await w.ask(a, "noord", "!vergadering plan gisteren")
            assert len(bad) == 1, [r.raw for r in bad]
            check_encrypted_reply(w, bad[0], eid3)
            await assert_nothing_plaintext(w, a, w.rooms["noord"],
                                           [nl[0].event_id, bad[0].event_id])
            await assert_nothing_plaintext(w, a, w.rooms["west"],
                                           [en[0].event_id])
    run(body(), timeout=200)


def test_member_who_joins_later_reads_the_next_reply(homeserver, users, bots):
    async def body():
        async with e2ee_world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            eid, rs = await w.ask(w.anna, "noord", "!hulp", settle=0)
            check_encrypted_reply(w, rs[0], eid)
            bram = await w.member("bram")
            # anna's next command: bram (new in the room) reads the reply.
            eid, rs = await w.ask(w.anna, "noord", "!agenda")
            assert len(rs) == 1, [r.raw for r in rs]
            got = await replies(bram, room, w.bot_id, eid, abort=w.bot.died)
            assert len(got) == 1 and got[0].body == rs[0].body, \
                ([r.raw for r in got], rs[0].raw)
            check_encrypted_reply(w, got[0], eid)
            # bram's own command: the bot decrypts it; both read the answer.
            eid, rs = await w.ask(bram, "noord", "!hulp")
            assert len(rs) == 1, [r.raw for r in rs]
            check_encrypted_reply(w, rs[0], eid)
            got = await replies(w.anna, room, w.bot_id, eid, settle=0,
                                abort=w.bot.died)
            assert got[0].body == rs[0].body
    run(body(), timeout=200)


def test_second_device_of_a_member_reads_the_reply(homeserver, users, bots):
    async def body():
        async with e2ee_world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            eid, rs = await w.ask(w.anna, "noord", "!hulp", settle=0)
            check_encrypted_reply(w, rs[0], eid)
            # anna logs in on a second device after the bot shared its key.
            anna2 = await w.device("anna2", (w.anna.user_id, w.anna.password))
            await anna2.wait_for(
                lambda: anna2.membership.get(room, {}).get(anna2.user_id) == "join",
                WAIT, "the room on anna's second device")
            eid, rs = await w.ask(w.anna, "noord", "!agenda")
            got = await replies(anna2, room, w.bot_id, eid, abort=w.bot.died)
            assert len(got) == 1 and got[0].body == rs[0].body, \
                [r.raw for r in got]
            check_encrypted_reply(w, got[0], eid)
            # A command from the second device: both devices read the reply.
            eid, rs = await w.ask(anna2, "noord", "!hulp")
            assert len(rs) == 1, [r.raw for r in rs]
            check_encrypted_reply(w, rs[0], eid)
            await replies(w.anna, room, w.bot_id, eid, settle=0,
                          abort=w.bot.died)
    run(body(), timeout=200)


# --- files -------------------------------------------------------------------

def test_calendar_is_an_encrypted_attachment(homeserver, users, bots):
    async def body():
        async with e2ee_world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            eid, rs = await w.ask(w.anna, "noord",
                                  f"!vergadering plan {meeting_date()} "
                                  "titel Kalendertest", settle=0)
            check_encrypted_reply(w, rs[0], eid)
            eid, rs = await w.ask(w.anna, "noord", "!agenda ics", n=2)
            assert len(rs) == 2, [r.raw for r in rs]
            files = [r for r in rs if r.msgtype == "m.file"]
            assert len(files) == 1, [r.raw for r in rs]
            f = files[0]
            check_encrypted_reply(w, f, eid)
            c = f.raw["content"]
            # An encrypted attachment: the file object, no plain url.
            assert "url" not in c, c
            fo = c.get("file")
            assert isinstance(fo, dict) and fo.get("url", "").startswith("mxc://"), c
            assert fo.get("v") == "v2" and fo["key"]["alg"] == "A256CTR", fo
            assert c["body"].endswith(".ics"), c
            data = await w.anna.download(fo)   # hash checked, then decrypted
            text = data.decode("utf-8")
            assert text.startswith("BEGIN:VCALENDAR"), text[:80]
            assert "BEGIN:VEVENT" in text and "SUMMARY:Kalendertest" in text, text
            assert text.rstrip().endswith("END:VCALENDAR"), text[-80:]
            info = c.get("info") or {}
            if "size" in info:
                assert info["size"] == len(data), (info, len(data))
            raw = await assert_nothing_plaintext(w, w.anna, room, [f.event_id])
            ev = next(e for e in raw if e["event_id"] == f.event_id)
            assert fo["key"]["k"] not in str(ev), "the file key is on the server"
    run(body(), timeout=200)


# --- keys late, crashes, identity ---------------------------------------------

def test_room_key_arrives_after_the_command(homeserver, users, bots):
    """anna's device holds back its room key (its to-device sends, see
    tests/e2e/js/e2ee.mjs) while it sends the command: the bot's sync
    (watched through the fault proxy) brings a message it cannot decrypt
    yet. Then the key goes out; the command is answered once, and with its
    real answer."""
    proxy = FaultProxy(homeserver.url).start()
    bodies = []

    def watch(raw):
        bodies.append(raw)      # the bot's /sync answers, unchanged
        return raw

    async def body():
        async with e2ee_world(homeserver, users, bots,
                              homeserver=proxy.url) as w:
            room = w.rooms["noord"]
            await w.anna.hold_keys()
            for _ in range(300):
                proxy.inject_sync_raw(watch)
            eid, _ = await w.anna.send(room, "!hulp")
            await poll(lambda: any(eid.encode() in b for b in list(bodies)),
                       WAIT, "the bot's sync to bring the encrypted command "
                       "(does its sync filter let m.room.encrypted through?)",
                       w.bot.died)
            await asyncio.sleep(1)     # its try to decrypt
            assert not w.anna.replies_to(room, w.bot_id, [eid])[eid], \
                "the bot answered a command whose key it did not have"
            assert await w.anna.release_keys() >= 1, \
                "nothing was held back: the room key went out with the message"
            rs = await replies(w.anna, room, w.bot_id, eid, settle=2 * SETTLE,
                               timeout=60, abort=w.bot.died)
            assert len(rs) == 1, [r.raw for r in rs]
            check_encrypted_reply(w, rs[0], eid)
            assert "!vergadering" in rs[0].body, rs[0].body
            await assert_nothing_plaintext(w, w.anna, room, [rs[0].event_id])
    try:
        run(body(), timeout=200)
    finally:
        proxy.stop()


def test_sigkill_while_sharing_the_room_key(homeserver, users, bots):
    """Several devices in the room (anna's two, bram's two, one of them new
    to the bot); the bot's first to-device message after a command (its
    room key going out) reaches the server, and the bot is SIGKILLed
    before it hears the answer. After the restart every device decrypts
    the answer, and there is exactly one."""
    proxy = FaultProxy(homeserver.url).start()

    async def body():
        async with e2ee_world(homeserver, users, bots,
                              homeserver=proxy.url) as w:
            room = w.rooms["noord"]
            anna2 = await w.device("anna2", (w.anna.user_id, w.anna.password))
            bram = await w.member("bram")
            eid, rs = await w.ask(bram, "noord", "!hulp", settle=0)
            check_encrypted_reply(w, rs[0], eid)
            # bram's second device: the bot has not shared its key with it.
            bram2 = await w.device("bram2", (bram.user_id, bram.password))
            await wait_keys_on_server(w.anna, bram2)
            devs = [w.anna, anna2, bram, bram2]
            # anna made the room and bram's join was seen (w.member); the
            # two new devices must have the room in their sync first.
            for d in (anna2, bram2):
                await d.wait_for(
                    lambda d=d: d.membership.get(room, {}).get(d.user_id) == "join",
                    WAIT, f"the room on {d.name}")
            rule = proxy.fail("PUT", r"/sendToDevice/", "forward-hold")
            eid, _ = await w.anna.send(room, "!agenda")
            try:
                await asyncio.to_thread(rule.wait_held, WAIT)
            except TimeoutError:
                raise AssertionError(
                    "the bot sent no to-device message (room key) after the "
                    f"command; {undecryptable(w.anna, room, w.bot_id)}") from None
            w.bot.kill()
            rule.release()
            w.bot.start()
            for d in devs:
                rs = await replies(d, room, w.bot_id, eid, settle=0,
                                   timeout=60, abort=w.bot.died)
                check_encrypted_reply(w, rs[0], eid)
            await asyncio.sleep(SETTLE)
            for d in devs:
                rs = d.replies_to(room, w.bot_id, [eid])[eid]
                assert len(rs) == 1, (d.name, [r.raw for r in rs])
            await assert_nothing_plaintext(w, w.anna, room)
            assert w.bot.starts == 2
    try:
        run(body(), timeout=240)
    finally:
        proxy.stop()


def test_restarted_bot_keeps_its_identity(homeserver, users, bots):
    """The bot's device id and keys stay the same over a stop and over a
    SIGKILL: on the server, in the client's device list, and on the replies
    it encrypts afterwards."""
    async def body():
        async with e2ee_world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            first = dict(w.bot_keys)
            assert len(first) == 1, f"the bot has {len(first)} devices: {first}"
            (dev_id, keys), = first.items()
            known = await w.anna.devices(w.bot_id)
            assert known[dev_id]["ed25519"] == keys["ed25519"], known
            eid, rs = await w.ask(w.anna, "noord", "!hulp", settle=0)
            check_encrypted_reply(w, rs[0], eid)
            assert rs[0].raw["claimed_ed25519"] == keys["ed25519"]
            for how in ("stop", "kill"):
                w.bot.stop() if how == "stop" else w.bot.kill()
                w.bot.start()
                eid, rs = await w.ask(w.anna, "noord", "!agenda", timeout=60)
                assert len(rs) == 1, (how, [r.raw for r in rs])
                check_encrypted_reply(w, rs[0], eid)
                now = await w.anna.keys_query(w.bot_id)
                now = {d: k for d, k in now.items() if k.get("ed25519")}
                assert now == first, f"after {how}: {now}, before: {first}"
                known = await w.anna.devices(w.bot_id)
                assert known[dev_id]["ed25519"] == keys["ed25519"], known
                assert rs[0].raw["claimed_ed25519"] == keys["ed25519"], rs[0].raw
                assert rs[0].raw["sender_key"] == keys["curve25519"], rs[0].raw
            await assert_nothing_plaintext(w, w.anna, room)
    run(body(), timeout=240)


def test_wiped_store_is_refused(homeserver, users, bots):
    """A crypto store wiped while the database was kept is refused at start
    (exit status 1, a message that says how to start a new device on
    purpose), not replaced by a new device behind everyone's back; put
    back, the bot starts as the same device."""
    async def body():
        async with e2ee_world(homeserver, users, bots) as w:
            (dev_id, keys), = w.bot_keys.items()
            w.bot.stop()
            store = w.bot.database + ".crypto"
            aside = store + ".aside"
            os.rename(store, aside)
            size = os.path.getsize(w.bot.logpath)
            w.bot.start()
            deadline = time.monotonic() + WAIT
            while w.bot.running() and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            assert not w.bot.running(), "the bot runs on with a wiped store"
            assert w.bot.proc.returncode == 1, w.bot.proc.returncode
            with open(w.bot.logpath, errors="replace") as f:
                f.seek(size)
                log = f.read()
            assert "was empty (wiped?)" in log and "new device" in log, log[-2000:]
            shutil.rmtree(store, ignore_errors=True)
            os.rename(aside, store)
            w.bot.start()
            eid, rs = await w.ask(w.anna, "noord", "!hulp", timeout=60)
            check_encrypted_reply(w, rs[0], eid)
            assert rs[0].raw["claimed_ed25519"] == keys["ed25519"], rs[0].raw
    run(body(), timeout=180)


@server_only("synapse", NO_XSIGN)
def test_bot_device_is_signed_by_its_owner(homeserver, users, bots):
    """With a password configured the bot sets up cross-signing for its
    account and signs its own device: a client sees the device as signed
    by its owner (Element: "verified by its owner"), also after a restart
    (no second set of keys)."""
    async def body():
        async with e2ee_world(homeserver, users, bots) as w:
            (dev_id, _), = w.bot_keys.items()

            async def signed():
                known = await w.anna.devices(w.bot_id)
                return known.get(dev_id, {}).get("signed_by_owner")
            await poll_async(signed, WAIT, "the bot's device signed by its owner",
                             w.bot.died)
            w.bot.stop()
            w.bot.start()
            eid, rs = await w.ask(w.anna, "noord", "!hulp", timeout=60)
            check_encrypted_reply(w, rs[0], eid)
            assert await signed(), await w.anna.devices(w.bot_id)
    run(body(), timeout=180)


def test_direct_chat_is_encrypted(homeserver, users, bots):
    """A direct chat the bot opens (a personal reminder here; the chair's
    meeting reminders go the same way) is created encrypted: the invite's
    room has m.room.encryption from its creation, the reminder is
    decrypted on anna's device, and nothing the bot sent there is
    plaintext."""
    async def body():
        async with e2ee_world(homeserver, users, bots) as w:
            known = set(w.anna.membership)
            eid, rs = await w.ask(w.anna, "noord",
                                  "!herinner mij over 3 seconden stukken lezen")
            check_encrypted_reply(w, rs[0], eid)
            await w.anna.wait_for(
                lambda: any(m.get(w.anna.user_id) == "invite"
                            for r, m in w.anna.membership.items() if r not in known),
                WAIT, "an invite to a direct chat", w.bot.died)
            dm = next(r for r, m in w.anna.membership.items()
                      if r not in known and m.get(w.anna.user_id) == "invite")
            await w.anna.join(dm)
            got = await w.anna.wait_message(
                dm, lambda e: e.get("sender") == w.bot_id and e.get("decrypted")
                and "stukken lezen" in ((e.get("content") or {}).get("body") or ""),
                WAIT, "the reminder in the direct chat", w.bot.died)
            assert got["encrypted"] and got["wire_type"] == ENCRYPTED, got
            raw = await w.anna.raw_events(dm)
            enc = [e for e in raw if e.get("type") == "m.room.encryption"]
            assert enc and enc[0]["content"].get("algorithm") == \
                "m.megolm.v1.aes-sha2", raw
            await assert_nothing_plaintext(w, w.anna, dm)
    run(body(), timeout=180)


# --- nothing in plaintext ------------------------------------------------------

def test_nothing_the_bot_sends_is_plaintext(homeserver, users, bots):
    """A meeting in an encrypted room makes the bot send replies, errors,
    reactions (the ✅ on logged lines) and the minutes as files: the client
    decrypts the reaction and the minutes, and over every event the bot
    sent to the room none is plaintext."""
    async def body():
        async with e2ee_world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            a = w.anna
            sent = []
            eid, rs = await w.ask(a, "noord", f"!vergadering plan {near_start()} "
                                  "titel Versleutelde proef", settle=0)
            sent += [r.event_id for r in rs]
            eid, rs = await w.ask(a, "noord", "!vergadering start", settle=0)
            sent += [r.event_id for r in rs]
            assert "geopend" in rs[0].body, rs[0].body
            logged, _ = await a.send(room, "#besluit We vergaderen voortaan versleuteld")
            react = await a.wait_message(
                room, lambda e: (e["sender"] == w.bot_id and e["type"] == "m.reaction"
                                 and _annotates(e, logged)),
                WAIT, f"the bot's decrypted reaction on {logged}", abort=w.bot.died)
            assert react["wire_type"] == ENCRYPTED, react
            assert _annotation_key(react) == ACK, react
            sent.append(react["event_id"])
            eid, rs = await w.ask(a, "noord", "!vergadering plan gisteren", settle=0)
            sent += [r.event_id for r in rs]
            # The end: the summary and the minutes as two encrypted files.
            eid, rs = await w.ask(a, "noord", "!vergadering einde", n=3)
            assert len(rs) == 3, [r.raw for r in rs]
            sent += [r.event_id for r in rs]
            files = [r for r in rs if r.msgtype == "m.file"]
            assert len(files) == 2, [r.raw for r in rs]
            md = next(r for r in files if r.body.endswith(".md"))
            assert "url" not in md.raw["content"], md.raw
            text = (await a.download(md.raw["content"]["file"])).decode("utf-8")
            assert "We vergaderen voortaan versleuteld" in text, text
            mine = await assert_nothing_plaintext(w, a, room, sent)
            assert len(mine) >= len(sent)
    run(body(), timeout=240)


def _annotates(e, event_id):
    rel = relation(e)
    return rel.get("rel_type") == "m.annotation" and rel.get("event_id") == event_id


def _annotation_key(e):
    return relation(e).get("key")
