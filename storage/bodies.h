/* bodies: the bodies of a network (migration 40) — werktafel,
 * actielijnenoverleg, the board (BNO), a stuurgroep, a subteam per action
 * line — each with its rooms, chair, secretary and members (some of them
 * advisory: invited and listed, no decisions). A meeting belongs to the
 * body of the room it was planned in (a trigger sets meetings.body_id), an
 * agenda item and a decision to the body of their meeting.
 *
 * A network without bodies has no rows here: every lookup finds none and
 * the *_for_room meeting lookups are exactly meeting_next and
 * meeting_next_after (storage/meetings.h), so it behaves as before.
 *
 * Lookups return 1 when found, 0 when not, negative on a database error. */
#ifndef WT_STORAGE_BODIES_H
#define WT_STORAGE_BODIES_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

#include "storage/meetings.h"

/* The kinds, in the order a proposal travels through them (a subteam
 * prepares, a werktafel, actielijnenoverleg or stuurgroep approves, the
 * board adopts). The stored names are the enum's names below. */
enum body_kind {
	BODY_SUBTEAM = 0,
	BODY_WERKTAFEL = 1,
	BODY_ACTIONLINES = 2,   /* actielijnenoverleg */
	BODY_STUURGROEP = 3,
	BODY_BOARD = 4,         /* bestuurlijk overleg (BNO) */
};
#define BODY_NKINDS 5

struct wt_body_member {
	char *user;
	int advisory;           /* 1: adviserend lid */
};

struct wt_body {
	long long id;
	char *network;
	char *name;
	enum body_kind kind;
	char *chair;            /* or NULL */
	char *secretary;        /* or NULL */
	char **rooms;           /* nrooms room ids (or console room names) */
	size_t nrooms;
	struct wt_body_member *members; /* by user id */
	size_t nmembers;
};

/* The stored name of a kind ("board"), and back (-1 when unknown). */
const char *body_kind_name(enum body_kind k);
int body_kind_parse(const char *s);

/* Create body name of kind in network. BODY_CREATE_OK with *id set,
 * BODY_CREATE_EXISTS when network has a body of that name (any case). */
enum { BODY_CREATE_OK = 0, BODY_CREATE_EDB = -1, BODY_CREATE_EXISTS = -2 };
int body_create(sqlite3 *db, const char *network, const char *name, enum body_kind kind,
		time_t now, long long *id);

/* The body called name (any case), with rooms and members. */
int body_by_name(sqlite3 *db, const char *network, const char *name, struct wt_body *out);
/* The body with this row id. */
int body_by_id(sqlite3 *db, long long id, struct wt_body *out);
/* The body whose rooms hold room. */
int body_of_room(sqlite3 *db, const char *network, const char *room, struct wt_body *out);
/* The body a meeting (row id) belongs to: 1 and *body_id, 0 when none. */
int body_of_meeting(sqlite3 *db, long long meeting_id, long long *body_id);
/* The bodies of network by name, with rooms and members; free with
 * body_list_free. Returns the count or negative. */
int body_list(sqlite3 *db, const char *network, struct wt_body **v);
/* How many bodies network has, or negative. */
long long body_count(sqlite3 *db, const char *network);
void body_free(struct wt_body *b);
void body_list_free(struct wt_body *v, size_t n);

/* The room of the body whose kind is "board" (its first room, by room
 * id): 1 with *room_id a new string (caller frees), 0 and NULL when the
 * network has no board body with a room (no bodies configured), negative
 * on error. For the reports and stakeholders of other families. */
int body_board_room(sqlite3 *db, const char *network, char **room_id);
/* The body that decides delivered advice: the one marked so
 * (body_set_decides_advice), else the first board by name. */
int body_for_advice(sqlite3 *db, const char *network, struct wt_body *out);
/* Mark body_id as the one that decides delivered advice (and no other body
 * of its network), or unmark it (on 0). */
int body_set_decides_advice(sqlite3 *db, long long body_id, int on);
/* The first body of network of this kind, by name. */
int body_first_of_kind(sqlite3 *db, const char *network, enum body_kind kind,
		       struct wt_body *out);

/* Change the kind of body_id. */
int body_set_kind(sqlite3 *db, long long body_id, enum body_kind kind);
/* Put room in body_id (moving it from another body of the network). */
int body_room_add(sqlite3 *db, const char *network, const char *room, long long body_id);
/* Take room out of body_id: 1 when it was there, 0 when not. */
int body_room_remove(sqlite3 *db, const char *network, const char *room, long long body_id);
/* Set the chair (officer 0) or secretary (officer 1); user NULL clears. */
enum { BODY_CHAIR = 0, BODY_SECRETARY = 1 };
int body_set_officer(sqlite3 *db, long long body_id, int officer, const char *user);
/* Add user as member (advisory 0) or advisory member (1), or change it. */
int body_member_set(sqlite3 *db, long long body_id, const char *user, int advisory);
/* Take user out: 1 when they were a member, 0 when not. */
int body_member_remove(sqlite3 *db, long long body_id, const char *user);
/* What user is in b: BODY_NOT_MEMBER, BODY_MEMBER or BODY_ADVISORY. */
enum { BODY_NOT_MEMBER = 0, BODY_MEMBER = 1, BODY_ADVISORY = 2 };
int body_member_kind(const struct wt_body *b, const char *user);

/* The next meeting of the room's body people should know about (as
 * meeting_next: planned or open, not ended by now); when room has no
 * body, meeting_next of the whole network. */
int body_meeting_next_for_room(sqlite3 *db, const char *network, const char *room,
			       time_t now, struct wt_meeting *out);
/* The first planned meeting of body_id starting after `after`. */
int body_meeting_next_after(sqlite3 *db, long long body_id, time_t after,
			    struct wt_meeting *out);
/* The same for the room's body; when room has no body,
 * meeting_next_after(network, after, 0). */
int body_meeting_next_after_for_room(sqlite3 *db, const char *network, const char *room,
				     time_t after, struct wt_meeting *out);

#endif
