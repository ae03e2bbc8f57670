/* fuzz: what the libFuzzer targets under tests/fuzz/ share.
 *
 * Each target FILE.c defines LLVMFuzzerTestOneInput. `make fuzz` links it
 * with libFuzzer (clang, -fsanitize=fuzzer,address,undefined) and runs it
 * on tests/fuzz/corpus/FILE/; `make test` links it with replay.c instead
 * (the normal compiler, no libFuzzer) and runs every file of
 * tests/fuzz/corpus/FILE/ and tests/fuzz/regress/FILE/ through it once.
 * A target aborts (FZ_CHECK) when an invariant of its parser breaks, so a
 * wrong answer is a finding too, not only a crash. */
#ifndef WT_FUZZ_H
#define WT_FUZZ_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "handlers/network.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort with the failed condition when cond is false. */
#define FZ_CHECK(cond) \
	((cond) ? (void)0 : fz_fail(__FILE__, __LINE__, #cond))
void fz_fail(const char *file, int line, const char *what);

/* The input as a NUL-terminated string (caller frees); an embedded NUL
 * ends it, as it ends any C string the parsers see. */
char *fz_str_dup(const uint8_t *data, size_t size);

/* Reading an input from the front: a byte (0 once empty) and the rest. */
struct fz_in {
	const uint8_t *p;
	size_t n;
};
unsigned fz_byte(struct fz_in *in);
/* The next piece up to (not including) byte sep, or the rest; caller frees. */
char *fz_piece_dup(struct fz_in *in, uint8_t sep);

/* The clock of every target: 2027-01-15 08:00 UTC. */
#define FZ_NOW ((time_t)1800000000)

/* The demo network ("demo", rooms "werktafel" and "!noord:demo.test") and
 * a database in memory seeded with it (demo/demo.c: meetings, agenda,
 * action lines, advice requests, roles), opened on the first call and
 * kept; each input runs inside BEGIN ... ROLLBACK on it (fz_db_begin /
 * fz_db_end), so every input sees the same data. */
extern const struct wt_network fz_net_nl, fz_net_en;
extern const char *const fz_admins[];
sqlite3 *fz_demo_db(void);
void fz_db_begin(sqlite3 *db);
void fz_db_end(sqlite3 *db);

/* The users of the demo network plus an admin and a stranger. */
#define FZ_NSENDERS 7
extern const char *const fz_senders[FZ_NSENDERS];

/* s through lib/json_out.h's escaper: JSON that jansson reads back as s
 * with bad bytes made U+FFFD, and that jansson writes the same way. */
void fz_check_json_str(const char *s);

/* Run body as a message of sender in room and check what every command
 * must do: a refusal has an error reply with text, and every reply's
 * event content is a JSON object (bot/message.h message_content_dup).
 * Returns wt_dispatch_message's code. */
int fz_dispatch(sqlite3 *db, const struct wt_network *net, const char *sender,
		const char *room, time_t now, const char *body);

#endif
