"""werktafel against a real Synapse over the HTTP client-server API, driven
by an independent matrix-nio client (issue 4, point 8).

Every test builds its own "world": a member (an admin in the bot's config)
creates the rooms, the config is written with their room ids, the bot is
started and invited, and the test waits until it joined. Replies are counted
per command by their reply relation (m.relates_to.m.in_reply_to).
"""

import asyncio
import os
import re
import time

import pytest

from bot import Network
from faultproxy import FaultProxy
from servers import server_only
from helpers import (BOT_LOG, REPLY_TIMEOUT, ask_as, check_reply, exactly_once,
                     joined_member, meeting_date, run, shows, world)

BOTH = (("noord", "nl"), ("west", "en"))


async def _wait(predicate, timeout):
    """Wait until predicate() or timeout; returns predicate()."""
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        await asyncio.sleep(0.05)
    return predicate()


# --- commands in Dutch and English rooms ------------------------------------

def test_help_in_dutch_and_english_rooms(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots, nets=BOTH) as w:
            ids = []
            eid, nl = await w.ask("noord", "!hulp")
            ids.append(eid)
            check_reply(nl[0], eid)
            assert "!agenda" in nl[0].body and "!vergadering" in nl[0].body, \
                nl[0].body
            eid, nl2 = await w.ask("noord", "!help")
            ids.append(eid)
            check_reply(nl2[0], eid)
            eid, en = await w.ask("west", "!help")
            ids.append(eid)
            check_reply(en[0], eid)
            assert "!agenda" in en[0].body and "!meeting" in en[0].body, \
                en[0].body
            assert nl[0].body != en[0].body, "same help in nl and en rooms"
            # One command, one reply; nothing answered in the wrong room.
            await asyncio.sleep(2)
            for net in ("noord", "west"):
                got = w.anna.replies_to(w.rooms[net], w.bot_id, ids)
                assert sum(len(v) for v in got.values()) == \
                    (2 if net == "noord" else 1)
    run(body())


def test_help_for_one_command(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots, nets=BOTH) as w:
            eid, nl = await w.ask("noord", "!hulp agenda")
            check_reply(nl[0], eid)
            assert "voorstel" in nl[0].body, nl[0].body
            eid, en = await w.ask("west", "!help agenda")
            check_reply(en[0], eid)
            assert "propose" in en[0].body, en[0].body
    run(body())


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_agenda_and_propose(homeserver, users, bots, lang):
    """Plan a meeting, propose an item with theme and why, and find it on
    the agenda: in a Dutch room with Dutch names, in an English room with
    English ones."""
    if lang == "nl":
        plan = f"!vergadering plan {meeting_date()}"
        title = "Samenwerking met de wijkteams"
        propose = (f"!agenda voorstel {title}\nthema: samenwerking\n"
                   "waarom: minder dubbel werk\nwat: een vast overleg")
    else:
        plan = f"!meeting plan {meeting_date()}"
        title = "Shared care plans"
        propose = (f"!agenda propose {title}\ntheme: digitalisering\n"
                   "why: fewer phone calls\nwhat: one plan per client")

    async def body():
        async with world(homeserver, users, bots, nets=(("regio", lang),)) as w:
            ids = []
            eid, first = await w.ask("regio", "!agenda")
            ids.append(eid)
            check_reply(first[0], eid)
            eid, planned = await w.ask("regio", plan)
            ids.append(eid)
            check_reply(planned[0], eid)
            eid, proposed = await w.ask("regio", propose)
            ids.append(eid)
            check_reply(proposed[0], eid)
            eid, agenda = await w.ask("regio", "!agenda")
            ids.append(eid)
            check_reply(agenda[0], eid)
            assert title in agenda[0].body, agenda[0].body
            assert title in agenda[0].formatted_body, agenda[0].formatted_body
            # An unknown theme is refused with the list of themes.
            bad = ("!agenda voorstel Iets\nthema: ruimtevaart" if lang == "nl"
                   else "!agenda propose Something\ntheme: spaceflight")
            eid, refused = await w.ask("regio", bad)
            ids.append(eid)
            check_reply(refused[0], eid)
            assert "samenwerking" in refused[0].body.lower(), refused[0].body
            await asyncio.sleep(2)
            exactly_once(w.anna.replies_to(w.rooms["regio"], w.bot_id, ids))
    run(body())


def test_calendar_is_an_uploaded_file(homeserver, users, bots):
    """!agenda ics answers with a note and the calendar as an uploaded
    .ics file that downloads with the meeting in it."""
    async def body():
        async with world(homeserver, users, bots, nets=(("noord", "nl"),)) as w:
            eid, planned = await w.ask("noord", f"!vergadering plan {meeting_date()} "
                                       "titel Kalendertest")
            check_reply(planned[0], eid)
            cmd = await w.anna.send_text(w.rooms["noord"], "!agenda ics")
            await w.anna.wait_for(
                lambda: len(w.anna.replies_to(w.rooms["noord"], w.bot_id, [cmd])[cmd]) >= 2,
                REPLY_TIMEOUT, "note and calendar file", abort=w.bot.died)
            rs = w.anna.replies_to(w.rooms["noord"], w.bot_id, [cmd])[cmd]
            files = [r for r in rs if r.msgtype == "m.file"]
            assert len(files) == 1, [r.raw for r in rs]
            check_reply(files[0], cmd)
            assert files[0].body.endswith(".ics"), files[0].body
            status, data, ctype = await w.anna.download(files[0].url)
            assert status == 200, status
            assert ctype.startswith("text/calendar"), ctype
            text = data.decode("utf-8")
            assert text.startswith("BEGIN:VCALENDAR"), text[:80]
            assert "SUMMARY:Kalendertest" in text, text
            await asyncio.sleep(1)
            assert len(w.anna.replies_to(w.rooms["noord"], w.bot_id, [cmd])[cmd]) == 2
    run(body())


def test_roles_follow_room_power_levels(homeserver, users, bots):
    """With no admins and no !rol, the room's creator (power level 100, or
    creator rank in room version 12) is chair and may plan a meeting; a member who joined (level 0) may not,
    until the chair gives them 50 in the room."""
    async def body():
        async with world(homeserver, users, bots, admins=[]) as w:
            room = w.rooms["noord"]
            daan_id, daan = await joined_member(homeserver, users, w, "daan")
            try:
                eid, rs = await w.ask("noord", "!rol")
                assert shows(rs[0], w.anna.user_id) and "voorzitter" in rs[0].body, \
                    rs[0].raw
                eid, rs = await w.ask("noord", f"!vergadering plan {meeting_date()}")
                assert "gepland" in rs[0].body.lower(), rs[0].body
                eid, rs = await ask_as(daan, w, f"!vergadering plan {meeting_date(30)}")
                assert "secretaris" in rs[0].body, rs[0].body
                # The chair raises daan to 50 in the room: secretary.
                resp = await w.anna.client.room_get_state_event(room, "m.room.power_levels")
                content = dict(resp.content)
                content["users"] = dict(content.get("users", {}), **{daan_id: 50})
                await w.anna.send_state(room, "m.room.power_levels", content)
                eid, rs = await ask_as(daan, w, f"!vergadering plan {meeting_date(31)}")
                assert "gepland" in rs[0].body.lower(), rs[0].body
            finally:
                await daan.close()
    run(body())


def test_history_before_join_is_skipped(homeserver, users, bots):
    """A command sent before the bot ever joined is history: not answered.
    The first command after the join is."""
    async def body():
        async with world(homeserver, users, bots, start=False) as w:
            room = w.rooms["noord"]
            old = await w.anna.send_text(room, "!hulp")
            w.bot.start()
            await w.anna.invite(room, w.bot_id)
            await w.wait_joined(room)
            eid, got = await w.ask("noord", "!hulp", settle=2)
            check_reply(got[0], eid)
            assert w.anna.replies_to(room, w.bot_id, [old])[old] == []
    run(body())


# --- exactly once ----------------------------------------------------------

def test_sigkill_while_commands_arrive(homeserver, users, bots):
    """The bot is SIGKILLed twice while commands keep arriving and started
    again: every command is answered exactly once, and every proposal is on
    the agenda exactly once."""
    n = 14
    kill_at = {4, 9}

    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            await w.ask("noord", f"!vergadering plan {meeting_date()}")
            ids = []
            for k in range(1, n + 1):
                ids.append(await w.anna.send_text(
                    room, f"!agenda voorstel Onderwerp {k:02d}"))
                if k in kill_at:
                    w.bot.kill()
                    await asyncio.sleep(0.3)
                    w.bot.start()
                await asyncio.sleep(0.15)
            got = await w.anna.wait_replies(room, w.bot_id, ids, 90,
                                            settle=4, abort=w.bot.died)
            exactly_once(got)
            for eid in ids:
                check_reply(got[eid][0], eid)
            eid, agenda = await w.ask("noord", "!agenda")
            for k in range(1, n + 1):
                t = f"Onderwerp {k:02d}"
                assert agenda[0].body.count(t) == 1, \
                    f"{t!r} {agenda[0].body.count(t)} times on the agenda:\n" \
                    + agenda[0].body
    run(body(), timeout=300)


def test_synapse_outage(homeserver, users, bots):
    """The homeserver (Synapse or Dendrite, on the same data) is stopped for 20 s and started again: the bot reconnects by
    itself (no restart) and answers what was sent around the outage, each
    command once."""
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            await w.ask("noord", "!hulp")
            before = await w.anna.send_text(room, "!agenda")
            # In the homeserver's timeline before it stops: Dendrite,
            # stopped 4 ms after taking an event, once answered the bot's
            # long-poll with a token past it and without it (its database
            # closed under the answer), and no sync had it after that.
            await w.anna.wait_echo(room, before, 30)
            log_mark = os.path.getsize(BOT_LOG)
            homeserver.stop()
            try:
                await asyncio.sleep(20)
                assert w.bot.died() is None, w.bot.died()
            finally:
                homeserver.start()
            after = [await w.anna.send_text(room, "!agenda"),
                     await w.anna.send_text(room, "!hulp")]
            got = await w.anna.wait_replies(room, w.bot_id, [before] + after,
                                            120, settle=4, abort=w.bot.died)
            exactly_once(got)
            assert w.bot.starts == 1
            # One log line per state change (unreachable, reachable again),
            # not one per try; debug lines do not count.
            with open(BOT_LOG, "rb") as f:
                f.seek(log_mark)
                lines = f.read().decode(errors="replace").splitlines()
            loud = [x for x in lines
                    if re.match(r"\S+ (error|warn|info) ", x)]
            assert len(loud) <= 4, "too many log lines for one outage:\n" \
                + "\n".join(loud)
    run(body(), timeout=300)


# --- faults while sending ---------------------------------------------------

@pytest.mark.parametrize("fault", ["500", "forward-500", "429"])
def test_reply_after_send_fault(homeserver, users, bots, fault):
    """The first PUT of the reply fails (500 without storing it; 500 after
    Synapse stored it, the answer lost; or 429 with retry_after_ms): the
    room gets the reply exactly once. After a 500 (outcome unknown) the bot
    first looks for its event in the room: it retries with the same txnId
    where the event is not there, and not at all where it is; after a 429
    (nothing done) it retries with the same txnId without looking."""
    proxy = FaultProxy(homeserver.url).start()

    async def body():
        async with world(homeserver, users, bots, homeserver=proxy.url) as w:
            await w.ask("noord", "!hulp")
            # The proxy logs a request when its answer is back, which may
            # be after the client saw the event: wait for the !hulp send.
            for _ in range(200):
                if proxy.requests("PUT", r"/send/m\.room\.message/"):
                    break
                await asyncio.sleep(0.05)
            armed = time.monotonic()
            proxy.fail("PUT", r"/send/m\.room\.message/", fault,
                       retry_after_ms=1500)
            eid, got = await w.ask("noord", "!agenda", timeout=90, settle=4)
            exactly_once({eid: got})
            check_reply(got[0], eid)
            sends = [r for r in proxy.requests("PUT", r"/send/m\.room\.message/")
                     if r[0] >= armed]
            failed = [r for r in sends if r[3] in (429, 500)]
            assert failed, f"no failed send seen: {sends}"
            first = failed[0]
            retries = [r for r in sends if r[2] == first[2] and r[0] > first[0]]
            looked = [r for r in proxy.requests("GET", r"/messages$")
                      if r[0] > first[0]]
            assert bool(looked) == (fault != "429"), \
                f"look-ups in the room after a {fault}: {looked}"
            if fault == "forward-500":
                assert not retries, f"sent again though it was stored: {sends}"
                assert len(sends) == 1, sends
            else:
                assert retries and retries[-1][3] == 200, \
                    f"the retry did not reuse the txnId {first[2]}: {sends}"
            if fault == "429":
                assert retries[0][0] - first[0] >= 1.3, \
                    "retried before retry_after_ms"
    try:
        run(body())
    finally:
        proxy.stop()


@server_only("synapse", "admin API override_ratelimit (Dendrite has no "
             "per-user rate-limit override)")
def test_rate_limited_by_synapse(homeserver, users, bots):
    """Synapse itself rate-limits the bot (1 message/s, burst 1): a burst of
    commands gets 429s, and still every command is answered exactly once.
    The 429s are counted at the fault proxy (passing everything through),
    not in Synapse's log format."""
    proxy = FaultProxy(homeserver.url).start()

    async def body():
        async with world(homeserver, users, bots, homeserver=proxy.url) as w:
            room = w.rooms["noord"]
            homeserver.override_ratelimit(w.bot_id, 1, 1)
            armed = time.monotonic()
            try:
                ids = [await w.anna.send_text(room, "!agenda")
                       for _ in range(6)]
                got = await w.anna.wait_replies(room, w.bot_id, ids, 90,
                                                settle=3, abort=w.bot.died)
            finally:
                homeserver.clear_ratelimit(w.bot_id)
            exactly_once(got)
            limited = [r for r in proxy.requests("PUT", r"/send/")
                       if r[0] >= armed and r[3] == 429]
            assert limited, "the homeserver never rate-limited the bot's sends"
    try:
        run(body(), timeout=200)
    finally:
        proxy.stop()


# --- rooms and odd events ---------------------------------------------------

def test_invite_from_unknown_room_is_refused(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            other = await w.anna.create_room("Niet in de config")
            await w.anna.invite(other, w.bot_id)
            await w.anna.wait_membership(other, w.bot_id, "leave", 30,
                                         abort=w.bot.died)
            joins = [e for e in w.anna.events(other)
                     if e.get("type") == "m.room.member"
                     and e.get("state_key") == w.bot_id
                     and (e.get("content") or {}).get("membership") == "join"]
            assert not joins, "the bot joined a room not in its config"
            eid, got = await w.ask("noord", "!hulp")
            check_reply(got[0], eid)
    run(body())


def _bad_events(sender):
    """Events Synapse refuses from a client but a bot may still meet, and a
    valid command after them in the same batch."""
    ts = int(time.time() * 1000)
    msg = {"type": "m.room.message", "sender": sender, "origin_server_ts": ts}
    bad = [
        dict(msg, event_id="$e2e-nobody", content={"msgtype": "m.text"}),
        dict(msg, event_id="$e2e-number",
             content={"msgtype": "m.text", "body": 42}),
        dict(msg, event_id="$e2e-object",
             content={"msgtype": "m.text", "body": {"text": "!hulp"}}),
        dict(msg, event_id="$e2e-nullcontent", content=None),
        dict(msg, event_id="$e2e-strcontent", content="!hulp"),
        dict(msg, content={"msgtype": "m.text", "body": "!hulp"}),  # no id
        {"type": "m.room.message", "event_id": "$e2e-nosender",
         "origin_server_ts": ts, "content": {"msgtype": "m.text",
                                            "body": "!hulp"}},
        dict(msg, event_id="$e2e-badrel",
             content={"msgtype": "m.text", "body": "tekst",
                      "m.relates_to": "kapot"}),
        {"type": "org.example.unknown", "event_id": "$e2e-unknown",
         "sender": sender, "origin_server_ts": ts, "content": {"a": [1, 2]}},
        "not an event",
        42,
    ]
    good = dict(msg, event_id="$e2e-valid-command",
                content={"msgtype": "m.text", "body": "!hulp"})
    return bad, good


def test_malformed_and_unknown_events(homeserver, users, bots):
    """Unknown event types, notices, edits, a redacted command and events
    no server should send (injected into the bot's /sync) neither stop the
    bot nor get a reply; a valid command after them in the same batch is
    still answered, and so is the next real one."""
    proxy = FaultProxy(homeserver.url).start()

    async def body():
        async with world(homeserver, users, bots, homeserver=proxy.url) as w:
            room = w.rooms["noord"]
            quiet = []
            # Through Synapse: types and shapes the bot must ignore.
            eid, _ = await w.anna.send_raw(room, "org.example.werktafel",
                                           {"body": "!hulp"})
            quiet.append(eid)
            quiet.append(await w.anna.send_text(room, "!hulp",
                                                msgtype="m.notice"))
            plain = await w.anna.send_text(room, "hallo")
            eid, _ = await w.anna.send_raw(room, "m.room.message", {
                "msgtype": "m.text", "body": "* !hulp",
                "m.new_content": {"msgtype": "m.text", "body": "!hulp"},
                "m.relates_to": {"rel_type": "m.replace", "event_id": plain}})
            quiet.append(eid)
            resp = await w.anna.client.room_put_state(
                room, "org.example.state", {"body": "!hulp"}, state_key="x")
            assert getattr(resp, "event_id", None), resp
            # A command redacted while the bot was down: its content is gone.
            # The stopped bot's last long-poll is still open at Synapse and
            # its answer is cached for the same `since`; end it with a plain
            # message first, so the command is not in that cached answer.
            assert w.bot.stop() is not None
            n_sync = len(proxy.requests("GET", r"/sync$"))
            await w.anna.send_text(room, "pauze")
            await _wait(lambda: len(proxy.requests("GET", r"/sync$"))
                        > n_sync, 5)
            gone = await w.anna.send_text(room, "!hulp")
            quiet.append(gone)
            red = await w.anna.client.room_redact(room, gone, reason="oeps")
            assert getattr(red, "event_id", None), red
            w.bot.start()
            # Injected into the bot's next /sync answer.
            bad, good = _bad_events(w.anna.user_id)

            def inject(data):
                rooms = data.setdefault("rooms", {}).setdefault("join", {})
                tl = rooms.setdefault(room, {}).setdefault("timeline", {})
                tl.setdefault("events", []).extend(bad + [good])
            proxy.inject_sync(inject)
            await w.anna.send_text(room, "nog een bericht")
            got = await w.anna.wait_replies(room, w.bot_id,
                                            [good["event_id"]], REPLY_TIMEOUT,
                                            abort=w.bot.died)
            exactly_once(got)
            eid, last = await w.ask("noord", "!hulp", settle=3)
            check_reply(last[0], eid)
            assert w.bot.died() is None
            ids = quiet + [e["event_id"] for e in bad
                           if isinstance(e, dict) and "event_id" in e]
            answered = {k: v for k, v in
                        w.anna.replies_to(room, w.bot_id, ids).items() if v}
            assert not answered, f"replies to ignored events: {answered}"
            exactly_once(w.anna.replies_to(room, w.bot_id, [eid]))
    try:
        run(body())
    finally:
        proxy.stop()


def test_bad_password_exits_3(homeserver, users, bots):
    """A wrong password is a clear error and exit status 3, not a retry
    loop."""
    b = bots.new([Network("noord", ["!nergens:localhost"])])
    b.password = "wrong-" + b.password
    b.start()
    deadline = time.monotonic() + 20
    while b.running() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not b.running(), "the bot keeps running with a wrong password"
    assert b.proc.returncode == 3, f"exit status {b.proc.returncode}"
