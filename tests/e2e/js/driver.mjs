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

const MATRIX_TO = "https://matrix.to/#/";

// Text as HTML, as Element escapes it.
function escapeHtml(s) {
	return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
		.replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

// The content of an m.room.message as Element builds it: body holds the
// pills' display names; formatted_body (only when there is a pill) holds
// the pills as matrix.to links; m.mentions names the pills' users and
// the sender of the replied-to message (intentional mentions, spec 1.7).
function buildContent(req) {
	let body = "", html = "", pills = false;
	const users = [];
	for (const p of req.parts || []) {
		if (typeof p === "string") {
			body += p;
			html += escapeHtml(p).replace(/\n/g, "<br>");
		} else {
			pills = true;
			body += p.name;
			html += `<a href="${MATRIX_TO}${p.user_id}">${escapeHtml(p.name)}</a>`;
			if (!users.includes(p.user_id))
				users.push(p.user_id);
		}
	}
	const reply = req.reply;
	if (reply && reply.sender && reply.sender !== req.user_id && !users.includes(reply.sender))
		users.push(reply.sender);
	if (reply && reply.fallback) {
		// The fallback the spec described until v1.13 (and older Element
		// versions sent): the quoted original before the text.
		const quoted = (reply.body || "").split("\n")
			.map((l, i) => (i === 0 ? `> <${reply.sender}> ${l}` : `> ${l}`)).join("\n");
		body = `${quoted}\n\n${body}`;
		const link = `${MATRIX_TO}${req.room_id}/${reply.event_id}`;
		html = `<mx-reply><blockquote><a href="${link}">In reply to</a> `
			+ `<a href="${MATRIX_TO}${reply.sender}">${reply.sender}</a><br>`
			+ `${escapeHtml(reply.body || "")}</blockquote></mx-reply>${html}`;
		pills = true;
	}
	const content = { msgtype: "m.text", body };
	if (pills) {
		content.format = "org.matrix.custom.html";
		content.formatted_body = html;
	}
	content["m.mentions"] = users.length ? { user_ids: users } : {};
	if (req.thread) {
		// In a thread: the thread relation, and m.in_reply_to for clients
		// without threads (the latest event, or the one replied to).
		content["m.relates_to"] = {
			rel_type: "m.thread", event_id: req.thread.root,
			is_falling_back: !reply,
			"m.in_reply_to": { event_id: reply ? reply.event_id : (req.thread.latest || req.thread.root) },
		};
	} else if (reply) {
		content["m.relates_to"] = { "m.in_reply_to": { event_id: reply.event_id } };
	}
	return content;
}

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
