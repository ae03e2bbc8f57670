/* polls: native Matrix polls (MSC3381) a network's secretary or chair
 * starts through the bot, their answers and each person's last response.
 *
 * A poll is written with its answers before its start event is sent; the
 * outbox row of that event is linked to it (polls_link_outbox) and, once
 * sent, its event id is noted (polls_note_sent_row): responses relate to
 * that id. A person's response replaces their earlier one (the newest by
 * origin_server_ts wins), so each person counts once. */
#ifndef WT_STORAGE_POLLS_H
#define WT_STORAGE_POLLS_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

/* The most answers a poll has (MSC3381 allows 20). */
#define POLL_MAX_ANSWERS 20

struct wt_poll {
	long long id, short_id;
	char *network, *room_id, *question;
	int scale;            /* 1: a scale poll (answers are numbers) */
	int max_selections;   /* 1: single choice */
	int anonymous;        /* undisclosed: counts only, never who */
	char *created_by;
	time_t created_at;
	time_t ends_at;       /* 0: open until ended by hand */
	time_t ended_at;      /* 0: still open */
	char *event_id;       /* the start event, NULL until sent */
	long long goal_id;    /* the goal a scale poll measures, 0: none */
};

/* One answer with how many people chose it. */
struct wt_poll_answer {
	char *key;            /* the MSC3381 answer id ("a1") */
	char *text;
	long long votes;
};

/* Add poll p (id and short_id filled in) with its n answers (keys a1..an).
 * 0 or negative. */
int polls_add(sqlite3 *db, struct wt_poll *p, const char *const *answers, size_t n);
/* Poll short_id of network: 1 found, 0 not, negative on error. */
int polls_get(sqlite3 *db, const char *network, long long short_id, struct wt_poll *out);
/* The poll whose start event is event_id in room_id: 1, 0 or negative. */
int polls_by_event(sqlite3 *db, const char *room_id, const char *event_id,
		   struct wt_poll *out);
/* The newest (at most max) polls of network, newest first: count or negative. */
int polls_list(sqlite3 *db, const char *network, int max, struct wt_poll **v);
void polls_list_free(struct wt_poll *v, size_t n);
void poll_free(struct wt_poll *p);

/* Poll id's answers in order with their votes: count or negative. */
int polls_answers(sqlite3 *db, long long poll_id, struct wt_poll_answer **v);
void poll_answers_free(struct wt_poll_answer *v, size_t n);
/* How many people answered poll id; negative on error. */
long long polls_voter_count(sqlite3 *db, long long poll_id);
/* The people who chose answer key of poll id, sorted (caller frees with
 * poll_voters_free): count or negative. */
int polls_voters(sqlite3 *db, long long poll_id, const char *key, char ***out);
void poll_voters_free(char **v, size_t n);

/* What polls_vote did. */
enum { POLL_VOTE_COUNTED = 1, POLL_VOTE_OLDER = 0 };
/* voter's response (keys[0..n), valid answers; n 0 withdraws it) at ts_ms
 * replaces their earlier one unless that one is newer: POLL_VOTE_COUNTED,
 * POLL_VOTE_OLDER (kept as it was), or negative on error. */
int polls_vote(sqlite3 *db, long long poll_id, const char *voter,
	       const char *const *keys, size_t n, long long ts_ms, const char *event_id);

/* Poll id's start event is outbox row outbox_id. */
int polls_link_outbox(sqlite3 *db, long long poll_id, long long outbox_id);
/* Outbox row outbox_id went out as event_id: the poll it starts learns it. */
int polls_note_sent_row(sqlite3 *db, long long outbox_id, const char *event_id);
/* Poll id is closed at now. */
int polls_end(sqlite3 *db, long long poll_id, time_t now);
/* The open polls whose end time is at or before now (at most max; caller
 * frees *ids): count or negative. */
int polls_due(sqlite3 *db, time_t now, int max, long long **ids);
/* The poll with row id: 1, 0 or negative. */
int polls_get_by_id(sqlite3 *db, long long id, struct wt_poll *out);
/* The earliest end time of an open poll: 1 and *at, 0 when none, negative. */
int polls_next_end(sqlite3 *db, time_t *at);

#endif
