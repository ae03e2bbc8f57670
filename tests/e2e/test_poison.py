"""No message, invite or /sync answer can wedge the bot (issue 12, items 1
to 3), against the real Synapse, over HTTP and over the WebSocket:

  - a member's message whose body holds U+0000 (Synapse takes it): one warn
    line, no reply to it, and the next command is answered;
  - a stranger's room whose name holds U+0000, the bot invited: the invite
    is refused and commands in the network's room are still answered;
  - what Synapse itself refuses (lone surrogates, a key twice, invalid
    UTF-8, nesting 10,000 deep, a number beyond 64 bits, U+0000 in a key)
    put into the bot's /sync by the fault proxy: the command after it in
    the same batch is answered, and so is the next one;
  - a command that crashes the bot inside its handler (a test hook makes
    it abort()): at the restart it is quarantined, its sender told once,
    and the next command answered.
"""

import asyncio
import json
import os
import re
import time

from faultproxy import FaultProxy
from helpers import (BOT_LOG, REPLY_TIMEOUT, check_reply, exactly_once, run,
                     world)
from client import Member
from servers import START_WARNINGS
from test_websocket import gateways, ws_bots  # noqa: F401 (fixture)

WARN = re.compile(r"^\S+ warn ")


def log_mark():
    return os.path.getsize(BOT_LOG)


def log_since(mark):
    with open(BOT_LOG, "rb") as f:
        f.seek(mark)
        return f.read().decode(errors="replace")


def warn_lines(mark):
    """The warnings since mark, but the one a homeserver without a
    feature gives at every start (servers.py: START_WARNINGS)."""
    return [x for x in log_since(mark).splitlines()
            if WARN.match(x) and not START_WARNINGS.search(x)]


async def _nul_body(homeserver, users, bots):
    mark = log_mark()
    async with world(homeserver, users, bots) as w:
        room = w.rooms["noord"]
        eid, _ = await w.anna.send_raw(room, "m.room.message", {
            "msgtype": "m.text", "body": "!agenda\x00!rol voorzitter"})
        assert eid.startswith("$"), "Synapse refused the message"
        got_id, replies = await w.ask("noord", "!hulp", settle=2)
        check_reply(replies[0], got_id)
        exactly_once({got_id: replies})
        assert not w.anna.replies_to(room, w.bot_id, [eid])[eid], \
            "the bot answered the message with U+0000"
        lines = warn_lines(mark)
        assert len(lines) == 1, "\n".join(lines)
        assert eid in lines[0] and "NUL" in lines[0], lines[0]
        assert w.bot.died() is None


async def _nul_room_name(homeserver, users, bots):
    async with world(homeserver, users, bots) as w:
        uid, pw = users.new("vreemde")
        stranger = await Member(homeserver.url, uid, pw).start()
        try:
            other = await stranger.create_room("Kamer\x00naam")
            st = await stranger.client.room_get_state_event(other,
                                                            "m.room.name")
            assert "\x00" in (getattr(st, "content", None) or {}).get(
                "name", ""), f"Synapse did not keep U+0000 in the name: {st}"
            await stranger.invite(other, w.bot_id)
            await stranger.wait_membership(other, w.bot_id, "leave", 30,
                                           abort=w.bot.died)
            for _ in range(2):
                eid, replies = await w.ask("noord", "!hulp")
                check_reply(replies[0], eid)
        finally:
            await stranger.close()
        assert w.bot.died() is None


def test_nul_in_message_body(homeserver, users, bots):
    run(_nul_body(homeserver, users, bots))


def test_nul_in_stranger_room_name(homeserver, users, bots):
    run(_nul_room_name(homeserver, users, bots))


def _on_ws(log_from, gw):
    """The sync stayed on the WebSocket (no fallback to HTTP)."""
    text = log_since(log_from)
    assert "sync over the WebSocket" in text, text[-3000:]
    assert "HTTP long-poll" not in text, text[-3000:]
    assert gw.events(event="connect"), "the bot never connected"


def test_nul_in_message_body_ws(homeserver, users, gateways, request):  # noqa: F811
    gw = gateways()
    b = ws_bots(homeserver, users, request, gw)
    mark = log_mark()
    try:
        run(_nul_body(homeserver, users, b))
        _on_ws(mark, gw)
    finally:
        b.stop_all()


def test_nul_in_stranger_room_name_ws(homeserver, users, gateways, request):  # noqa: F811
    gw = gateways()
    b = ws_bots(homeserver, users, request, gw)
    mark = log_mark()
    try:
        run(_nul_room_name(homeserver, users, b))
        _on_ws(mark, gw)
    finally:
        b.stop_all()


def _poison_events(sender):
    """Raw JSON text of events no Synapse sends (each a str), and a valid
    command to come after them."""
    ts = int(time.time() * 1000)
    head = (f'"type":"m.room.message","sender":{json.dumps(sender)},'
            f'"origin_server_ts":{ts}')
    deep = "[" * 10000 + "]" * 10000
    raw = [
        '{' + head + ',"event_id":"$e2e-surrogate","content":{"msgtype":'
        '"m.text","body":"hallo \\ud800 wereld \\udfff"}}',
        '{' + head + ',"event_id":"$e2e-dupkey","content":{"msgtype":'
        '"m.text","body":"!hulp","body":"dubbel"}}',
        '{' + head + ',"event_id":"$e2e-deep","content":{"msgtype":"m.text",'
        '"body":"diep","x":' + deep + '}}',
        '{' + head + ',"event_id":"$e2e-keynul","content":{"msgtype":'
        '"m.text","bo\\u0000dy":"!hulp","body":"gewoon"}}',
        '{"type":"m.room.message","sender":' + json.dumps(sender) +
        ',"origin_server_ts":1e400,"event_id":"$e2e-bignum","content":'
        '{"msgtype":"m.text","body":"groot","n":123456789012345678901234567890}}',
    ]
    raw_bytes = [r.encode() for r in raw]
    raw_bytes.append(b'{' + head.encode() + b',"event_id":"$e2e-badutf8",'
                     b'"content":{"msgtype":"m.text","body":"kapot \xff\xfe"}}')
    good = ('{' + head + ',"event_id":"$e2e-after-poison","content":'
            '{"msgtype":"m.text","body":"!hulp"}}').encode()
    return raw_bytes, good


def _poison_injection(homeserver, users, bots, proxy):
    async def body():
        async with world(homeserver, users, bots, homeserver=proxy.url) as w:
            room = w.rooms["noord"]
            bad, good = _poison_events(w.anna.user_id)
            mark = log_mark()

            def inject(raw):
                data = json.loads(raw)
                tl = (data.setdefault("rooms", {}).setdefault("join", {})
                      .setdefault(room, {}).setdefault("timeline", {}))
                tl.setdefault("events", []).append("__POISON__")
                text = json.dumps(data).encode()
                return text.replace(b'"__POISON__"', b",".join(bad + [good]))
            proxy.inject_sync_raw(inject)
            await w.anna.send_text(room, "nog een bericht")
            got = await w.anna.wait_replies(room, w.bot_id,
                                            ["$e2e-after-poison"],
                                            REPLY_TIMEOUT, abort=w.bot.died)
            exactly_once(got)
            eid, last = await w.ask("noord", "!hulp", settle=2)
            check_reply(last[0], eid)
            exactly_once(w.anna.replies_to(room, w.bot_id, [eid]))
            ids = ["$e2e-surrogate", "$e2e-dupkey", "$e2e-deep",
                   "$e2e-keynul", "$e2e-bignum", "$e2e-badutf8"]
            answered = {k: v for k, v in
                        w.anna.replies_to(room, w.bot_id, ids).items() if v}
            assert not answered, f"replies to non-commands: {answered}"
            text = log_since(mark)
            assert "JSON from the homeserver repaired" in text, text[-3000:]
            assert w.bot.died() is None
    run(body())


def test_unparseable_json_is_repaired(homeserver, users, bots):
    proxy = FaultProxy(homeserver.url).start()
    try:
        _poison_injection(homeserver, users, bots, proxy)
    finally:
        proxy.stop()


def test_crash_in_handler_is_quarantined(homeserver, users, bots):
    """A command that kills the bot inside its handler (SIGABRT through the
    test hook) is quarantined at the restart: one short reply to it, one
    warn line, and the commands after it are answered."""
    crash = "!hulp botsing"

    async def body():
        async with world(homeserver, users, bots,
                         extra_env={"WERKTAFEL_TEST_ABORT_ON": crash}) as w:
            room = w.rooms["noord"]
            bad = await w.anna.send_text(room, crash)
            deadline = time.monotonic() + 20
            while w.bot.died() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.1)
            assert w.bot.died() is not None, "the test hook did not crash the bot"
            assert w.bot.proc.returncode == -6, w.bot.died()
            after = await w.anna.send_text(room, "!hulp")
            mark = log_mark()
            w.bot.start()
            got = await w.anna.wait_replies(room, w.bot_id, [bad, after],
                                            REPLY_TIMEOUT, settle=2,
                                            abort=w.bot.died)
            exactly_once(got)
            told = got[bad][0]
            assert told.in_reply_to == bad
            assert "overgeslagen" in told.body, told.body
            check_reply(got[after][0], after)
            lines = [x for x in warn_lines(mark) if "quarantined" in x]
            assert len(lines) == 1 and bad in lines[0] \
                and "crashed (signal 6)" in lines[0], lines
            assert w.bot.died() is None
            eid, last = await w.ask("noord", "!hulp")
            check_reply(last[0], eid)
    run(body())


def test_broken_pushed_body_falls_back_to_http(homeserver, users, gateways,  # noqa: F811
                                               request):
    """A pushed /sync body that is no JSON (the gateway cuts it in half) is
    not dropped: the bot gives the sync to HTTP from the committed token,
    so the command in it is answered, once."""
    marker = "!hulp knip"
    gw = gateways(extra=("--cut-body-with", marker))
    b = ws_bots(homeserver, users, request, gw)
    mark = log_mark()

    async def body():
        async with world(homeserver, users, b) as w:
            eid, replies = await w.ask("noord", marker, settle=2)
            check_reply(replies[0], eid)
            exactly_once({eid: replies})
            assert gw.events(event="cut_body"), "the gateway cut no body"
            text = log_since(mark)
            assert "a message that is no JSON" in text, text[-3000:]
            eid, replies = await w.ask("noord", "!hulp")
            check_reply(replies[0], eid)
    try:
        run(body())
    finally:
        b.stop_all()
