"""`make run-local`: a local Synapse plus the bot in the foreground, so
anyone can try werktafel with any Matrix client on localhost.

Everything lives in BUILD/run-local/ and is kept between runs (accounts,
rooms, the bot's database, the demo password). Ctrl-C stops the bot and
Synapse.
"""

import argparse
import json
import os
import secrets
import signal
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bot import Bot, Network  # noqa: E402
from synapse import MatrixError, Synapse, free_port  # noqa: E402

ROOMS = [  # network, language, alias localpart, room name
    ("lokaal", "nl", "werktafel-nl", "Werktafel (Nederlands)"),
    ("local", "en", "werktafel-en", "Round table (English)"),
]


def load_json(path, default):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return default


def save_json(path, data):
    with open(path, "w") as f:
        json.dump(data, f, indent=1)
    os.chmod(path, 0o600)


def ensure_room(hs, token, alias_local, name):
    """The room with #alias_local:localhost, created by the demo user when
    it does not exist yet. Returns its room id."""
    alias = f"#{alias_local}:{hs.server_name}"
    try:
        return hs.client("GET", "/directory/room/"
                         + urllib.parse.quote(alias, safe=""),
                         token)["room_id"]
    except MatrixError as e:
        if e.status != 404:
            raise
    return hs.client("POST", "/createRoom", token, {
        "name": name, "room_alias_name": alias_local,
        "preset": "private_chat",
        "topic": "Try werktafel: type !hulp or !help"})["room_id"]


def invite(hs, token, room_id, user_id):
    """Invite user_id unless it is already in the room."""
    try:
        hs.client("POST", "/rooms/" + urllib.parse.quote(room_id, safe="")
                  + "/invite", token, {"user_id": user_id})
    except MatrixError as e:
        if e.status != 403:  # already joined or invited
            raise


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--build", default="build")
    ap.add_argument("--port", type=int, default=8008)
    args = ap.parse_args()

    here = os.path.abspath(os.path.join(args.build, "run-local"))
    os.makedirs(here, exist_ok=True)
    secrets_path = os.path.join(here, "accounts.json")
    acc = load_json(secrets_path, {})
    acc.setdefault("werktafel", secrets.token_urlsafe(16))
    acc.setdefault("demo", secrets.token_urlsafe(9))
    save_json(secrets_path, acc)

    # SIGTERM (e.g. from `timeout`) cleans up like Ctrl-C does.
    signal.signal(signal.SIGTERM, _interrupt)
    port = free_port(args.port)
    hs = Synapse(os.path.join(here, "synapse"),
                 os.path.join(here, "synapse.log"), port=port, fresh=False)
    print(f"Starting Synapse on http://localhost:{port} "
          f"(log: {hs.logpath}) ...", flush=True)
    hs.start()
    bot = None
    try:
        hs.register("werktafel", acc["werktafel"], displayname="werktafel")
        demo = hs.register("demo", acc["demo"], displayname="Demo")
        token = demo["access_token"]
        bot_id = hs.user_id("werktafel")
        demo_id = hs.user_id("demo")
        rooms = [(net, lang, ensure_room(hs, token, alias, name), alias)
                 for net, lang, alias, name in ROOMS]
        bot = Bot(here, os.path.join(here, "werktafel.log"), hs.url, bot_id,
                  acc["werktafel"],
                  [Network(net, [rid], language=lang)
                   for net, lang, rid, _ in rooms],
                  admins=[demo_id], log_level="info",
                  commands_per_minute=None, command_burst=None)
        bot.start(foreground=True)
        time.sleep(1)
        for _, _, rid, _ in rooms:
            invite(hs, token, rid, bot_id)
        print(f"""
werktafel runs against a local Synapse. Log in with any Matrix client:

  homeserver  http://localhost:{port}
  user        demo   ({demo_id}; an admin of the bot)
  password    {acc['demo']}
  rooms       """ + ", ".join(f"#{a}:{hs.server_name} ({lang})"
                              for _, lang, _, a in rooms) + f"""

Type !hulp (Dutch room) or !help (English room). The bot's config is
{bot.config_path}; Synapse's log is {hs.logpath}.
Ctrl-C stops the bot and Synapse.
""", flush=True)
        rc = bot.proc.wait()
        print(f"werktafel exited with status {rc}")
        return rc
    except KeyboardInterrupt:
        return 0
    finally:
        if bot is not None and bot.running():
            bot.proc.send_signal(signal.SIGTERM)
            bot.stop()
        hs.stop()


if __name__ == "__main__":
    sys.exit(main())
