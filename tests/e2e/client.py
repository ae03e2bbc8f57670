"""An independent Matrix client for the end-to-end tests, on matrix-nio.

A Member logs in, creates rooms, invites the bot, sends messages (also
malformed ones) and collects every timeline event it sees from a background
sync loop, so a test can wait for the bot to join and count the bot's
replies per command by their reply relation.
"""

import asyncio
import time
from dataclasses import dataclass, field

from nio import (AsyncClient, AsyncClientConfig, MessageDirection,
                 RoomMessagesResponse, RoomSendResponse)


@dataclass
class Reply:
    """One message the bot sent (m.notice, m.text or m.file), as the client
    saw it."""
    event_id: str
    sender: str
    body: object
    formatted_body: object
    format: object
    in_reply_to: object        # m.relates_to.m.in_reply_to.event_id
    mentions: list = field(default_factory=list)
    received: float = 0.0      # time.monotonic() when the sync delivered it
    raw: dict = field(default_factory=dict)
    msgtype: str = "m.notice"  # m.text when meant for people; m.file: a file
    url: object = None         # m.file: the mxc:// URL


def in_reply_to(content):
    """The event id a message answers (m.relates_to.m.in_reply_to), or None."""
    rel = content.get("m.relates_to") if isinstance(content, dict) else None
    if not isinstance(rel, dict):
        return None
    irt = rel.get("m.in_reply_to")
    return irt.get("event_id") if isinstance(irt, dict) else None


class Member:
    """A logged-in test user with its own sync loop."""

    def __init__(self, homeserver, user_id, password):
        cfg = AsyncClientConfig(max_timeout_retry_wait_time=1,
                                request_timeout=40, store_sync_tokens=False,
                                encryption_enabled=False)
        self.user_id = user_id
        self.password = password
        self.client = AsyncClient(homeserver, user_id, config=cfg)
        self.timeline = {}        # room id -> [raw event]
        self.membership = {}      # room id -> {user id: membership}
        self.invites = set()      # rooms this user is invited to
        self.arrival = {}         # event id -> monotonic time first seen
        self.sync_errors = 0
        self._cond = None
        self._task = None

    # --- lifecycle --------------------------------------------------------

    async def start(self):
        """Log in and start the background sync loop."""
        self._cond = asyncio.Condition()
        resp = await self.client.login(self.password, device_name="e2e")
        if not getattr(resp, "access_token", None):
            raise RuntimeError(f"login of {self.user_id} failed: {resp}")
        first = await self.client.sync(timeout=0)
        await self._absorb(first)
        self._task = asyncio.create_task(self._sync_loop())
        return self

    async def close(self):
        if self._task:
            self._task.cancel()
            try:
                await self._task
            except (asyncio.CancelledError, Exception):
                pass
        await self.client.close()

    async def _sync_loop(self):
        """Long-poll /sync forever; errors (server down) are retried."""
        while True:
            try:
                resp = await self.client.sync(timeout=5000)
            except asyncio.CancelledError:
                raise
            except Exception:  # connection refused while Synapse is down
                self.sync_errors += 1
                await asyncio.sleep(0.3)
                continue
            if not hasattr(resp, "next_batch"):
                self.sync_errors += 1
                await asyncio.sleep(0.3)
                continue
            await self._absorb(resp)

    async def _absorb(self, resp):
        """Store the events of one sync response and wake the waiters."""
        now = time.monotonic()
        rooms = getattr(resp, "rooms", None)
        if rooms is None:
            return
        for room_id, info in rooms.join.items():
            self.invites.discard(room_id)
            for ev in info.state:
                self._note(room_id, ev.source, now, in_timeline=False)
            for ev in info.timeline.events:
                self._note(room_id, ev.source, now, in_timeline=True)
        for room_id, info in rooms.invite.items():
            self.invites.add(room_id)
        for room_id, info in rooms.leave.items():
            self.invites.discard(room_id)
            self.membership.setdefault(room_id, {})[self.user_id] = "leave"
            for ev in info.timeline.events:
                self._note(room_id, ev.source, now, in_timeline=True)
        async with self._cond:
            self._cond.notify_all()

    def _note(self, room_id, ev, now, in_timeline):
        if not isinstance(ev, dict):
            return
        if ev.get("type") == "m.room.member" and "state_key" in ev:
            content = ev.get("content") or {}
            self.membership.setdefault(room_id, {})[ev["state_key"]] = \
                content.get("membership")
        if in_timeline:
            eid = ev.get("event_id")
            if eid and eid not in self.arrival:
                self.arrival[eid] = now
                self.timeline.setdefault(room_id, []).append(ev)

    # --- waiting ----------------------------------------------------------

    async def wait_for(self, predicate, timeout, what="condition",
                       abort=None):
        """Wait until predicate() is true; raise TimeoutError naming what.
        abort(), if given, is checked too and its message raised at once
        (e.g. the bot process died)."""
        deadline = time.monotonic() + timeout
        async with self._cond:
            while True:
                if predicate():
                    return
                if abort:
                    why = abort()
                    if why:
                        raise AssertionError(f"{why} (waiting for {what})")
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"timed out after {timeout}s waiting "
                                       f"for {what}")
                try:
                    await asyncio.wait_for(self._cond.wait(), min(left, 0.5))
                except asyncio.TimeoutError:
                    pass

    def member_state(self, room_id, user_id):
        return self.membership.get(room_id, {}).get(user_id)

    async def wait_membership(self, room_id, user_id, membership, timeout,
                              abort=None):
        await self.wait_for(
            lambda: self.member_state(room_id, user_id) == membership,
            timeout, f"{user_id} to {membership} {room_id}", abort)

    # --- rooms ------------------------------------------------------------

    async def create_room(self, name, invite=(), public=False):
        """Create a room (private unless public) and return its id."""
        from nio import RoomPreset, RoomVisibility
        resp = await self.client.room_create(
            name=name, invite=list(invite),
            preset=RoomPreset.public_chat if public
            else RoomPreset.private_chat,
            visibility=RoomVisibility.private)
        if not getattr(resp, "room_id", None):
            raise RuntimeError(f"room_create failed: {resp}")
        await self.wait_membership(resp.room_id, self.user_id, "join", 10)
        return resp.room_id

    async def invite(self, room_id, user_id):
        resp = await self.client.room_invite(room_id, user_id)
        if type(resp).__name__.endswith("Error"):
            raise RuntimeError(f"invite failed: {resp}")

    async def join(self, room_id):
        resp = await self.client.join(room_id)
        if not getattr(resp, "room_id", None):
            raise RuntimeError(f"join failed: {resp}")
        # Its own join through its own sync: seconds on a loaded machine.
        await self.wait_membership(room_id, self.user_id, "join", 30)

    # --- sending ----------------------------------------------------------

    async def send_raw(self, room_id, event_type, content):
        """Send any event content; returns (event id, monotonic send time)."""
        t = time.monotonic()
        resp = await self.client.room_send(room_id, event_type, content,
                                           ignore_unverified_devices=True)
        if not isinstance(resp, RoomSendResponse):
            raise RuntimeError(f"send failed: {resp}")
        return resp.event_id, t

    async def send_state(self, room_id, event_type, content, state_key=""):
        """Set a state event; returns its event id."""
        resp = await self.client.room_put_state(room_id, event_type, content,
                                                state_key=state_key)
        event_id = getattr(resp, "event_id", None)
        if not event_id:
            raise RuntimeError(f"state event failed: {resp}")
        return event_id

    async def send_text(self, room_id, body, msgtype="m.text"):
        """Send a plain message; returns its event id."""
        eid, _ = await self.send_raw(room_id, "m.room.message",
                                     {"msgtype": msgtype, "body": body})
        return eid

    # --- reading ----------------------------------------------------------

    def events(self, room_id):
        return list(self.timeline.get(room_id, []))

    def replies(self, room_id, sender):
        """Every m.notice, m.text and m.file from sender in room_id, oldest
        first (the bot sends m.text when a message is meant for people)."""
        out = []
        for ev in self.events(room_id):
            if ev.get("sender") != sender or ev.get("type") != "m.room.message":
                continue
            c = ev.get("content") or {}
            if c.get("msgtype") not in ("m.notice", "m.text", "m.file"):
                continue
            m = c.get("m.mentions") if isinstance(c.get("m.mentions"), dict) \
                else {}
            out.append(Reply(
                event_id=ev.get("event_id"), sender=sender,
                body=c.get("body"), formatted_body=c.get("formatted_body"),
                format=c.get("format"), in_reply_to=in_reply_to(c),
                mentions=list(m.get("user_ids") or []),
                received=self.arrival.get(ev.get("event_id"), 0.0), raw=ev,
                msgtype=c.get("msgtype"), url=c.get("url")))
        return out

    async def notifications(self, limit=100):
        """This user's notifications as the homeserver lists them
        (GET /_matrix/client/v3/notifications): [{"event", "actions", ...}]."""
        import aiohttp
        url = (f"{self.client.homeserver}/_matrix/client/v3/notifications"
               f"?limit={limit}")
        headers = {"Authorization": f"Bearer {self.client.access_token}"}
        async with aiohttp.ClientSession() as s:
            async with s.get(url, headers=headers) as r:
                assert r.status == 200, await r.text()
                return (await r.json()).get("notifications", [])

    async def download(self, mxc):
        """(HTTP status, bytes, content type) of an mxc:// URL, through the
        authenticated media API."""
        import aiohttp
        server, _, media = mxc[len("mxc://"):].partition("/")
        url = (f"{self.client.homeserver}/_matrix/client/v1/media/download/"
               f"{server}/{media}")
        headers = {"Authorization": f"Bearer {self.client.access_token}"}
        async with aiohttp.ClientSession() as s:
            async with s.get(url, headers=headers) as r:
                return r.status, await r.read(), r.headers.get("Content-Type", "")

    def replies_to(self, room_id, sender, event_ids):
        """{command event id: [replies to it]} for the given commands."""
        by = {eid: [] for eid in event_ids}
        for r in self.replies(room_id, sender):
            if r.in_reply_to in by:
                by[r.in_reply_to].append(r)
        return by

    async def wait_replies(self, room_id, sender, event_ids, timeout,
                           settle=0.0, abort=None):
        """Wait until every command in event_ids has at least one reply from
        sender, then `settle` seconds more (to catch duplicates). Returns
        {command event id: [replies]}."""
        ids = list(event_ids)

        def done():
            got = self.replies_to(room_id, sender, ids)
            return all(got[e] for e in ids)

        try:
            await self.wait_for(done, timeout,
                                f"replies from {sender} to {len(ids)} "
                                f"command(s)", abort)
        except TimeoutError:
            got = self.replies_to(room_id, sender, ids)
            missing = [e for e in ids if not got[e]]
            raise TimeoutError(f"no reply from {sender} within {timeout}s to "
                               f"{len(missing)} of {len(ids)} command(s): "
                               f"{missing[:5]}") from None
        if settle:
            await asyncio.sleep(settle)
        return self.replies_to(room_id, sender, ids)

    async def read_back(self, room_id, limit=100):
        """Read the room's latest events with /messages and add the ones the
        sync has not delivered (a homeserver restarted under the client may
        never send them down /sync, as Dendrite does); wakes the waiters."""
        resp = await self.client.room_messages(
            room_id, start=None, direction=MessageDirection.back, limit=limit)
        if not isinstance(resp, RoomMessagesResponse):
            return False
        now = time.monotonic()
        for ev in reversed(resp.chunk):
            self._note(room_id, ev.source, now, in_timeline=True)
        async with self._cond:
            self._cond.notify_all()
        return True

    async def wait_echo(self, room_id, event_id, timeout):
        """Wait until our own event comes back through sync; returns the
        monotonic arrival time."""
        await self.wait_for(lambda: event_id in self.arrival, timeout,
                            f"echo of {event_id}")
        return self.arrival[event_id]
