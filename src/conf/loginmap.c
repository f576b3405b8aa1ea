/*
 * NAME
 *	loginmap - the sender_login_map file: which login may send as what
 * SYNOPSIS
 *	#include "conf_impl.h"
 * DESCRIPTION
 *	One line per login: the login, then the addresses and @domains it
 *	may use as sender, separated by blanks or commas; "#" comments.
 *	Logins and items are kept lower-case, sorted by login, so a lookup
 *	is a binary search and a linear pass over one login's items.
 * DIAGNOSTICS
 *	"MAPFILE:LINE: reason" for an item that is not an address or
 *	@domain, a login without items, a login listed twice, and the
 *	bounds FG_LOGIN_MAP_MAX and FG_LOGIN_MAP_ITEMS_MAX.
 */
#include <stdlib.h>
#include <string.h>

#include "conf_impl.h"
#include "forgeguard/addr.h"
#include "forgeguard/bounds.h"
#include "forgeguard/domain.h"
#include "forgeguard/str.h"

/* login_item - validate and canonicalize one "user@domain" or "@domain" */
static int
login_item(const struct fg_view *it, char *dst, size_t cap)
{
	struct fg_path path;
	size_t pos;

	if (it->n > 1 && it->p[0] == '@') {
		if (fg_domain_check(it->p + 1, it->n - 1, FG_DOMAIN_UTF8, NULL,
				    &pos) != FG_OK)
			return 0;
		if (fg_domain_canon(it->p + 1, it->n - 1, dst + 1, cap - 1) !=
		    FG_OK)
			return 0;
		dst[0] = '@';
		return 1;
	}
	if (fg_addr_parse_path(it->p, it->n, FG_ADDR_BARE, &path) != FG_OK ||
	    path.is_null || path.postmaster_bare)
		return 0;
	return fg_str_copy(dst, cap, path.addr, strlen(path.addr)) == FG_OK;
}

/* new_entry - a new, empty entry for login; NULL on error (reported) */
static struct fg_login_entry *
new_entry(struct fg_loader *ld, struct fg_login_map *map,
	  const struct fg_view *login)
{
	struct fg_login_entry *e, *nv;

	if (login->n > FG_LOGIN_MAX) {
		(void)fg_conf_bad(ld, "login name too long");
		return NULL;
	}
	if (map->n >= FG_LOGIN_MAP_MAX) {
		(void)fg_conf_bad(ld, "more than %d logins", FG_LOGIN_MAP_MAX);
		return NULL;
	}
	nv = realloc(map->v, (map->n + 1) * sizeof(*nv));
	if (nv == NULL) {
		(void)fg_conf_bad(ld, "out of memory");
		return NULL;
	}
	map->v = nv;
	e = &map->v[map->n];
	memset(e, 0, sizeof(*e));
	e->login = fg_conf_dupz(login->p, login->n);
	if (e->login == NULL) {
		(void)fg_conf_bad(ld, "out of memory");
		return NULL;
	}
	fg_str_lower(e->login, login->n);
	map->n++;
	return e;
}

/* add_item - one address or @domain to an entry */
static enum fg_err
add_item(struct fg_loader *ld, struct fg_login_entry *e,
	 const struct fg_view *it)
{
	char canon[FG_ADDR_MAX + 2], **ni;

	if (!login_item(it, canon, sizeof(canon)))
		return fg_conf_bad(ld, "\"%.*s\" is not an address or @domain",
				   (int)(it->n > 80 ? 80 : it->n), it->p);
	if (e->n >= FG_LOGIN_MAP_ITEMS_MAX)
		return fg_conf_bad(ld, "more than %d addresses for one login",
				   FG_LOGIN_MAP_ITEMS_MAX);
	ni = realloc(e->items, (e->n + 1) * sizeof(*ni));
	if (ni == NULL)
		return fg_conf_bad(ld, "out of memory");
	e->items = ni;
	e->items[e->n] = fg_conf_dupz(canon, strlen(canon));
	if (e->items[e->n] == NULL)
		return fg_conf_bad(ld, "out of memory");
	e->n++;
	return FG_OK;
}

/* login_line - one "login item..." line of the map */
static void
login_line(struct fg_loader *ld, struct fg_login_map *map, struct fg_view line)
{
	struct fg_view login, it;
	struct fg_login_entry *e;

	if (!fg_conffile_item(&line, &login))
		return;
	e = new_entry(ld, map, &login);
	if (e == NULL)
		return;
	while (fg_conffile_item(&line, &it))
		if (add_item(ld, e, &it) != FG_OK)
			return;
	if (e->n == 0)
		(void)fg_conf_bad(ld, "login %.*s has no addresses",
				  (int)login.n, login.p);
}

/* cmp_login - order login map entries by login */
static int
cmp_login(const void *a, const void *b)
{
	return strcmp(((const struct fg_login_entry *)a)->login,
		      ((const struct fg_login_entry *)b)->login);
}

/* parse_map - every line of the map's text */
static void
parse_map(struct fg_loader *ld, struct fg_login_map *map, const char *text,
	  size_t len)
{
	size_t pos = 0;
	unsigned line = 0;

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct fg_view v = { text + pos, end - pos };

		ld->line = ++line;
		if (memchr(v.p, '\0', v.n) != NULL)
			(void)fg_conf_bad(ld, "NUL byte");
		else if (!fg_conf_is_comment(&v))
			login_line(ld, map, v);
		pos = end + 1;
	}
}

/* fg_loginmap_load - read sender_login_map into conf->login_map */
void
fg_loginmap_load(struct fg_loader *ld)
{
	struct fg_login_map *map = &ld->conf->login_map;
	const char *file = ld->file;
	char *text;
	size_t len, k;

	if (ld->conf->sender_login_map[0] == '\0')
		return;
	ld->line = 0;
	if (fg_conf_read_file(ld->conf->sender_login_map, &text, &len,
			      ld->err) != FG_OK) {
		ld->nerr++;
		return;
	}
	ld->file = ld->conf->sender_login_map;
	parse_map(ld, map, text, len);
	free(text);
	qsort(map->v, map->n, sizeof(*map->v), cmp_login);
	ld->line = 0;
	for (k = 1; k < map->n; k++)
		if (strcmp(map->v[k].login, map->v[k - 1].login) == 0)
			(void)fg_conf_bad(ld, "login %s is listed twice",
					  map->v[k].login);
	ld->file = file;
}

/* fg_loginmap_release - free conf->login_map */
void
fg_loginmap_release(struct fg_login_map *map)
{
	size_t k;

	for (k = 0; k < map->n; k++) {
		free(map->v[k].login);
		fg_conf_free_strings(map->v[k].items, map->v[k].n);
	}
	free(map->v);
	map->v = NULL;
	map->n = 0;
}

/* fg_conf_login_owns - may login send as canonical address addr */
int
fg_conf_login_owns(const struct fg_conf *conf, const char *login,
		   const char *addr)
{
	char key[FG_LOGIN_MAX + 1];
	struct fg_login_entry probe, *e;
	const char *at = strrchr(addr, '@');
	size_t k;

	if (fg_str_copy(key, sizeof(key), login, strlen(login)) != FG_OK)
		return -1;
	fg_str_lower(key, strlen(key));
	probe.login = key;
	e = conf->login_map.n == 0
		    ? NULL
		    : bsearch(&probe, conf->login_map.v, conf->login_map.n,
			      sizeof(probe), cmp_login);
	if (e == NULL)
		return -1;
	for (k = 0; k < e->n; k++) {
		const char *it = e->items[k];

		if (it[0] == '@'
			    ? (at != NULL &&
			       fg_str_caseeqz(at + 1, strlen(at + 1), it + 1))
			    : fg_str_caseeqz(addr, strlen(addr), it))
			return 1;
	}
	return 0;
}
