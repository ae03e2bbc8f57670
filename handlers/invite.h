/* invite: the finalised agenda and the invitation (handlers/invite.c),
 * and attendance (handlers/attendance.c, handlers/attendance_render.c).
 *
 *   !agenda vaststellen [<id>]   (chair) the agenda is final: it goes to
 *                                the network's rooms and to each member by
 *                                direct message as the invitation, with RSVP
 *   ✅ ❌ ❔ on either            coming, apologies, maybe
 *   !aanwezig / !afmelden [reden] the same by command, for the next meeting
 *   !aanwezig @a @b [telefonisch] (secretary, during the meeting) present
 *   !aanmeldingen [<id>]         who comes, who sent apologies, who has
 *                                not answered (the chair's "meeting
 *                                tomorrow" shows it too, with the quorum)
 *   !terugkoppeling [<id>] [@wie] (secretary) the action to brief those
 *                                absent; each absentee gets the summary by
 *                                direct message when the meeting closes
 *
 * After the agenda is final only the chair changes it (accept, defer,
 * order), and each change is announced in the network's rooms. */
#ifndef WT_INVITE_H
#define WT_INVITE_H

#include "handlers/context.h"
#include "lib/strbuf.h"
#include "storage/meetings.h"
#include "storage/minutes.h"

/* !agenda vaststellen / finalise (a row of agenda_subs). */
int invite_finalise_cmd(struct wt_ctx *ctx, const char *args);

/* Before a change of meeting's agenda (accept, defer, order): WT_OK when
 * the agenda is not final or the sender is the chair, else the refusal
 * (WT_EPERM) or WT_EDB. */
int invite_change_allowed(struct wt_ctx *ctx, const struct wt_meeting *m);
/* After the change: when m's agenda is final, the command's last reply
 * (what changed) is announced in the network's rooms. WT_OK or WT_EDB. */
int invite_change_announce(struct wt_ctx *ctx, const struct wt_meeting *m);
/* The meeting itself changed (moved, cancelled; text says how, md): when
 * m's agenda is final, the invited hear it as they heard the invitation,
 * in the network's other rooms and by direct message (notify). WT_OK or
 * WT_EDB. */
int invite_meeting_news(struct wt_ctx *ctx, const struct wt_meeting *m, const char *text);

/* The sender reacted with key to target: an RSVP when target is an
 * invitation or a posted final agenda and key ✅ ❌ ❔; else
 * WT_NOT_COMMAND. */
int invite_on_reaction(struct wt_ctx *ctx, const char *target, const char *key);

/* The reaction redacted was removed: when it gave someone's RSVP, the
 * answer is taken back (and they are told); else WT_NOT_COMMAND. */
int invite_on_redaction(struct wt_ctx *ctx, const char *redacted);

/* The rooms meeting m is announced in (NULL-terminated; free with
 * attendance_rooms_free): a body's meeting in the body's rooms; otherwise
 * (or m NULL) the network's rooms the bot is in, else (the console) the
 * configured ones given by id or name. Count or negative. */
int invite_rooms(struct wt_ctx *ctx, const struct wt_meeting *m, char ***rooms);

/* The people meeting m concerns (sorted, once each, NULL-terminated; free
 * with attendance_people_free). For a meeting of a body: the joined
 * members of the body's rooms and its listed members (advisory ones too),
 * chair and secretary. Otherwise (or m NULL) the network's: the joined
 * members of its rooms, the bot left out; when no member list is known
 * (the console), those with a role in it. Count or negative. */
int invite_members(struct wt_ctx *ctx, const struct wt_meeting *m, const char *network,
		   char ***who);

/* A reply of text to a room (not an answer to the command). */
struct wt_reply *invite_post(struct wt_ctx *ctx, const char *room, const char *text);

/* Attendance (handlers/attendance.c; its commands are in
 * handlers/commands.h). Record answer (RSVP_*) of the sender for m with reason (or NULL) and
 * reply with the confirmation (as a direct message when dm). */
int attendance_record(struct wt_ctx *ctx, const struct wt_meeting *m, int answer,
		      const char *reason, int dm);

/* Rendering (handlers/attendance_render.c). */
/* Who comes, sent apologies, may come and has not answered, and the
 * quorum when the network sets one; 0 or negative. */
int attendance_overview(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m);
/* The minutes' chair, minute-taker, present, absent with apologies and
 * absent. */
void attendance_minutes(struct strbuf *sb, struct wt_ctx *ctx, const struct wt_meeting *m,
			const struct wt_run *run);
/* The people absent from m (no presence, did not speak), sorted; their
 * count (*who, free with attendance_people_free) or negative. */
int attendance_absent(struct wt_ctx *ctx, const struct wt_meeting *m, char ***who);
void attendance_people_free(char **who);
/* How many of m's people may still come (everyone but those who sent
 * apologies) into *possible; 0 or negative. */
int attendance_possible(struct wt_ctx *ctx, const struct wt_meeting *m, int *possible);
/* The network's first chair (caller frees), or NULL. */
char *attendance_chair_dup(struct wt_ctx *ctx, const char *network);
/* After closing m: the summary to each absentee by direct message. */
int attendance_after_close(struct wt_ctx *ctx, const struct wt_meeting *m,
			   const struct wt_run *run);

#endif
