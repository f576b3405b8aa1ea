/*
 * NAME
 *	keycache - decoded DKIM keys, shared by every session
 * SYNOPSIS
 *	#include "forgeguard/keycache.h"
 * DESCRIPTION
 *	A hash table under one mutex; entries expire on the monotonic
 *	clock and are dropped when met expired.  When the table is full a
 *	new key is simply not kept: the next message decodes it again.
 *	Keys are handed out by reference, so a key replaced or expired
 *	while a message uses it stays alive until that message is done.
 * DIAGNOSTICS
 *	fg_keycache_new fails with FG_ENOMEM.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "forgeguard/bounds.h"
#include "forgeguard/keycache.h"
#include "forgeguard/str.h"

#define BUCKETS 1024

struct entry {
	struct entry *next;
	char *name;
	time_t expires;
	struct fg_dkim_pub k;
};

struct fg_keycache {
	pthread_mutex_t lock;
	size_t n;
	struct entry *bucket[BUCKETS];
};

/* mono - seconds on the monotonic clock */
static time_t
mono(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec;
}

/* hash - FNV-1a over the lower-cased name */
static unsigned
hash(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (uint32_t)FG_TO_LOWER((unsigned char)*s)) * 16777619u;
	return h % BUCKETS;
}

/* fg_keycache_new - an empty cache */
enum fg_err
fg_keycache_new(struct fg_keycache **out)
{
	struct fg_keycache *c = calloc(1, sizeof(*c));

	*out = c;
	if (c == NULL)
		return FG_ENOMEM;
	pthread_mutex_init(&c->lock, NULL);
	return FG_OK;
}

/* drop - free one entry */
static void
drop(struct entry *e)
{
	fg_pubkey_free(e->k.key);
	free(e->name);
	free(e);
}

/* fg_keycache_free - release it and every key */
void
fg_keycache_free(struct fg_keycache *c)
{
	size_t b;

	if (c == NULL)
		return;
	for (b = 0; b < BUCKETS; b++) {
		struct entry *e = c->bucket[b], *next;

		for (; e != NULL; e = next) {
			next = e->next;
			drop(e);
		}
	}
	pthread_mutex_destroy(&c->lock);
	free(c);
}

/* find - the live entry for name in its bucket, dropping expired ones;
 * called locked */
static struct entry **
find(struct fg_keycache *c, const char *name)
{
	struct entry **pp = &c->bucket[hash(name)], *e;
	time_t now = mono();

	while ((e = *pp) != NULL) {
		if (e->expires <= now) {
			*pp = e->next;
			drop(e);
			c->n--;
			continue;
		}
		if (fg_str_caseeqz(name, strlen(name), e->name))
			return pp;
		pp = &e->next;
	}
	return NULL;
}

/* fg_keycache_get - a live entry for name */
int
fg_keycache_get(struct fg_keycache *c, const char *name,
		struct fg_dkim_pub *out)
{
	struct entry **pp;

	pthread_mutex_lock(&c->lock);
	pp = find(c, name);
	if (pp != NULL) {
		*out = (*pp)->k;
		out->key = fg_pubkey_ref((*pp)->k.key);
	}
	pthread_mutex_unlock(&c->lock);
	return pp != NULL;
}

/* fg_keycache_put - keep a key for ttl seconds */
void
fg_keycache_put(struct fg_keycache *c, const char *name,
		const struct fg_dkim_pub *k, uint32_t ttl)
{
	struct entry *e, **pp;

	if (ttl == 0)
		return;
	e = calloc(1, sizeof(*e));
	if (e == NULL || (e->name = strdup(name)) == NULL) {
		free(e);
		return;
	}
	e->k = *k;
	e->k.key = fg_pubkey_ref(k->key);
	e->expires = mono() +
		     (ttl < FG_KEYCACHE_TTL_MAX ? ttl : FG_KEYCACHE_TTL_MAX);
	pthread_mutex_lock(&c->lock);
	pp = find(c, name);
	if (pp != NULL) { /* a newer answer replaces the old one */
		struct entry *old = *pp;

		*pp = old->next;
		drop(old);
		c->n--;
	}
	if (c->n >= FG_KEYCACHE_MAX) {
		pthread_mutex_unlock(&c->lock);
		drop(e);
		return;
	}
	e->next = c->bucket[hash(name)];
	c->bucket[hash(name)] = e;
	c->n++;
	pthread_mutex_unlock(&c->lock);
}

/* fg_keycache_count - entries held */
size_t
fg_keycache_count(struct fg_keycache *c)
{
	size_t n;

	pthread_mutex_lock(&c->lock);
	n = c->n;
	pthread_mutex_unlock(&c->lock);
	return n;
}
