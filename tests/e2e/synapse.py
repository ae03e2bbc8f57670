"""A throw-away Synapse homeserver on 127.0.0.1 for the end-to-end tests,
`make run-local` and the benchmark.

Synapse runs as a child process from the venv (python -m
synapse.app.homeserver) with a minimal homeserver.yaml: server_name
localhost, one plain-HTTP client listener, SQLite, a registration shared
secret, and rate limits raised so tests are never throttled unless they ask
for it. Users are registered with the shared-secret admin API.
"""

import hashlib
import hmac
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

# Rate-limit settings far above anything a test does.
HIGH = {"per_second": 10000, "burst_count": 100000}


def free_port(preferred=None):
    """A TCP port on 127.0.0.1 that nobody listens on (preferred if free)."""
    if preferred:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", preferred))
                return preferred
            except OSError:
                pass
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MatrixError(Exception):
    """An HTTP error answer from the homeserver (status, errcode, body)."""

    def __init__(self, status, body):
        self.status = status
        self.body = body
        self.errcode = body.get("errcode") if isinstance(body, dict) else None
        super().__init__(f"HTTP {status}: {body}")


def http_json(method, url, body=None, token=None, timeout=30):
    """One JSON request with urllib; returns the decoded answer or raises
    MatrixError for a non-2xx answer."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", "Bearer " + token)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as e:
        raw = e.read()
        try:
            parsed = json.loads(raw)
        except ValueError:
            parsed = {"raw": raw.decode(errors="replace")}
        raise MatrixError(e.code, parsed) from None
    return json.loads(raw) if raw else {}


class Synapse:
    """One Synapse process and its data directory.

    datadir keeps homeserver.yaml, the signing key and the SQLite database,
    so stop() followed by start() brings back the same server (the outage
    test). logpath receives Synapse's stdout and stderr, appended across
    restarts.
    """

    kind = "synapse"   # the param id of fixture homeserver (servers.py)

    def __init__(self, datadir, logpath, port=None, python=None,
                 rc_message=None, fresh=True, server_name="localhost"):
        self.datadir = os.path.abspath(datadir)
        self.logpath = os.path.abspath(logpath)
        self.port = port or free_port()
        self.python = python or sys.executable
        self.rc_message = rc_message or HIGH
        self.server_name = server_name
        self.proc = None
        self._admin = None
        if fresh and os.path.isdir(self.datadir):
            shutil.rmtree(self.datadir)
        os.makedirs(self.datadir, exist_ok=True)
        os.makedirs(os.path.dirname(self.logpath), exist_ok=True)
        self.config_path = os.path.join(self.datadir, "homeserver.yaml")
        self.secret = self._secret("registration_secret")
        self.write_config()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def _secret(self, name):
        """A random secret kept in datadir so restarts reuse it."""
        path = os.path.join(self.datadir, name)
        if not os.path.exists(path):
            with open(path, "w") as f:
                f.write(secrets.token_hex(24))
        with open(path) as f:
            return f.read().strip()

    def write_config(self):
        """Write homeserver.yaml (JSON is valid YAML, so json.dumps it is)."""
        d = self.datadir
        rc = self.rc_message
        cfg = {
            "server_name": self.server_name,
            "public_baseurl": self.url + "/",
            "pid_file": os.path.join(d, "homeserver.pid"),
            "listeners": [{
                "port": self.port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                # openid: /_matrix/federation/v1/openid/userinfo, which
                # the bot asks about a widget's OpenID token (MSC1960).
                "resources": [{"names": ["client", "openid"], "compress": False}],
            }],
            "database": {"name": "sqlite3",
                         "args": {"database": os.path.join(d, "homeserver.db")}},
            "media_store_path": os.path.join(d, "media_store"),
            "log_config": self._write_log_config(),
            "signing_key_path": os.path.join(d, "signing.key"),
            "registration_shared_secret": self.secret,
            "macaroon_secret_key": self._secret("macaroon_secret"),
            "form_secret": self._secret("form_secret"),
            "report_stats": False,
            "enable_registration": False,
            "trusted_key_servers": [],
            "suppress_key_server_warning": True,
            "bcrypt_rounds": 4,
            "presence": {"enabled": False},
            "url_preview_enabled": False,
            "enable_metrics": False,
            "rc_message": rc,
            "rc_registration": HIGH,
            "rc_login": {"address": HIGH, "account": HIGH,
                         "failed_attempts": HIGH},
            "rc_joins": {"local": HIGH, "remote": HIGH},
            "rc_joins_per_room": HIGH,
            "rc_invites": {"per_room": HIGH, "per_user": HIGH,
                           "per_issuer": HIGH},
            "rc_room_creation": HIGH,
            "rc_admin_redaction": HIGH,
            "rc_key_requests": HIGH,
            "rc_presence": {"per_user": HIGH},
            "rc_delayed_event_mgmt": HIGH,
            "rc_profile": HIGH,
        }
        with open(self.config_path, "w") as f:
            json.dump(cfg, f, indent=1)

    def _write_log_config(self):
        """Synapse logs to stderr (our log file) at INFO, without the
        chatter of background updates and the idle federation sender."""
        path = os.path.join(self.datadir, "log.yaml")
        cfg = {
            "version": 1,
            "formatters": {"precise": {"format":
                "%(asctime)s - %(name)s - %(levelname)s - %(request)s - "
                "%(message)s"}},
            "filters": {"context": {
                "()": "synapse.logging.context.LoggingContextFilter",
                "request": ""}},
            "handlers": {"console": {
                "class": "logging.StreamHandler", "formatter": "precise",
                "filters": ["context"], "stream": "ext://sys.stderr"}},
            "loggers": {
                "synapse.storage.background_updates": {"level": "WARNING"},
                "synapse.federation": {"level": "WARNING"},
                "synapse.storage.SQL": {"level": "WARNING"},
            },
            "root": {"level": "INFO", "handlers": ["console"]},
            "disable_existing_loggers": False,
        }
        with open(path, "w") as f:
            json.dump(cfg, f, indent=1)
        return path

    def _log(self):
        return open(self.logpath, "ab")

    def generate_keys(self):
        """Create the signing key once (Synapse does it and exits)."""
        if os.path.exists(os.path.join(self.datadir, "signing.key")):
            return
        with self._log() as log:
            subprocess.run([self.python, "-m", "synapse.app.homeserver",
                            "-c", self.config_path, "--generate-keys"],
                           stdout=log, stderr=log, check=True,
                           cwd=self.datadir)

    def start(self, timeout=90):
        """Start Synapse and wait until /_matrix/client/versions answers."""
        self.generate_keys()
        with self._log() as log:
            log.write(f"\n=== synapse start on port {self.port} at "
                      f"{time.strftime('%H:%M:%S')} ===\n".encode())
            log.flush()
            self.proc = subprocess.Popen(
                [self.python, "-m", "synapse.app.homeserver",
                 "-c", self.config_path],
                stdout=log, stderr=log, stdin=subprocess.DEVNULL,
                cwd=self.datadir, start_new_session=True)
        self.wait_ready(timeout)

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"Synapse exited with {self.proc.returncode}; "
                    f"see {self.logpath}")
            try:
                http_json("GET", self.url + "/_matrix/client/versions",
                          timeout=2)
                return
            except (OSError, MatrixError):
                time.sleep(0.2)
        raise RuntimeError(f"Synapse not ready after {timeout}s; "
                           f"see {self.logpath}")

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def stop(self, timeout=30):
        """Stop Synapse (SIGTERM, then SIGKILL); the data stays."""
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

    def kill(self):
        """SIGKILL Synapse, as a crash would."""
        if self.running():
            self.proc.kill()
            self.proc.wait()
        self.proc = None

    def restart(self, timeout=90):
        self.stop()
        self.start(timeout)

    # --- users -----------------------------------------------------------

    def register(self, username, password, admin=False, displayname=None):
        """Register username with the shared-secret admin API. Returns the
        answer (user_id, access_token, device_id). An existing user is
        logged in instead, so run-local can be started twice."""
        url = self.url + "/_synapse/admin/v1/register"
        nonce = http_json("GET", url)["nonce"]
        mac = hmac.new(self.secret.encode(), digestmod=hashlib.sha1)
        mac.update(b"\x00".join([nonce.encode(), username.encode(),
                                 password.encode(),
                                 b"admin" if admin else b"notadmin"]))
        body = {"nonce": nonce, "username": username, "password": password,
                "admin": admin, "mac": mac.hexdigest(),
                "displayname": displayname or username}
        try:
            return http_json("POST", url, body)
        except MatrixError as e:
            if e.errcode != "M_USER_IN_USE":
                raise
            return self.login(username, password)

    def login(self, username, password):
        """Password login; returns user_id, access_token, device_id."""
        return http_json("POST", self.url + "/_matrix/client/v3/login", {
            "type": "m.login.password",
            "identifier": {"type": "m.id.user", "user": username},
            "password": password})

    def user_id(self, username):
        return f"@{username}:{self.server_name}"

    def admin_token(self):
        """An access token of a server admin (registered on first use)."""
        if self._admin is None:
            self._admin = self.register("e2e-admin", secrets.token_hex(8),
                                        admin=True)["access_token"]
        return self._admin

    def admin(self, method, path, body=None):
        """Call the Synapse admin API as the admin user."""
        return http_json(method, self.url + path, body,
                         token=self.admin_token())

    def override_ratelimit(self, user_id, per_second, burst_count):
        """Give user_id its own message rate limit (per_second an int >= 1;
        0 would switch rate limiting off for the user)."""
        return self.admin(
            "POST", "/_synapse/admin/v1/users/"
            + urllib.parse.quote(user_id, safe="") + "/override_ratelimit",
            {"messages_per_second": per_second, "burst_count": burst_count})

    def clear_ratelimit(self, user_id):
        """Back to the server's rc_message settings for user_id."""
        return self.admin(
            "DELETE", "/_synapse/admin/v1/users/"
            + urllib.parse.quote(user_id, safe="") + "/override_ratelimit")

    # --- plain client calls (for run-local; tests use matrix-nio) ---------

    def client(self, method, path, token, body=None):
        return http_json(method, self.url + "/_matrix/client/v3" + path,
                         body, token=token)
