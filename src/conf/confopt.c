/*
 * NAME
 *	confopt - the option table and its typed setters
 * SYNOPSIS
 *	#include "conf_impl.h"
 * DESCRIPTION
 *	One declarative table: name, type, default, bounds, documentation.
 *	A type is a pair of handlers: one parses and stores a value, one
 *	frees what the value holds.  Defaults are applied by feeding their
 *	text through the same setters as the file, so a default can never
 *	be invalid, and numbers are checked against the option's own
 *	minimum and maximum after their unit is applied, so that a value
 *	past a bound is an error, never a wrap.
 * DIAGNOSTICS
 *	Every setter reports "KEY: what was expected" through fg_conf_bad.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "conf_impl.h"
#include "forgeguard/addr.h"
#include "forgeguard/bounds.h"
#include "forgeguard/domain.h"
#include "forgeguard/ipaddr.h"
#include "forgeguard/log.h"
#include "forgeguard/str.h"

struct opt;

/* A value type: store a value, free what a stored value holds. */
struct opt_type {
	enum fg_err (*set)(struct fg_loader *ld, const struct opt *o,
			   const char *p, size_t n);
	void (*release)(void *field);
};

/* One unit suffix of a number ("k", "ms", "d") and its multiplier. */
struct unit {
	const char *suffix;
	uint64_t mult;
};

struct opt {
	const char *name;
	const struct opt_type *type;
	const char *def;
	size_t off;
	size_t size; /* of the field, for numbers */
	uint64_t min, max; /* numbers, in the stored unit */
	const struct unit *units; /* numbers: suffixes, NULL-terminated */
	const char *what; /* numbers: how to write one, for errors */
	const char *const *words; /* words: the allowed values */
	const char *doc;
};

/* field - where option o lives in the snapshot */
static void *
field(struct fg_loader *ld, const struct opt *o)
{
	return (char *)ld->conf + o->off;
}

/* cut - at most 80 bytes of a value, for an error message */
static int
cut(size_t n)
{
	return (int)(n > 80 ? 80 : n);
}

/* release_string - free a heap string field */
static void
release_string(void *f)
{
	free(*(char **)f);
	*(char **)f = NULL;
}

/* store_string - replace a heap string field */
static enum fg_err
store_string(struct fg_loader *ld, char **f, const char *p, size_t n)
{
	char *s;

	if (memchr(p, '\0', n) != NULL)
		return fg_conf_bad(ld, "NUL byte in a value");
	s = fg_conf_dupz(p, n);
	if (s == NULL)
		return fg_conf_bad(ld, "out of memory");
	free(*f);
	*f = s;
	return FG_OK;
}

/* set_string - any text */
static enum fg_err
set_string(struct fg_loader *ld, const struct opt *o, const char *p, size_t n)
{
	return store_string(ld, field(ld, o), p, n);
}

/* set_bool - yes/no/true/false/1/0 */
static enum fg_err
set_bool(struct fg_loader *ld, const struct opt *o, const char *p, size_t n)
{
	int b;

	if (!fg_conf_parse_bool(p, n, &b))
		return fg_conf_bad(ld, "%s: expected yes or no", o->name);
	*(int *)field(ld, o) = b;
	return FG_OK;
}

/* store_number - v into a field of o->size bytes */
static void
store_number(struct fg_loader *ld, const struct opt *o, uint64_t v)
{
	void *f = field(ld, o);

	if (o->size == sizeof(uint64_t))
		*(uint64_t *)f = v;
	else
		*(unsigned *)f = (unsigned)v; /* max fits: see the table */
}

/* scale - the unit of p[0..n): its multiplier, the digits' length */
static uint64_t
scale(const struct opt *o, const char *p, size_t *n)
{
	const struct unit *u;

	for (u = o->units; u != NULL && u->suffix != NULL; u++) {
		size_t sn = strlen(u->suffix);

		if (*n > sn && fg_str_caseeq(p + *n - sn, sn, u->suffix, sn) &&
		    FG_IS_DIGIT((unsigned char)p[*n - sn - 1])) {
			*n -= sn;
			return u->mult;
		}
	}
	return 1;
}

/* set_number - digits, an optional unit, within [min, max] */
static enum fg_err
set_number(struct fg_loader *ld, const struct opt *o, const char *p, size_t n)
{
	size_t dn = n;
	uint64_t mult = scale(o, p, &dn), v;

	if (fg_str_parse_u64(p, dn, UINT64_MAX / mult, &v) != FG_OK ||
	    v * mult < o->min || v * mult > o->max)
		return fg_conf_bad(ld, "%s: \"%.*s\": expected %s", o->name,
				   cut(n), p, o->what);
	store_number(ld, o, v * mult);
	return FG_OK;
}

/* set_octal - a file mode like 0660 */
static enum fg_err
set_octal(struct fg_loader *ld, const struct opt *o, const char *p, size_t n)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < n && p[i] >= '0' && p[i] <= '7' && i < 5; i++)
		v = v * 8 + (uint64_t)(p[i] - '0');
	if (n == 0 || i != n || v > o->max)
		return fg_conf_bad(ld, "%s: expected an octal mode like 0660",
				   o->name);
	store_number(ld, o, v);
	return FG_OK;
}

/* set_word - one of o->words, stored as its index */
static enum fg_err
set_word(struct fg_loader *ld, const struct opt *o, const char *p, size_t n)
{
	int k;

	for (k = 0; o->words[k] != NULL; k++) {
		if (fg_str_caseeqz(p, n, o->words[k])) {
			*(int *)field(ld, o) = k;
			return FG_OK;
		}
	}
	{
		char list[256];
		struct fg_buf b;

		fg_buf_init(&b, list, sizeof(list));
		for (k = 0; o->words[k] != NULL; k++)
			(void)fg_buf_printf(&b, "%s%s", k ? ", " : "",
					    o->words[k]);
		return fg_conf_bad(ld, "%s: \"%.*s\" is not one of: %s",
				   o->name, cut(n), p, b.data);
	}
}

/* set_socket - unix:/path, local:/path, inet:port@host, inet6:port@host */
static enum fg_err
set_socket(struct fg_loader *ld, const struct opt *o, const char *p, size_t n)
{
	size_t skip, portlen;
	const char *at;
	uint64_t port;

	if ((n > 6 && strncmp(p, "unix:/", 6) == 0) ||
	    (n > 7 && strncmp(p, "local:/", 7) == 0))
		return set_string(ld, o, p, n);
	if (n > 5 && strncmp(p, "inet:", 5) == 0)
		skip = 5;
	else if (n > 6 && strncmp(p, "inet6:", 6) == 0)
		skip = 6;
	else
		return fg_conf_bad(ld, "socket: expected unix:/PATH, "
				       "inet:PORT@HOST or inet6:PORT@HOST");
	at = memchr(p + skip, '@', n - skip);
	portlen = at ? (size_t)(at - p) - skip : n - skip;
	if (fg_str_parse_u64(p + skip, portlen, 65535, &port) != FG_OK ||
	    port == 0)
		return fg_conf_bad(ld, "socket: bad port number");
	if (at != NULL && (size_t)(at - p) + 1 == n)
		return fg_conf_bad(ld, "socket: empty host after @");
	return set_string(ld, o, p, n);
}

/* set_logtarget - syslog, stderr, stdout, file:/PATH or auto */
static enum fg_err
set_logtarget(struct fg_loader *ld, const struct opt *o, const char *p,
	      size_t n)
{
	char tmp[512];

	if (fg_str_copy(tmp, sizeof(tmp), p, n) != FG_OK ||
	    (strcmp(tmp, "auto") != 0 && !fg_log_target_valid(tmp)))
		return fg_conf_bad(ld, "log_target: expected syslog, stderr, "
				       "stdout, file:/PATH or auto");
	return set_string(ld, o, p, n);
}

/* cmp_str - qsort comparator over char * */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* release_names - free a name set */
static void
release_names(void *f)
{
	struct fg_nameset *set = f;

	fg_conf_free_strings(set->v, set->n);
	set->v = NULL;
	set->n = 0;
}

/* grow - room for one more entry after n, or NULL with the problem
 * reported (too many entries, no memory); v stays valid either way */
static void *
grow(struct fg_loader *ld, const struct opt *o, void *v, size_t n, size_t size)
{
	void *nv;

	if (n >= FG_CONF_LIST_MAX) {
		(void)fg_conf_bad(ld, "%s: more than %d entries", o->name,
				  FG_CONF_LIST_MAX);
		return NULL;
	}
	nv = realloc(v, (n + 1) * size);
	if (nv == NULL)
		(void)fg_conf_bad(ld, "out of memory");
	return nv;
}

/* One list item to its set: add_name, or add_net. */
typedef enum fg_err (*item_fn)(struct fg_loader *ld, const struct opt *o,
			       void *set, const struct fg_view *it);

/* list_file - the items of a file a list names: "/path" (its items,
 * as in the configuration) or "cidr:/path" (the first field of each
 * line of a Postfix cidr table, whose results are not used); "#" starts
 * a comment; problems name the file and its line */
static enum fg_err
list_file(struct fg_loader *ld, const struct opt *o, void *set,
	  const struct fg_view *it, int cidr, item_fn one)
{
	char path[FG_PATH_MAX], estore[512], *text;
	const char *at = it->p + (cidr ? 5 : 0), *cur, *file = ld->file;
	size_t an = it->n - (cidr ? 5 : 0), len;
	unsigned line = ld->line;
	enum fg_err e = FG_OK;
	struct fg_buf b;
	struct fg_view l, item;

	if (an == 0 || an >= sizeof(path) || at[0] != '/')
		return fg_conf_bad(ld,
				   "%s: \"%.*s\": a list file is named by "
				   "its absolute path",
				   o->name, cut(it->n), it->p);
	memcpy(path, at, an);
	path[an] = '\0';
	fg_buf_init(&b, estore, sizeof(estore));
	if (fg_conf_read_file(path, &text, &len, &b) != FG_OK)
		return fg_conf_bad(ld, "%s: %s", o->name,
				   b.len ? b.data : "out of memory");
	ld->file = path;
	ld->line = 0;
	for (cur = text; fg_str_next_line(&cur, &l);) {
		const char *hash = memchr(l.p, '#', l.n);

		ld->line++;
		if (hash != NULL)
			l.n = (size_t)(hash - l.p);
		while (fg_conffile_item(&l, &item)) {
			if (one(ld, o, set, &item) != FG_OK)
				e = FG_ESYNTAX;
			if (cidr)
				break; /* the rest is the table's result */
		}
	}
	free(text);
	ld->file = file;
	ld->line = line;
	return e;
}

/* list_each - every item of a list value, files expanded */
static enum fg_err
list_each(struct fg_loader *ld, const struct opt *o, void *set, const char *p,
	  size_t n, item_fn one)
{
	struct fg_view list = { p, n }, it;
	enum fg_err e = FG_OK;

	while (fg_conffile_item(&list, &it)) {
		int cidr = it.n >= 5 && memcmp(it.p, "cidr:", 5) == 0;

		if ((cidr || it.p[0] == '/') &&
		    list_file(ld, o, set, &it, cidr, one) != FG_OK)
			e = FG_ESYNTAX;
		else if (!cidr && it.p[0] != '/' &&
			 one(ld, o, set, &it) != FG_OK)
			e = FG_ESYNTAX;
	}
	return e;
}

/* add_name - add one list item to a name set, canonical */
static enum fg_err
add_name(struct fg_loader *ld, const struct opt *o, void *s,
	 const struct fg_view *it)
{
	struct fg_nameset *set = s;
	char canon[FG_DOMAIN_MAX + 2], **nv;
	size_t pos, skip = it->p[0] == '.' ? 1 : 0;

	if (fg_domain_check(it->p + skip, it->n - skip,
			    FG_DOMAIN_TRAILING_DOT | FG_DOMAIN_UTF8, NULL,
			    &pos) != FG_OK)
		return fg_conf_bad(ld, "%s: \"%.*s\" is not a domain name",
				   o->name, cut(it->n), it->p);
	if (fg_domain_canon(it->p + skip, it->n - skip, canon, sizeof(canon)) !=
	    FG_OK)
		return fg_conf_bad(ld, "%s: name too long", o->name);
	if ((nv = grow(ld, o, set->v, set->n, sizeof(*nv))) == NULL)
		return FG_ESYNTAX;
	set->v = nv;
	set->v[set->n] = fg_conf_dupz(canon, strlen(canon));
	if (set->v[set->n] == NULL)
		return fg_conf_bad(ld, "out of memory");
	set->n++;
	return FG_OK;
}

/* set_names - a whitespace/comma list of domain names, sorted, unique */
static enum fg_err
set_names(struct fg_loader *ld, const struct opt *o, const char *p, size_t n)
{
	struct fg_nameset *set = field(ld, o);
	enum fg_err err;
	size_t k, w;

	release_names(set);
	err = list_each(ld, o, set, p, n, add_name);
	if (set->n > 1) {
		qsort(set->v, set->n, sizeof(*set->v), cmp_str);
		for (k = 1, w = 1; k < set->n; k++) {
			if (strcmp(set->v[k], set->v[w - 1]) == 0)
				free(set->v[k]);
			else
				set->v[w++] = set->v[k];
		}
		set->n = w;
	}
	return err;
}

/* release_nets - free a network set */
static void
release_nets(void *f)
{
	struct fg_netset *set = f;

	free(set->v);
	set->v = NULL;
	set->n = 0;
}

/* one_net - one list item as Postfix reads a network ("[ADDR]/LEN"
 * too; host bits set are cleared with a warning, as Postfix does), or
 * (hosts) a host address, bracketed or not */
static enum fg_err
one_net(struct fg_loader *ld, const struct opt *o, const struct fg_view *it,
	int hosts, struct fg_cidr *c)
{
	int host_bits = 0;

	if (fg_cidr_parse_loose(it->p, it->n, c, &host_bits) != FG_OK ||
	    (hosts && (host_bits ||
		       c->prefix != (c->ip.family == FG_IP_V4 ? 32u : 128u))))
		return fg_conf_bad(ld, "%s: \"%.*s\" is not %s", o->name,
				   cut(it->n), it->p,
				   hosts ? "an IP address"
					 : "a network (ADDRESS/LENGTH)");
	if (host_bits) {
		char net[FG_IP_TEXT_MAX + 8];
		struct fg_buf b;

		fg_buf_init(&b, net, sizeof(net));
		fg_ipaddr_format(&c->ip, &b);
		fg_conf_warn(ld,
			     "%s: \"%.*s\" has host bits set: read as %s/%u",
			     o->name, cut(it->n), it->p, net, c->prefix);
	}
	return FG_OK;
}

/* add_net - one network or host address to a set (arg: hosts) */
static enum fg_err
add_net_as(struct fg_loader *ld, const struct opt *o, void *s,
	   const struct fg_view *it, int hosts)
{
	struct fg_netset *set = s;
	struct fg_cidr c, *nv;

	if (one_net(ld, o, it, hosts, &c) != FG_OK)
		return FG_ESYNTAX;
	if ((nv = grow(ld, o, set->v, set->n, sizeof(*nv))) == NULL)
		return FG_ESYNTAX;
	set->v = nv;
	set->v[set->n++] = c;
	return FG_OK;
}

static enum fg_err
add_net(struct fg_loader *ld, const struct opt *o, void *s,
	const struct fg_view *it)
{
	return add_net_as(ld, o, s, it, 0);
}

static enum fg_err
add_addr(struct fg_loader *ld, const struct opt *o, void *s,
	 const struct fg_view *it)
{
	return add_net_as(ld, o, s, it, 1);
}

/* set_nets - networks */
static enum fg_err
set_nets(struct fg_loader *ld, const struct opt *o, const char *p, size_t n)
{
	release_nets(field(ld, o));
	return list_each(ld, o, field(ld, o), p, n, add_net);
}

/* set_addrs - host addresses */
static enum fg_err
set_addrs(struct fg_loader *ld, const struct opt *o, const char *p, size_t n)
{
	release_nets(field(ld, o));
	return list_each(ld, o, field(ld, o), p, n, add_addr);
}

/* set_checks - a list of check ids (disabled_checks) */
static enum fg_err
set_checks(struct fg_loader *ld, const struct opt *o, const char *p, size_t n)
{
	unsigned char *dis = field(ld, o);
	struct fg_view list = { p, n }, it;
	enum fg_err e = FG_OK;

	memset(dis, 0, FG_CHK_COUNT);
	while (fg_conffile_item(&list, &it)) {
		int id = fg_catalog_find(it.p, it.n);

		if (id < 0 || id == FG_CHK_INTERNAL)
			e = fg_conf_bad(ld,
					"%s: \"%.*s\" is not a check that "
					"can be disabled",
					o->name, cut(it.n), it.p);
		else
			dis[id] = 1;
	}
	return e;
}

static const struct opt_type t_string = { set_string, release_string };
static const struct opt_type t_socket = { set_socket, release_string };
static const struct opt_type t_logtarget = { set_logtarget, release_string };
static const struct opt_type t_bool = { set_bool, NULL };
static const struct opt_type t_number = { set_number, NULL };
static const struct opt_type t_octal = { set_octal, NULL };
static const struct opt_type t_word = { set_word, NULL };
static const struct opt_type t_names = { set_names, release_names };
static const struct opt_type t_nets = { set_nets, release_nets };
static const struct opt_type t_addrs = { set_addrs, release_nets };
static const struct opt_type t_checks = { set_checks, NULL };

static const struct unit u_bytes[] = {
	{ "k", 1024 }, { "m", 1024 * 1024 }, { "g", 1024 * 1024 * 1024 }, { 0 }
};
static const struct unit u_millis[] = { { "ms", 1 }, { "s", 1000 }, { 0 } };
static const struct unit u_seconds[] = {
	{ "s", 1 }, { "m", 60 }, { "h", 3600 }, { "d", 86400 }, { 0 }
};

static const char *const w_logformat[] = { "text", "json", NULL };
static const char *const w_mode[] = { "enforce", "dry-run", NULL };
const char *const fg_conf_syslog_facilities[] = { "mail",   "daemon", "user",
						  "local0", "local1", "local2",
						  "local3", "local4", "local5",
						  "local6", "local7", NULL };
static const char *const w_stage[] = { "mail", "rcpt", NULL };
static const char *const w_spfengine[] = { "native", "libspf2", NULL };
static const char *const w_partial[] = { "policy", "pass", NULL };
static const char *const w_multi[] = { "strictest", "refuse", NULL };
static const char *const w_org[] = { "walk", "psl", "auto", NULL };
static const char *const w_canon[] = { "relaxed/relaxed", "relaxed/simple",
				       "simple/relaxed", "simple/simple",
				       NULL };
static const char *const w_signfail[] = { "tempfail", "unsigned", NULL };

#define OFF(f) offsetof(struct fg_conf, f)
#define NUM(f) .off = OFF(f), .size = sizeof(((struct fg_conf *)0)->f)

static const struct opt opts[] = {
	{ .name = "socket",
	  .type = &t_socket,
	  .def = "inet:8895@127.0.0.1",
	  .off = OFF(socket),
	  .doc = "milter socket: unix:/path, inet:port@host or "
		 "inet6:port@host" },
	{ .name = "socket_mode",
	  .type = &t_octal,
	  .def = "0660",
	  NUM(socket_mode),
	  .max = 0777,
	  .doc = "permissions of a unix: socket (Postfix must connect)" },
	{ .name = "user",
	  .type = &t_string,
	  .def = "",
	  .off = OFF(user),
	  .doc = "user to run as when started as root" },
	{ .name = "allow_root",
	  .type = &t_bool,
	  .def = "no",
	  .off = OFF(allow_root),
	  .doc = "serve as root when no user is set (not recommended)" },
	{ .name = "log_target",
	  .type = &t_logtarget,
	  .def = "auto",
	  .off = OFF(log_target),
	  .doc = "syslog, stderr, stdout, file:/PATH, or auto (stderr in "
		 "the foreground, syslog otherwise)" },
	{ .name = "log_format",
	  .type = &t_word,
	  .def = "text",
	  .off = OFF(log_format),
	  .words = w_logformat,
	  .doc = "text or json" },
	{ .name = "syslog_facility",
	  .type = &t_word,
	  .def = "mail",
	  .off = OFF(syslog_facility),
	  .words = fg_conf_syslog_facilities,
	  .doc = "the syslog facility when logging to syslog (as Postfix's "
		 "syslog_facility): mail, daemon, user or local0 to "
		 "local7" },
	{ .name = "authserv_id",
	  .type = &t_string,
	  .def = "",
	  .off = OFF(authserv_id),
	  .doc = "Authentication-Results authserv-id (empty: the host "
		 "name; set it: forged Authentication-Results are those "
		 "claiming it, and forgeguard -n warns while it is unset)" },
	{ .name = "local_domains",
	  .type = &t_names,
	  .def = "",
	  .off = OFF(local_domains),
	  .doc = "domains this server receives mail for (subdomains "
		 "included); unset, sender.local_forgery and "
		 "header.local_forgery never fire, and forgeguard -n warns" },
	{ .name = "local_hosts",
	  .type = &t_names,
	  .def = "",
	  .off = OFF(local_hosts),
	  .doc = "host names of this server and its siblings (unset: "
		 "only the name the MTA reports; forgeguard -n warns)" },
	{ .name = "local_addresses",
	  .type = &t_addrs,
	  .def = "",
	  .off = OFF(local_addresses),
	  .doc = "IP addresses of this server (unset: only the address "
		 "the MTA reports; forgeguard -n warns)" },
	{ .name = "trusted_networks",
	  .type = &t_nets,
	  .def = "127.0.0.0/8 ::1/128",
	  .off = OFF(trusted_networks),
	  .doc = "clients whose mail is not checked for forgery (IPv4 and "
		 "IPv6 CIDR)" },
	{ .name = "mode",
	  .type = &t_word,
	  .def = "enforce",
	  .off = OFF(mode),
	  .words = w_mode,
	  .doc = "enforce, or dry-run: log what would be refused" },
	{ .name = "reject_stage",
	  .type = &t_word,
	  .def = "rcpt",
	  .off = OFF(reject_stage),
	  .words = w_stage,
	  .doc = "deliver connect, HELO and MAIL verdicts at mail or rcpt" },
	{ .name = "max_message_size",
	  .type = &t_number,
	  .def = "0",
	  NUM(max_message_size),
	  .max = UINT64_MAX,
	  .units = u_bytes,
	  .what = "a number of bytes with an optional k, m or g suffix",
	  .doc = "largest SIZE= accepted, bytes (k, m, g suffixes); 0: no "
		 "limit" },
	{ .name = "max_recipients",
	  .type = &t_number,
	  .def = "1000",
	  NUM(max_recipients),
	  .max = UINT32_MAX,
	  .what = "a whole number up to 4294967295",
	  .doc = "recipients per message; 0: no limit" },
	{ .name = "max_hops",
	  .type = &t_number,
	  .def = "100",
	  NUM(max_hops),
	  .max = UINT32_MAX,
	  .what = "a whole number up to 4294967295",
	  .doc = "Received: fields a message may carry before "
		 "received.hops finds a loop (RFC 5321 6.3); 0: no limit" },
	{ .name = "clock_skew",
	  .type = &t_number,
	  .def = "1h",
	  NUM(clock_skew_s),
	  .max = 7 * 86400,
	  .units = u_seconds,
	  .what = "a duration like 90s, 15m or 1h, at most 7d",
	  .doc = "how far a Received: date may be ahead of ours or of the "
		 "hop above before received.time_travel (s, m, h or d "
		 "suffix)" },
	{ .name = "disabled_checks",
	  .type = &t_checks,
	  .def = "",
	  .off = OFF(disabled),
	  .doc = "check ids that are not run at all (for example spf.helo "
		 "when another filter does SPF)" },
	{ .name = "spf_engine",
	  .type = &t_word,
	  .def = "native",
	  .off = OFF(spf_engine),
	  .words = w_spfengine,
	  .doc = "native (forgeguard's RFC 7208 evaluator) or libspf2" },
	{ .name = "dns_resolver",
	  .type = &t_string,
	  .def = "",
	  .off = OFF(dns_resolver),
	  .doc = "DNS servers as ADDR or ADDR@PORT, blank separated (empty: "
		 "/etc/resolv.conf)" },
	{ .name = "dns_timeout",
	  .type = &t_number,
	  .def = "10s",
	  NUM(dns_timeout_ms),
	  .min = 1,
	  .max = FG_DNS_TIMEOUT_MAX,
	  .units = u_millis,
	  .what = "a duration like 10s or 500ms, at most 60s",
	  .doc = "time budget for the DNS lookups of one stage (ms or s "
		 "suffix); lookups of a stage run side by side within it; "
		 "keep it under Postfix's milter_command_timeout" },
	{ .name = "dns_trust_anchor",
	  .type = &t_string,
	  .def = "",
	  .off = OFF(dns_trust_anchor),
	  .doc = "DNSSEC trust anchor file (DS or DNSKEY records in zone "
		 "file form, e.g. /usr/share/dns/root.key); answers that "
		 "fail validation are temporary errors; a file libunbound "
		 "cannot read stops -n and the start (empty: no "
		 "validation)" },
	{ .name = "sender_login_map",
	  .type = &t_string,
	  .def = "",
	  .off = OFF(sender_login_map),
	  .doc = "file: each line a login, then the addresses and "
		 "@domains it may send as" },
	{ .name = "max_signatures",
	  .type = &t_number,
	  .def = "10",
	  NUM(max_signatures),
	  .min = 1,
	  .max = FG_DKIM_SIGS_MAX,
	  .what = "a number of signatures from 1 to 50",
	  .doc = "DKIM signatures verified per message; more are reported "
		 "as neutral, not checked" },
	{ .name = "dkim_min_rsa_bits",
	  .type = &t_number,
	  .def = "1024",
	  NUM(dkim_min_rsa_bits),
	  .min = 1024,
	  .max = 8192,
	  .what = "a key size from 1024 (RFC 8301) to 8192",
	  .doc = "RSA keys shorter than this give dkim=policy, never a "
		 "pass (RFC 8301 forbids less than 1024)" },
	{ .name = "dkim_partial_body",
	  .type = &t_word,
	  .def = "policy",
	  .off = OFF(dkim_partial_body),
	  .words = w_partial,
	  .doc = "a signature whose l= leaves unsigned content after the "
		 "signed part: policy (not a pass; the default) or pass" },
	{ .name = "dmarc_trusted_forwarders",
	  .type = &t_nets,
	  .def = "",
	  .off = OFF(dmarc_trusted_forwarders),
	  .doc = "clients (IPv4 and IPv6 CIDR) that forward or list mail "
		 "for this site: a DMARC fail from them is not enforced "
		 "(override trusted_forwarder)" },
	{ .name = "dmarc_trusted_forwarder_names",
	  .type = &t_names,
	  .def = "",
	  .off = OFF(dmarc_trusted_forwarder_names),
	  .doc = "clients whose verified (forward-confirmed) host name is "
		 "in these domains forward or list mail for this site: a "
		 "DMARC fail from them is not enforced (trusted_forwarder)" },
	{ .name = "dmarc_exempt_domains",
	  .type = &t_names,
	  .def = "",
	  .off = OFF(dmarc_exempt_domains),
	  .doc = "author domains (subdomains included) whose DMARC policy "
		 "this site does not enforce (local_policy): a partner whose "
		 "mail is known to fail" },
	{ .name = "dmarc_multiple_from",
	  .type = &t_word,
	  .def = "strictest",
	  .off = OFF(dmarc_multiple_from),
	  .words = w_multi,
	  .doc = "a From: with several addresses: strictest (every author "
		 "domain evaluated, the strictest outcome applied) or refuse "
		 "(result reject, whatever the policies)" },
	{ .name = "dmarc_org_domain",
	  .type = &t_word,
	  .def = "walk",
	  .off = OFF(dmarc_org_domain),
	  .words = w_org,
	  .doc = "how DMARC finds policies and organizational domains: walk "
		 "(RFC 9989's DNS tree walk), psl (RFC 7489: Debian's public "
		 "suffix list through libpsl; the author and its registrable "
		 "domain asked), auto (the walk, and the list where a walk "
		 "finds no record)" },
	{ .name = "dmarc_records",
	  .type = &t_bool,
	  .def = "no",
	  .off = OFF(dmarc_records),
	  .doc = "log one DMARC report record (\"dmarc-record {json}\") per "
		 "message whose author domain publishes a policy, in the "
		 "verdict log: what aggregate reports (RFC 9990) are made "
		 "from" },
	{ .name = "dkim_sign_keys",
	  .type = &t_string,
	  .def = "",
	  .off = OFF(dkim_sign_keys),
	  .doc = "file of signing keys, one per line: domain, selector, "
		 "private key file (mode 600), and optionally rsa-sha256 or "
		 "ed25519-sha256; mail from trusted networks and "
		 "authenticated clients whose From: domain (or a parent of "
		 "it) has keys is signed with each (empty: no signing)" },
	{ .name = "dkim_sign_headers",
	  .type = &t_names,
	  .def = "from reply-to subject date to cc in-reply-to references "
		 "message-id mime-version content-type "
		 "content-transfer-encoding content-disposition list-id "
		 "list-unsubscribe list-unsubscribe-post list-post "
		 "list-help list-subscribe list-owner list-archive "
		 "feedback-id",
	  .off = OFF(dkim_sign_headers),
	  .doc = "header fields signed, each as many times as the message "
		 "has it (From is always signed)" },
	{ .name = "dkim_oversign_headers",
	  .type = &t_names,
	  .def = "from",
	  .off = OFF(dkim_oversign_headers),
	  .doc = "header fields signed once more than the message has "
		 "them, so that nobody can add one on the way (From "
		 "always)" },
	{ .name = "dkim_sign_canon",
	  .type = &t_word,
	  .def = "relaxed/relaxed",
	  .off = OFF(dkim_sign_canon),
	  .words = w_canon,
	  .doc = "c= of the signatures made: header/body, relaxed or "
		 "simple" },
	{ .name = "dkim_sign_expire",
	  .type = &t_number,
	  .def = "0",
	  NUM(dkim_sign_expire_s),
	  .max = 3650u * 86400u,
	  .units = u_seconds,
	  .what = "a duration like 7d, at most 3650d; 0 for none",
	  .doc = "x= of the signatures made, this long after t= (s, m, h "
		 "or d suffix); 0: no x=" },
	{ .name = "dkim_sign_failure",
	  .type = &t_word,
	  .def = "tempfail",
	  .off = OFF(dkim_sign_failure),
	  .words = w_signfail,
	  .doc = "a message that should be signed and cannot be (a header "
		 "cut at its bounds, no memory, a key that will not sign): "
		 "tempfail (the default) or unsigned (sent on without the "
		 "signature); the log says which" },
	{ .name = "dkim_sign_sender_domain",
	  .type = &t_bool,
	  .def = "yes",
	  .off = OFF(dkim_sign_sender_domain),
	  .doc = "when the From: domain has no key, sign with the keys of "
		 "the MAIL FROM domain" },
	{ .name = "arc_seal_domain",
	  .type = &t_string,
	  .def = "",
	  .off = OFF(arc_seal_domain),
	  .doc = "the domain whose RSA key in dkim_sign_keys seals the mail "
		 "this site forwards with an ARC set (RFC 8617: ARC "
		 "signs with rsa-sha256 only); empty: no sealing" },
	{ .name = "arc_seal_clients",
	  .type = &t_nets,
	  .def = "",
	  .off = OFF(arc_seal_clients),
	  .doc = "mail from these clients is ARC-sealed (a list manager "
		 "that re-injects mail: its set carries the results this "
		 "server recorded at first receipt); 0.0.0.0/0 ::/0 for "
		 "all" },
	{ .name = "arc_seal_recipient_domains",
	  .type = &t_names,
	  .def = "",
	  .off = OFF(arc_seal_recipient_domains),
	  .doc = "mail to a recipient in these domains (subdomains "
		 "included: alias and list domains whose mail goes on) is "
		 "ARC-sealed with this server's own results" },
	{ .name = "arc_trusted_sealers",
	  .type = &t_names,
	  .def = "",
	  .off = OFF(arc_trusted_sealers),
	  .doc = "ARC sealing domains (subdomains included) whose "
		 "ARC-Authentication-Results are believed when the chain "
		 "passes: their SPF, DKIM and DMARC passes are recorded as "
		 "an override reason for DMARC" },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))
_Static_assert(NOPTS <= FG_CONF_OPTS_MAX, "raise FG_CONF_OPTS_MAX");

/* fg_confopt_defaults - every option set from its built-in default */
void
fg_confopt_defaults(struct fg_loader *ld)
{
	size_t k;

	for (k = 0; k < NOPTS; k++)
		(void)opts[k].type->set(ld, &opts[k], opts[k].def,
					strlen(opts[k].def));
}

/* fg_confopt_apply - a "key = value" line for a table option */
int
fg_confopt_apply(struct fg_loader *ld, const struct fg_confline *cl)
{
	size_t k;

	for (k = 0; k < NOPTS; k++)
		if (fg_str_caseeqz(cl->key.p, cl->key.n, opts[k].name))
			break;
	if (k == NOPTS)
		return 0;
	if (ld->seen[k]++)
		(void)fg_conf_bad(ld, "duplicate key %s", opts[k].name);
	else
		(void)opts[k].type->set(ld, &opts[k], cl->value.p, cl->value.n);
	return 1;
}

/* fg_confopt_release - free every option value the snapshot holds */
void
fg_confopt_release(struct fg_conf *c)
{
	size_t k;

	for (k = 0; k < NOPTS; k++)
		if (opts[k].type->release != NULL)
			opts[k].type->release((char *)c + opts[k].off);
}

/* fg_conf_doc_get - the i-th option; 0 past the end */
int
fg_conf_doc_get(size_t i, struct fg_conf_doc *out)
{
	if (i >= NOPTS)
		return 0;
	out->name = opts[i].name;
	out->def = opts[i].def;
	out->doc = opts[i].doc;
	return 1;
}
