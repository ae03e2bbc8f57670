/* attendance: who answered a meeting's invitation and who was there
 * (table meeting_rsvps, migration 30). One row per meeting and person:
 * the answer (coming, apologies with an optional reason, maybe) and,
 * recorded by the secretary during the meeting, presence in the room or
 * on the phone. Who spoke while the meeting was open is kept apart
 * (storage/minutes.h, meeting_attendees). */
#ifndef WT_STORAGE_ATTENDANCE_H
#define WT_STORAGE_ATTENDANCE_H

#include <sqlite3.h>
#include <stddef.h>
#include <time.h>

enum rsvp_answer { RSVP_NONE = 0, RSVP_YES = 1, RSVP_NO = 2, RSVP_MAYBE = 3 };
enum rsvp_present { PRESENT_NO = 0, PRESENT_ROOM = 1, PRESENT_PHONE = 2 };

struct wt_rsvp {
	char *user_id;
	enum rsvp_answer answer;
	char *reason;            /* with apologies, or NULL */
	time_t answered_at;      /* 0: no answer */
	enum rsvp_present present;
};

/* user answers the invitation of meeting (row id): answer with reason
 * (NULL: none) at `at`, replacing an earlier answer; via_event: the
 * reaction that gave it (NULL: a command). 0 or negative. */
int attendance_answer(sqlite3 *db, long long meeting_id, const char *user,
		      enum rsvp_answer answer, const char *reason, time_t at,
		      const char *via_event);
/* The reaction event_id was removed: the answer it gave is taken back.
 * 1 with *meeting_id and *user (caller frees) when it gave the current
 * answer of someone, 0 when not, negative on error. */
int attendance_unanswer(sqlite3 *db, const char *event_id, long long *meeting_id,
			char **user);
/* user was at meeting in the room or on the phone. 0 or negative. */
int attendance_present(sqlite3 *db, long long meeting_id, const char *user,
		       enum rsvp_present present);
/* Every row of meeting, by user id: the count (*v, free with
 * attendance_free) or negative. */
int attendance_list(sqlite3 *db, long long meeting_id, struct wt_rsvp **v);
void attendance_free(struct wt_rsvp *v, size_t n);

/* The bot's own user id as its last login stored it (kv matrix.user_id;
 * caller frees), or NULL (the console): it is in every room, but no
 * member to invite or to count absent. */
char *attendance_self_dup(sqlite3 *db);

/* The room ids of network's rooms the bot is in (direct chats left out),
 * oldest join first: the count (*rooms NULL-terminated, free with
 * attendance_rooms_free) or negative. */
int attendance_rooms(sqlite3 *db, const char *network, char ***rooms);
void attendance_rooms_free(char **rooms);

#endif
