"""An HTTP proxy between the bot and Synapse that can make chosen requests
fail, for the tests of sending under faults.

It forwards every request to Synapse unchanged, except when a rule matches:
  - "500" / "429": answer with that error without forwarding;
  - "400 M_FORBIDDEN" (any 4xx status, a space, an errcode): answer with
    that status and errcode without forwarding;
  - "forward-500": forward, let Synapse store the event, then answer 500 as
    if the answer was lost on the way back (the retry must reuse the txnId
    so Synapse deduplicates it).
  - "forward-cut": forward, let the server answer, then cut the bot's
    connection without answering (the answer lost on the way back);
  - "cut-mid": hand the whole request to the server and close that
    connection at once, without waiting for its answer, and cut the bot's
    (the request cut off while the server works on it);
  - "forward-hold": forward, keep the server's answer until the test calls
    rule.release(), then cut the bot's connection without answering (the
    test restarts the server or revokes the token meanwhile; rule.held is
    set once the server has answered).
  - inject_sync(fn): the next /sync answer (after the first sync) is
    passed through fn, which may add events Synapse itself would refuse
    (a message without body, a body that is a number, ...).
  - inject_sync_raw(fn): the same with the answer's raw bytes, for what
    json.dumps cannot write (lone surrogates, a key twice, invalid UTF-8,
    nesting 10,000 deep).
Each request's method, path, answered status and time are recorded.
It runs its own asyncio loop in a thread, so tests stay synchronous.
"""

import asyncio
import json
import os
import re
import threading
import time
import urllib.parse

import aiohttp
from aiohttp import web

HOP_HEADERS = {"host", "content-length", "transfer-encoding", "connection",
               "content-encoding", "keep-alive", "accept-encoding"}


class Rule:
    def __init__(self, method, path_re, action, count, retry_after_ms):
        self.method = method
        self.path_re = re.compile(path_re)
        self.action = action
        self.left = count
        self.retry_after_ms = retry_after_ms
        self.held = threading.Event()      # forward-hold: the answer is here
        self._go = threading.Event()
        self.upstream_status = None        # what the server answered

    def wait_held(self, timeout):
        """Wait until a forward-hold rule holds the server's answer."""
        if not self.held.wait(timeout):
            raise TimeoutError(f"no request matched {self.path_re.pattern} "
                               f"in {timeout}s")
        return self

    def release(self):
        """Let a forward-hold rule cut the connection it holds."""
        self._go.set()


class FaultProxy:
    def __init__(self, upstream):
        self.upstream = upstream.rstrip("/")
        self.port = None
        self.log = []           # (monotonic time, method, path, status)
        self._rules = []
        self._sync_fns = []
        # FAULTPROXY_DUMP=FILE appends every /sync answer to FILE (debugging).
        self.dump = os.environ.get("FAULTPROXY_DUMP")
        self._lock = threading.Lock()
        self._loop = None
        self._thread = None
        self._runner = None
        self._session = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def fail(self, method, path_re, action, count=1, retry_after_ms=1000):
        """Make the next `count` requests matching method and path_re (a
        regex searched in the path) fail with action."""
        rule = Rule(method, path_re, action, count, retry_after_ms)
        with self._lock:
            self._rules.append(rule)
        return rule

    def inject_sync(self, fn):
        """Pass the next incremental /sync answer (with since=) through fn,
        which changes the decoded JSON in place."""
        with self._lock:
            self._sync_fns.append(fn)

    def inject_sync_raw(self, fn):
        """Pass the next incremental /sync answer's raw bytes through fn,
        which returns the bytes to send instead."""
        with self._lock:
            self._sync_fns.append(("raw", fn))

    def _take_sync_fn(self, request):
        if not request.path.endswith("/sync") or "since" not in request.query:
            return None
        with self._lock:
            return self._sync_fns.pop(0) if self._sync_fns else None

    def requests(self, method=None, path_re=None):
        """The recorded requests, optionally filtered."""
        with self._lock:
            out = list(self.log)
        return [r for r in out
                if (method is None or r[1] == method)
                and (path_re is None or re.search(path_re, r[2]))]

    def _take_rule(self, method, path):
        with self._lock:
            for r in self._rules:
                if r.left > 0 and r.method == method and r.path_re.search(path):
                    r.left -= 1
                    return r
        return None

    async def _handle(self, request):
        body = await request.read()
        path = request.path_qs
        rule = self._take_rule(request.method, request.path)
        status = None
        resp = None
        if rule and rule.action == "500":
            status = 500
            resp = web.json_response({"errcode": "M_UNKNOWN",
                                      "error": "injected failure"}, status=500)
        elif rule and rule.action == "429":
            status = 429
            resp = web.json_response(
                {"errcode": "M_LIMIT_EXCEEDED", "error": "injected limit",
                 "retry_after_ms": rule.retry_after_ms}, status=429,
                headers={"Retry-After":
                         str(max(1, rule.retry_after_ms // 1000))})
        elif rule and rule.action[:1] == "4" and " " in rule.action:
            code, errcode = rule.action.split(" ", 1)
            status = int(code)
            resp = web.json_response({"errcode": errcode,
                                      "error": "injected refusal"},
                                     status=status)
        elif rule and rule.action == "cut-mid":
            await self._send_and_close(request, body, path)
            return self._cut(request, rule, path)
        elif rule and rule.action in ("forward-cut", "forward-hold"):
            up = await self._forward(request, body, path)
            rule.upstream_status = up.status
            if rule.action == "forward-hold":
                rule.held.set()
                while not rule._go.is_set():
                    await asyncio.sleep(0.05)
            return self._cut(request, rule, path)
        else:
            resp = await self._forward(request, body, path)
            status = resp.status
            if status == 200 and request.path.endswith("/sync"):
                resp = self._mutate_sync(request, resp)
                if self.dump:
                    with open(self.dump, "ab") as f:
                        f.write(b"== " + path.encode() + b"\n" + resp.body
                                + b"\n")
            if rule and rule.action == "forward-500" and status == 200:
                status = 500
                resp = web.json_response({"errcode": "M_UNKNOWN",
                                          "error": "injected lost answer"},
                                         status=500)
        with self._lock:
            self.log.append((time.monotonic(), request.method,
                             request.path, status))
        return resp

    def _cut(self, request, rule, path):
        """Close the bot's connection without an answer (recorded as
        status 0); aiohttp then has nothing to write to."""
        with self._lock:
            self.log.append((time.monotonic(), request.method,
                             request.path, 0))
        request.transport.abort()
        return web.Response(status=204)

    async def _send_and_close(self, request, body, path):
        """Write the request to the server on a connection of its own and
        close it at once, without reading the answer."""
        u = urllib.parse.urlsplit(self.upstream)
        reader, writer = await asyncio.open_connection(u.hostname, u.port)
        head = [f"{request.method} {path} HTTP/1.1",
                f"Host: {u.hostname}:{u.port}"]
        head += [f"{k}: {v}" for k, v in request.headers.items()
                 if k.lower() not in HOP_HEADERS]
        head += [f"Content-Length: {len(body)}", "Connection: close", "", ""]
        writer.write("\r\n".join(head).encode() + body)
        await writer.drain()
        writer.transport.abort()

    def _mutate_sync(self, request, resp):
        fn = self._take_sync_fn(request)
        if fn is None:
            return resp
        if isinstance(fn, tuple):
            return web.Response(status=200, body=fn[1](resp.body),
                                content_type="application/json")
        data = json.loads(resp.body)
        fn(data)
        return web.Response(status=200, body=json.dumps(data).encode(),
                            content_type="application/json")

    async def _forward(self, request, body, path):
        headers = {k: v for k, v in request.headers.items()
                   if k.lower() not in HOP_HEADERS}
        headers["Accept-Encoding"] = "identity"
        try:
            async with self._session.request(
                    request.method, self.upstream + path, data=body,
                    headers=headers, allow_redirects=False) as up:
                data = await up.read()
                out = {k: v for k, v in up.headers.items()
                       if k.lower() not in HOP_HEADERS}
                return web.Response(status=up.status, body=data, headers=out)
        except (aiohttp.ClientError, OSError) as e:
            return web.json_response({"errcode": "M_UNKNOWN",
                                      "error": f"proxy: upstream: {e}"},
                                     status=502)

    async def _start(self):
        self._session = aiohttp.ClientSession(
            timeout=aiohttp.ClientTimeout(total=None),
            auto_decompress=True)
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app, access_log=None,
                                     shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]

    async def _stop(self):
        """Close the listener, then cancel requests still in flight (the
        bot's long-poll) so the loop ends clean."""
        await self._runner.cleanup()
        me = asyncio.current_task()
        rest = [t for t in asyncio.all_tasks() if t is not me]
        for t in rest:
            t.cancel()
        await asyncio.gather(*rest, return_exceptions=True)
        await self._session.close()

    def start(self):
        """Start the proxy thread; returns self once it listens."""
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever,
                                        daemon=True)
        self._thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        return self

    def stop(self):
        if not self._loop:
            return
        try:
            asyncio.run_coroutine_threadsafe(self._stop(),
                                             self._loop).result(10)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
            self._loop.close()
            self._loop = None
