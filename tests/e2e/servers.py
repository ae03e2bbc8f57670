"""The homeservers the end-to-end tests run on, and the one place that says
which tests need a feature only one of them has.

Every test that takes the fixture homeserver (or users, bots) runs once on
each server in SERVERS (param ids "synapse", "dendrite"). A test that
needs a server-only feature carries

    @server_only("synapse", "admin API override_ratelimit")

and is skipped on the other servers with that reason (conftest.py);
server_table.py lists them next to what passed where.
"""

import re

import pytest

SERVERS = ("synapse", "dendrite")

# What Dendrite 0.13.8 lacks that some tests need (it speaks spec v1.2).
NO_MENTIONS = ("intentional mentions push rules (m.mentions, spec v1.7); "
               "Dendrite 0.13.8 speaks v1.2")
NO_THREADS = "thread-aware relations and reads (spec v1.4); Dendrite partial"
NO_XSIGN = ("cross-signing signatures upload (Dendrite: 400 M_BAD_JSON on "
            "keys/signatures/upload)")
NO_ROOM_HIGHLIGHT = ("@room highlights in GET /notifications (Dendrite 0.13.8 "
                     "lists even the control @room from a power-100 member "
                     "without a highlight)")
FORWARD_FROM_SYNC = ("reading a room forwards with /messages from a /sync "
                     "next_batch (Dendrite 0.13.8 returned none of the later "
                     "events, and refuses a /context token as from: "
                     "'malformed sync token'); the bot's own gap reading "
                     "works there")
TXN_MEMORY = ("the homeserver's transaction-id memory across access tokens "
              "(Dendrite forgets it, see test_exactly_once.py)")

NO_OPENID = ("the OpenID userinfo endpoint (/_matrix/federation/v1/openid/"
             "userinfo) is part of the federation API, which the suite's "
             "Dendrite runs with disable_federation (it answers 404)")

# What the bot warns about at each start where the homeserver lacks a
# feature (Dendrite: cross-signing uploads); a test counting warnings
# leaves these out.
START_WARNINGS = re.compile(r" warn crypto: cross-signing not set up: ")


def server_only(server, reason):
    """Mark a test (or a whole module via pytestmark) as needing server."""
    assert server in SERVERS, server
    return pytest.mark.server_only(server, reason)


def skip_reason(server, reason):
    return f"server-only ({server}): {reason}"


def pushes_on_mentions(homeserver):
    """Whether the homeserver's push rules judge m.mentions (intentional
    mentions, spec v1.7): Synapse does, Dendrite 0.13.8 (v1.2) lists the
    event as notify only. A test checks the bot's m.mentions everywhere and
    the server's highlight only where this holds."""
    return homeserver.kind == "synapse"
