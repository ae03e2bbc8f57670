"""A real end-to-end encryption client for the tests: one simulated device
(matrix-js-sdk with its Rust crypto, @matrix-org/matrix-sdk-crypto-wasm,
the stack of Element Web) per Device, each its own Node process running
tests/e2e/js/e2ee.mjs (installed by tests/e2e/setup_js.sh into BUILD/js,
pinned by tests/e2e/js/package-lock.json). The process speaks JSON lines;
its stderr goes to BUILD/e2e/e2ee-USER-NAME.log.

A Device logs in (a given device_id too), starts its crypto and sync,
creates encrypted rooms as Element does, invites, joins, sends messages
shaped as Element's composer shapes them and encrypted files, and keeps
every timeline event as it decrypted it, so a test waits for a decrypted
reply with a predicate. It also lists a room's events as the server holds
them (not decrypted), downloads and decrypts attachments, lists device keys,
and can hold back its room keys (to-device sends) until released.
"""

import asyncio
import base64
import contextlib
import json
import os
import time

import jsclient
from client import Reply, in_reply_to
from helpers import E2E

SCRIPT = os.path.join(os.path.dirname(jsclient.DRIVER), "e2ee.mjs")
CALL_TIMEOUT = 60       # seconds any one request may take

# (log path, its size when the device started) of every device started
# since the test began: conftest.py shows them with a failing test.
STARTED = []


def relation(report):
    """m.relates_to of a reported event: in the clear content, or outside
    the ciphertext (where encryption may keep it)."""
    for c in (report.get("content") or {}, report.get("wire_content") or {}):
        rel = c.get("m.relates_to") if isinstance(c, dict) else None
        if isinstance(rel, dict):
            return rel
    return {}


class Device:
    """One E2EE device of user_id (a Node process). Use start() and close()
    or `async with`."""

    def __init__(self, homeserver, user_id, password, name, device_id=None):
        self.homeserver = homeserver
        self.user_id = user_id
        self.password = password
        self.name = name
        self.device_id = device_id
        self.keys = {}            # this device's ed25519 / curve25519
        self.events = {}          # event id -> latest report of it
        self.order = []           # event ids in the order first seen
        self.membership = {}      # room id -> {user id: membership}
        local = user_id.lstrip("@").split(":")[0]
        self.log_path = os.path.join(E2E, f"e2ee-{local}-{name}.log")
        self._proc = None
        self._log = None
        self._reader = None
        self._next = 0
        self._pending = {}
        self._cond = asyncio.Condition()
        self._dead = None

    # --- lifecycle --------------------------------------------------------

    async def start(self):
        """Start the process, log in, start the crypto and the sync."""
        jsclient.ensure_installed()
        os.makedirs(E2E, exist_ok=True)
        self._log = open(self.log_path, "ab")
        STARTED.append((self.log_path, self._log.tell()))
        self._log.write(f"\n=== e2ee device {self.name} ({self.user_id}) "
                        f"at {time.strftime('%H:%M:%S')} ===\n".encode())
        self._log.flush()
        self._proc = await asyncio.create_subprocess_exec(
            "node", SCRIPT, stdin=asyncio.subprocess.PIPE,
            stdout=asyncio.subprocess.PIPE, stderr=self._log,
            cwd=os.path.dirname(SCRIPT), limit=64 * 1024 * 1024)
        self._reader = asyncio.create_task(self._read())
        req = {"homeserver": self.homeserver, "user_id": self.user_id,
               "password": self.password, "device_name": f"e2e {self.name}"}
        if self.device_id:
            req["device_id"] = self.device_id
        got = await self.call("login", **req)
        self.device_id = got["device_id"]
        self.keys = await self.call("initCrypto")
        await self.call("start")
        return self

    async def restart(self):
        """A client restart: the SDK's client stopped and made again for the
        same device and crypto store (in the same process); returns the
        device's keys, which must be the same."""
        self.keys = await self.call("restart")
        return self.keys

    async def close(self, logout=False):
        """Stop the process (it is killed when it does not end by itself)."""
        if self._proc is None:
            return
        if self._proc.returncode is None and not self._dead:
            with contextlib.suppress(Exception):
                await self.call("stop", timeout=10, logout=logout)
        try:
            await asyncio.wait_for(self._proc.wait(), 5)
        except asyncio.TimeoutError:
            self._proc.kill()
            await self._proc.wait()
        if self._reader:
            self._reader.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._reader
        self._log.close()
        self._proc = None

    async def __aenter__(self):
        return await self.start()

    async def __aexit__(self, *exc):
        await self.close()

    async def _read(self):
        """Answers to their callers; reports into events and membership."""
        try:
            while True:
                line = await self._proc.stdout.readline()
                if not line:
                    break
                msg = json.loads(line)
                if "id" in msg and msg["id"] is not None:
                    fut = self._pending.pop(msg["id"], None)
                    if fut and not fut.done():
                        fut.set_result(msg)
                    continue
                self._note(msg)
                async with self._cond:
                    self._cond.notify_all()
        finally:
            rc = await self._proc.wait()
            self._dead = f"e2ee device {self.name} exited ({rc}); log {self.log_path}"
            for fut in self._pending.values():
                if not fut.done():
                    fut.set_exception(RuntimeError(self._dead))
            async with self._cond:
                self._cond.notify_all()

    def _note(self, msg):
        kind = msg.get("event")
        if kind == "timeline":
            eid = msg["event_id"]
            if eid not in self.events:
                self.order.append(eid)
                msg["received"] = time.monotonic()
            else:
                msg["received"] = self.events[eid].get("received")
            self.events[eid] = msg
        elif kind == "membership":
            self.membership.setdefault(msg["room_id"], {})[msg["user_id"]] = \
                msg["membership"]

    async def call(self, cmd, timeout=CALL_TIMEOUT, **args):
        """One request; returns its result or raises RuntimeError."""
        if self._dead:
            raise RuntimeError(self._dead)
        self._next += 1
        rid = self._next
        fut = asyncio.get_running_loop().create_future()
        self._pending[rid] = fut
        self._proc.stdin.write((json.dumps({"id": rid, "cmd": cmd, **args})
                                + "\n").encode())
        await self._proc.stdin.drain()
        try:
            msg = await asyncio.wait_for(fut, timeout)
        except asyncio.TimeoutError:
            self._pending.pop(rid, None)
            raise TimeoutError(f"e2ee device {self.name}: {cmd} took more "
                               f"than {timeout}s (log {self.log_path})") from None
        if not msg.get("ok"):
            raise RuntimeError(f"e2ee device {self.name}: {cmd} failed: "
                               f"{msg.get('error')} (log {self.log_path})")
        return msg.get("result")

    # --- waiting ----------------------------------------------------------

    async def wait_for(self, predicate, timeout, what="condition", abort=None):
        """Wait until predicate() is true; TimeoutError naming what. abort()
        (e.g. the bot died) is checked too and raises at once."""
        deadline = time.monotonic() + timeout
        async with self._cond:
            while True:
                if predicate():
                    return
                if self._dead:
                    raise RuntimeError(f"{self._dead} (waiting for {what})")
                if abort:
                    why = abort()
                    if why:
                        raise AssertionError(f"{why} (waiting for {what})")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"{self.name}: timed out after "
                                       f"{timeout}s waiting for {what}")
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._cond.wait(), min(left, 0.5))

    async def wait_membership(self, room_id, user_id, membership, timeout,
                              abort=None):
        await self.wait_for(
            lambda: self.membership.get(room_id, {}).get(user_id) == membership,
            timeout, f"{user_id} to {membership} {room_id}", abort)

    def messages(self, room_id, sender=None, decrypted_only=True):
        """Timeline reports of room_id (from sender), oldest first; by
        default only the ones decrypted (or sent in the clear)."""
        out = []
        for eid in self.order:
            e = self.events[eid]
            if e["room_id"] != room_id or (sender and e["sender"] != sender):
                continue
            if decrypted_only and e["encrypted"] and not e["decrypted"]:
                continue
            out.append(e)
        return out

    async def wait_message(self, room_id, predicate, timeout, what,
                           abort=None):
        """Wait for a decrypted event in room_id with predicate(report);
        returns the first such report."""
        found = []

        def done():
            for e in self.messages(room_id):
                if predicate(e):
                    found.append(e)
                    return True
            return False

        await self.wait_for(done, timeout, what, abort)
        return found[0]

    def replies(self, room_id, sender):
        """Sender's decrypted m.room.message events in room_id as Replies
        (client.Reply; raw: the report, with wire_type and the clear
        content), oldest first."""
        out = []
        for e in self.messages(room_id, sender):
            if e["type"] != "m.room.message":
                continue
            c = e.get("content") or {}
            irt = relation(e).get("m.in_reply_to")
            rel = in_reply_to(c) or (irt.get("event_id") if isinstance(irt, dict) else None)
            m = c.get("m.mentions") if isinstance(c.get("m.mentions"), dict) else {}
            f = c.get("file") if isinstance(c.get("file"), dict) else {}
            out.append(Reply(
                event_id=e["event_id"], sender=sender, body=c.get("body"),
                formatted_body=c.get("formatted_body"), format=c.get("format"),
                in_reply_to=rel, mentions=list(m.get("user_ids") or []),
                received=e.get("received") or 0.0, raw=e,
                msgtype=c.get("msgtype"), url=c.get("url") or f.get("url")))
        return out

    def replies_to(self, room_id, sender, event_ids):
        """{command event id: [sender's decrypted replies to it]}."""
        by = {eid: [] for eid in event_ids}
        for r in self.replies(room_id, sender):
            if r.in_reply_to in by:
                by[r.in_reply_to].append(r)
        return by

    async def wait_replies(self, room_id, sender, event_ids, timeout,
                           settle=0.0, abort=None):
        """Wait until every command in event_ids has a decrypted reply from
        sender, then settle seconds more (to catch a second one). Returns
        {command event id: [replies]}. The timeout's message says whether
        the reply came but stayed undecryptable."""
        ids = list(event_ids)

        def done():
            got = self.replies_to(room_id, sender, ids)
            return all(got[e] for e in ids)

        try:
            await self.wait_for(done, timeout,
                                f"decrypted replies from {sender} to "
                                f"{len(ids)} command(s)", abort)
        except TimeoutError:
            undecrypted = [e for e in self.messages(room_id, sender, False)
                           if e["encrypted"] and not e["decrypted"]]
            plain = [e for e in self.messages(room_id, sender)
                     if not e["encrypted"] and e["type"] == "m.room.message"]
            raise TimeoutError(
                f"{self.name}: no decrypted reply from {sender} within "
                f"{timeout}s to {ids}; from {sender} in the room: "
                f"{len(undecrypted)} event(s) this device cannot decrypt "
                f"({[e.get('failure') for e in undecrypted][:3]}), "
                f"{len(plain)} plaintext message(s)") from None
        if settle:
            await asyncio.sleep(settle)
        return self.replies_to(room_id, sender, ids)

    # --- rooms and sending ------------------------------------------------

    async def create_room(self, name, invite=(), encrypted=True):
        """A private room, encrypted from its creation (m.room.encryption
        in initial_state, as Element creates one); returns its id."""
        got = await self.call("createRoom", name=name, invite=list(invite),
                              encrypted=encrypted)
        return got["room_id"]

    async def invite(self, room_id, user_id):
        await self.call("invite", room_id=room_id, user_id=user_id)

    async def join(self, room_id, encrypted=True):
        await self.call("join", room_id=room_id, encrypted=encrypted)

    async def send(self, room_id, parts, thread=None, reply=None,
                   encrypted=True):
        """Send parts (text and jsclient.pill(...)s) as Element would, in an
        encrypted room (checked on the server unless encrypted=False).
        Returns (event id, clear content)."""
        if isinstance(parts, str):
            parts = [parts]
        args = {"room_id": room_id, "parts": list(parts),
                "encrypted": encrypted}
        if thread:
            args["thread"] = thread
        if reply:
            args["reply"] = reply
        got = await self.call("send", **args)
        return got["event_id"], got["content"]

    async def send_event(self, room_id, event_type, content, encrypted=True,
                         force_encrypt=False):
        """Send any event content; returns its event id. The SDK (as Element)
        sends m.reaction in the clear even in an encrypted room: pass
        encrypted=False for that, or force_encrypt=True to encrypt it."""
        got = await self.call("send", room_id=room_id, type=event_type,
                              content=content, encrypted=encrypted,
                              force_encrypt=force_encrypt)
        return got["event_id"]

    async def send_file(self, room_id, name, data, mimetype, msgtype="m.file"):
        """Send data as an encrypted attachment; returns (event id, clear
        content with its file object)."""
        got = await self.call("sendFile", room_id=room_id, name=name,
                              mimetype=mimetype, msgtype=msgtype,
                              data_b64=base64.b64encode(data).decode())
        return got["event_id"], got["content"]

    async def download(self, file):
        """Download content.file (an encrypted attachment), check its hash
        and decrypt it; returns the bytes."""
        got = await self.call("download", file=file)
        return base64.b64decode(got["data_b64"])

    async def raw_events(self, room_id):
        """Every event of the room as the server stores it, oldest first."""
        return (await self.call("rawEvents", room_id=room_id))["events"]

    # --- keys -------------------------------------------------------------

    async def devices(self, user_id):
        """{device id: {ed25519, curve25519, verified, signed_by_owner}} of
        user_id as this device's crypto knows them (signed_by_owner: the
        device is cross-signed by its user)."""
        return (await self.call("devices", user_id=user_id))["devices"]

    async def keys_query(self, user_id):
        """{device id: {ed25519, curve25519}} as the server lists them."""
        return (await self.call("keysQuery", user_id=user_id))["devices"]

    async def discard_session(self, room_id):
        """Drop this device's outbound room key for room_id: the next
        message starts a new session, shared anew with every device."""
        await self.call("discardSession", room_id=room_id)

    async def hold_keys(self):
        """Keep this device's to-device sends (its room keys) from now on."""
        await self.call("holdKeys")

    async def release_keys(self):
        """Send the kept to-device requests; returns how many there were."""
        return (await self.call("releaseKeys"))["released"]


@contextlib.asynccontextmanager
async def devices(*specs):
    """Start Devices (each spec: the arguments of Device) together; close
    them all at the end."""
    devs = [Device(*s) if isinstance(s, tuple) else Device(**s) for s in specs]
    try:
        await asyncio.gather(*(d.start() for d in devs))
        yield devs
    finally:
        await asyncio.gather(*(d.close() for d in devs),
                             return_exceptions=True)
