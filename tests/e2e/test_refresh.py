"""Refresh tokens (spec v1.3) on a Synapse of its own whose refreshable
access tokens live 10 seconds: the bot logs in asking for a refresh token,
keeps access token, refresh token and expiry in its token file (JSON, mode
0600, replaced on each refresh), refreshes before each expiry and keeps
answering across several of them, and after a restart with no password in
its config it carries on with the refresh token alone. A refresh token the
server refuses makes the bot log in with its password, or, with none
configured, stop with exit code 3 and a message saying what to do."""

import asyncio
import json
import os
import stat
import time

import pytest

from bot import Bot
from conftest import Bots, Users, check_logs_for_secrets
from helpers import BOT_LOG, E2E, check_reply, run, world
from synapse import Synapse

LIFETIME_S = 10


class ShortTokenSynapse(Synapse):
    def write_config(self):
        super().write_config()
        with open(self.config_path) as f:
            cfg = json.load(f)
        cfg["refreshable_access_token_lifetime"] = f"{LIFETIME_S}s"
        with open(self.config_path, "w") as f:
            json.dump(cfg, f, indent=1)


class TokenFileBot(Bot):
    """A bot with [matrix] access_token_file; password may be dropped."""

    def config_text(self):
        lines = super().config_text().splitlines()
        out = []
        for line in lines:
            if line.startswith("password = ") and self.password is None:
                continue
            out.append(line)
            if line == "[matrix]":
                out.append(f"access_token_file = {self.token_file}")
        return "\n".join(out) + "\n"


class TokenFileBots(Bots):
    def new(self, networks, admins=(), homeserver=None, **kw):
        user_id, password = self.users.new("werktafel")
        workdir = os.path.join(E2E, "bots", f"{self.name}-{len(self.all)}")
        b = TokenFileBot(workdir, BOT_LOG, homeserver or self.hs.url, user_id,
                         password, networks, admins=admins, **kw)
        self.all.append(b)
        return b


@pytest.fixture(scope="module")
def short_synapse():
    os.makedirs(E2E, exist_ok=True)
    open(BOT_LOG, "a").close()
    hs = ShortTokenSynapse(os.path.join(E2E, "synapse-refresh"),
                           os.path.join(E2E, "synapse-refresh.log"))
    hs.start()
    yield hs
    hs.stop()


def log_since(mark):
    with open(BOT_LOG, "rb") as f:
        f.seek(mark)
        return f.read().decode(errors="replace")


def token_file(bot):
    st = os.stat(bot.token_file)
    assert stat.S_IMODE(st.st_mode) == 0o600, oct(st.st_mode)
    with open(bot.token_file) as f:
        return json.load(f)


def test_refresh_across_expiries_and_restart(short_synapse, request):
    users = Users(short_synapse)
    bots = TokenFileBots(short_synapse, users, "refresh")
    hs = short_synapse

    async def body():
        mark = os.path.getsize(BOT_LOG)
        async with world(hs, users, bots) as w:
            bot = w.bot
            eid, got = await w.ask("noord", "!hulp")
            check_reply(got[0], eid)
            first = token_file(bot)
            assert first["refresh_token"] and first["access_token"]
            assert first["expires_at_ms"] > time.time() * 1000
            seen = [first]
            # Several lifetimes: the bot refreshes before each expiry and
            # answers every time; the file follows, still 0600.
            for _ in range(3):
                await asyncio.sleep(LIFETIME_S + 1)
                eid, got = await w.ask("noord", "!agenda")
                check_reply(got[0], eid)
                now = token_file(bot)
                assert now["access_token"] != seen[-1]["access_token"]
                seen.append(now)
            text = log_since(mark)
            assert text.count("access token refreshed") >= 3, text[-3000:]
            assert "logging in again" not in text
            assert "refused the refresh token" not in text
            # Restart with no password in the config, after the access
            # token in the file has expired: the refresh token alone
            # carries the bot on (no password login).
            bot.stop()
            bot.password = None
            await asyncio.sleep(LIFETIME_S + 1)
            mark2 = os.path.getsize(BOT_LOG)
            bot.start()
            eid, got = await w.ask("noord", "!hulp")
            check_reply(got[0], eid)
            after = token_file(bot)
            assert after["access_token"] != seen[-1]["access_token"]
            assert after["refresh_token"] != seen[-1]["refresh_token"]
            text2 = log_since(mark2)
            assert "access token refreshed" in text2, text2[-3000:]
            assert "logged in as" not in text2
            assert all(s["refresh_token"] not in text + text2 for s in seen)
            assert all(s["access_token"] not in text + text2 for s in seen)
    try:
        run(body())
    finally:
        bots.stop_all()
    check_logs_for_secrets(request, bots, users)


def spoil_refresh_token(bot):
    """Put a refresh token the server never issued into the token file."""
    kept = token_file(bot)
    kept["refresh_token"] = "syr_not_issued_by_this_server"
    with open(bot.token_file, "w") as f:
        json.dump(kept, f)
    return kept


def test_refused_refresh_token(short_synapse, request):
    users = Users(short_synapse)
    bots = TokenFileBots(short_synapse, users, "refresh_refused")
    hs = short_synapse

    async def body():
        async with world(hs, users, bots) as w:
            bot = w.bot
            eid, got = await w.ask("noord", "!hulp")
            check_reply(got[0], eid)
            # Refused, with a password: the bot logs in with it and answers.
            bot.stop()
            spoiled = spoil_refresh_token(bot)
            await asyncio.sleep(LIFETIME_S + 1)
            mark = os.path.getsize(BOT_LOG)
            bot.start()
            eid, got = await w.ask("noord", "!agenda")
            check_reply(got[0], eid)
            text = log_since(mark)
            assert "the homeserver refused the refresh token (HTTP 401 " \
                "M_UNKNOWN_TOKEN" in text, text[-3000:]
            assert "logging in with the password instead" in text
            now = token_file(bot)
            assert now["refresh_token"] != spoiled["refresh_token"]
            # Refused, no password: exit code 3 and what to do.
            bot.stop()
            spoil_refresh_token(bot)
            bot.password = None
            await asyncio.sleep(LIFETIME_S + 1)
            mark = os.path.getsize(BOT_LOG)
            bot.start()
            deadline = time.monotonic() + 30
            while bot.running() and time.monotonic() < deadline:
                await asyncio.sleep(0.2)
            assert bot.proc.poll() == 3, bot.died()
            text = log_since(mark)
            assert "refused the refresh token" in text, text[-3000:]
            assert "werktafel login --device" in text
            assert "set [matrix] password" in text
    try:
        run(body())
    finally:
        bots.stop_all()
    check_logs_for_secrets(request, bots, users)
