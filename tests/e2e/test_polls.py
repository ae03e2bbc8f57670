"""Polls (issue 20, items 2 and 5): the bot starts a native Matrix poll
(org.matrix.msc3381.poll.start, the type Element sends and shows); two
members answer it, one through matrix-js-sdk exactly as Element's poll view
sends a response (PollResponseEvent), one through nio with the stable
m.poll.response; a changed answer counts once (the last one); `!peiling 1`
shows the tally; `!peiling einde 1` sends the end event (an m.reference to
the poll) with the results; an answer after the end is not counted. In an encrypted room the poll's
start and end are encrypted (the outbox's one path), and an encrypted
response (matrix-js-sdk's Rust crypto, as Element) is counted."""

import asyncio
import jsclient
from helpers import check_reply, joined_member, run, world
from test_e2ee import ENCRYPTED, WAIT, assert_nothing_plaintext, e2ee_world

START = "org.matrix.msc3381.poll.start"
END = "org.matrix.msc3381.poll.end"


def _bot_events(member, room, bot_id, etype):
    return [ev for ev in member.events(room)
            if ev.get("sender") == bot_id and ev.get("type") == etype]


def test_poll_answered_by_several_clients(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            _, bea = await joined_member(homeserver, users, w, "bea")
            _, cor = await joined_member(homeserver, users, w, "cor")
            try:
                await _answered(w, room, bea, cor)
            finally:
                await bea.close()
                await cor.close()
    run(body())


async def _answered(w, room, bea, cor):
    eid, replies = await w.ask(
        "noord", "!peiling Welke datum past? | 3 maart | 10 maart")
    check_reply(replies[0], eid)
    assert "Peiling 1 staat in de kamer." in replies[0].body, replies[0].body

    # The poll as Element reads it.
    await w.anna.wait_for(
        lambda: _bot_events(w.anna, room, w.bot_id, START), 20,
        "the poll's start event")
    start = _bot_events(w.anna, room, w.bot_id, START)[0]
    poll = start["content"][START]
    assert poll["kind"] == "org.matrix.msc3381.poll.disclosed", poll
    assert poll["max_selections"] == 1, poll
    assert [a["org.matrix.msc1767.text"] for a in poll["answers"]] == \
        ["3 maart", "10 maart"], poll
    assert poll["question"]["org.matrix.msc1767.text"] == "Welke datum past?"
    assert "1. 3 maart" in start["content"]["org.matrix.msc1767.text"]
    ids = [a["id"] for a in poll["answers"]]
    poll_id = start["event_id"]

    # Bea answers as Element does, then changes her answer.
    _, etype, content = await jsclient.poll_response(
        bea, room, poll_id, [ids[0]])
    assert etype == "org.matrix.msc3381.poll.response", etype
    assert content["m.relates_to"] == {"rel_type": "m.reference",
                                       "event_id": poll_id}, content
    await jsclient.poll_response(bea, room, poll_id, [ids[1]])
    # Cor answers with the stable type (nio, a raw event); an
    # answer that is not the poll's is ignored.
    await cor.send_raw(room, "m.poll.response", {
        "m.relates_to": {"rel_type": "m.reference", "event_id": poll_id},
        "m.selections": [ids[1]]})
    await cor.send_raw(room, "m.poll.response", {
        "m.relates_to": {"rel_type": "m.reference", "event_id": poll_id},
        "m.selections": ["geen-antwoord"]})

    _, replies = await w.ask("noord", "!peiling 1")
    tally = replies[0].body
    assert "3 maart: 0 stemmen" in tally, tally
    assert "10 maart: 2 stemmen" in tally, tally
    assert "2 mensen hebben geantwoord." in tally, tally

    # The end: an end event relating to the poll, with the results.
    eid, replies = await w.ask("noord", "!peiling einde 1")
    assert any("Peiling 1 is gesloten" in r.body for r in replies), \
        [r.body for r in replies]
    await w.anna.wait_for(
        lambda: _bot_events(w.anna, room, w.bot_id, END), 20,
        "the poll's end event")
    end = _bot_events(w.anna, room, w.bot_id, END)[0]["content"]
    assert end["m.relates_to"] == {"rel_type": "m.reference",
                                   "event_id": poll_id}, end
    assert END in end, end
    text = end["org.matrix.msc1767.text"]
    assert "De peiling is gesloten." in text, text
    assert "10 maart: 2 stemmen" in text, text

    # After the end nothing counts.
    await jsclient.poll_response(bea, room, poll_id, [ids[0]])
    _, replies = await w.ask("noord", "!peiling 1")
    assert "10 maart: 2 stemmen" in replies[0].body, replies[0].body
    assert "3 maart: 0 stemmen" in replies[0].body, replies[0].body


def test_poll_in_an_encrypted_room(homeserver, users, bots):
    async def body():
        async with e2ee_world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            a = w.anna
            bea = await w.member("bea")
            eid, got = await w.ask(a, "noord", "!peiling Welke avond? | maandag | dinsdag")
            assert "Peiling 1 staat in de kamer." in got[0].body, got[0].body
            start = await a.wait_message(
                room, lambda e: e["sender"] == w.bot_id and e["type"] == START,
                WAIT, "the encrypted poll start", w.bot.died)
            assert start["wire_type"] == ENCRYPTED, start
            ids = [x["id"] for x in start["content"][START]["answers"]]
            await bea.wait_message(
                room, lambda e: e["event_id"] == start["event_id"], WAIT,
                "bea decrypts the poll", w.bot.died)
            vote = {"m.relates_to": {"rel_type": "m.reference",
                                     "event_id": start["event_id"]},
                    "org.matrix.msc3381.poll.response": {"answers": [ids[1]]}}

            async def counted(tries):
                # The vote counts once its room key is with the bot: on
                # Dendrite the key (a to-device message) may come a sync
                # after the vote, which waits for it (e2ee_pending). Ask
                # until then.
                for _ in range(tries):
                    _, got = await w.ask(a, "noord", "!peiling 1", settle=0)
                    if "dinsdag: 1 stem" in got[0].body:
                        break
                    await asyncio.sleep(1)
                return got

            await bea.send_event(room, "org.matrix.msc3381.poll.response", vote,
                                 encrypted=True, force_encrypt=True)
            got = await counted(25)
            if "dinsdag: 1 stem" not in got[0].body:
                # Seen once in 40-odd CI runs, on Dendrite: bea's room key
                # never reached the bot at all (no to-device message came;
                # an unreadable one is a warning in the bot's log). The bot
                # would tell bea after [crypto] key_wait_minutes; here bea
                # starts a new session, shared anew, and votes again, as
                # a member would after that message. Any bot fault (a vote
                # whose key came but is not counted) still fails below.
                print("bea's first room key did not reach the bot; "
                      "a new session and the vote again")
                await bea.discard_session(room)
                await bea.send_event(room, "org.matrix.msc3381.poll.response",
                                     vote, encrypted=True, force_encrypt=True)
                got = await counted(25)
            assert "dinsdag: 1 stem" in got[0].body, got[0].body
            await w.ask(a, "noord", "!peiling einde 1")
            end = await a.wait_message(
                room, lambda e: e["sender"] == w.bot_id and e["type"] == END,
                WAIT, "the encrypted poll end", w.bot.died)
            assert end["wire_type"] == ENCRYPTED, end
            assert "dinsdag: 1 stem" in end["content"]["org.matrix.msc1767.text"]
            await assert_nothing_plaintext(w, a, room,
                                           [start["event_id"], end["event_id"]])
    run(body(), timeout=200)

