"""A small WebSocket gateway that speaks the draft /stream API (MSC1148) in
front of a homeserver, as matrix-websockets-proxy does, for the end-to-end
tests of the bot's WebSocket transport. Built on aiohttp (its WebSocket
server and its HTTP client), which the test venv pins already.

  GET /_matrix/client/unstable/stream?access_token=..&since=..&filter=..
  subprotocol m.json

Before upgrading it makes one /sync with timeout=0; an error answer (a bad
token: 401 M_UNKNOWN_TOKEN) fails the handshake with the homeserver's
status and body. After the upgrade it pushes that /sync body and then every
long-polled /sync body as a text message, and closes with 1011 when the
homeserver fails. Requests {"id","method","params"} are answered with
{"id","result"} or {"id","error":{"errcode","error"}}: --methods ping
answers only ping (like the reference proxy); --methods all also answers
send, state, typing and read_markers (like its later fork). It pings every
--ping-interval seconds (54) and drops a client silent for
--silence-timeout seconds (60).

Test knobs: --refuse-sends N answers the first N sends with an error
without forwarding them; --lose-send-answers N forwards the first N sends
and then answers with an error, as if the answer was lost. --cut-body-with
TEXT pushes the first /sync body that contains TEXT cut in half (no JSON
any more), as a broken peer would. --events FILE
appends one JSON line per connection, request and close.

Run it as a script (the tests start it as a process so they can kill it),
or through the Gateway class below.
"""

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse

import aiohttp
from aiohttp import web

STREAM_PATH = "/_matrix/client/unstable/stream"
HOP = {"host", "content-length", "transfer-encoding", "connection"}


class Options:
    def __init__(self, args):
        self.homeserver = args.homeserver.rstrip("/")
        self.methods = args.methods
        self.ping_interval = args.ping_interval
        self.silence_timeout = args.silence_timeout
        self.poll_timeout_ms = args.poll_timeout_ms
        self.refuse_sends = args.refuse_sends
        self.lose_send_answers = args.lose_send_answers
        self.events = args.events
        self.cut_body_with = args.cut_body_with


class Gate:
    """The gateway's state: options, one HTTP session to the homeserver."""

    def __init__(self, opts):
        self.o = opts
        self.session = None
        self.cut_done = False

    def note(self, **ev):
        if not self.o.events:
            return
        ev["t"] = time.time()
        with open(self.o.events, "a") as f:
            f.write(json.dumps(ev) + "\n")

    async def hs(self, method, path, token, params=None, body=None,
                 timeout=60):
        """One request to the homeserver: (status, parsed body or text)."""
        url = self.o.homeserver + path
        async with self.session.request(
                method, url, params=params, json=body,
                headers={"Authorization": "Bearer " + token},
                timeout=aiohttp.ClientTimeout(total=timeout)) as r:
            raw = await r.read()
            return r.status, raw

    # --- the stream ------------------------------------------------------

    async def stream(self, request):
        q = request.query
        token = q.get("access_token", "")
        auth = request.headers.get("Authorization", "")
        if not token and auth.startswith("Bearer "):
            token = auth[7:]
        params = {"timeout": "0"}
        for k in ("since", "filter"):
            if q.get(k):
                params[k] = q[k]
        try:
            status, raw = await self.hs("GET", "/_matrix/client/v3/sync",
                                        token, params=params)
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            self.note(event="handshake_refused", status=502, why=str(e))
            return web.json_response({"errcode": "M_UNKNOWN",
                                      "error": f"homeserver: {e}"},
                                     status=502)
        if status != 200:
            self.note(event="handshake_refused", status=status,
                      body=raw.decode(errors="replace")[:300])
            return web.Response(status=status, body=raw,
                                content_type="application/json")
        ws = web.WebSocketResponse(protocols=("m.json",), autoping=False,
                                   max_msg_size=0)
        await ws.prepare(request)
        conn = Conn(self, ws, token, params.get("filter"))
        self.note(event="connect", protocol=ws.ws_protocol,
                  since=params.get("since"))
        await conn.run(raw)
        self.note(event="close", code=ws.close_code, why=conn.why)
        return ws


class Conn:
    """One client connection."""

    def __init__(self, gate, ws, token, filt):
        self.g = gate
        self.ws = ws
        self.token = token
        self.filter = filt
        self.lock = asyncio.Lock()
        self.why = None
        self.user_id = None

    async def send_text(self, text):
        async with self.lock:
            if not self.ws.closed:
                await self.ws.send_str(text)

    async def close(self, code, why):
        if self.why is None:
            self.why = why
        async with self.lock:
            if not self.ws.closed:
                await self.ws.close(code=code, message=why.encode()[:120])

    async def run(self, first_body):
        await self.send_text(first_body.decode())
        since = json.loads(first_body)["next_batch"]
        tasks = [asyncio.create_task(self.syncer(since)),
                 asyncio.create_task(self.pinger())]
        try:
            await self.reader()
        finally:
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if not self.ws.closed:
                await self.ws.close()

    async def syncer(self, since):
        """Long-poll /sync and push every answer; 1011 when it fails."""
        while not self.ws.closed:
            params = {"since": since,
                      "timeout": str(self.g.o.poll_timeout_ms)}
            if self.filter:
                params["filter"] = self.filter
            try:
                status, raw = await self.g.hs(
                    "GET", "/_matrix/client/v3/sync", self.token,
                    params=params, timeout=self.g.o.poll_timeout_ms / 1000 + 30)
            except (aiohttp.ClientError, asyncio.TimeoutError) as e:
                await self.close(1011, f"homeserver failed: {e}")
                return
            if status != 200:
                await self.close(1011, f"homeserver failed: HTTP {status}")
                return
            body = json.loads(raw)
            since = body["next_batch"]
            text = raw.decode()
            cut = self.g.o.cut_body_with
            if cut and not self.g.cut_done and cut in text:
                self.g.cut_done = True
                self.g.note(event="cut_body")
                text = raw[:len(raw) // 2].decode(errors="ignore")
            await self.send_text(text)

    async def pinger(self):
        while not self.ws.closed:
            await asyncio.sleep(self.g.o.ping_interval)
            async with self.lock:
                if not self.ws.closed:
                    await self.ws.ping()

    async def reader(self):
        """Read frames; drop the client after silence_timeout without any."""
        while not self.ws.closed:
            try:
                msg = await self.ws.receive(timeout=self.g.o.silence_timeout)
            except asyncio.TimeoutError:
                await self.close(1001, "client silent too long")
                return
            if msg.type == aiohttp.WSMsgType.TEXT:
                asyncio.create_task(self.request(msg.data))
            elif msg.type == aiohttp.WSMsgType.PING:
                async with self.lock:
                    await self.ws.pong(msg.data)
            elif msg.type in (aiohttp.WSMsgType.CLOSE,
                              aiohttp.WSMsgType.CLOSING,
                              aiohttp.WSMsgType.CLOSED,
                              aiohttp.WSMsgType.ERROR):
                if self.why is None:
                    self.why = f"client closed ({msg.type.name})"
                return

    # --- requests --------------------------------------------------------

    async def request(self, text):
        try:
            req = json.loads(text)
            rid = req["id"]
            method = req["method"]
            params = req.get("params") or {}
        except (ValueError, KeyError, TypeError):
            self.g.note(event="bad_request", text=text[:200])
            return
        self.g.note(event="request", method=method, id=rid)
        if method == "ping":
            return await self.answer(rid, {})
        if self.g.o.methods != "all" or method not in METHODS:
            return await self.error(rid, "M_UNRECOGNIZED",
                                    f"Unknown method: {method}")
        try:
            await METHODS[method](self, rid, params)
        except (aiohttp.ClientError, asyncio.TimeoutError) as e:
            await self.error(rid, "M_UNKNOWN", f"homeserver: {e}")
        except (KeyError, TypeError) as e:
            await self.error(rid, "M_BAD_JSON", f"bad params: {e}")

    async def answer(self, rid, result):
        await self.send_text(json.dumps({"id": rid, "result": result}))

    async def error(self, rid, errcode, error):
        self.g.note(event="error_answer", id=rid, errcode=errcode)
        await self.send_text(json.dumps(
            {"id": rid, "error": {"errcode": errcode, "error": error}}))

    async def relay(self, rid, method, path, body):
        """Forward to the homeserver; answer with its result or error."""
        status, raw = await self.g.hs(method, path, self.token, body=body)
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = {}
        if status == 200:
            return await self.answer(rid, parsed)
        await self.error(rid, parsed.get("errcode", "M_UNKNOWN"),
                         parsed.get("error", f"HTTP {status}"))

    async def m_send(self, rid, p):
        q = urllib.parse.quote
        path = (f"/_matrix/client/v3/rooms/{q(p['room_id'], safe='')}/send/"
                f"{q(p['event_type'], safe='')}/{q(rid, safe='')}")
        o = self.g.o
        if o.refuse_sends > 0:
            o.refuse_sends -= 1
            return await self.error(rid, "M_FORBIDDEN", "refused by the gateway")
        if o.lose_send_answers > 0:
            o.lose_send_answers -= 1
            await self.g.hs("PUT", path, self.token, body=p["content"])
            return await self.error(rid, "M_UNKNOWN", "answer lost")
        await self.relay(rid, "PUT", path, p["content"])

    async def m_state(self, rid, p):
        q = urllib.parse.quote
        path = (f"/_matrix/client/v3/rooms/{q(p['room_id'], safe='')}/state/"
                f"{q(p['event_type'], safe='')}/"
                f"{q(p.get('state_key', ''), safe='')}")
        await self.relay(rid, "PUT", path, p["content"])

    async def whoami(self):
        if not self.user_id:
            _, raw = await self.g.hs("GET", "/_matrix/client/v3/account/whoami",
                                     self.token)
            self.user_id = json.loads(raw)["user_id"]
        return self.user_id

    async def m_typing(self, rid, p):
        q = urllib.parse.quote
        user = await self.whoami()
        body = {"typing": bool(p.get("typing"))}
        if p.get("timeout"):
            body["timeout"] = p["timeout"]
        path = (f"/_matrix/client/v3/rooms/{q(p['room_id'], safe='')}/typing/"
                f"{q(user, safe='')}")
        await self.relay(rid, "PUT", path, body)

    async def m_read_markers(self, rid, p):
        q = urllib.parse.quote
        body = {k: v for k, v in p.items() if k != "room_id"}
        path = f"/_matrix/client/v3/rooms/{q(p['room_id'], safe='')}/read_markers"
        await self.relay(rid, "POST", path, body)


METHODS = {"send": Conn.m_send, "state": Conn.m_state,
           "typing": Conn.m_typing, "read_markers": Conn.m_read_markers}


async def serve(opts, port, path):
    gate = Gate(opts)
    gate.session = aiohttp.ClientSession()
    app = web.Application()
    app.router.add_get(path, gate.stream)
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", port)
    await site.start()
    print(f"ws_gateway: listening on ws://127.0.0.1:{port}{path} "
          f"({opts.methods}) for {opts.homeserver}", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    await gate.session.close()


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--homeserver", required=True)
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--path", default=STREAM_PATH)
    ap.add_argument("--methods", choices=("ping", "all"), default="all")
    ap.add_argument("--ping-interval", type=float, default=54)
    ap.add_argument("--silence-timeout", type=float, default=60)
    ap.add_argument("--poll-timeout-ms", type=int, default=30000)
    ap.add_argument("--refuse-sends", type=int, default=0)
    ap.add_argument("--lose-send-answers", type=int, default=0)
    ap.add_argument("--events", default=None)
    ap.add_argument("--cut-body-with", default=None)
    args = ap.parse_args(argv)
    asyncio.run(serve(Options(args), args.port, args.path))


# --- for the tests ---------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gateway:
    """The gateway as a child process on a fixed port, so a test can kill
    it (SIGKILL), freeze it (SIGSTOP) and start it again on the same URL."""

    def __init__(self, homeserver, logpath, events, methods="all",
                 ping_interval=54, silence_timeout=60, extra=()):
        self.homeserver = homeserver
        self.logpath = logpath
        self.events_path = events
        self.methods = methods
        self.ping_interval = ping_interval
        self.silence_timeout = silence_timeout
        self.extra = list(extra)
        self.port = free_port()
        self.proc = None

    @property
    def url(self):
        return f"ws://127.0.0.1:{self.port}{STREAM_PATH}"

    def start(self, extra=None):
        args = [sys.executable, os.path.abspath(__file__),
                "--homeserver", self.homeserver, "--port", str(self.port),
                "--methods", self.methods,
                "--ping-interval", str(self.ping_interval),
                "--silence-timeout", str(self.silence_timeout),
                "--events", self.events_path] + self.extra + list(extra or ())
        log = open(self.logpath, "ab")
        self.proc = subprocess.Popen(args, stdout=log, stderr=log,
                                     stdin=subprocess.DEVNULL,
                                     start_new_session=True)
        log.close()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"ws_gateway exited ({self.proc.returncode}),"
                                   f" see {self.logpath}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), 0.2):
                    return self
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("ws_gateway did not start listening")

    def kill(self):
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def freeze(self):
        os.kill(self.proc.pid, signal.SIGSTOP)

    def thaw(self):
        os.kill(self.proc.pid, signal.SIGCONT)

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None

    def events(self, **match):
        """The recorded events whose fields equal match."""
        out = []
        try:
            with open(self.events_path) as f:
                for line in f:
                    ev = json.loads(line)
                    if all(ev.get(k) == v for k, v in match.items()):
                        out.append(ev)
        except (OSError, ValueError):
            pass
        return out


if __name__ == "__main__":
    main()
