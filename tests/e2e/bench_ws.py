"""`make bench-ws`: the WebSocket transport next to the HTTP long-poll, in
one run. A benchmark, not a test.

Against a fresh local Synapse two bots run side by side: one with
transport = websocket behind the draft test gateway (ws_gateway.py, full
method set, so replies go out with `send` over the socket), one with
transport = http. Each has its own room. The matrix-nio client sends the
same command N times (default 500) to each, alternating, and waits for the
reply. It prints command-to-reply latency p50/p99 per transport, and the
bytes on the wire per command between each bot and its server(s), counted
by a TCP relay in front of every server the bot talks to (both directions,
headers and frames included; measured over the N commands only).
"""

import argparse
import asyncio
import datetime
import math
import os
import secrets
import socket
import statistics
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bot import Bot, Network  # noqa: E402
from client import Member  # noqa: E402
from synapse import Synapse  # noqa: E402
from ws_gateway import STREAM_PATH, Gateway  # noqa: E402


class Relay:
    """A TCP relay on its own thread that counts the bytes both ways."""

    def __init__(self, port):
        self.upstream = port
        self.port = None
        self.up = 0      # client -> server
        self.down = 0    # server -> client
        self._loop = asyncio.new_event_loop()
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        self._ready.wait(10)
        return self

    def _run(self):
        asyncio.set_event_loop(self._loop)
        server = self._loop.run_until_complete(
            asyncio.start_server(self._client, "127.0.0.1", 0))
        self.port = server.sockets[0].getsockname()[1]
        self._ready.set()
        self._loop.run_forever()

    async def _client(self, reader, writer):
        try:
            ur, uw = await asyncio.open_connection("127.0.0.1", self.upstream)
        except OSError:
            writer.close()
            return
        await asyncio.gather(self._pipe(reader, uw, "up"),
                             self._pipe(ur, writer, "down"))

    async def _pipe(self, reader, writer, way):
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                if way == "up":
                    self.up += len(data)
                else:
                    self.down += len(data)
                writer.write(data)
                await writer.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            try:
                writer.close()
            except Exception:
                pass

    def total(self):
        return self.up + self.down


class WsBot(Bot):
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


def pct(values, p):
    s = sorted(values)
    k = max(0, min(len(s) - 1, math.ceil(p / 100 * len(s)) - 1))
    return s[k]


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def one(anna, bot, room, command):
    eid, t0 = await anna.send_raw(room, "m.room.message",
                                  {"msgtype": "m.text", "body": command})
    got = await anna.wait_replies(room, bot.user_id, [eid], 30,
                                  abort=bot.died)
    return got[eid][0].received - t0


async def run(args):
    here = os.path.abspath(os.path.join(args.build, "bench-ws"))
    os.makedirs(here, exist_ok=True)
    hs = Synapse(os.path.join(here, "synapse"), os.path.join(here, "synapse.log"))
    hs.start()
    gw = anna = None
    bots = {}
    relays = {}
    try:
        # The gateway talks to Synapse directly; each bot talks through
        # relays that count its traffic.
        gw = Gateway(hs.url, os.path.join(here, "ws_gateway.log"),
                     os.path.join(here, "ws_events.jsonl"), methods="all")
        gw.start()
        relays["ws-http"] = Relay(hs.port).start()
        relays["ws-socket"] = Relay(gw.port).start()
        relays["http"] = Relay(hs.port).start()
        pw = secrets.token_urlsafe(12)
        hs.register("anna", pw)
        anna = await Member(hs.url, hs.user_id("anna"), pw).start()
        for name, transport in (("websocket", "websocket"), ("http", "http")):
            room = await anna.create_room(f"bench {name}")
            bot_pw = secrets.token_urlsafe(12)
            hs.register(f"werktafel-{name}", bot_pw)
            wd = os.path.join(here, name)
            os.makedirs(wd, exist_ok=True)
            for suffix in ("", "-wal", "-shm"):
                p = os.path.join(wd, "werktafel.db" + suffix)
                if os.path.exists(p):
                    os.remove(p)
            relay = relays["ws-http" if name == "websocket" else "http"]
            ws_url = (f"ws://127.0.0.1:{relays['ws-socket'].port}{STREAM_PATH}"
                      if name == "websocket" else None)
            b = WsBot(wd, os.path.join(here, "bot.log"),
                      f"http://127.0.0.1:{relay.port}",
                      hs.user_id(f"werktafel-{name}"), bot_pw,
                      [Network("bench", [room])], admins=[anna.user_id],
                      transport=transport, websocket_url=ws_url,
                      log_level="warn")
            b.room = room
            b.start()
            await anna.invite(room, b.user_id)
            await anna.wait_membership(room, b.user_id, "join", 30,
                                       abort=b.died)
            d = datetime.date.today() + datetime.timedelta(days=30)
            for body in [f"!vergadering plan {d:%d-%m-%Y} 19:30"] + [
                    f"!agenda voorstel Voorstel {k}\nwaarom: meten"
                    for k in (1, 2, 3)]:
                eid = await anna.send_text(room, body)
                await anna.wait_replies(room, b.user_id, [eid], 30,
                                        abort=b.died)
            bots[name] = b
        for _ in range(5):    # warm up
            for b in bots.values():
                await one(anna, b, b.room, args.command)
        lat = {name: [] for name in bots}
        start = {k: r.total() for k, r in relays.items()}
        sends0 = len(gw.events(event="request", method="send"))
        t = time.monotonic()
        for i in range(args.n):
            for name, b in bots.items():
                lat[name].append(await one(anna, b, b.room, args.command))
            if (i + 1) % 100 == 0:
                print(f"  {i + 1}/{args.n}", flush=True)
        wall = time.monotonic() - t
        used = {k: r.total() - start[k] for k, r in relays.items()}
        ws_sends = len(gw.events(event="request", method="send")) - sends0
        rss = {name: b.peak_rss_kb() for name, b in bots.items()}
    finally:
        if anna:
            await anna.close()
        for b in bots.values():
            b.stop()
        if gw:
            gw.stop()
        hs.stop()

    n = args.n
    ws_bytes = used["ws-http"] + used["ws-socket"]
    rows = [("websocket", lat["websocket"], ws_bytes,
             f"{used['ws-socket'] / n:.0f} socket + {used['ws-http'] / n:.0f} HTTP"),
            ("http long-poll", lat["http"], used["http"], "")]
    print(f"""
werktafel transports, {n} commands ({args.command!r}) to each of two bots,
alternating, in {wall:.1f} s against a local Synapse (the WebSocket bot
behind tests/e2e/ws_gateway.py, full method set):

                     p50 ms   p99 ms  mean ms   bytes/command""")
    for name, values, total, detail in rows:
        print(f"  {name:16} {pct(values, 50) * 1000:8.1f} {pct(values, 99) * 1000:8.1f}"
              f" {statistics.mean(values) * 1000:8.1f}   {total / n:8.0f}"
              f"  {detail}")
    print(f"""
  sends over the socket: {ws_sends} of {n}
  bot peak RSS (VmHWM): websocket {rss['websocket']} KiB, http {rss['http']} KiB
  bytes: both directions between the bot and its server(s), through
  counting TCP relays; the gateway's own traffic to Synapse not included.""")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("-n", type=int, default=500)
    ap.add_argument("--command", default="!agenda")
    args = ap.parse_args()
    return asyncio.run(run(args))


if __name__ == "__main__":
    sys.exit(main())
