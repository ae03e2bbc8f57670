// driver.mjs: send one message to a room with matrix-js-sdk, shaped the
// way Element's composer shapes it, for werktafel's end-to-end tests
// (tests/e2e/jsclient.py calls it; tests/e2e/setup_js.sh installs it).
//
// Input: one JSON object on stdin:
//   homeserver, user_id, password    log in with these (m.login.password)
//   room_id                          where to send
//   parts   [text | {user_id, name}] the composer's contents: plain text
//                                    and pills (a person picked from the
//                                    autocomplete: their display name)
//   thread  {root, latest}           optional: send in this thread
//   reply   {event_id, sender, body, fallback}
//                                    optional: a reply to this event, with
//                                    or without the old reply fallback
// Output: {"event_id": "...", "content": {...}} on stdout; on failure a
// message on stderr and exit status 1.

// The SDK logs through console; stdout carries only the answer.
for (const k of ["log", "info", "debug", "warn", "trace"])
	console[k] = (...a) => process.stderr.write(a.join(" ") + "\n");

const { createClient } = await import("matrix-js-sdk");

const { buildContent } = await import("./content.mjs");

async function readStdin() {
	const chunks = [];
	for await (const c of process.stdin)
		chunks.push(c);
	return JSON.parse(Buffer.concat(chunks).toString("utf8"));
}

async function main() {
	const req = await readStdin();
	const anon = createClient({ baseUrl: req.homeserver });
	const login = await anon.loginRequest({
		type: "m.login.password",
		identifier: { type: "m.id.user", user: req.user_id },
		password: req.password,
	});
	const client = createClient({
		baseUrl: req.homeserver, userId: login.user_id,
		accessToken: login.access_token, deviceId: login.device_id,
	});
	const content = buildContent(req);
	const thread = req.thread ? req.thread.root : null;
	const res = await client.sendEvent(req.room_id, thread, "m.room.message", content);
	try {
		await client.logout(true);
	} catch (e) {
		// The message is sent; a failed logout changes nothing for the test.
	}
	process.stdout.write(JSON.stringify({ event_id: res.event_id, content }) + "\n");
}

main().then(() => process.exit(0), (e) => {
	process.stderr.write(`driver: ${e && e.stack ? e.stack : e}\n`);
	process.exit(1);
});
