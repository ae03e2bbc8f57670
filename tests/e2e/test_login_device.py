"""`werktafel login --device` against a homeserver with no authentication
service (the suite's Synapse logs in with passwords only): the command
asks both auth_metadata paths, finds no authorization server, says so
naming the login flows the server does offer, exits with code 3 and
writes no token file. (The device grant itself is untested end to end:
no authorization server that Synapse can delegate to is installable here;
see bot/oauth.h and tests/unit/test_oauth.c.)"""

import os
import subprocess

from bot import default_binary
from helpers import BOT_LOG, E2E
from test_refresh import TokenFileBot


def test_login_device_names_what_the_server_offers(homeserver, users):
    user_id, password = users.new("werktafel")
    workdir = os.path.join(E2E, "bots", "login_device")
    b = TokenFileBot(workdir, BOT_LOG, homeserver.url, user_id, password, [])
    b.language = "en"
    b.write_config()
    if os.path.exists(b.token_file):
        os.remove(b.token_file)
    p = subprocess.run([default_binary(), "login", "--device", "--config",
                        b.config_path], capture_output=True, text=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
    assert "names no OAuth 2.0 authorization server" in p.stderr, p.stderr
    assert "m.login.password" in p.stderr, p.stderr
    assert "Use [matrix] password" in p.stderr, p.stderr
    assert not os.path.exists(b.token_file)
    # In Dutch as well (the config's language).
    b.language = "nl"
    b.write_config()
    p = subprocess.run([default_binary(), "login", "--device", "--config",
                        b.config_path], capture_output=True, text=True,
                       timeout=60, stdin=subprocess.DEVNULL)
    assert p.returncode == 3, (p.returncode, p.stdout, p.stderr)
    assert "heeft geen OAuth 2.0-autorisatieserver" in p.stderr, p.stderr
    assert "m.login.password" in p.stderr, p.stderr
