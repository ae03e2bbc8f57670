/* crypto: end-to-end encryption for the bot, a thin C ABI over the Rust
 * crate matrix-sdk-crypto (the state machine Element Web and Element X run,
 * vodozemac inside) with its SQLite store (matrix-sdk-sqlite). The Rust
 * side lives in crypto/ (Cargo.toml, a committed Cargo.lock) and is built
 * by `make` into a static library; no libolm.
 *
 * The machine does no I/O of its own: the bot feeds it the crypto parts of
 * each sync, pulls the requests it wants sent (keys upload, query, claim,
 * to-device, signature upload), sends them through bot/matrix.c and hands
 * the answers back. Its async API is driven from our single-threaded loop
 * by a current-thread Tokio runtime that each call blocks on; the store's
 * SQLite work runs on that runtime's blocking threads.
 *
 * Conventions of every function here:
 * - Strings in are NUL-terminated UTF-8 (JSON where the name says _json);
 *   they are only borrowed.
 * - A returned char * is owned by the caller and freed with wtc_free (never
 *   with free()); NULL means failure, and wtc_last_error() then says why.
 * - An int result is 0 on success, negative on failure (wtc_last_error()).
 * - No call panics across the line: a panic on the Rust side is caught and
 *   reported as a failure.
 * - Bounds: a string argument longer than 32 MiB and an attachment over
 *   256 MiB are refused (before they are read).
 * - Not thread-safe: one thread (the loop's) uses a handle.
 */
#ifndef WT_BOT_CRYPTO_H
#define WT_BOT_CRYPTO_H

#include <stddef.h>

struct wtc;

/* Free a string or buffer returned by any wtc_ function (NULL is fine).
 * Every returned pointer carries a small header in front of it, so this one
 * call frees strings and buffers alike; a pointer that does not carry it
 * (not ours) is left alone, and wtc_last_error() says so. */
void wtc_free(void *p);

/* The message of the last failure on this thread ("" when none); valid
 * until the next wtc_ call. */
const char *wtc_last_error(void);

/* Open the crypto store in directory store_dir (created 0700 when absent;
 * its files are 0600) for user_id's device device_id, creating the device's
 * identity and one-time keys when the store is new. passphrase encrypts the
 * store (NULL or "": unencrypted). *created is set to 1 when the store (and
 * with it the device identity) was created by this call, else 0. NULL on
 * failure (a store of another user or device is a failure). */
struct wtc *wtc_open(const char *store_dir, const char *user_id,
		     const char *device_id, const char *passphrase,
		     int *created);
void wtc_close(struct wtc *c);

/* The device's identity:
 * {"user_id":..,"device_id":..,"curve25519":..,"ed25519":..} */
char *wtc_identity(struct wtc *c);

/* Feed the crypto parts of one /sync answer, given as
 * {"to_device":{"events":[..]},
 *  "device_lists":{"changed":[..],"left":[..]},
 *  "device_one_time_keys_count":{..},
 *  "device_unused_fallback_key_types":[..],   (absent: not reported)
 *  "next_batch":".."}
 * (each member may be absent). Returns
 * {"room_keys":[{"room_id":..,"session_id":..}, ..],
 *  "to_device":[decrypted to-device events, as JSON objects],
 *  "undecryptable":[{"sender":..,"reason":..}, ..]}
 * where undecryptable names the encrypted to-device events the machine
 * could not read (a room key that never arrives shows there), and
 * room_keys lists the room keys that arrived (new or better ones): the
 * caller retries the events that waited for them. (The m.room_key
 * events among to_device have their "session_key" blanked by the crate.) */
char *wtc_receive_sync(struct wtc *c, const char *sync_json);

/* Tell the machine which users share an encrypted room with the bot
 * (a JSON array of user ids); their device lists are then tracked and
 * queried. Users already tracked are no change. */
int wtc_update_tracked_users(struct wtc *c, const char *user_ids_json);

/* The requests the machine wants sent now, a JSON array of
 * {"id":"..","kind":"..","method":"POST"|"PUT","path":"/_matrix/client/v3/..",
 *  "body":{..}}
 * kind is one of keys_upload, keys_query, keys_claim, to_device,
 * signature_upload, room_message, keys_backup. path has its ids
 * percent-encoded already (a to_device path ends in its txn id, which is
 * the request id, so a retry is the same request). Send each and give its
 * 2xx answer to wtc_mark_sent; an unsent request is returned again by the
 * next call (also after a restart where the machine keeps it). */
char *wtc_outgoing_requests(struct wtc *c);

/* The 2xx answer (its JSON body) of request id of that kind (one of the
 * kinds above, or signing_keys_upload from wtc_bootstrap_cross_signing,
 * which marks the cross-signing keys as uploaded). A body that does not fit
 * the kind (e.g. keys_upload without one_time_key_counts) is a failure. */
int wtc_mark_sent(struct wtc *c, const char *id, const char *kind,
		  const char *response_json);

/* Get the room ready to encrypt for members (JSON array of user ids: the
 * joined members, and the invited ones where history visibility allows)
 * with settings {"algorithm":"m.megolm.v1.aes-sha2",
 * "rotation_period_ms":N,"rotation_period_msgs":N,
 * "history_visibility":"shared"|"invited"|"joined"|"world_readable"}
 * (the room's m.room.encryption content plus its history visibility;
 * absent members take the spec's defaults). Returns a JSON array of
 * requests as wtc_outgoing_requests does (keys_query, keys_claim, then the
 * to_device requests that share the room key); send and mark all of them
 * and call again until it returns []: only then is the room key with every
 * device, and wtc_encrypt may run. */
char *wtc_prepare_room(struct wtc *c, const char *room_id,
		       const char *members_json, const char *settings_json);

/* Encrypt an event's content for the room (wtc_prepare_room returned []).
 * Returns the m.room.encrypted content (m.relates_to is kept outside the
 * ciphertext as the spec allows). Fails, and never encrypts with a stale
 * key, when the room key is not with the members yet or has expired
 * (rotation): call wtc_prepare_room again until [] first. */
char *wtc_encrypt(struct wtc *c, const char *room_id, const char *event_type,
		  const char *content_json);

/* Decrypt an m.room.encrypted timeline event (the whole event JSON).
 * Returns {"ok":true,"event":{..}} with the clear event (type, content,
 * event_id, sender, origin_server_ts, room_id, unsigned as the original
 * had them) and "sender_device","verified":true|false; or
 * {"ok":false,"missing_key":true|false,"session_id":..,"message":..}
 * (plus "withheld":code when the sender withheld the key). missing_key is
 * true when the room key has not arrived, and also when the key we hold
 * starts after this message (a later, better key may still come). A missing
 * key also queues a key request (wtc_outgoing_requests) when the bot's
 * account has another verified device to ask: the crate asks only its own
 * devices, so a bot with a single device gets none and waits for the key.
 * NULL (a failure) is for input that is no JSON object and for a store
 * error: retry later, do not give the event up. */
char *wtc_decrypt(struct wtc *c, const char *room_id, const char *event_json);

/* Encrypt a file for an encrypted attachment: *out (len bytes, freed with
 * wtc_free) is the ciphertext to upload; the returned JSON is the spec's
 * EncryptedFile object without "url" ({"v":"v2","key":{JWK},"iv":..,
 * "hashes":{"sha256":..}}); the caller adds "url" after the upload. */
char *wtc_encrypt_attachment(const unsigned char *data, size_t len,
			     unsigned char **out);
/* The reverse (tests, and reading files sent to the bot): 0 and *out /
 * *out_len (freed with wtc_free) when the hash and key fit. */
int wtc_decrypt_attachment(const unsigned char *data, size_t len,
			   const char *file_json, unsigned char **out,
			   size_t *out_len);

/* Cross-signing: {"master":true|false,"self_signing":..,"user_signing":..}
 * (which private keys this device holds). */
char *wtc_cross_signing_status(struct wtc *c);
/* Create the account's cross-signing keys and sign this device with them.
 * Returns the requests to send, in order, as a JSON array like
 * wtc_outgoing_requests; the one of kind signing_keys_upload
 * (POST /keys/device_signing/upload) needs user-interactive auth: on a 401
 * with a "session", send it again with "auth" added to its body
 * ({"type":"m.login.password","identifier":{"type":"m.id.user","user":..},
 * "password":..,"session":..}). Requests with a kind wtc_mark_sent knows
 * are marked; marking signing_keys_upload (its answer {}) is optional.
 * A new device's own keys_upload (if not yet sent) comes first. */
char *wtc_bootstrap_cross_signing(struct wtc *c);

#endif
