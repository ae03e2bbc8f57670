"""Reports on their schedule over Matrix (issue 19, item 6): the quarter
ends while the bot is down. The console, its clock in September 2026 and
the bot stopped, makes action line AL1 with bea as its project lead on
the bot's database; the network has report_quarterly on and
report_post_day 1 (a short config). When the bot starts again, long after
the quarter's end and its post day, it compiles the report of Q3 2026,
sends it to bea by direct message (text and file: the post day passed, so
it says it goes out now) and posts it in the room as a summary with the
Markdown and HTML files, marked as not checked by the project lead. A
kill -9 and another start send nothing a second time; `!rapport` shows
the report as posted, and the lead's commands in the direct chat are
answered there (the posted report takes no addition, the running
quarter's is not compiled yet)."""

import asyncio
import datetime
import os
import subprocess
from zoneinfo import ZoneInfo

from helpers import check_reply, joined_member, run, world
from test_reminders import wait_invite

READY = "Rapportage 1 is klaar: kwartaalrapportage AL1 Samen leren in de regio, K3 2026."
SUMMARY = "Rapportage 1: kwartaalrapportage AL1 Samen leren in de regio, K3 2026."


def _says(member, room, bot_id, needle):
    return [r for r in member.replies(room, bot_id) if needle in (r.body or "")]


def _files(member, room, bot_id, name):
    return [r for r in member.replies(room, bot_id)
            if r.msgtype == "m.file" and r.body == name]


def _console(bot, lines):
    """Run the console on the stopped bot's database and config, its
    clock on 20 September 2026, 10:00 in Amsterdam."""
    when = datetime.datetime(2026, 9, 20, 10, 0, tzinfo=ZoneInfo("Europe/Amsterdam"))
    env = dict(os.environ, WERKTAFEL_NOW=str(int(when.timestamp())))
    bot.write_config()
    out = subprocess.run(
        [bot.binary, "--shell", "--db", bot.database, "--config", bot.config_path,
         "--as", bot.admins[0]],
        input="\n".join(lines) + "\n", capture_output=True, text=True, env=env,
        timeout=60)
    assert out.returncode == 0, out.stdout + out.stderr
    return out.stdout


def test_report_compiled_and_posted_once(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            bea_id, bea = await joined_member(homeserver, users, w, "bea")
            try:
                await _scheduled(w, bea_id, bea)
            finally:
                await bea.close()
    run(body(), timeout=300)


async def _scheduled(w, bea_id, bea):
    room = w.rooms["noord"]
    w.bot.stop()
    net = w.bot.networks[0]
    net.extra = {"report_quarterly": "yes", "report_post_day": "1"}
    out = _console(w.bot, [f"/room {room}",
                           "!al nieuw Samen leren in de regio \\",
                           f"projectleider: {bea_id}",
                           "!rapport"])
    assert "Actielijn AL1 aangemaakt" in out, out
    assert "K3 2026 — gepland: samenstellen op do 1 okt 2026" in out, out

    # The bot comes back after the quarter's end and its post day.
    w.bot.start()
    dm = await wait_invite(bea, set(w.rooms.values()), timeout=60,
                           abort=w.bot.died)
    await bea.join(dm)
    await bea.wait_for(lambda: _says(bea, dm, w.bot_id, READY)
                       and _files(bea, dm, w.bot_id, "AL1-2026Q3.md"),
                       60, "the lead's direct message and file", w.bot.died)
    msg = _says(bea, dm, w.bot_id, READY)[0]
    assert msg.msgtype == "m.text", msg.raw          # it notifies
    assert "al voorbij" in msg.body, msg.body
    await w.anna.wait_for(
        lambda: _says(w.anna, room, w.bot_id, SUMMARY)
        and _files(w.anna, room, w.bot_id, "AL1-2026Q3.md")
        and _files(w.anna, room, w.bot_id, "AL1-2026Q3.html"),
        60, "the summary and the two files in the room", w.bot.died)
    summary = _says(w.anna, room, w.bot_id, SUMMARY)[0]
    assert "Niet gecontroleerd door de projectleider." in summary.body, summary.body
    for f in _files(w.anna, room, w.bot_id, "AL1-2026Q3.md"):
        assert f.url and f.url.startswith("mxc://"), f.raw

    # A crash and a start: nothing again.
    w.bot.kill()
    w.bot.start()
    eid, replies = await w.ask("noord", "!rapport", timeout=60)
    check_reply(replies[0], eid)
    assert "K3 2026 — geplaatst op" in replies[0].body, replies[0].body
    assert "niet gecontroleerd" in replies[0].body, replies[0].body
    # The lead answers in the direct chat: the posted report takes nothing
    # more; the running quarter's is scheduled, not compiled yet.
    for cmd, want in (("!rapport aanvulling 1 Nog een punt",
                       "Rapportage 1 is al geplaatst"),
                      ("!rapport akkoord 2", "Rapportage 2 is nog niet samengesteld")):
        cid = await bea.send_text(dm, cmd)
        got = await bea.wait_replies(dm, w.bot_id, [cid], 30, abort=w.bot.died)
        assert want in got[cid][0].body, got[cid][0].body
    await asyncio.sleep(5)
    assert len(_says(bea, dm, w.bot_id, READY)) == 1
    assert len(_files(bea, dm, w.bot_id, "AL1-2026Q3.md")) == 1
    assert len(_says(w.anna, room, w.bot_id, SUMMARY)) == 1
    assert len(_files(w.anna, room, w.bot_id, "AL1-2026Q3.md")) == 1
    assert len(_files(w.anna, room, w.bot_id, "AL1-2026Q3.html")) == 1
