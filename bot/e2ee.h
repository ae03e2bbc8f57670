/* e2ee: the bot's end-to-end encryption, on the crypto machine of
 * bot/crypto.h (matrix-sdk-crypto), driven from the one loop thread.
 *
 * Identity: the store lives beside the database ("<db>.crypto/", or
 * [crypto] store) and holds the device's keys; the database remembers the
 * device's ed25519 key, so a store that was wiped (or swapped) while the
 * database was kept is refused at start: a new device must be a decision.
 *
 * Receiving: every /sync answer first feeds its to-device events, device
 * list changes and one-time key counts to the machine, then its encrypted
 * timeline events are decrypted in place, so they go through the same
 * processing and exactly-once rules as plaintext ones (bot/sync.h). An
 * event whose room key has not come stays encrypted and waits in
 * e2ee_pending; when keys arrive the waiting events are decrypted and
 * handled once; after [crypto] key_wait_minutes an event is given up with
 * one log line and its sender is told once (per session) to check their
 * device, in a message that quotes nothing.
 *
 * Sending: the outbox's seal hook. A row for a room whose encryption is
 * not known yet waits for a look at the room's state; in an encrypted
 * room the room key is shared with every device of the members first
 * (keys query, claim, to-device; all sent and marked), then the content is
 * encrypted and stored in the outbox row before its first try, so every
 * retry sends the same ciphertext with the same txn id. A file is
 * encrypted (AES-CTR, the spec's EncryptedFile) before its upload. Nothing
 * goes into an encrypted room in plaintext, whatever fails: the row waits.
 *
 * Requests of the machine go out through bot/matrix.c (its retries), one
 * batch at a time: the pump (keys upload, queries, key requests) and the
 * room preparations take turns. */
#ifndef WT_BOT_E2EE_H
#define WT_BOT_E2EE_H

#include <jansson.h>

#include "bot/sync.h"
#include "storage/outbox.h"

struct matrix;
struct e2ee;

/* Open the crypto store of the bot's device (after matrix_start: it needs
 * the user and device id). Returns 0 with *out set (also when encryption
 * is off or unavailable: then encrypted rooms get nothing and their rows
 * wait), or 1 when the bot must not start (a wiped store with a kept
 * database, an unreadable passphrase file, a store of another device). */
int e2ee_open(struct matrix *m, const char *db_path, struct e2ee **out);
void e2ee_free(struct e2ee *e);

/* Whether the crypto machine runs (not off, not built without). */
int e2ee_active(const struct e2ee *e);

/* The sync environment used to handle waiting events once their key came
 * (copied), and what to call when that produced replies. */
void e2ee_set_sync_env(struct e2ee *e, const struct sync_env *env,
		       void (*enqueued)(void *arg), void *arg);

/* Hooks for struct sync_env (arg is the e2ee). */
void e2ee_decrypt_sync(void *arg, json_t *resp);
void e2ee_decrypt_page(void *arg, const char *room_id, json_t *events);

/* The clear event to take ev's place, from res (wtc_decrypt's answer
 * {"ok":true,"event":..}); NULL when it holds no usable event. The outer
 * event's id, sender, time and room are kept (the server's word), and its
 * m.relates_to (kept in the clear by the spec; older clients took it out
 * of the ciphertext) is the relation; no state key (an encrypted event is
 * never state) and never a redaction (redactions are not encrypted in
 * Matrix: one inside a ciphertext is a forgery). Caller decrefs. */
json_t *e2ee_clear_event(json_t *ev, json_t *res);

/* After each committed batch and now and then: track the members of
 * encrypted rooms, send what the machine wants sent, handle the events
 * whose keys came, give up those that waited too long. */
void e2ee_after_sync(struct e2ee *e);

/* Now and then (the housekeeping timer): ask the machine for its requests
 * at the next e2ee_after_sync even when it was given nothing since (a
 * request that failed, one it makes on a timer of its own). */
void e2ee_tick(struct e2ee *e);

/* The outbox's seal hook (bot/outbox.h; arg is the e2ee). */
void e2ee_seal(void *arg, struct outbox_row *row, void (*cb)(void *, int),
	       void *cb_arg);

/* With a password configured and no cross-signing keys yet: create them,
 * upload them (user-interactive auth with the password) and sign the
 * bot's device, so clients show it verified by its owner. Runs in the
 * background; failures are logged. */
void e2ee_bootstrap_cross_signing(struct e2ee *e);

/* The content of a createRoom request's initial m.room.encryption state
 * for a direct chat (caller decrefs). */
json_t *e2ee_room_encryption_content(void);

#endif
