"""The web board end to end against Synapse (issue 22): a member asks
`!bord link` in the room, gets the personal link by direct message, and
the page it opens (fetched with urllib, as a browser would) shows the
network's board with the security headers; a conditional request gets
304. Without a token the answer is 403, with a forged one 404, after
`!bord link intrekken` and after the member left the room 404, each with
no data. `!agenda abonneer` gives a calendar feed that is an iCalendar.
"""

import asyncio
import http.client
import re
import socket
import urllib.error
import urllib.request

from helpers import ask_as, joined_member, run, text_of, world
from test_reminders import wait_invite


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url, headers=None, method="GET", data=None):
    """(status, headers, body text) of a request; HTTP errors are answers too."""
    req = urllib.request.Request(url, headers=headers or {}, method=method, data=data)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.headers, r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read().decode()


async def link_by_dm(member, w, command, known, pattern):
    """Send command in the room; the bot's direct message holds a URL."""
    eid, rs = await ask_as(member, w, command)
    assert "privébericht" in text_of(rs), text_of(rs)
    dm = known.get("dm")
    if not dm:
        dm = await wait_invite(member, set(), abort=w.bot.died)
        await member.join(dm)
        known["dm"] = dm

    def found():
        for ev in member.events(dm):
            body = (ev.get("content") or {}).get("body") or ""
            m = re.search(pattern, body)
            if ev.get("sender") == w.bot_id and m and m.group(0) not in known.get("seen", ()):
                return m.group(0)
        return None
    await member.wait_for(found, 20, "the link in the direct chat", w.bot.died)
    url = found()
    known.setdefault("seen", set()).add(url)
    return url


def assert_no_data(body):
    for word in ("Valpreventie", "Werktafel noord 1", "Bord van"):
        assert word not in body, body


def test_board_link_and_page(homeserver, users, bots):
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    ini = f"[web]\nlisten = 127.0.0.1:{port}\npublic_url = {base}\n" \
          "frame_ancestors = https://app.element.io\n"

    async def body():
        async with world(homeserver, users, bots, extra_ini=ini) as w:
            eva_id, eva = await joined_member(homeserver, users, w, "eva")
            try:
                await w.ask("noord", "!al nieuw Valpreventie\nbudget: 5000")
                known = {}
                url = await link_by_dm(eva, w, "!bord link", known,
                                       re.escape(base) + r"/n/noord\?t=[0-9]+\.[0-9a-f]{32}")
                status, hdrs, page = fetch(url)
                assert status == 200, (status, page)
                assert "Bord van noord" in page and "Valpreventie" in page, page
                csp = hdrs["Content-Security-Policy"]
                assert "default-src 'none'" in csp and "script-src 'self'" in csp \
                    and "unsafe-inline" not in csp, csp  # the widget's script only
                assert "frame-ancestors https://app.element.io" in csp, csp
                assert hdrs["X-Content-Type-Options"] == "nosniff"
                assert hdrs["Referrer-Policy"] == "no-referrer"
                assert "HttpOnly" in hdrs["Set-Cookie"], hdrs
                # The cookie alone opens the page; a conditional GET is 304.
                cookie = hdrs["Set-Cookie"].split(";")[0]
                status, hdrs2, page2 = fetch(base + "/n/noord", {"Cookie": cookie})
                assert status == 200 and "Valpreventie" in page2, (status, page2)
                # (The validator follows every write to the database; the
                # bot may still be writing (its DM's echo, a join), so the
                # pair is asked again until nothing changed in between.)
                for _ in range(20):
                    etag = fetch(url)[1]["ETag"]
                    status, _, _ = fetch(url, {"If-None-Match": etag})
                    if status == 304:
                        break
                    await asyncio.sleep(0.25)
                assert status == 304, status
                # HEAD: the headers alone; POST: not allowed, no data.
                status, hdrs3, page3 = fetch(url, method="HEAD")
                assert status == 200 and page3 == "", (status, page3)
                assert hdrs3["ETag"], hdrs3
                status, hdrs3, page3 = fetch(url, method="POST", data=b"x=1")
                assert status == 405 and hdrs3["Allow"] == "GET, HEAD", (status, hdrs3)
                assert_no_data(page3)
                # A long path and odd query: refused, the server lives on.
                for odd in ("/n/" + "x" * 3000, "/n/noord?t=%00%ff&t=&&=",
                            "/n/noord?t=" + "%41" * 600, "/../../etc/passwd"):
                    try:
                        status, _, page = fetch(base + odd)
                        assert status in (400, 403, 404, 414, 431), (odd, status)
                        assert_no_data(page)
                    except http.client.RemoteDisconnected:
                        pass  # libwebsockets closes on a request it cannot take
                # The stylesheet is there; no token, a forged one: nothing.
                assert fetch(base + "/style.css")[0] == 200
                status, _, page = fetch(base + "/n/noord")
                assert status == 403, status
                assert_no_data(page)
                forged = url[:-1] + ("0" if url[-1] != "0" else "1")
                status, _, page = fetch(forged)
                assert status == 404, status
                assert_no_data(page)
                # Revoked: the old link is dead.
                eid, rs = await ask_as(eva, w, "!bord link intrekken")
                assert "werkt niet meer" in text_of(rs), text_of(rs)
                status, _, page = fetch(url)
                assert status == 404, status
                assert_no_data(page)
                # A new link works until the member leaves the room.
                url2 = await link_by_dm(eva, w, "!bord link", known,
                                        re.escape(base) + r"/n/noord\?t=[0-9]+\.[0-9a-f]{32}")
                assert fetch(url2)[0] == 200
                # The calendar feed.
                feed = await link_by_dm(eva, w, "!agenda abonneer", known,
                                        re.escape(base) + r"/n/noord/agenda\.ics\?t=[0-9]+\.[0-9a-f]{32}")
                status, hdrs, cal = fetch(feed)
                assert status == 200, (status, cal)
                assert hdrs["Content-Type"].startswith("text/calendar"), hdrs
                assert cal.startswith("BEGIN:VCALENDAR\r\n"), cal
                await eva.client.room_leave(w.rooms["noord"])
                await w.anna.wait_membership(w.rooms["noord"], eva_id, "leave", 10)
                await w.ask("noord", "!hulp")  # a turn of the bot's sync
                status, _, page = fetch(url2)
                assert status == 404, status
                assert_no_data(page)
                assert fetch(feed)[0] == 404
            finally:
                await eva.close()
    run(body())
