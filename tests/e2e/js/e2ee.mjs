// e2ee.mjs: one simulated Matrix device with end-to-end encryption, for
// werktafel's end-to-end tests: matrix-js-sdk with its Rust crypto
// (@matrix-org/matrix-sdk-crypto-wasm, the stack of Element Web), driven
// by tests/e2e/e2ee_client.py; tests/e2e/setup_js.sh installs it next to
// node_modules.
//
// Protocol: JSON lines. Each line on stdin is a request
//   {"id": N, "cmd": "...", ...arguments}
// and gets one answer line on stdout, in any order:
//   {"id": N, "ok": true, "result": {...}} or {"id": N, "ok": false, "error": "..."}
// Unasked lines (no "id") report what the sync brought:
//   {"event": "timeline", room_id, event_id, sender, type, content,
//    wire_type, wire_content, encrypted, decrypted, failure,
//    sender_key, claimed_ed25519, ...}       (again when a late key decrypts it)
//   {"event": "membership", room_id, user_id, membership}
//   {"event": "sync", state}
// Commands: login, initCrypto, start, restart, createRoom, invite, join,
// send, sendFile, rawEvents, download, ownKeys, devices, keysQuery,
// holdKeys, releaseKeys, stop (see the handlers below).
//
// Holding back keys (holdKeys): every PUT /sendToDevice/ this device makes
// (the Olm-encrypted m.room_key messages that share its room keys, among
// others) is answered 200 {} by our fetch function without reaching the
// server, and kept; releaseKeys sends the kept requests, in order, for
// real. The SDK believes the keys are shared and sends the message, so the
// other devices receive a message whose room key arrives only later.
//
// The crypto store is the SDK's IndexedDB store on fake-indexeddb (pure
// JS, in memory): a device lives as long as its process, and a client
// restart (restart: the client stopped, a new one made for the same device
// and store) keeps its identity and room keys. A second device of the same
// user is a second process (login without device_id).

// The SDK logs through console; stdout carries only the protocol.
for (const k of ["log", "info", "debug", "warn", "error", "trace"])
	console[k] = (...a) => process.stderr.write(`[${new Date().toISOString()}] ${a.join(" ")}\n`);

await import("fake-indexeddb/auto");
const sdk = await import("matrix-js-sdk");
const { logger } = await import("matrix-js-sdk/lib/logger.js");
const { buildContent } = await import("./content.mjs");
const { createClient, ClientEvent, RoomEvent, RoomMemberEvent, MatrixEventEvent,
	Preset, Visibility, Method } = sdk;

logger.setLevel(process.env.E2EE_LOG_LEVEL || "info");

const ENCRYPTION = "m.megolm.v1.aes-sha2";

let client = null;          // the logged-in MatrixClient
let session = null;         // {homeserver, user_id, device_id, access_token}
const hold = { on: false, queue: [] };

function out(obj) {
	process.stdout.write(JSON.stringify(obj) + "\n");
}

function sleep(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

function b64(bytes) {
	return Buffer.from(bytes).toString("base64").replace(/=+$/, "");
}

function enc(s) {
	return encodeURIComponent(s);
}

// The fetch the SDK uses: the real one, except to-device sends while keys
// are held back (see the header).
async function fetchFn(url, init) {
	const u = typeof url === "string" ? url : url.toString();
	const method = (init && init.method) || "GET";
	if (hold.on && method === "PUT" && u.includes("/sendToDevice/")) {
		hold.queue.push({ url: u, init: { method, headers: init.headers, body: init.body } });
		console.info(`e2ee: holding back ${u}`);
		return new Response("{}", { status: 200, headers: { "content-type": "application/json" } });
	}
	return fetch(url, init);
}

function need() {
	if (!client)
		throw new Error("not logged in");
	return client;
}

function crypto() {
	const c = need().getCrypto();
	if (!c)
		throw new Error("crypto not initialised (initCrypto)");
	return c;
}

// Report one timeline event as this device sees it now.
function report(ev) {
	const id = ev.getId();
	if (!id || !id.startsWith("$"))
		return;    // a local echo: reported by its send's answer
	const encrypted = ev.isEncrypted();
	const failure = ev.isDecryptionFailure();
	const o = {
		event: "timeline", room_id: ev.getRoomId(), event_id: id,
		sender: ev.getSender(), type: ev.getType(), content: ev.getContent(),
		wire_type: ev.getWireType(), encrypted,
		decrypted: encrypted && !failure && !ev.isBeingDecrypted(),
		failure: failure ? String(ev.decryptionFailureReason || "failed") : null,
		origin_server_ts: ev.getTs(),
	};
	if (ev.isState())
		o.state_key = ev.getStateKey();
	if (encrypted) {
		o.wire_content = ev.getWireContent();
		o.sender_key = ev.getSenderKey();
		o.claimed_ed25519 = ev.getClaimedEd25519Key();
	}
	out(o);
}

function onTimeline(ev) {
	if (ev.shouldAttemptDecryption() || ev.isBeingDecrypted())
		need().decryptEventIfNeeded(ev).catch(() => {}).finally(() => report(ev));
	else
		report(ev);
}

// Wait until the room is in the client's store and (want) its crypto knows
// it is encrypted: sending earlier would go out in plaintext.
async function roomReady(roomId, want, timeoutMs) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const room = need().getRoom(roomId);
		if (room && (!want || await crypto().isEncryptionEnabledInRoom(roomId)))
			return room;
		if (Date.now() > until)
			throw new Error(`room ${roomId} ${room ? "is not known as encrypted" : "is not in the sync"} after ${timeoutMs} ms`);
		await sleep(100);
	}
}

// The event as the server stores it (not decrypted). Dendrite answers the
// send before its sync stream has the event, and GET /event/ reads through
// that stream: a 404 just after the send means "not yet", so ask again for
// a while before giving up.
async function serverEvent(roomId, eventId) {
	const until = Date.now() + 15000;
	for (;;) {
		try {
			return await need().http.authedRequest(Method.Get,
				`/rooms/${enc(roomId)}/event/${enc(eventId)}`);
		} catch (e) {
			if (e.httpStatus !== 404 || Date.now() > until)
				throw e;
		}
		await sleep(100);
	}
}

// Send content; in an encrypted room check that the server holds it
// encrypted.
async function sendContent(req, type, content) {
	const encrypted = req.encrypted !== false || !!req.force_encrypt;
	const room = await roomReady(req.room_id, encrypted, req.timeout_ms || 20000);
	let res;
	if (req.force_encrypt) {
		// Encrypted even where the SDK would not encrypt (m.reaction, which
		// Element sends in the clear): the room's own session, sent raw.
		const ev = new sdk.MatrixEvent({ type, content, room_id: req.room_id,
			sender: session.user_id });
		await crypto().encryptEvent(ev, room);
		if (!ev.isEncrypted())
			throw new Error(`${type} did not encrypt`);
		res = await need().http.authedRequest(Method.Put,
			`/rooms/${enc(req.room_id)}/send/${enc(ev.getWireType())}/${enc(need().makeTxnId())}`,
			undefined, ev.getWireContent());
	} else {
		const thread = req.thread ? req.thread.root : null;
		res = await need().sendEvent(req.room_id, thread, type, content);
	}
	const raw = await serverEvent(req.room_id, res.event_id);
	if (encrypted && raw.type !== "m.room.encrypted")
		throw new Error(`sent ${res.event_id} as ${raw.type}, not encrypted`);
	return { event_id: res.event_id, content, wire_type: raw.type, wire_content: raw.content };
}

// Encrypt data as an encrypted attachment (AES-CTR-256, the counter's low
// 64 bits zero, SHA-256 of the ciphertext): [ciphertext, file object
// without url].
async function encryptAttachment(data) {
	const subtle = globalThis.crypto.subtle;
	const key = await subtle.generateKey({ name: "AES-CTR", length: 256 }, true, ["encrypt", "decrypt"]);
	const jwk = await subtle.exportKey("jwk", key);
	const iv = new Uint8Array(16);
	globalThis.crypto.getRandomValues(iv.subarray(0, 8));
	const ct = new Uint8Array(await subtle.encrypt({ name: "AES-CTR", counter: iv, length: 64 }, key, data));
	const hash = new Uint8Array(await subtle.digest("SHA-256", ct));
	return [ct, {
		v: "v2",
		key: { kty: "oct", key_ops: ["encrypt", "decrypt"], alg: "A256CTR", k: jwk.k, ext: true },
		iv: b64(iv), hashes: { sha256: b64(hash) },
	}];
}

// Check and decrypt a downloaded attachment; throws on a bad hash or key.
async function decryptAttachment(file, ct) {
	const subtle = globalThis.crypto.subtle;
	if (!file || !file.key || !file.iv || !file.hashes || !file.hashes.sha256)
		throw new Error(`not an encrypted file object: ${JSON.stringify(file)}`);
	if (file.v !== "v2")
		throw new Error(`file version ${file.v}, want v2`);
	if (file.key.alg !== "A256CTR" || file.key.kty !== "oct")
		throw new Error(`file key ${JSON.stringify(file.key)} is not an A256CTR key`);
	const hash = b64(new Uint8Array(await subtle.digest("SHA-256", ct)));
	if (hash !== file.hashes.sha256.replace(/=+$/, ""))
		throw new Error(`ciphertext SHA-256 ${hash} differs from hashes.sha256 ${file.hashes.sha256}`);
	const iv = Buffer.from(file.iv, "base64");
	if (iv.length !== 16)
		throw new Error(`iv of ${iv.length} bytes`);
	const key = await subtle.importKey("jwk",
		{ kty: "oct", k: file.key.k, alg: "A256CTR", ext: true },
		{ name: "AES-CTR" }, false, ["decrypt"]);
	return new Uint8Array(await subtle.decrypt({ name: "AES-CTR", counter: iv, length: 64 }, key, ct));
}

// A client for the session, its events reported.
function makeClient() {
	client = createClient({
		baseUrl: session.homeserver, userId: session.user_id, deviceId: session.device_id,
		accessToken: session.access_token, fetchFn, timelineSupport: true,
	});
	client.on(RoomEvent.Timeline, onTimeline);
	client.on(MatrixEventEvent.Decrypted, (ev) => report(ev));
	client.on(RoomMemberEvent.Membership, (_ev, m) =>
		out({ event: "membership", room_id: m.roomId, user_id: m.userId, membership: m.membership }));
	client.on(ClientEvent.Sync, (state) => out({ event: "sync", state }));
}

// Start the client's sync; resolves after its first sync is processed.
async function startSync(timeoutMs) {
	const c = need();
	const ready = new Promise((resolve, reject) => {
		const t = setTimeout(() => reject(new Error("first sync not done in time")), timeoutMs);
		const f = (state) => {
			if (state === "PREPARED" || state === "SYNCING") {
				clearTimeout(t);
				c.off(ClientEvent.Sync, f);
				resolve();
			}
		};
		c.on(ClientEvent.Sync, f);
	});
	await c.startClient({ initialSyncLimit: 50 });
	await ready;
}

// The Rust crypto with its store in (fake, in-memory) IndexedDB; one
// device per process, so a restart opens this device's store.
async function openCrypto() {
	await need().initRustCrypto({ useIndexedDB: true });
}

const handlers = {
	// {homeserver, user_id, password, device_id?, device_name?}: log in
	// (with device_id: that device again, as after a client restart).
	async login(req) {
		const anon = createClient({ baseUrl: req.homeserver, fetchFn });
		const body = {
			type: "m.login.password",
			identifier: { type: "m.id.user", user: req.user_id },
			password: req.password,
			initial_device_display_name: req.device_name || "e2ee test device",
		};
		if (req.device_id)
			body.device_id = req.device_id;
		const login = await anon.loginRequest(body);
		session = { homeserver: req.homeserver, user_id: login.user_id,
			device_id: login.device_id, access_token: login.access_token };
		makeClient();
		return { user_id: login.user_id, device_id: login.device_id };
	},

	// The Rust crypto (see openCrypto); returns the device's keys.
	async initCrypto() {
		await openCrypto();
		return handlers.ownKeys();
	},

	// Start syncing; answers after the first sync is processed.
	async start(req) {
		await startSync(req.timeout_ms || 60000);
		return {};
	},

	// A client restart: stop this client, make a new one for the same
	// device, open the same crypto store, sync again; returns its keys.
	async restart(req) {
		const old = need();
		old.stopClient();
		old.removeAllListeners();
		makeClient();
		await openCrypto();
		await startSync(req.timeout_ms || 60000);
		return handlers.ownKeys();
	},

	// {name, invite: [user ids], encrypted (default true)}: a private room,
	// encrypted from its creation as Element makes it.
	async createRoom(req) {
		const encrypted = req.encrypted !== false;
		const opts = {
			name: req.name, preset: Preset.PrivateChat, visibility: Visibility.Private,
			invite: req.invite || [],
			initial_state: encrypted
				? [{ type: "m.room.encryption", state_key: "", content: { algorithm: ENCRYPTION } }]
				: [],
		};
		const res = await need().createRoom(opts);
		await roomReady(res.room_id, encrypted, req.timeout_ms || 20000);
		return { room_id: res.room_id };
	},

	async invite(req) {
		await need().invite(req.room_id, req.user_id);
		return {};
	},

	// {room_id}: join, and wait until the room (and its encryption) is known.
	async join(req) {
		await need().joinRoom(req.room_id);
		await roomReady(req.room_id, req.encrypted !== false, req.timeout_ms || 20000);
		return {};
	},

	// {room_id, parts | content, thread?, reply?, type?, encrypted?,
	// force_encrypt?}: send a message (parts: shaped as Element's composer
	// shapes it, content.mjs). encrypted (default): the room must be
	// encrypted and the server must hold the event as m.room.encrypted.
	// force_encrypt: encrypt also what the SDK sends in the clear.
	async send(req) {
		const content = req.content || buildContent({ ...req, user_id: session.user_id });
		return sendContent(req, req.type || "m.room.message", content);
	},

	// {room_id, name, mimetype, data_b64, msgtype?}: an encrypted attachment.
	async sendFile(req) {
		const data = Buffer.from(req.data_b64, "base64");
		const [ct, file] = await encryptAttachment(data);
		const up = await need().uploadContent(new Blob([ct]),
			{ type: "application/octet-stream", includeFilename: false });
		file.url = up.content_uri;
		const content = {
			msgtype: req.msgtype || "m.file", body: req.name, filename: req.name,
			info: { mimetype: req.mimetype || "application/octet-stream", size: data.length },
			file,
		};
		return sendContent(req, "m.room.message", content);
	},

	// {room_id}: every event of the room's timeline as the server stores it
	// (not decrypted), oldest first.
	async rawEvents(req) {
		const events = [];
		let from = null;
		for (let page = 0; page < 100; page++) {
			const q = { dir: "b", limit: "100" };
			if (from)
				q.from = from;
			const r = await need().http.authedRequest(Method.Get,
				`/rooms/${enc(req.room_id)}/messages`, q);
			events.push(...(r.chunk || []));
			if (!r.end || !r.chunk || r.chunk.length === 0)
				break;
			from = r.end;
		}
		return { events: events.reverse() };
	},

	// {file} (an m.file's content.file): download, check and decrypt it.
	async download(req) {
		const m = /^mxc:\/\/([^/]+)\/([^/?#]+)$/.exec(req.file && req.file.url || "");
		if (!m)
			throw new Error(`not an mxc URL: ${req.file && req.file.url}`);
		const url = `${session.homeserver}/_matrix/client/v1/media/download/${enc(m[1])}/${enc(m[2])}`;
		const r = await fetch(url, { headers: { Authorization: `Bearer ${session.access_token}` } });
		if (!r.ok)
			throw new Error(`download ${url}: HTTP ${r.status} ${await r.text()}`);
		const ct = new Uint8Array(await r.arrayBuffer());
		const data = await decryptAttachment(req.file, ct);
		return { data_b64: Buffer.from(data).toString("base64"), size: data.length };
	},

	// This device: {user_id, device_id, ed25519, curve25519}.
	async ownKeys() {
		const k = await crypto().getOwnDeviceKeys();
		return { user_id: session.user_id, device_id: session.device_id,
			ed25519: k.ed25519, curve25519: k.curve25519 };
	},

	// {user_id}: that user's devices in this device's crypto (downloaded
	// when not known yet): {device_id: {ed25519, curve25519, verified}}.
	async devices(req) {
		const map = await crypto().getUserDeviceInfo([req.user_id], true);
		const res = {};
		for (const [id, d] of map.get(req.user_id) || new Map()) {
			// signed_by_owner: the device is cross-signed by its user's
			// self-signing key (what Element shows as "verified by its owner").
			const st = await crypto().getDeviceVerificationStatus(req.user_id, id);
			res[id] = { ed25519: d.getFingerprint(), curve25519: d.getIdentityKey(),
				verified: String(d.verified), signed_by_owner: !!(st && st.signedByOwner) };
		}
		return { devices: res };
	},

	// {user_id}: the user's device keys as the server lists them now
	// (POST /keys/query): {device_id: {ed25519, curve25519}}.
	async keysQuery(req) {
		const r = await need().http.authedRequest(Method.Post, "/keys/query", undefined,
			{ device_keys: { [req.user_id]: [] } });
		const res = {};
		for (const [id, d] of Object.entries((r.device_keys || {})[req.user_id] || {}))
			res[id] = { ed25519: d.keys[`ed25519:${id}`], curve25519: d.keys[`curve25519:${id}`] };
		return { devices: res };
	},

	// From now on, keep this device's to-device sends (its room keys).
	// {room_id}: drop the outbound room key of the room; the next message
	// makes and shares a new one.
	async discardSession(req) {
		await crypto().forceDiscardSession(req.room_id);
		return {};
	},

	async holdKeys() {
		hold.on = true;
		return { held: hold.queue.length };
	},

	// Send the kept to-device requests, in order, and stop keeping them.
	async releaseKeys() {
		hold.on = false;
		const q = hold.queue.splice(0);
		for (const r of q) {
			const res = await fetch(r.url, r.init);
			if (!res.ok)
				throw new Error(`held ${r.url}: HTTP ${res.status} ${await res.text()}`);
		}
		return { released: q.length };
	},

	// {logout?}: stop syncing (and log the device out); the process ends.
	async stop(req) {
		if (client) {
			client.stopClient();
			if (req.logout) {
				try {
					await client.logout(true);
				} catch (e) {
					console.warn(`e2ee: logout: ${e}`);
				}
			}
		}
		setTimeout(() => process.exit(0), 50);
		return {};
	},
};

process.on("unhandledRejection", (e) =>
	console.error(`e2ee: unhandled rejection: ${e && e.stack ? e.stack : e}`));

const readline = await import("node:readline");
const rl = readline.createInterface({ input: process.stdin });
rl.on("line", (line) => {
	if (!line.trim())
		return;
	let req;
	try {
		req = JSON.parse(line);
	} catch (e) {
		out({ id: null, ok: false, error: `bad request line: ${e}` });
		return;
	}
	const h = Object.hasOwn(handlers, req.cmd) ? handlers[req.cmd] : null;
	if (!h) {
		out({ id: req.id, ok: false, error: `unknown command ${req.cmd}` });
		return;
	}
	h(req).then((result) => out({ id: req.id, ok: true, result }),
		(e) => {
			console.error(`e2ee: ${req.cmd} failed: ${e && e.stack ? e.stack : e}`);
			out({ id: req.id, ok: false, error: String(e && e.message ? e.message : e) });
		});
});
rl.on("close", () => {
	if (client)
		client.stopClient();
	process.exit(0);
});
