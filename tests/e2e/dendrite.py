"""A throw-away Dendrite homeserver on 127.0.0.1 for the end-to-end tests
that must hold on more than Synapse, with the interface of synapse.Synapse
(start, stop, kill, restart on the same data, register, login, url).

The binaries come from tests/e2e/setup_dendrite.sh (BUILD/dendrite/bin,
Dendrite pinned there). The config is written to datadir as JSON (valid
YAML): server_name localhost, one plain-HTTP listener on a free port,
SQLite for every component, JetStream on disk in datadir (so a restart
keeps everything), rate limiting off, federation off, and a registration
shared secret for the /_synapse/admin/v1/register endpoint Dendrite
implements like Synapse.
"""

import json
import os
import shutil
import signal
import subprocess
import time

from synapse import MatrixError, Synapse, free_port, http_json


def binaries(build):
    """The bin folder of BUILD's Dendrite (built on first use)."""
    here = os.path.dirname(os.path.abspath(__file__))
    subprocess.run([os.path.join(here, "setup_dendrite.sh"), build],
                   check=True)
    return os.path.join(os.path.abspath(build), "dendrite", "bin")


class Dendrite(Synapse):
    """One Dendrite process and its data directory (datadir keeps the
    config, the signing key, the SQLite databases and JetStream's store).
    logpath receives Dendrite's output, appended across restarts.
    Registration and login are Synapse's (the same shared-secret API)."""

    kind = "dendrite"

    def __init__(self, datadir, logpath, bindir, port=None, fresh=True,
                 server_name="localhost"):
        self.bindir = os.path.abspath(bindir)
        self.datadir = os.path.abspath(datadir)
        self.logpath = os.path.abspath(logpath)
        self.port = port or free_port()
        self.server_name = server_name
        self.proc = None
        self._admin = None
        if fresh and os.path.isdir(self.datadir):
            shutil.rmtree(self.datadir)
        os.makedirs(self.datadir, exist_ok=True)
        os.makedirs(os.path.dirname(self.logpath), exist_ok=True)
        self.config_path = os.path.join(self.datadir, "dendrite.yaml")
        self.secret = self._secret("registration_secret")
        self.write_config()

    def write_config(self):
        d = self.datadir

        def db(name):
            return {"connection_string":
                    "file:" + os.path.join(d, f"dendrite_{name}.db")}
        cfg = {
            "version": 2,
            "global": {
                "server_name": self.server_name,
                "private_key": os.path.join(d, "matrix_key.pem"),
                "key_validity_period": "168h0m0s",
                "trusted_third_party_id_servers": [],
                "disable_federation": True,
                "presence": {"enable_inbound": False,
                             "enable_outbound": False},
                "report_stats": {"enabled": False},
                "jetstream": {"storage_path": d, "in_memory": False,
                              "topic_prefix": "Dendrite"},
                "metrics": {"enabled": False},
                "dns_cache": {"enabled": False},
                "cache": {"max_size_estimated": "64mb", "max_age": "1h"},
            },
            "client_api": {
                "registration_disabled": True,
                "guests_disabled": True,
                "registration_shared_secret": self.secret,
                "rate_limiting": {"enabled": False, "threshold": 20,
                                  "cooloff_ms": 500},
            },
            "federation_api": {"database": db("federationapi"),
                               "key_perspectives": []},
            "key_server": {"database": db("keyserver")},
            "media_api": {"database": db("mediaapi"),
                          "base_path": os.path.join(d, "media")},
            "mscs": {"database": db("mscs"), "mscs": []},
            "relay_api": {"database": db("relayapi")},
            "room_server": {"database": db("roomserver")},
            "sync_api": {"database": db("syncapi"),
                         "search": {"enabled": False}},
            "user_api": {"account_database": db("userapi"),
                         "bcrypt_cost": 4},
            "tracing": {"enabled": False},
            "logging": [{"type": "std", "level": "info"}],
        }
        with open(self.config_path, "w") as f:
            json.dump(cfg, f, indent=1)

    def generate_keys(self):
        """The signing key, once (generate-keys writes it and exits)."""
        key = os.path.join(self.datadir, "matrix_key.pem")
        if os.path.exists(key):
            return
        with self._log() as log:
            subprocess.run([os.path.join(self.bindir, "generate-keys"),
                            "--private-key", key],
                           stdout=log, stderr=log, check=True,
                           cwd=self.datadir)

    def start(self, timeout=90):
        """Start Dendrite and wait until /_matrix/client/versions answers."""
        self.generate_keys()
        with self._log() as log:
            log.write(f"\n=== dendrite start on port {self.port} at "
                      f"{time.strftime('%H:%M:%S')} ===\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [os.path.join(self.bindir, "dendrite"),
                 "--config", self.config_path,
                 "--http-bind-address", f"127.0.0.1:{self.port}"],
                stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                cwd=self.datadir, start_new_session=True)
        self.wait_ready(timeout)

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"Dendrite exited with {self.proc.returncode}; "
                    f"see {self.logpath}")
            try:
                http_json("GET", self.url + "/_matrix/client/versions",
                          timeout=2)
                return
            except (OSError, MatrixError):
                time.sleep(0.2)
        raise RuntimeError(f"Dendrite not ready after {timeout}s; "
                           f"see {self.logpath}")

    def stop(self, timeout=30):
        """Stop Dendrite (SIGTERM, then SIGKILL); the data stays."""
        if not self.running():
            self.proc = None
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    # Synapse's own admin API (rate-limit overrides) has no Dendrite twin.
    def override_ratelimit(self, user_id, per_second, burst_count):
        raise NotImplementedError("Dendrite has no override_ratelimit")

    def clear_ratelimit(self, user_id):
        raise NotImplementedError("Dendrite has no override_ratelimit")
