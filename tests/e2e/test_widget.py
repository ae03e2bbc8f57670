"""The board as an Element widget (issue 22, items 2 and 5), end to end on
Synapse with headless Chromium (Debian package `chromium`, installed here
when missing and the test runs as root; skipped otherwise).

`!bord` by the chair: first refused by the homeserver (the bot lacks the
power level; the room hears why), then, with the power, the
im.vector.modular.widgets state event Element shows. A stand-in for
Element (harness.html: an iframe and the widget API's postMessage side)
opens the widget's URL as Element would (template variables filled in,
widgetId and parentUrl added) and answers the widget's get_openid with a
real OpenID token that a client got from Synapse
(/user/{id}/openid/request_token). A member then sees the board; a
non-member, a forged token and an expired personal link see nothing. The
member's view is saved as docs/board.png (WERKTAFEL_SCREENSHOT=path to put
it elsewhere, =0 for none)."""

import asyncio
import base64
import functools
import hashlib
import http.server
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.parse

import aiohttp
import pytest

from client import Member
from helpers import REPLY_TIMEOUT, joined_member, meeting_date, run, text_of, world
from synapse import http_json
from servers import NO_OPENID, server_only

WIDGET_TYPE = "im.vector.modular.widgets"
WIDGET_ID = "org.werktafel.board"
HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(os.path.dirname(HERE))

HARNESS_HTML = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Element (test stand-in)</title>
<style>body{margin:0;font:14px system-ui,sans-serif;background:#f4f6fa}
header{padding:8px 12px;background:#0dbd8b;color:#fff;font-weight:600}
iframe{display:block;border:0;width:100%;height:calc(100vh - 35px);background:#fff}</style>
</head><body><header>Werktafel noord &middot; Bord</header>
<iframe id="w" title="widget"></iframe><script src="harness.js"></script></body></html>
"""

# The client side of the widget API, as Element speaks it: capabilities
# once the iframe loaded, then the OpenID credentials for get_openid.
HARNESS_JS = """
const q = new URLSearchParams(location.search);
const widgetUrl = q.get("widget");
const cred = JSON.parse(q.get("cred"));
const wid = q.get("widgetId");
const frame = document.getElementById("w");
const wOrigin = new URL(widgetUrl).origin;
window.addEventListener("message", (ev) => {
  if (ev.origin !== wOrigin) return;
  const m = ev.data;
  if (m && m.api === "fromWidget" && !m.response && m.action === "get_openid") {
    const r = Object.assign({}, m, {response: Object.assign({state: "allowed"}, cred)});
    ev.source.postMessage(r, wOrigin);
  }
});
frame.addEventListener("load", () => {
  frame.contentWindow.postMessage({api: "toWidget", widgetId: wid, requestId: "cap-1",
                                   action: "capabilities", data: {}}, wOrigin);
});
frame.src = widgetUrl;
"""


def chromium_binary():
    """The Chromium binary; installed with apt-get when missing (root)."""
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    if os.geteuid() == 0 and shutil.which("apt-get"):
        env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        subprocess.run(["apt-get", "install", "-y", "--no-install-recommends",
                        "chromium"], env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=900, check=False)
    return shutil.which("chromium")


@pytest.fixture(scope="module")
def chromium():
    binary = chromium_binary()
    if not binary:
        pytest.skip("no chromium (apt-get install chromium)")
    return binary


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Harness:
    """The Element stand-in, served by a small HTTP server of its own."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="wt-harness-")
        for name, text in (("harness.html", HARNESS_HTML), ("harness.js", HARNESS_JS)):
            with open(os.path.join(self.dir, name), "w") as f:
                f.write(text)
        handler = functools.partial(_QuietHandler, directory=self.dir)
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self.port = self.server.server_address[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, widget_url, widget_id, cred):
        return (self.origin + "/harness.html?" + urllib.parse.urlencode(
            {"widget": widget_url, "widgetId": widget_id, "cred": json.dumps(cred)}))

    def close(self):
        self.server.shutdown()
        shutil.rmtree(self.dir, ignore_errors=True)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class Browser:
    """Headless Chromium driven over the DevTools protocol (aiohttp's
    WebSocket client; no other package)."""

    def __init__(self, binary):
        self.binary = binary
        self.port = free_port()
        self.profile = tempfile.mkdtemp(prefix="wt-chromium-")
        self.proc = None
        self.ws = None
        self.session = None
        self.seq = 0

    async def start(self):
        self.proc = subprocess.Popen(
            [self.binary, "--headless=new", "--no-sandbox", "--disable-gpu",
             "--no-first-run", "--no-default-browser-check",
             "--disable-dev-shm-usage", "--hide-scrollbars",
             f"--remote-debugging-port={self.port}",
             f"--user-data-dir={self.profile}", "--window-size=900,1200",
             "about:blank"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.session = aiohttp.ClientSession()
        base = f"http://127.0.0.1:{self.port}"
        for _ in range(100):
            try:
                async with self.session.get(base + "/json/list") as r:
                    pages = [t for t in await r.json() if t.get("type") == "page"]
                if pages:
                    break
            except aiohttp.ClientError:
                pass
            await asyncio.sleep(0.2)
        else:
            raise AssertionError("chromium did not open its DevTools port")
        self.ws = await self.session.ws_connect(pages[0]["webSocketDebuggerUrl"],
                                                max_msg_size=0)
        await self.call("Page.enable")
        return self

    async def call(self, method, **params):
        self.seq += 1
        me = self.seq
        await self.ws.send_json({"id": me, "method": method, "params": params})
        while True:
            msg = await asyncio.wait_for(self.ws.receive_json(), 30)
            if msg.get("id") == me:
                if "error" in msg:
                    raise AssertionError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    async def open(self, url):
        await self.call("Page.navigate", url=url)

    async def frame(self):
        """(url, text) of the page's first iframe, read in an isolated
        world (the iframe is another origin than the page)."""
        tree = (await self.call("Page.getFrameTree"))["frameTree"]
        kids = tree.get("childFrames") or []
        if not kids:
            return None, ""
        f = kids[0]["frame"]
        try:
            world_ = await self.call("Page.createIsolatedWorld", frameId=f["id"],
                                     worldName="wt-test")
            r = await self.call("Runtime.evaluate",
                                expression="document.body ? document.body.innerText : ''",
                                contextId=world_["executionContextId"],
                                returnByValue=True)
            return f.get("url", ""), r.get("result", {}).get("value") or ""
        except AssertionError:
            return f.get("url", ""), ""  # between two documents

    async def top_text(self):
        r = await self.call("Runtime.evaluate",
                            expression="document.body ? document.body.innerText : ''",
                            returnByValue=True)
        return r.get("result", {}).get("value") or ""

    async def wait_frame(self, done, timeout=30):
        end = time.monotonic() + timeout
        url, text = None, ""
        while time.monotonic() < end:
            url, text = await self.frame()
            if url and done(url, text):
                return url, text
            await asyncio.sleep(0.3)
        raise AssertionError(f"the widget did not get there: {url!r}\n{text}")

    async def screenshot(self, path):
        r = await self.call("Page.captureScreenshot", format="png")
        with open(path, "wb") as f:
            f.write(base64.b64decode(r["data"]))

    async def close(self):
        if self.ws:
            await self.ws.close()
        if self.session:
            await self.session.close()
        if self.proc:
            self.proc.terminate()
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        shutil.rmtree(self.profile, ignore_errors=True)


def openid_token(homeserver, member):
    """A fresh OpenID token of member, as Element asks for it."""
    uid = urllib.parse.quote(member.user_id)
    return http_json("POST", f"{homeserver.url}/_matrix/client/v3/user/{uid}/openid/request_token",
                     {}, token=member.client.access_token)


def element_url(template, room, user, widget_id, parent):
    """The widget URL as Element opens it: its variables filled in, then
    widgetId and parentUrl added."""
    url = template
    for var, val in (("$matrix_room_id", room), ("$matrix_user_id", user),
                     ("$matrix_widget_id", widget_id)):
        url = url.replace(var, urllib.parse.quote(val, safe=""))
    sep = "&" if "?" in url else "?"
    return url + sep + urllib.parse.urlencode({"widgetId": widget_id, "parentUrl": parent})


def widget_state(homeserver, token, room):
    r = urllib.parse.quote(room)
    return http_json("GET", f"{homeserver.url}/_matrix/client/v3/rooms/{r}/state/"
                     f"{WIDGET_TYPE}/{WIDGET_ID}", token=token)


def give_power(homeserver, token, room, user, level):
    r = urllib.parse.quote(room)
    url = f"{homeserver.url}/_matrix/client/v3/rooms/{r}/state/m.room.power_levels"
    pl = http_json("GET", url, token=token)
    pl.setdefault("users", {})[user] = level
    http_json("PUT", url, pl, token=token)


async def wait_members(bot, room, timeout=REPLY_TIMEOUT):
    """The bot stored room's member list (its log says so)."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        with open(bot.logpath, encoding="utf-8", errors="replace") as f:
            if any(f"{room}: " in line and line.rstrip().endswith(" members")
                   for line in f):
                return
        await asyncio.sleep(0.2)
    raise TimeoutError(f"the bot did not read the members of {room}")


async def bot_notice(member, room, bot_id, needle, timeout=REPLY_TIMEOUT):
    def found():
        return any(ev.get("sender") == bot_id and needle in
                   str((ev.get("content") or {}).get("body", ""))
                   for ev in member.events(room))
    await member.wait_for(found, timeout, f"a notice with {needle!r}")


def expired_link(db_path, network, user):
    """A personal board link that expired a minute ago (stored as the bot
    stores them: the SHA-256 of the secret), as "<id>.<secret hex>"."""
    secret = os.urandom(16)
    now = int(time.time())
    con = sqlite3.connect(db_path, timeout=10)
    try:
        cur = con.execute(
            "INSERT INTO web_tokens(network, user_id, kind, hash, created_at, expires_at)"
            " VALUES (?, ?, 'board', ?, ?, ?)",
            (network, user, hashlib.sha256(secret).digest(), now - 3600, now - 60))
        con.commit()
        return f"{cur.lastrowid}.{secret.hex()}"
    finally:
        con.close()


@server_only("synapse", NO_OPENID)
def test_widget_board(homeserver, users, bots, chromium):
    async def body():
        harness = Harness()
        web_port = free_port()
        public = f"http://127.0.0.1:{web_port}"
        browser = None
        async with world(homeserver, users, bots, start=False) as w:
            bot = w.bot
            plain = bot.config_text
            bot.config_text = lambda: plain() + (
                f"\n[web]\nlisten = 127.0.0.1:{web_port}\npublic_url = {public}\n"
                f"frame_ancestors = {harness.origin}\n")
            bot.start()
            room = w.rooms["noord"]
            await w.anna.invite(room, bot.user_id)
            await w.wait_joined(room)
            bram_id, bram = await joined_member(homeserver, users, w, "bram")
            eva_id, eva_pw = users.new("eva")
            eva = await Member(homeserver.url, eva_id, eva_pw).start()
            try:
                # Without the power level: the homeserver refuses, the
                # room hears why; no widget.
                eid, rs = await w.ask("noord", "!bord")
                assert "Extensies" in text_of(rs), text_of(rs)
                await bot_notice(w.anna, room, bot.user_id, "machtsniveau")
                with pytest.raises(Exception):
                    widget_state(homeserver, w.anna.client.access_token, room)
                # A member may not add it.
                eid = await bram.send_text(room, "!bord")
                got = await bram.wait_replies(room, bot.user_id, [eid], REPLY_TIMEOUT)
                assert "voorzitter" in text_of(got[eid]), text_of(got[eid])

                # With the power: the widget as Element expects it.
                give_power(homeserver, w.anna.client.access_token, room, bot.user_id, 50)
                await asyncio.sleep(1)
                eid, rs = await w.ask("noord", "!bord")
                end = time.monotonic() + REPLY_TIMEOUT
                state = None
                while time.monotonic() < end:
                    try:
                        state = widget_state(homeserver, w.anna.client.access_token, room)
                        break
                    except Exception:
                        await asyncio.sleep(0.3)
                assert state, "no widget state event"
                assert state["type"] == "m.custom"
                assert state["id"] == WIDGET_ID
                assert state["url"].startswith(public + "/widget?")
                assert "$matrix_room_id" in state["url"]

                await wait_members(bot, room)
                # Something to see on the board (and in the screenshot).
                for cmd in (f"!vergadering plan {meeting_date(21)}",
                            "!agenda voorstel Regionale scholingsdag\n"
                            "waarom: nieuwe collega's kennen de regio nog niet\n"
                            "wat: een dag met casuïstiek en kennismaking\n"
                            "hoe: elke organisatie levert één spreker",
                            "!agenda accepteer 1",
                            "!al nieuw Kennisnetwerk dementie\nbudget: € 12.500",
                            "!al nieuw Inwerkprogramma jonge artsen\nbudget: € 8.000",
                            "!besluit Het inwerkprogramma wordt regionaal opgezet"):
                    await w.ask("noord", cmd)
                browser = await Browser(chromium).start()
                parent = harness.origin + "/harness.html"

                async def open_as(user, cred):
                    url = element_url(state["url"], room, user, "wt-board", parent)
                    await browser.open(harness.url(url, "wt-board", cred))

                # A member: the board of the network.
                await open_as(bram_id, openid_token(homeserver, bram))
                url, text = await browser.wait_frame(
                    lambda u, t: u.endswith("/n/noord") and "noord" in t)
                assert "alleen voor leden" not in text
                shot = os.environ.get("WERKTAFEL_SCREENSHOT",
                                      os.path.join(TOP, "docs", "board.png"))
                if shot != "0":
                    os.makedirs(os.path.dirname(shot), exist_ok=True)
                    await asyncio.sleep(0.5)
                    await browser.screenshot(shot)

                # A non-member with a real token: nothing.
                await open_as(eva_id, openid_token(homeserver, eva))
                url, text = await browser.wait_frame(
                    lambda u, t: "alleen voor leden" in t)
                assert "/n/noord" not in url

                # A forged token: nothing.
                forged = dict(openid_token(homeserver, bram))
                forged["access_token"] = "forged" + forged["access_token"][6:]
                await open_as(bram_id, forged)
                url, text = await browser.wait_frame(
                    lambda u, t: "alleen voor leden" in t)
                assert "/n/noord" not in url

                # An expired personal link: nothing (in a fresh profile,
                # so no widget session helps).
                await browser.close()
                browser = await Browser(chromium).start()
                link = expired_link(bot.database, "noord", bram_id)
                await browser.open(f"{public}/n/noord?t={link}")
                await asyncio.sleep(1.5)
                text = await browser.top_text()
                assert "Actielijnen" not in text and "Action lines" not in text, text
                # ... and the board without any credential: nothing.
                await browser.open(f"{public}/n/noord")
                await asyncio.sleep(1.0)
                text2 = await browser.top_text()
                assert "Actielijnen" not in text2, text2
            finally:
                if browser:
                    await browser.close()
                await bram.close()
                await eva.close()
                harness.close()
    run(body(), timeout=300)
