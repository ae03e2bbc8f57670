/* dm: direct-message rooms for outbox rows addressed to a person.
 *
 * Rows with to_user and no room wait in the outbox. For each such person,
 * one at a time: reuse the room recorded for them (rooms.dm_user) when they
 * are still in it or invited to it; otherwise (no room, or they left) create
 * one (POST /createRoom, is_direct, invite), record it in the rooms table
 * and in the bot's m.direct account data, and give the waiting rows that
 * room. Then `ready` runs (flush the outbox). A person the homeserver will
 * not invite (unknown user) has their waiting rows marked failed, so they
 * do not block the others. */
#ifndef WT_DM_H
#define WT_DM_H

struct matrix;
struct dm;

struct dm *dm_new(struct matrix *m, void (*ready)(void *arg), void *arg);
/* New direct rooms are created encrypted (on) or not; per network,
 * encrypt_direct_chats = no keeps them plain. */
void dm_set_encrypt(struct dm *d, int on);
void dm_free(struct dm *d);

/* Give waiting rows their rooms (asynchronously); cheap when none wait.
 * Call it after anything may have enqueued a direct message. */
void dm_run(struct dm *d);
/* dm_run as a plain callback (arg is the struct dm). */
void dm_run_cb(void *arg);

#endif
