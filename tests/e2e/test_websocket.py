"""werktafel over the WebSocket transport (the draft /stream API, issue 9),
in front of the real Synapse of the HTTP tests, through the draft-speaking
test gateway tests/e2e/ws_gateway.py (the reference matrix-websockets-proxy
is not available from the Go module proxy; see README).

The command tests of test_bot_http.py run again here with bots configured
for transport = websocket; afterwards the gateway must have carried the
sync and the sends. Then: the gateway killed, frozen, or closing with 1011
makes the bot fall back to the HTTP long-poll without losing a command, and
a restarted gateway brings it back; a refused handshake (bad token) is one
clear log line; a `send` refused by the peer goes over HTTP exactly once;
transport = auto stays on HTTP where no WebSocket is offered.
"""

import asyncio
import os
import re
import time

import pytest

import test_bot_http as http_tests
from bot import Bot
from conftest import Bots
from faultproxy import FaultProxy
from helpers import BOT_LOG, E2E, check_reply, exactly_once, run, world
from synapse import Synapse
from ws_gateway import Gateway

GW_LOG = os.path.join(E2E, "ws_gateway.log")

# Short timings, so a dead connection shows within seconds.
WS_ENV = {
    "WERKTAFEL_WS_PING_MS": "1000",
    "WERKTAFEL_WS_PONG_TIMEOUT_MS": "1500",
    "WERKTAFEL_WS_SEND_TIMEOUT_MS": "3000",
    "WERKTAFEL_WS_HANDSHAKE_TIMEOUT_MS": "3000",
}

LOUD = re.compile(r"\S+ (error|warn|info) ")


class WsBot(Bot):
    """A bot whose config has websocket_url under [matrix]."""

    def __init__(self, *args, websocket_url=None, **kw):
        super().__init__(*args, **kw)
        self.websocket_url = websocket_url

    def config_text(self):
        text = super().config_text()
        if self.websocket_url:
            line = f"transport = {self.transport}\n"
            text = text.replace(
                line, line + f"websocket_url = {self.websocket_url}\n", 1)
        return text


class WsBots(Bots):
    """Bots with transport websocket (or auto) pointed at a gateway."""

    def __init__(self, hs, users, name, gateway_url, transport="websocket"):
        super().__init__(hs, users, name)
        self.gateway_url = gateway_url
        self.transport = transport

    def new(self, networks, admins=(), homeserver=None, **kw):
        user_id, password = self.users.new("werktafel")
        workdir = os.path.join(E2E, "bots", f"{self.name}-{len(self.all)}")
        env = dict(WS_ENV)
        env.update(kw.pop("extra_env", {}))
        b = WsBot(workdir, BOT_LOG, homeserver or self.hs.url, user_id,
                  password, networks, admins=admins,
                  transport=kw.pop("transport", self.transport),
                  websocket_url=kw.pop("websocket_url", self.gateway_url),
                  extra_env=env, **kw)
        self.all.append(b)
        return b


@pytest.fixture
def gateways(homeserver, request):
    """make(methods=..., homeserver=..., extra=...) starts a gateway; all
    are stopped when the test ends."""
    hs = homeserver
    made = []
    name = "".join(c if c.isalnum() else "_" for c in request.node.name)

    def make(methods="all", homeserver=None, extra=()):
        events = os.path.join(E2E, f"ws_events-{name[:50]}-{len(made)}.jsonl")
        if os.path.exists(events):
            os.remove(events)
        g = Gateway(homeserver or hs.url, GW_LOG, events,
                    methods=methods, ping_interval=2, silence_timeout=10,
                    extra=extra)
        made.append(g)
        return g.start()
    yield make
    for g in made:
        g.stop()


def ws_bots(homeserver, users, request, gateway, transport="websocket"):
    name = "".join(c if c.isalnum() else "_" for c in request.node.name)
    return WsBots(homeserver, users, name[:60], gateway.url, transport)


def log_mark():
    return os.path.getsize(BOT_LOG)


def log_since(mark):
    with open(BOT_LOG, "rb") as f:
        f.seek(mark)
        return f.read().decode(errors="replace")


def loud_lines(mark):
    return [x for x in log_since(mark).splitlines() if LOUD.match(x)]


async def until(predicate, timeout, what):
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise TimeoutError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.1)


def assert_carried(gw):
    """The gateway carried the bot's sync and its sends, no HTTP fallback."""
    assert gw.events(event="connect"), "the bot never connected to the gateway"
    sends = gw.events(event="request", method="send")
    assert sends, "no send went over the WebSocket"
    assert not gw.events(event="error_answer"), gw.events(event="error_answer")


# --- the HTTP command tests, over the WebSocket ------------------------------

@pytest.fixture
def over_ws(homeserver, users, gateways, request):
    gw = gateways()
    b = ws_bots(homeserver, users, request, gw)
    yield gw, b
    b.stop_all()


def test_help_in_dutch_and_english_rooms_ws(homeserver, users, over_ws):
    gw, bots = over_ws
    mark = log_mark()
    http_tests.test_help_in_dutch_and_english_rooms(homeserver, users, bots)
    assert_carried(gw)
    assert "sync over the WebSocket" in log_since(mark)
    assert "HTTP long-poll" not in log_since(mark)


def test_help_for_one_command_ws(homeserver, users, over_ws):
    gw, bots = over_ws
    http_tests.test_help_for_one_command(homeserver, users, bots)
    assert_carried(gw)


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_agenda_and_propose_ws(homeserver, users, over_ws, lang):
    gw, bots = over_ws
    http_tests.test_agenda_and_propose(homeserver, users, bots, lang)
    assert_carried(gw)


def test_history_before_join_is_skipped_ws(homeserver, users, over_ws):
    gw, bots = over_ws
    http_tests.test_history_before_join_is_skipped(homeserver, users, bots)
    assert_carried(gw)


def test_sigkill_while_commands_arrive_ws(homeserver, users, over_ws):
    gw, bots = over_ws
    http_tests.test_sigkill_while_commands_arrive(homeserver, users, bots)
    assert len(gw.events(event="connect")) >= 3   # one per start
    assert gw.events(event="request", method="send")


def test_ping_only_gateway(homeserver, users, gateways, request):
    """The reference proxy's method set: only ping. The first send is
    refused (M_UNRECOGNIZED) and goes over HTTP once; later ones go over
    HTTP directly; the sync stays on the WebSocket."""
    gw = gateways(methods="ping")
    bots = ws_bots(homeserver, users, request, gw)

    async def body():
        async with world(homeserver, users, bots) as w:
            ids = []
            for cmd in ("!hulp", "!agenda", "!hulp agenda"):
                eid, got = await w.ask("noord", cmd)
                check_reply(got[0], eid)
                ids.append(eid)
            await asyncio.sleep(2.5)   # a few idle pings
            exactly_once(w.anna.replies_to(w.rooms["noord"], w.bot_id, ids))
            refused = gw.events(event="error_answer", errcode="M_UNRECOGNIZED")
            assert len(refused) == 1, refused
            assert gw.events(event="request", method="ping"), \
                "the bot did not ping when idle"
            assert len(gw.events(event="connect")) == 1
    try:
        run(body())
    finally:
        bots.stop_all()


@pytest.mark.parametrize("knob", ["--refuse-sends", "--lose-send-answers"])
def test_refused_send_goes_over_http_once(homeserver, users, gateways, request,
                                          knob):
    """The peer answers `send` with an error, without sending it or after
    sending it (the answer lost): the bot sends over HTTP with the same txn
    id, and the room gets the reply exactly once."""
    gw = gateways(extra=(knob, "1"))
    bots = ws_bots(homeserver, users, request, gw)

    async def body():
        async with world(homeserver, users, bots) as w:
            eid, got = await w.ask("noord", "!hulp", settle=4)
            exactly_once({eid: got})
            check_reply(got[0], eid)
            errs = gw.events(event="error_answer")
            assert len(errs) == 1, errs
            # The next one goes over the socket again.
            eid2, got2 = await w.ask("noord", "!agenda", settle=2)
            exactly_once({eid2: got2})
            sends = gw.events(event="request", method="send")
            assert len(sends) == 2, sends
            assert sends[0]["id"] == errs[0]["id"]
    try:
        run(body())
    finally:
        bots.stop_all()


# --- fallback and recovery ---------------------------------------------------

def test_gateway_killed_falls_back_and_comes_back(homeserver, users, gateways,
                                                  request):
    """SIGKILL the gateway while commands arrive: the bot goes on over HTTP
    (one log line), loses no command; the gateway restarted on the same
    URL brings the bot back to the WebSocket (one log line)."""
    gw = gateways()
    bots = ws_bots(homeserver, users, request, gw)

    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            await w.ask("noord", f"!vergadering plan {http_tests.meeting_date()}")
            mark = log_mark()
            ids = []
            for k in range(1, 13):
                ids.append(await w.anna.send_text(
                    room, f"!agenda voorstel Punt {k:02d}"))
                if k == 4:
                    gw.kill()
                await asyncio.sleep(0.2)
            got = await w.anna.wait_replies(room, w.bot_id, ids, 60,
                                            settle=2, abort=w.bot.died)
            exactly_once(got)
            text = log_since(mark)
            assert len(re.findall(r"sync over the HTTP long-poll", text)) == 1, \
                text
            assert re.search(r"closed by \S+ \(code 1006\)", text), text
            connects = len(gw.events(event="connect"))
            mark = log_mark()
            gw.start()
            await until(lambda: len(gw.events(event="connect")) > connects,
                        40, "the bot to connect to the restarted gateway")
            await until(lambda: "sync over the WebSocket" in log_since(mark),
                        10, "the switch back to the WebSocket")
            sends = len(gw.events(event="request", method="send"))
            more = [await w.anna.send_text(room, f"!agenda voorstel Na {k}")
                    for k in range(3)]
            got = await w.anna.wait_replies(room, w.bot_id, more, 30,
                                            settle=2, abort=w.bot.died)
            exactly_once(got)
            assert len(gw.events(event="request", method="send")) >= sends + 3
            eid, agenda = await w.ask("noord", "!agenda")
            for k in range(1, 13):
                assert agenda[0].body.count(f"Punt {k:02d}") == 1, agenda[0].body
            assert len([x for x in loud_lines(mark)
                        if "websocket" in x]) == 1, loud_lines(mark)
    try:
        run(body(), timeout=200)
    finally:
        bots.stop_all()


def test_frozen_gateway_is_a_dead_connection(homeserver, users, gateways,
                                             request):
    """The gateway stops answering (SIGSTOP): the bot's ping gets no pong,
    the connection counts as dead, the sync goes over HTTP."""
    gw = gateways()
    bots = ws_bots(homeserver, users, request, gw)

    async def body():
        async with world(homeserver, users, bots) as w:
            await w.ask("noord", "!hulp")
            mark = log_mark()
            gw.freeze()
            try:
                await until(lambda: "the connection is dead" in log_since(mark),
                            15, "the bot to notice the dead connection")
                eid, got = await w.ask("noord", "!agenda", settle=1)
                exactly_once({eid: got})
            finally:
                gw.thaw()
            assert "sync over the HTTP long-poll" in log_since(mark)
    try:
        run(body())
    finally:
        bots.stop_all()


def test_homeserver_failure_closes_1011(homeserver, users, gateways, request):
    """The gateway's long-poll fails (HTTP 500 from the homeserver side):
    it closes with 1011, the bot falls back to HTTP and then reconnects."""
    proxy = FaultProxy(homeserver.url).start()
    gw = gateways(homeserver=proxy.url)
    bots = ws_bots(homeserver, users, request, gw)

    async def body():
        async with world(homeserver, users, bots) as w:
            await w.ask("noord", "!hulp")
            mark = log_mark()
            connects = len(gw.events(event="connect"))
            proxy.fail("GET", r"/sync$", "500")
            # End the gateway's running long-poll, so the next one fails.
            eid, got = await w.ask("noord", "!agenda", settle=1)
            exactly_once({eid: got})
            await until(lambda: "(code 1011)" in log_since(mark), 20,
                        "the 1011 close")
            await until(lambda: len(gw.events(event="connect")) > connects,
                        20, "the reconnect")
            eid, got = await w.ask("noord", "!hulp agenda", settle=1)
            exactly_once({eid: got})
    try:
        run(body())
    finally:
        bots.stop_all()
        proxy.stop()


def test_bad_token_fails_the_handshake(homeserver, users, gateways, request):
    """A gateway in front of another homeserver, which does not know the
    bot's token: the handshake fails with that homeserver's 401
    M_UNKNOWN_TOKEN, the bot logs it once, clearly, and works over HTTP."""
    other = Synapse(os.path.join(E2E, "synapse-other"),
                    os.path.join(E2E, "synapse-other.log"))
    other.start()
    try:
        gw = gateways(homeserver=other.url)
        bots = ws_bots(homeserver, users, request, gw)

        async def body():
            mark = log_mark()
            async with world(homeserver, users, bots) as w:
                eid, got = await w.ask("noord", "!hulp")
                check_reply(got[0], eid)
                await until(lambda: len(gw.events(event="handshake_refused"))
                            >= 2, 15, "a retried handshake")
                refused = gw.events(event="handshake_refused")
                assert refused[0]["status"] == 401, refused
                assert "M_UNKNOWN_TOKEN" in refused[0]["body"], refused
                lines = [x for x in loud_lines(mark) if "websocket" in x]
                # One line for the refusal and the switch; retries are quiet.
                assert len(lines) == 1, lines
                assert re.search(r"warn websocket: handshake refused by \S+: "
                                 r"HTTP 401 \(the homeserver refused the "
                                 r"access token\); sync over the HTTP "
                                 r"long-poll", lines[0]), lines
                assert not gw.events(event="connect")
        run(body())
        bots.stop_all()
    finally:
        other.stop()


def test_auto_stays_on_http_where_none_is_offered(homeserver, users, gateways,
                                                  request):
    """transport = auto without websocket_url tries the homeserver's own
    /_matrix/client/unstable/stream; Synapse has none, so the bot stays on
    HTTP for good (one log line, no further tries)."""
    gw = gateways()
    bots = ws_bots(homeserver, users, request, gw, transport="auto")
    bots.gateway_url = None

    async def body():
        mark = log_mark()
        async with world(homeserver, users, bots) as w:
            eid, got = await w.ask("noord", "!hulp")
            check_reply(got[0], eid)
            await asyncio.sleep(3)
            text = log_since(mark)
            assert re.search(r"none offered at ws://127\.0\.0\.1:\d+/_matrix/"
                             r"client/unstable/stream \(HTTP 40\d\); staying "
                             r"on the HTTP long-poll", text), text
            assert text.count("none offered") == 1
            assert "retry in" not in text
    try:
        run(body())
    finally:
        bots.stop_all()


def test_auto_uses_an_offered_websocket(homeserver, users, gateways, request):
    """transport = auto with a gateway: the WebSocket is used."""
    gw = gateways()
    bots = ws_bots(homeserver, users, request, gw, transport="auto")

    async def body():
        async with world(homeserver, users, bots) as w:
            eid, got = await w.ask("noord", "!agenda")
            check_reply(got[0], eid)
        assert_carried(gw)
    try:
        run(body())
    finally:
        bots.stop_all()


# --- the gateway itself --------------------------------------------------------

@pytest.mark.parametrize("methods", ["ping", "all"])
def test_gateway_follows_the_draft(homeserver, users, gateways, methods):
    """The test peer, driven directly: subprotocol m.json, the handshake's
    /sync body first, ping answered; state, typing and read_markers
    answered by the full method set and refused (M_UNRECOGNIZED) by the
    ping-only one; a bad token fails the handshake with Synapse's 401."""
    import aiohttp
    from client import Member
    gw = gateways(methods=methods)

    async def body():
        anna_id, pw = users.new("anna")
        anna = await Member(homeserver.url, anna_id, pw).start()
        try:
            room = await anna.create_room("draft")
            eid = await anna.send_text(room, "hallo")
            token = anna.client.access_token
            async with aiohttp.ClientSession() as http:
                with pytest.raises(aiohttp.WSServerHandshakeError) as e:
                    await http.ws_connect(gw.url, params={
                        "access_token": "nope"}, protocols=("m.json",))
                assert e.value.status == 401, e.value
                r = await http.get(gw.url, params={"access_token": "nope"})
                assert r.status == 401
                assert (await r.json())["errcode"] == "M_UNKNOWN_TOKEN"
                async with http.ws_connect(gw.url, params={
                        "access_token": token}, protocols=("m.json",)) as ws:
                    assert ws.protocol == "m.json"
                    first = await ws.receive_json(timeout=10)
                    assert "next_batch" in first
                    calls = {
                        "p": ("ping", {}),
                        "s": ("state", {"room_id": room,
                                        "event_type": "org.example.draft",
                                        "state_key": "", "content": {"a": 1}}),
                        "t": ("typing", {"room_id": room, "typing": True,
                                         "timeout": 1000}),
                        "r": ("read_markers", {"room_id": room,
                                               "m.fully_read": eid}),
                    }
                    for rid, (method, params) in calls.items():
                        await ws.send_json({"id": rid, "method": method,
                                            "params": params})
                    answers = {}
                    while len(answers) < len(calls):
                        m = await ws.receive_json(timeout=10)
                        if "id" in m:
                            answers[m["id"]] = m
                    assert answers["p"] == {"id": "p", "result": {}}
                    for rid in ("s", "t", "r"):
                        if methods == "all":
                            assert "result" in answers[rid], answers[rid]
                        else:
                            assert answers[rid]["error"]["errcode"] == \
                                "M_UNRECOGNIZED", answers[rid]
                    if methods == "all":
                        assert answers["s"]["result"]["event_id"].startswith("$")
        finally:
            await anna.close()
    run(body())


def test_handshake_that_hangs(homeserver, users, gateways, request):
    """websocket_url points at a port that accepts the connection and never
    answers: after the handshake timeout the bot syncs over HTTP."""
    import socket
    mute = socket.socket()
    mute.bind(("127.0.0.1", 0))
    mute.listen(8)
    gw = gateways()
    bots = ws_bots(homeserver, users, request, gw)
    bots.gateway_url = (f"ws://127.0.0.1:{mute.getsockname()[1]}"
                        "/_matrix/client/unstable/stream")

    async def body():
        mark = log_mark()
        async with world(homeserver, users, bots) as w:
            eid, got = await w.ask("noord", "!hulp")
            check_reply(got[0], eid)
            lines = [x for x in loud_lines(mark) if "websocket" in x]
            assert len(lines) == 1 and "no handshake in time" in lines[0] \
                and "sync over the HTTP long-poll" in lines[0], lines
    try:
        run(body())
    finally:
        bots.stop_all()
        mute.close()
