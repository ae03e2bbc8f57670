#include "bot/config_reload.h"

#include <stdlib.h>
#include <string.h>

#include "lib/log.h"

/* What config_reload_apply does with each key: "section key" entries. */
static const char *const runtime_keys[] = {
	"bot log_level", "bot language", "bot timezone", "bot admins",
	"bot late_limit_hours", "bot max_reminders", "bot commands_per_minute",
	"bot command_burst", "bot replies", "crypto key_wait_minutes",
	"network themes", "network language", "network timezone",
	"network remind_agenda_call", "network remind_agenda_final",
	"network remind_invitation", "network remind_meeting_tomorrow",
	"network remind_room_day_before", "network remind_room_hour_before",
	"network log_anyone", "network advice_wait_days", "network actionline_team_size",
	"network day_end",
	"network unknown_commands", "network encrypt_direct_chats",
	"network notify_action_owner", "network agenda_call", "network quorum",
	"network keep_handled_days", "network keep_failed_messages_days",
	"network keep_fired_reminders_days", "network keep_advice_drafts_days",
	"network keep_quarantine_days", "network report_quarterly", "network report_halfyear",
	"network report_post_day", "network report_room", NULL };
static const char *const restart_keys[] = {
	"matrix homeserver", "matrix user_id", "matrix password",
	"matrix password_file", "matrix access_token_file", "matrix device_id", "matrix transport",
	"matrix websocket_url", "bot database", "bot displayname", "bot avatar",
	"crypto enabled", "crypto store", "crypto passphrase_file",
	"web listen", "web public_url", "web frame_ancestors",
	"network rooms", "body network", "body kind", "body rooms", "body chair",
	"body secretary", "body members", "body advisory", "body decides_advice", NULL };

static int in_keys(const char *const *list, const char *section, const char *key)
{
	size_t n = strlen(section);
	for (; *list; list++)
		if (strncmp(*list, section, n) == 0 && (*list)[n] == ' ' &&
		    strcmp(*list + n + 1, key) == 0)
			return 1;
	return 0;
}

int config_reload_runtime(const char *section, const char *key)
{
	return in_keys(runtime_keys, section, key) ? 1
	     : in_keys(restart_keys, section, key) ? 0 : -1;
}

struct diff {
	struct strbuf *applied, *restart;
	int changed;
};

static void note(struct diff *d, int runtime, const char *section, const char *key)
{
	struct strbuf *sb = runtime ? d->applied : d->restart;
	if (sb->len)
		sb_add(sb, ", ");
	sb_addf(sb, "[%s] %s", section, key);
	d->changed++;
}

static int str_differs(const char *a, const char *b)
{
	return (a == NULL) != (b == NULL) || (a && strcmp(a, b) != 0);
}

/* Lists of n strings (or NULL-terminated when n is (size_t)-1). */
static int list_differs(char *const *a, size_t na, char *const *b, size_t nb)
{
	if (na == (size_t)-1) {
		for (na = 0; a && a[na]; na++)
			;
		for (nb = 0; b && b[nb]; nb++)
			;
	}
	if (na != nb)
		return 1;
	for (size_t i = 0; i < na; i++)
		if (strcmp(a[i], b[i]) != 0)
			return 1;
	return 0;
}

static void swap_ptr(void *a, void *b)
{
	void *t;
	memcpy(&t, a, sizeof t);
	memcpy(a, b, sizeof t);
	memcpy(b, &t, sizeof t);
}

/* A key that needs a restart: only noted. */
#define RESTART_STR(sec, key, field) \
	do { if (str_differs(live->field, fresh->field)) note(d, 0, sec, key); } while (0)
/* A scalar key applied at once. */
#define APPLY(sec, key, field) \
	do { if (live->field != fresh->field) { live->field = fresh->field; note(d, 1, sec, key); } } while (0)

static void matrix_keys(struct diff *d, struct wt_config *live, struct wt_config *fresh)
{
	RESTART_STR("matrix", "homeserver", homeserver);
	RESTART_STR("matrix", "user_id", user_id);
	RESTART_STR("matrix", "password", password);
	RESTART_STR("matrix", "password_file", password_file);
	RESTART_STR("matrix", "access_token_file", access_token_file);
	RESTART_STR("matrix", "device_id", device_id);
	if (live->transport != fresh->transport)
		note(d, 0, "matrix", "transport");
	RESTART_STR("matrix", "websocket_url", websocket_url);
}

static void bot_keys(struct diff *d, struct wt_config *live, struct wt_config *fresh)
{
	RESTART_STR("bot", "database", database);
	RESTART_STR("bot", "displayname", displayname);
	RESTART_STR("bot", "avatar", avatar);
	/* [bot] timezone is the default the networks took at load: their
	 * own timezone is what changes (network_keys). */
	if (str_differs(live->timezone, fresh->timezone)) {
		swap_ptr(&live->timezone, &fresh->timezone);
		note(d, 1, "bot", "timezone");
	}
	if (live->log_level != fresh->log_level) {
		live->log_level = fresh->log_level;
		log_set_level((enum log_level)live->log_level);
		note(d, 1, "bot", "log_level");
	}
	APPLY("bot", "language", lang);
	if (list_differs(live->admins, (size_t)-1, fresh->admins, (size_t)-1)) {
		swap_ptr(&live->admins, &fresh->admins);
		note(d, 1, "bot", "admins");
	}
	APPLY("bot", "late_limit_hours", late_limit_hours);
	APPLY("bot", "max_reminders", limits.max_reminders);
	APPLY("bot", "commands_per_minute", ratelimit.per_minute);
	APPLY("bot", "command_burst", ratelimit.burst);
	APPLY("bot", "replies", replies_text);
}

static void crypto_keys(struct diff *d, struct wt_config *live, struct wt_config *fresh)
{
	if (live->crypto_off != fresh->crypto_off)
		note(d, 0, "crypto", "enabled");
	RESTART_STR("crypto", "store", crypto_store);
	RESTART_STR("crypto", "passphrase_file", crypto_passphrase_file);
	APPLY("crypto", "key_wait_minutes", key_wait_minutes);
}

/* [web]: the server and its links stay as they started. */
static void web_keys(struct diff *d, struct wt_config *live, struct wt_config *fresh)
{
	RESTART_STR("web", "listen", web_listen);
	RESTART_STR("web", "public_url", web_public_url);
	RESTART_STR("web", "frame_ancestors", web_frame_ancestors);
}

static int offsets_differ(const struct wt_network *a, const struct wt_network *b)
{
	if (a->noffsets != b->noffsets)
		return 1;
	for (size_t i = 0; i < a->noffsets; i++)
		if (strcmp(a->offsets[i].kind, b->offsets[i].kind) != 0 ||
		    a->offsets[i].seconds != b->offsets[i].seconds)
			return 1;
	return 0;
}

static void network_keys(struct diff *d, struct wt_network *live, struct wt_network *fresh)
{
	struct strbuf sec = STRBUF_INIT;
	sb_addf(&sec, "network.%s", live->name);
	if (list_differs(live->rooms, live->nrooms, fresh->rooms, fresh->nrooms))
		note(d, 0, sec.buf, "rooms");
	if (list_differs(live->themes, live->nthemes, fresh->themes, fresh->nthemes)) {
		swap_ptr(&live->themes, &fresh->themes);
		size_t n = live->nthemes;
		live->nthemes = fresh->nthemes;
		fresh->nthemes = n;
		note(d, 1, sec.buf, "themes");
	}
	APPLY(sec.buf, "language", lang);
	if (str_differs(live->tz, fresh->tz)) {
		swap_ptr(&live->tz, &fresh->tz);
		note(d, 1, sec.buf, "timezone");
	}
	if (offsets_differ(live, fresh)) {
		swap_ptr(&live->offsets, &fresh->offsets);
		size_t n = live->noffsets;
		live->noffsets = fresh->noffsets;
		fresh->noffsets = n;
		note(d, 1, sec.buf, "remind_*");
	}
	APPLY(sec.buf, "log_anyone", log_anyone);
	APPLY(sec.buf, "advice_wait_days", advice_wait_days);
	APPLY(sec.buf, "actionline_team_size", al_team_size);
	APPLY(sec.buf, "day_end", day_end_hour);
	APPLY(sec.buf, "unknown_commands", unknown_commands);
	APPLY(sec.buf, "encrypt_direct_chats", plain_direct_chats);
	APPLY(sec.buf, "notify_action_owner", no_action_owner_dm);
	APPLY(sec.buf, "agenda_call", agenda_call_auto);
	APPLY(sec.buf, "quorum", quorum);
	APPLY(sec.buf, "report_quarterly", report_quarterly);
	APPLY(sec.buf, "report_halfyear", report_halfyear);
	APPLY(sec.buf, "report_post_day", report_post_day);
	if (str_differs(live->report_room, fresh->report_room)) {
		swap_ptr(&live->report_room, &fresh->report_room);
		note(d, 1, sec.buf, "report_room");
	}
	APPLY(sec.buf, "keep_handled_days", keep.handled_days);
	APPLY(sec.buf, "keep_failed_messages_days", keep.failed_days);
	APPLY(sec.buf, "keep_fired_reminders_days", keep.reminder_days);
	APPLY(sec.buf, "keep_advice_drafts_days", keep.draft_days);
	APPLY(sec.buf, "keep_quarantine_days", keep.quarantine_days);
	sb_release(&sec);
}

/* A network section only one of the two has. */
static void network_gone(struct diff *d, const char *name, const char *what)
{
	struct strbuf sec = STRBUF_INIT;
	sb_addf(&sec, "network.%s", name);
	note(d, 0, sec.buf, what);
	sb_release(&sec);
}

int config_reload_apply(struct wt_config *live, struct wt_config *fresh,
			struct strbuf *applied, struct strbuf *restart)
{
	struct diff dd = { applied, restart, 0 }, *d = &dd;
	matrix_keys(d, live, fresh);
	bot_keys(d, live, fresh);
	crypto_keys(d, live, fresh);
	web_keys(d, live, fresh);
	/* Networks by name; the array itself stays (pointers into it live
	 * as long as the bot runs). */
	for (size_t i = 0; i < live->nnetworks; i++) {
		struct wt_network *f = (struct wt_network *)
			config_network_by_name(fresh, live->networks[i].name);
		if (f)
			network_keys(d, &live->networks[i], f);
		else
			network_gone(d, live->networks[i].name, "(removed)");
	}
	for (size_t i = 0; i < fresh->nnetworks; i++)
		if (!config_network_by_name(live, fresh->networks[i].name))
			network_gone(d, fresh->networks[i].name, "(new)");
	return d->changed;
}

int config_reload_file(struct wt_config *live)
{
	struct wt_config fresh;
	struct strbuf err = STRBUF_INIT, applied = STRBUF_INIT, restart = STRBUF_INIT;
	if (!live->path || config_load(live->path, &fresh, &err) < 0) {
		log_error("config not read again (the running one stays): %s",
			  live->path ? live->path : "no config file");
		/* One log line per problem (the journal gives each its priority). */
		for (char *line = err.buf, *next; line && *line; line = next) {
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			log_error("%s", line);
		}
		sb_release(&err);
		return -1;
	}
	enum log_level before = log_get_level();
	int n = config_reload_apply(live, &fresh, &applied, &restart);
	/* Said at the more talkative of the two levels: a new log_level
	 * = error still shows that it was applied. */
	enum log_level after = log_get_level();
	log_set_level(after > before ? after : before);
	if (n == 0)
		log_info("config read again: nothing changed");
	if (applied.len)
		log_info("config read again, applied now: %s", applied.buf);
	if (restart.len)
		log_warn("config changed, but these keys take effect only after a "
			 "restart: %s", restart.buf);
	log_set_level(after);
	config_free(&fresh);
	sb_release(&err);
	sb_release(&applied);
	sb_release(&restart);
	return 0;
}
