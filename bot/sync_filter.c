/* Whether a /sync answer obeyed the filter; see bot/sync_filter.h. */
#include "bot/sync_filter.h"

#include <string.h>

#include "bot/json_in.h"

/* A filter type pattern: exact, or a '*' at the end matching any rest. */
static int type_matches(const char *pattern, const char *type)
{
	size_t n = strlen(pattern);
	if (n && pattern[n - 1] == '*')
		return strncmp(pattern, type, n - 1) == 0;
	return strcmp(pattern, type) == 0;
}

static int listed(json_t *patterns, const char *type)
{
	size_t i;
	json_t *p;
	json_array_foreach(patterns, i, p)
		if (json_is_string(p) && type_matches(json_string_value(p), type))
			return 1;
	return 0;
}

/* An event of events that the event filter f excludes, or NULL. */
static const char *excluded_type(json_t *f, json_t *events)
{
	json_t *types = json_object_get(f, "types");
	json_t *not_types = json_object_get(f, "not_types");
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev) {
		const char *type = json_in_str(ev, "type");
		if (!type)
			continue;
		if (json_is_array(types) && !listed(types, type))
			return type;
		if (listed(not_types, type))
			return type;
	}
	return NULL;
}

/* 1 when section (an object with "events") breaks f; why says where. */
static int section_breaks(json_t *f, json_t *section, const char *name,
			  const char *room_id, struct strbuf *why)
{
	json_t *events = json_object_get(section, "events");
	if (!json_is_object(f) || !json_is_array(events))
		return 0;
	const char *type = excluded_type(f, events);
	if (type) {
		sb_addf(why, "a %s event in the %s of %s", type, name, room_id);
		return 1;
	}
	json_t *limit = json_object_get(f, "limit");
	if (json_is_integer(limit)
	    && json_array_size(events) > (size_t)json_integer_value(limit)) {
		sb_addf(why, "%zu events in the %s of %s (limit %lld)",
			json_array_size(events), name, room_id,
			(long long)json_integer_value(limit));
		return 1;
	}
	return 0;
}

/* Only the room events are judged: Dendrite sends m.push_rules in the
 * account data of a first sync whatever the filter says (and presence,
 * receipts and typing come and go), so only a timeline or state event of
 * a type the filter leaves out, or a timeline longer than its limit,
 * shows the filter was ignored. */
int sync_filter_ignored(json_t *filter, json_t *resp, struct strbuf *why)
{
	static const char *per_room[] = { "timeline", "state" };
	json_t *rf = json_object_get(filter, "room");
	json_t *join = json_object_get(json_object_get(resp, "rooms"), "join");
	const char *room_id;
	json_t *room;
	json_object_foreach(join, room_id, room) {
		for (size_t i = 0; i < 2; i++)
			if (section_breaks(json_object_get(rf, per_room[i]),
					   json_object_get(room, per_room[i]),
					   per_room[i], room_id, why))
				return 1;
	}
	return 0;
}
