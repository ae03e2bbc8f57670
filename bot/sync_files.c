/* sync_files: note the file messages of the networks' rooms; see
 * sync_files.h. */
#include "bot/sync_files.h"

#include <stdlib.h>
#include <string.h>

#include "bot/json_in.h"
#include "storage/documents.h"

/* Whether msgtype is one a file comes in. */
static int is_file_type(const char *msgtype)
{
	static const char *const types[] = { "m.file", "m.image", "m.video", "m.audio" };
	for (size_t i = 0; msgtype && i < sizeof types / sizeof *types; i++)
		if (strcmp(msgtype, types[i]) == 0)
			return 1;
	return 0;
}

/* The event a redaction deletes (room versions up to 10 at the top, 11 in
 * content), or NULL. */
static const char *redacted_by(json_t *ev)
{
	const char *target = json_in_str(ev, "redacts");
	return target ? target : json_in_str(json_object_get(ev, "content"), "redacts");
}

int sync_note_file(sqlite3 *db, const char *room_id, json_t *ev, time_t now)
{
	const char *type = json_in_str(ev, "type");
	if (type && strcmp(type, "m.room.redaction") == 0) {
		const char *target = redacted_by(ev);
		int gone = target ? room_file_forget(db, room_id, target) : 0;
		return gone < 0 ? -1 : 0;
	}
	json_t *content = json_object_get(ev, "content");
	const char *rel = json_in_str(json_object_get(content, "m.relates_to"), "rel_type");
	if (!type || strcmp(type, "m.room.message") != 0 || !json_is_object(content)
	    || (rel && strcmp(rel, "m.replace") == 0))
		return 0;
	struct wt_room_file f = {
		.event_id = (char *)json_in_str(ev, "event_id"),
		.room_id = (char *)room_id,
		.sender = (char *)json_in_str(ev, "sender"),
		.msgtype = (char *)json_in_str(content, "msgtype"),
		.name = (char *)json_in_str(content, "filename"),
		.url = (char *)json_in_str(content, "url"),
		.seen_at = now,
	};
	if (!f.name || !*f.name)
		f.name = (char *)json_in_str(content, "body");
	json_t *file = json_object_get(content, "file");
	int encrypted = json_is_object(file) && json_in_str(file, "url");
	if (!f.event_id || !f.sender || !is_file_type(f.msgtype) || !f.name || !*f.name
	    || (!encrypted && (!f.url || strncmp(f.url, "mxc://", 6) != 0)))
		return 0;
	json_t *info = json_object_get(content, "info");
	f.mimetype = (char *)json_in_str(info, "mimetype");
	json_t *size = json_object_get(info, "size");
	f.size = json_is_integer(size) && json_integer_value(size) > 0
		 ? (long long)json_integer_value(size) : 0;
	char *text = encrypted ? json_dumps(file, JSON_COMPACT | JSON_SORT_KEYS) : NULL;
	if (encrypted) {
		f.url = NULL;
		f.file = text;
	}
	int rc = encrypted && !text ? -1 : room_file_note(db, &f);
	free(text);
	return rc;
}
