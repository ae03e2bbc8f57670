/* crypto_none: bot/crypto.h for a build without the Rust library
 * (make WITH_CRYPTO=0, and make demo). Every call fails with one message,
 * so the bot refuses encrypted rooms instead of posting plaintext into
 * them; console mode and plain rooms work as before. Nothing is ever
 * allocated, so wtc_free has nothing to free. */
#include "bot/crypto.h"

#include <stddef.h>

static const char none_msg[] = "built without end-to-end encryption";

/* Nothing is handed out, so nothing is freed. */
void wtc_free(void *p)
{
	(void)p;
}

/* The one failure every call of this build reports. */
const char *wtc_last_error(void)
{
	return none_msg;
}

/* No store can be opened without the library. */
struct wtc *wtc_open(const char *store_dir, const char *user_id,
		     const char *device_id, const char *passphrase,
		     int *created)
{
	(void)store_dir, (void)user_id, (void)device_id, (void)passphrase;
	if (created)
		*created = 0;
	return NULL;
}

/* No handle exists; NULL is fine. */
void wtc_close(struct wtc *c)
{
	(void)c;
}

/* Identity: none. */
char *wtc_identity(struct wtc *c)
{
	(void)c;
	return NULL;
}

/* Sync's crypto parts: not processed. */
char *wtc_receive_sync(struct wtc *c, const char *sync_json)
{
	(void)c, (void)sync_json;
	return NULL;
}

/* Tracking: not available. */
int wtc_update_tracked_users(struct wtc *c, const char *user_ids_json)
{
	(void)c, (void)user_ids_json;
	return -1;
}

/* Outgoing requests: none can be made. */
char *wtc_outgoing_requests(struct wtc *c)
{
	(void)c;
	return NULL;
}

/* Marking: not available. */
int wtc_mark_sent(struct wtc *c, const char *id, const char *kind,
		  const char *response_json)
{
	(void)c, (void)id, (void)kind, (void)response_json;
	return -1;
}

/* An encrypted room cannot be prepared: the caller refuses it. */
char *wtc_prepare_room(struct wtc *c, const char *room_id,
		       const char *members_json, const char *settings_json)
{
	(void)c, (void)room_id, (void)members_json, (void)settings_json;
	return NULL;
}

/* Encryption fails, so nothing goes out in plaintext instead. */
char *wtc_encrypt(struct wtc *c, const char *room_id, const char *event_type,
		  const char *content_json)
{
	(void)c, (void)room_id, (void)event_type, (void)content_json;
	return NULL;
}

/* Decryption: not available. */
char *wtc_decrypt(struct wtc *c, const char *room_id, const char *event_json)
{
	(void)c, (void)room_id, (void)event_json;
	return NULL;
}

/* Attachments: not available. */
char *wtc_encrypt_attachment(const unsigned char *data, size_t len,
			     unsigned char **out)
{
	(void)data, (void)len;
	if (out)
		*out = NULL;
	return NULL;
}

/* Attachments: not available. */
int wtc_decrypt_attachment(const unsigned char *data, size_t len,
			   const char *file_json, unsigned char **out,
			   size_t *out_len)
{
	(void)data, (void)len, (void)file_json;
	if (out)
		*out = NULL;
	if (out_len)
		*out_len = 0;
	return -1;
}

/* Cross-signing: not available. */
char *wtc_cross_signing_status(struct wtc *c)
{
	(void)c;
	return NULL;
}

/* Cross-signing: not available. */
char *wtc_bootstrap_cross_signing(struct wtc *c)
{
	(void)c;
	return NULL;
}
