"""Threads and replies as Element sends them (issue 13, item 4), through
matrix-js-sdk: a command in a thread is answered in that thread (m.thread
to the root, is_falling_back, m.in_reply_to the command); a command sent
as a reply is answered, with the old reply fallback in its body and
without."""

from helpers import run, world
import jsclient
from servers import NO_THREADS, server_only


@server_only("synapse", NO_THREADS)
def test_thread_and_reply_commands(homeserver, users, bots):
    async def body():
        async with world(homeserver, users, bots) as w:
            room = w.rooms["noord"]
            root = await w.anna.send_text(room, "Wie neemt de notulen in maart?")
            await w.anna.wait_echo(room, root, 20)
            # In the thread.
            tid, sent = await jsclient.send(w.anna, room, "!hulp",
                                            thread={"root": root})
            assert sent["m.relates_to"]["rel_type"] == "m.thread"
            got = await w.anna.wait_replies(room, w.bot_id, [tid], 20,
                                            abort=w.bot.died)
            rel = got[tid][0].raw["content"]["m.relates_to"]
            assert rel["rel_type"] == "m.thread", rel
            assert rel["event_id"] == root, rel
            assert rel["is_falling_back"] is True, rel
            assert rel["m.in_reply_to"]["event_id"] == tid, rel
            # As a reply, with and without the fallback.
            for fallback in (True, False):
                rid, sent = await jsclient.send(
                    w.anna, room, "!hulp",
                    reply={"event_id": root, "sender": w.anna.user_id,
                           "body": "Wie neemt de notulen in maart?",
                           "fallback": fallback})
                assert sent["body"].startswith(">") == fallback, sent
                got = await w.anna.wait_replies(room, w.bot_id, [rid], 20,
                                                abort=w.bot.died)
                r = got[rid][0]
                assert "rel_type" not in r.raw["content"]["m.relates_to"], r.raw
                assert "!" in r.body, r.body
    run(body())
