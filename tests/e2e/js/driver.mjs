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
//   poll_response {poll_id, answers} optional: instead of a message, a
//                                    response to that poll as Element
//                                    sends it (matrix-js-sdk's
//                                    PollResponseEvent: the answer ids)
//   edit    {event_id, mentions}     optional: parts are the new text of
//                                    this (earlier) event, sent as
//                                    Element's edit composer sends it;
//                                    mentions: the user ids the edited
//                                    event mentioned already
// Output: {"event_id": "...", "content": {...}} on stdout; on failure a
// message on stderr and exit status 1.

// The SDK logs through console; stdout carries only the answer.
for (const k of ["log", "info", "debug", "warn", "trace"])
	console[k] = (...a) => process.stderr.write(a.join(" ") + "\n");

const { createClient } = await import("matrix-js-sdk");

const { buildContent } = await import("./content.mjs");

// An edit (m.replace) as Element's edit composer builds it: the new text
// in m.new_content (with its format and full m.mentions); the event's own
// body and formatted_body the same with " * " before them, for clients
// without edits; the top-level m.mentions holds only the people the edit
// newly mentions (intentional mentions, spec 1.7), so an edit does not
// ping again whoever the original pinged already.
function buildEdit(req) {
	const fresh = buildContent({ ...req, thread: null, reply: null });
	const newContent = { msgtype: fresh.msgtype, body: fresh.body };
	if (fresh.format) {
		newContent.format = fresh.format;
		newContent.formatted_body = fresh.formatted_body;
	}
	const all = (fresh["m.mentions"] || {}).user_ids || [];
	newContent["m.mentions"] = all.length ? { user_ids: all } : {};
	const before = req.edit.mentions || [];
	const added = all.filter((u) => !before.includes(u));
	const content = { msgtype: newContent.msgtype, body: ` * ${newContent.body}` };
	if (newContent.format) {
		content.format = newContent.format;
		content.formatted_body = ` * ${newContent.formatted_body}`;
	}
	content["m.new_content"] = newContent;
	content["m.relates_to"] = { rel_type: "m.replace", event_id: req.edit.event_id };
	content["m.mentions"] = added.length ? { user_ids: added } : {};
	return content;
}

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
	if (req.poll_response) {
		// Element's poll view: PollResponseEvent.from(answers, poll).serialize().
		const { PollResponseEvent } = await import(
			"matrix-js-sdk/lib/extensible_events_v1/PollResponseEvent.js");
		const ev = PollResponseEvent.from(req.poll_response.answers,
						  req.poll_response.poll_id).serialize();
		const sent = await client.sendEvent(req.room_id, null, ev.type, ev.content);
		try {
			await client.logout(true);
		} catch (e) {
			// Sent; a failed logout changes nothing for the test.
		}
		process.stdout.write(JSON.stringify({ event_id: sent.event_id, type: ev.type,
						      content: ev.content }) + "\n");
		return;
	}
	const content = req.edit ? buildEdit(req) : buildContent(req);
	// An edit carries its own relation (m.replace); the SDK adds none.
	const thread = req.thread && !req.edit ? req.thread.root : null;
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
