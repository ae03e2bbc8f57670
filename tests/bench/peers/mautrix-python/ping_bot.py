"""A minimal mautrix-python command bot for `make bench-peers`: it logs in
with a password, joins the rooms it is invited to and answers "!ping" with
a "pong" notice in reply, with the library's Client and its sync loop as
its documentation shows (no crypto: the benchmark rooms are not encrypted).

Usage: python ping_bot.py HOMESERVER USER PASSWORD
"""

import asyncio
import sys

from mautrix.client import Client
from mautrix.types import (EventType, Membership, MessageEvent, MessageType,
                           StateEvent, TextMessageEventContent)


async def main(homeserver, user, password):
    client = Client(base_url=homeserver)
    await client.login(identifier=user, password=password)

    async def on_message(evt: MessageEvent) -> None:
        body = getattr(evt.content, "body", None) or ""
        if evt.sender == client.mxid or not body.startswith("!ping"):
            return
        reply = TextMessageEventContent(msgtype=MessageType.NOTICE,
                                        body="pong")
        reply.set_reply(evt)
        await client.send_message(evt.room_id, reply)

    async def on_member(evt: StateEvent) -> None:
        if (evt.state_key == client.mxid
                and evt.content.membership == Membership.INVITE):
            await client.join_room_by_id(evt.room_id)

    client.add_event_handler(EventType.ROOM_MESSAGE, on_message)
    client.add_event_handler(EventType.ROOM_MEMBER, on_member)
    await client.start(None)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit("usage: ping_bot.py HOMESERVER USER PASSWORD")
    asyncio.run(main(*sys.argv[1:]))
