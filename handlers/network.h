/* network: one round table as the config describes it (the config reader
 * fills struct wt_network for Matrix and console mode alike, per-network
 * settings included), the roles in it and who has which. */
#ifndef WT_NETWORK_H
#define WT_NETWORK_H

#include "storage/retention.h"

#include <sqlite3.h>
#include <stddef.h>

enum wt_lang { LANG_NL = 0, LANG_EN = 1 };
#define WT_NLANGS 2

/* Roles per network, ordered: each role may do what the ones below it may.
 * Project lead and sponsor are per action line and checked there. */
enum wt_role {
	ROLE_NONE = 0,      /* not a member of this network's rooms */
	ROLE_MEMBER = 1,    /* lid */
	ROLE_BOARD = 2,     /* bestuurder */
	ROLE_SECRETARY = 3, /* secretaris */
	ROLE_CHAIR = 4,     /* voorzitter */
	ROLE_ADMIN = 5,     /* from the config */
};

/* A meeting-reminder offset: which reminder, how long before the meeting. */
struct wt_offset {
	char *kind;      /* "agenda_call", "agenda_final", "invitation", ... */
	long seconds;    /* before the meeting's start */
};

/* A network (one round table) as the config describes it. */
struct wt_network {
	char *name;
	char **rooms;        /* room ids ("!abc:server") or aliases, or console room names */
	size_t nrooms;
	char **themes;       /* the spearheads; short names, matched case-insensitively */
	size_t nthemes;
	enum wt_lang lang;
	char *tz;            /* IANA zone, e.g. "Europe/Amsterdam" */
	struct wt_offset *offsets;
	size_t noffsets;
	int day_end_hour;      /* day_end: the working day ends (a deadline "eind januari"); 0 = 17 */
	long advice_wait_days; /* asked advice unaccepted this long: the chair hears; 0 = 14 */
	int al_team_size;       /* actionline_team_size: project team members wanted per
				 * action line unless the line says; 0 = 3 */
	int plain_direct_chats; /* encrypt_direct_chats = no: direct chats opened unencrypted */
	int unknown_commands;   /* WT_UNKNOWN_*: what an unknown !word gets (below) */
	int log_anyone;         /* log_anyone = true: in meeting mode every member
				 * may log decisions, actions and notes; by default
				 * only the secretary and the chair */
	int no_action_owner_dm; /* notify_action_owner = no: a new action's owner
				 * gets no direct message (handlers/readback.h) */
	int agenda_call_auto;   /* agenda_call = auto: at the agenda_call reminder
				 * the bot posts the call for agenda items in the
				 * network's rooms itself (handlers/agenda_call.h);
				 * by default (chair) the chair gets it to forward */
	int quorum;             /* quorum = 6: the least number of people
				 * coming for a meeting that decides; the
				 * chair is warned before (handlers/invite.h);
				 * 0: none */
	int report_quarterly;   /* report_quarterly = on: each action line's
				 * quarterly report is compiled at the quarter's
				 * end, checked by its lead and posted
				 * (handlers/report.h) */
	int report_halfyear;    /* report_halfyear = on: the same for the
				 * programme's half-year report */
	int report_post_day;    /* report_post_day: days after the period's end
				 * that the report is posted; 0 = 10 */
	char *report_room;      /* report_room: the room reports are posted in;
				 * NULL: the network's first room */
	struct wt_retention keep; /* keep_*_days: how long what is pruned is kept
				   * (storage/retention.h; 0 = the defaults) */
};

/* What an unknown !word gets in a network (config key unknown_commands,
 * the field unknown_commands): an answer only when a command is close to
 * it (the default: rooms may hold other bots with their own !commands),
 * always, or never. */
enum { WT_UNKNOWN_SUGGEST = 0, WT_UNKNOWN_ANSWER = 1, WT_UNKNOWN_SILENT = 2 };

/* Room power levels that give a role where none is stored with !rol: the
 * highest level a user has in the network's rooms (direct chats left out). */
#define WT_POWER_CHAIR 100
#define WT_POWER_SECRETARY 50

/* The sender's role in the network: admin from the config, else the stored
 * role, else the one the room power levels give, else member. */
enum wt_role wt_role_of(sqlite3 *db, const struct wt_network *net,
			const char *const *admins, const char *user);

#endif
