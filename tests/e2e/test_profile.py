"""The bot's own profile (issue 13, item 8): [bot] displayname and avatar
are set at start where the homeserver's profile differs. The avatar file
is uploaded once; a second start with the same config reads the profile
and sends no PUT and no upload (every request goes through the fault
proxy, which records them)."""

import asyncio
import os
import struct
import zlib

from nio import ProfileSetDisplayNameResponse

from faultproxy import FaultProxy
from helpers import E2E, run, world


def tiny_png(path, rgb=(30, 120, 200)):
    """A real 1x1 PNG of one colour."""
    def chunk(kind, data):
        c = struct.pack(">I", len(data)) + kind + data
        return c + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    raw = b"\x00" + bytes(rgb)
    data = (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))
    with open(path, "wb") as f:
        f.write(data)
    return data


async def profile_of(member, user_id):
    resp = await member.client.get_profile(user_id)
    return getattr(resp, "displayname", None), getattr(resp, "avatar_url", None)


async def wait_profile(member, user_id, name, timeout=20, abort=None):
    loop = asyncio.get_running_loop()
    end = loop.time() + timeout
    while True:
        got = await profile_of(member, user_id)
        if got[0] == name and got[1]:
            return got
        if abort and abort():
            raise AssertionError(abort())
        if loop.time() >= end:
            raise AssertionError(f"profile of {user_id} is {got}, want {name}")
        await asyncio.sleep(0.3)


def profile_writes(proxy, since=0.0):
    """The PUTs to the profile and the media uploads since a time."""
    return [r for r in proxy.requests()
            if r[0] >= since and (
                (r[1] == "PUT" and "/profile/" in r[2])
                or (r[1] == "POST" and "/media/" in r[2] and "/upload" in r[2]))]


def test_profile_set_at_start_and_only_once(homeserver, users, bots):
    proxy = FaultProxy(homeserver.url).start()
    os.makedirs(E2E, exist_ok=True)
    png_path = os.path.join(E2E, "werktafel-avatar.png")
    png = tiny_png(png_path)

    async def body():
        async with world(homeserver, users, bots, homeserver=proxy.url,
                         displayname="Werktafel Noord", avatar=png_path) as w:
            name, avatar = await wait_profile(w.anna, w.bot_id, "Werktafel Noord",
                                              abort=w.bot.died)
            assert avatar.startswith("mxc://"), avatar
            status, data, ctype = await w.anna.download(avatar)
            assert status == 200 and data == png, (status, ctype, len(data))
            first = profile_writes(proxy)
            assert [r[1] for r in first].count("POST") == 1, first
            assert len([r for r in first if r[1] == "PUT"]) == 2, first

            # Started again with the same config: the profile is read,
            # nothing is written, nothing uploaded.
            w.bot.stop()
            mark = proxy.requests()[-1][0] if proxy.requests() else 0.0
            w.bot.start()
            _, got = await w.ask("noord", "!hulp")
            assert got, "no answer after the second start"
            reads = [r for r in proxy.requests("GET", r"/profile/")
                     if r[0] > mark]
            assert reads, "the second start did not read the profile"
            assert profile_writes(proxy, since=mark + 1e-9) == [], \
                profile_writes(proxy, since=mark + 1e-9)
            assert await profile_of(w.anna, w.bot_id) == (name, avatar)

            # Someone changed the bot's name by hand: the next start puts
            # the configured one back (a PUT of the name only, no upload).
            w.bot.stop()
            mark = proxy.requests()[-1][0]
            bot_client = await _login(homeserver.url, w.bot.user_id, w.bot.password)
            resp = await bot_client.set_displayname("Iemand anders")
            await bot_client.close()
            assert isinstance(resp, ProfileSetDisplayNameResponse), resp
            assert (await profile_of(w.anna, w.bot_id))[0] == "Iemand anders"
            w.bot.start()
            await wait_profile(w.anna, w.bot_id, "Werktafel Noord",
                               abort=w.bot.died)
            again = profile_writes(proxy, since=mark + 1e-9)
            assert [(r[1], r[2].split("?")[0].rsplit("/", 1)[-1])
                    for r in again] == [("PUT", "displayname")], again
            assert (await profile_of(w.anna, w.bot_id))[1] == avatar
    try:
        run(body())
    finally:
        proxy.stop()


async def _login(url, user_id, password):
    from nio import AsyncClient
    c = AsyncClient(url, user_id)
    resp = await c.login(password)
    assert getattr(resp, "access_token", None), resp
    return c
