// content.mjs: the content of an m.room.message as Element's composer
// builds it, shared by driver.mjs (one message, then exit) and e2ee.mjs
// (the long-running end-to-end encryption client).

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
export function buildContent(req) {
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
