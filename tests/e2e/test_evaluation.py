"""Evaluations (issue 20, items 3 and 5): anna starts the round table's
evaluation (`!evaluatie start werktafel`); its two scale questions come as
native polls (org.matrix.msc3381.poll.start, anonymous) and its open
question reaches every member by direct message. Bea answers the polls
through matrix-js-sdk as Element's poll view does and the open question by
replying to the direct message as Element replies; cor answers the polls
with the stable m.poll.response (nio, raw events) and replies with nio;
dirk answers nothing and gets the reminder by direct message (the deadline
is three days and a minute away, so the reminder three days before it is
due a minute after the start; the network's zone is one where it is
daytime now, or the reminder would wait for the morning); bea and cor do
not. `!evaluatie 1` shows
the counts; `!evaluatie sluit 1` ends the polls and posts the summary and
the report as Markdown and HTML files."""

import jsclient
from helpers import check_reply, joined_member, run, world
from test_reminders import daytime_zone, wait_invite

START = "org.matrix.msc3381.poll.start"
END = "org.matrix.msc3381.poll.end"
QUESTION = "Wat gaat goed aan de werktafel"
REMINDER = "Herinnering: evaluatie 1"


def _bot_events(member, room, bot_id, etype):
    return [ev for ev in member.events(room)
            if ev.get("sender") == bot_id and ev.get("type") == etype]


def _bot_says(member, room, bot_id, needle):
    return [r for r in member.replies(room, bot_id) if needle in (r.body or "")]


async def _open_dm(w, member):
    """The bot's direct message to member with the open question: (room,
    that message)."""
    dm = await wait_invite(member, set(w.rooms.values()), timeout=60,
                           abort=w.bot.died)
    await member.join(dm)
    await member.wait_for(lambda: _bot_says(member, dm, w.bot_id, QUESTION),
                          30, "the open question", w.bot.died)
    return dm, _bot_says(member, dm, w.bot_id, QUESTION)[0]


def test_evaluation_round(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots, tz=daytime_zone()) as w:
            people = [await joined_member(homeserver, users, w, p)
                      for p in ("bea", "cor", "dirk")]
            try:
                await _round(w, *[m for _, m in people])
            finally:
                for _, m in people:
                    await m.close()
    run(body(), timeout=420)


async def _round(w, bea, cor, dirk):
    room = w.rooms["noord"]
    eid, replies = await w.ask(
        "noord", "!evaluatie start werktafel tot over 4321 minuten")
    check_reply(replies[0], eid)
    assert "Evaluatie 1 gestart" in replies[0].body, replies[0].body
    assert "gestuurd aan 4 personen" in replies[0].body, replies[0].body

    await w.anna.wait_for(
        lambda: len(_bot_events(w.anna, room, w.bot_id, START)) >= 2, 30,
        "the two polls")
    polls = _bot_events(w.anna, room, w.bot_id, START)
    for p in polls:
        assert p["content"][START]["kind"] == \
            "org.matrix.msc3381.poll.undisclosed", p
        assert len(p["content"][START]["answers"]) == 10, p
    ids = [[a["id"] for a in p["content"][START]["answers"]] for p in polls]

    # Bea: the polls as Element sends them (8 and 7), the open question
    # as an Element reply to the direct message.
    for poll, answers, mark in zip(polls, ids, (8, 7)):
        await jsclient.poll_response(bea, room, poll["event_id"],
                                     [answers[mark - 1]])
    bea_dm, q = await _open_dm(w, bea)
    aid, _ = await jsclient.send(
        bea, bea_dm, "Goede sfeer; meer tijd voor de inhoud.",
        reply={"event_id": q.event_id, "sender": w.bot_id, "body": q.body,
               "fallback": False})
    got = await bea.wait_replies(bea_dm, w.bot_id, [aid], 30,
                                 abort=w.bot.died)
    assert "is opgeslagen" in got[aid][0].body, got[aid][0].body

    # Cor: the stable type through nio (6 and 9), a reply through nio.
    for poll, answers, mark in zip(polls, ids, (6, 9)):
        await cor.send_raw(room, "m.poll.response", {
            "m.relates_to": {"rel_type": "m.reference",
                             "event_id": poll["event_id"]},
            "m.selections": [answers[mark - 1]]})
    cor_dm, q = await _open_dm(w, cor)
    cid, _ = await cor.send_raw(cor_dm, "m.room.message", {
        "msgtype": "m.text", "body": "Korter vergaderen.",
        "m.relates_to": {"m.in_reply_to": {"event_id": q.event_id}}})
    got = await cor.wait_replies(cor_dm, w.bot_id, [cid], 30,
                                 abort=w.bot.died)
    assert "is opgeslagen" in got[cid][0].body, got[cid][0].body

    # Dirk answers nothing: the reminder reaches him, not bea or cor.
    dirk_dm, _ = await _open_dm(w, dirk)
    await dirk.wait_for(lambda: _bot_says(dirk, dirk_dm, w.bot_id, REMINDER),
                        120, "the reminder", w.bot.died)
    r = _bot_says(dirk, dirk_dm, w.bot_id, REMINDER)[0]
    assert r.msgtype == "m.text", r.raw
    assert not _bot_says(bea, bea_dm, w.bot_id, REMINDER)
    assert not _bot_says(cor, cor_dm, w.bot_id, REMINDER)

    _, replies = await w.ask("noord", "!evaluatie 1")
    state = replies[0].body
    assert "Alles beantwoord: 2 van 4." in state, state
    assert "— 2 antwoorden" in state, state

    eid, _ = await w.ask("noord", "!evaluatie sluit 1", timeout=60)
    await w.anna.wait_for(
        lambda: len(w.anna.replies_to(room, w.bot_id, [eid])[eid]) >= 3, 90,
        "the summary and the two files", w.bot.died)
    replies = w.anna.replies_to(room, w.bot_id, [eid])[eid]
    summary = [r for r in replies if r.msgtype != "m.file"]
    files = sorted(r.body for r in replies if r.msgtype == "m.file")
    assert files == ["evaluatie-1.html", "evaluatie-1.md"], files
    text = summary[0].body
    assert "Evaluatie 1: Functioneren en toegevoegde waarde" in text, text
    assert "gemiddeld 7,0 (2 stemmen)" in text, text   # (8 + 6) / 2
    assert "gemiddeld 8,0 (2 stemmen)" in text, text   # (7 + 9) / 2
    await w.anna.wait_for(
        lambda: len(_bot_events(w.anna, room, w.bot_id, END)) >= 2, 60,
        "the polls' end events")
