/* db_cache: prepared statements kept per connection (see db_cache.h).
 *
 * Compiling a query costs far more than running it on an indexed table, so
 * every statement db_prepare hands out is compiled once
 * (SQLITE_PREPARE_PERSISTENT) and kept, keyed by its SQL text. A statement
 * handed out and not yet given back is "in use": asking for the same SQL
 * again (a loop over rows calling a function that runs the same query)
 * gets a second statement, also kept, so nested use works and is cached
 * too. SQLite re-prepares a v3 statement itself after a schema change. */
#include "storage/db_cache.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lib/log.h"
#include "lib/strbuf.h"

/* More distinct statements than this per connection (SQL built with a
 * varying text) are compiled for each use and finalized when given back,
 * so the cache stays bounded whatever the SQL. */
#define CACHE_MAX     512
#define CACHE_BUCKETS 256

struct entry {
	sqlite3_stmt *st;
	unsigned hash;
	int in_use;
	const char *key;         /* the caller's SQL pointer it was last got by */
	struct entry *next;      /* in bucket[] (by the SQL's hash) */
	struct entry *next_st;   /* in by_st[] (by the statement's address) */
};

/* Three ways to an entry: by the SQL text's hash (the one that decides);
 * by the address of the caller's SQL text, which for a query written in
 * the code is the same string every time (a hint, checked against the
 * text, so a buffer used again for other SQL only misses it); and by the
 * statement, for db_cache_put. The last two spare hashing the SQL text
 * twice for each statement run, 5% of a command's instructions. */
struct cache {
	sqlite3 *db;
	int count;
	struct db_conn conn;   /* storage/db.c's own state of the connection */
	struct entry *bucket[CACHE_BUCKETS];
	struct entry *by_key[CACHE_BUCKETS];
	struct entry *by_st[CACHE_BUCKETS];
	struct cache *next;
};

/* The bot opens one connection; tests open a few at a time. The list is
 * searched from the front, where the last one used is moved. It is
 * process-wide because every storage function gets only its sqlite3 *:
 * the list maps each connection to its own statements (no state is
 * shared between connections), and compiles counts for tests. */
static struct cache *caches;
static unsigned long compiles;

/* FNV-1a of the SQL text. */
static unsigned sql_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* A bucket for an address. */
static unsigned ptr_slot(const void *p)
{
	uintptr_t v = (uintptr_t)p >> 3;
	return (unsigned)((v ^ (v >> 9) ^ (v >> 17)) % CACHE_BUCKETS);
}

/* The cache of db, or NULL; moved to the front of the list. */
static struct cache *cache_find(sqlite3 *db)
{
	struct cache **pp = &caches;
	for (; *pp; pp = &(*pp)->next) {
		struct cache *c = *pp;
		if (c->db != db)
			continue;
		*pp = c->next;
		c->next = caches;
		caches = c;
		return c;
	}
	return NULL;
}

/* The cache of db, made on first use. */
static struct cache *cache_get(sqlite3 *db)
{
	struct cache *c = cache_find(db);
	if (c)
		return c;
	c = xcalloc(1, sizeof *c);
	c->db = db;
	c->next = caches;
	caches = c;
	return c;
}

/* Compile sql once more; NULL with SQLite's error left on db. */
static sqlite3_stmt *compile(sqlite3 *db, const char *sql, unsigned flags)
{
	sqlite3_stmt *st = NULL;
	compiles++;
	if (sqlite3_prepare_v3(db, sql, -1, flags, &st, NULL) != SQLITE_OK) {
		sqlite3_finalize(st);
		return NULL;
	}
	return st;
}

sqlite3_stmt *db_cache_get(sqlite3 *db, const char *sql)
{
	struct cache *c = cache_get(db);
	struct entry **hint = &c->by_key[ptr_slot(sql)];
	struct entry *e = *hint;
	if (e && e->key == sql && !e->in_use && strcmp(sqlite3_sql(e->st), sql) == 0) {
		e->in_use = 1;
		return e->st;
	}
	unsigned h = sql_hash(sql);
	struct entry **head = &c->bucket[h % CACHE_BUCKETS];
	for (e = *head; e; e = e->next) {
		if (e->in_use || e->hash != h || strcmp(sqlite3_sql(e->st), sql) != 0)
			continue;
		e->in_use = 1;
		e->key = sql;
		*hint = e;
		return e->st;
	}
	if (c->count >= CACHE_MAX)
		return compile(db, sql, 0);
	sqlite3_stmt *st = compile(db, sql, SQLITE_PREPARE_PERSISTENT);
	if (!st)
		return NULL;
	e = xcalloc(1, sizeof *e);
	e->st = st;
	e->hash = h;
	e->in_use = 1;
	e->key = sql;
	e->next = *head;
	*head = e;
	struct entry **by_st = &c->by_st[ptr_slot(st)];
	e->next_st = *by_st;
	*by_st = e;
	*hint = e;
	c->count++;
	return st;
}

struct db_conn *db_cache_conn(sqlite3 *db)
{
	return &cache_get(db)->conn;
}

void db_cache_put(sqlite3_stmt *st)
{
	if (!st)
		return;
	struct cache *c = cache_find(sqlite3_db_handle(st));
	if (c) {
		for (struct entry *e = c->by_st[ptr_slot(st)]; e; e = e->next_st) {
			if (e->st != st)
				continue;
			/* Reset ends its read of the database now, as finalize
			 * did; no text of the caller's stays bound. */
			sqlite3_reset(st);
			sqlite3_clear_bindings(st);
			e->in_use = 0;
			return;
		}
	}
	sqlite3_finalize(st);
}

/* Only the statements this cache made are finalized: SQLite's modules
 * (FTS5) keep statements of their own on the connection and finalize them
 * when it closes. A statement handed out and never given back is in the
 * cache too, so it goes as well. */
void db_cache_free(sqlite3 *db)
{
	struct cache *c = cache_find(db);
	if (!c)
		return;
	caches = c->next;
	for (int i = 0; i < CACHE_BUCKETS; i++) {
		struct entry *e = c->bucket[i];
		while (e) {
			struct entry *next = e->next;
			if (e->in_use)
				log_warn("statement not given back: %s", sqlite3_sql(e->st));
			sqlite3_finalize(e->st);
			free(e);
			e = next;
		}
	}
	free(c->conn.later_key);
	free(c->conn.later_value);
	free(c);
}

unsigned long db_cache_compiles(void)
{
	return compiles;
}

int db_cache_each(sqlite3 *db, int (*cb)(const char *sql, void *arg), void *arg)
{
	struct cache *c = cache_find(db);
	if (!c)
		return 0;
	for (int i = 0; i < CACHE_BUCKETS; i++)
		for (struct entry *e = c->bucket[i]; e; e = e->next) {
			int rc = cb(sqlite3_sql(e->st), arg);
			if (rc)
				return rc;
		}
	return 0;
}

int db_cache_count(sqlite3 *db)
{
	struct cache *c = cache_find(db);
	return c ? c->count : 0;
}
