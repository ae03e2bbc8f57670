"""The matrix-js-sdk harness itself (issue 13, item 9's base): events sent
through tests/e2e/js/driver.mjs arrive in Synapse exactly as built (pill,
m.mentions, thread relation, reply with and without fallback), and the bot
answers a plain command sent that way."""

from helpers import run, world
import jsclient
from jsclient import pill


def test_js_sdk_sends_as_element(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            bram_id, _ = users.new("bram")
            eid, sent = await jsclient.send(
                w.anna, room, ["zie ", pill(bram_id, "Bram de Vries"), " morgen"])
            await w.anna.wait_echo(room, eid, 20)
            ev = next(e for e in w.anna.events(room) if e.get("event_id") == eid)
            c = ev["content"]
            assert c == sent, (c, sent)
            assert c["body"] == "zie Bram de Vries morgen"
            assert f'<a href="https://matrix.to/#/{bram_id}">Bram de Vries</a>' \
                in c["formatted_body"]
            assert c["m.mentions"] == {"user_ids": [bram_id]}
            # In a thread, and replies with and without the fallback.
            tid, sent = await jsclient.send(w.anna, room, "in de draad",
                                            thread={"root": eid})
            rel = sent["m.relates_to"]
            assert rel == {"rel_type": "m.thread", "event_id": eid,
                           "is_falling_back": True,
                           "m.in_reply_to": {"event_id": eid}}
            rid, sent = await jsclient.send(
                w.anna, room, "antwoord",
                reply={"event_id": eid, "sender": w.anna.user_id,
                       "body": "zie Bram de Vries morgen", "fallback": True})
            assert sent["body"].startswith(
                f"> <{w.anna.user_id}> zie Bram de Vries morgen\n\nantwoord")
            assert sent["formatted_body"].startswith("<mx-reply>")
            await w.anna.wait_echo(room, rid, 20)
            # The bot answers a command sent through the SDK.
            cid, _ = await jsclient.send(w.anna, room, "!hulp")
            got = await w.anna.wait_replies(room, w.bot_id, [cid], 20,
                                            abort=w.bot.died)
            assert got[cid], got
    run(body())
