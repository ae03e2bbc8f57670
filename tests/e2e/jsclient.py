"""Send messages with matrix-js-sdk, the SDK Element is built on, shaped
as Element's composer shapes them: pills in formatted_body, m.mentions,
thread relations, replies with and without the old fallback. The Node
side is tests/e2e/js/driver.mjs, installed by tests/e2e/setup_js.sh into
BUILD/js (pinned by tests/e2e/js/package-lock.json); the tests keep their
Synapse fixtures and matrix-nio members, and only send through this.
"""

import asyncio
import json
import os
import subprocess

from helpers import BUILD

HERE = os.path.dirname(os.path.abspath(__file__))
DRIVER = os.path.join(BUILD, "js", "driver.mjs")
_ready = {"done": False}


def ensure_installed():
    """Install (or find cached) BUILD/js once per test session."""
    if _ready["done"]:
        return
    subprocess.run([os.path.join(HERE, "setup_js.sh"), BUILD], check=True,
                   timeout=600)
    _ready["done"] = True


def pill(user_id, name):
    """A person picked from Element's autocomplete: shows as name."""
    return {"user_id": user_id, "name": name}


async def send(member, room_id, parts, thread=None, reply=None, edit=None,
               timeout=60):
    """Send parts (text and pill(...)s) as member (a client.Member: its id
    and password) to room_id through matrix-js-sdk. thread: {"root",
    "latest"}; reply: {"event_id", "sender", "body", "fallback"}; edit:
    {"event_id", "mentions"}: parts are the new text of that event, sent
    as Element sends an edit (mentions: the user ids it mentioned). Returns
    (event id, content as sent)."""
    ensure_installed()
    if isinstance(parts, str):
        parts = [parts]
    req = {"homeserver": member.client.homeserver, "user_id": member.user_id,
           "password": member.password, "room_id": room_id,
           "parts": list(parts)}
    if thread:
        req["thread"] = thread
    if reply:
        req["reply"] = reply
    if edit:
        req["edit"] = edit
    proc = await asyncio.create_subprocess_exec(
        "node", DRIVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, cwd=os.path.dirname(DRIVER))
    out, err = await asyncio.wait_for(
        proc.communicate(json.dumps(req).encode()), timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"js-sdk driver failed ({proc.returncode}): "
                           f"{err.decode(errors='replace')[-2000:]}")
    answer = json.loads(out.decode().strip().splitlines()[-1])
    return answer["event_id"], answer["content"]


async def poll_response(member, room_id, poll_id, answers, timeout=60):
    """Answer the poll poll_id as member through matrix-js-sdk, the way
    Element's poll view does (PollResponseEvent.from(answers,
    poll).serialize(): org.matrix.msc3381.poll.response with an
    m.reference to the poll). Returns (event id, type, content)."""
    ensure_installed()
    req = {"homeserver": member.client.homeserver, "user_id": member.user_id,
           "password": member.password, "room_id": room_id, "parts": [],
           "poll_response": {"poll_id": poll_id, "answers": list(answers)}}
    proc = await asyncio.create_subprocess_exec(
        "node", DRIVER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, cwd=os.path.dirname(DRIVER))
    out, err = await asyncio.wait_for(
        proc.communicate(json.dumps(req).encode()), timeout)
    if proc.returncode != 0:
        raise RuntimeError(f"js-sdk driver failed ({proc.returncode}): "
                           f"{err.decode(errors='replace')[-2000:]}")
    answer = json.loads(out.decode().strip().splitlines()[-1])
    return answer["event_id"], answer["type"], answer["content"]
