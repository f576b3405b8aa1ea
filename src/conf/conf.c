/*
 * NAME
 *	conf - load, validate and share forgeguard.conf
 * SYNOPSIS
 *	#include "forgeguard/conf.h"
 * DESCRIPTION
 *	One declarative option table: name, type, default, documentation.
 *	Defaults are applied by feeding their text through the same setters
 *	as the file, so a default can never be invalid.  Pattern keys
 *	(action.CHECK[.RESULT], reply.CHECK[.RESULT], dry_run.CHECK) are
 *	checked against the check catalogue.  After parsing, the policy is
 *	resolved into flat (check, result) tables: a specific key beats a
 *	check-wide key, which beats the built-in rule.
 * DIAGNOSTICS
 *	Every problem is reported as "FILE:LINE: reason" (up to a bound),
 *	and any problem fails the load: a half-read configuration is never
 *	used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "forgeguard/addr.h"
#include "forgeguard/bounds.h"
#include "forgeguard/conf.h"
#include "forgeguard/conffile.h"
#include "forgeguard/domain.h"
#include "forgeguard/log.h"
#include "forgeguard/replyspec.h"
#include "forgeguard/str.h"

#define CONF_FILE_MAX (4u << 20)
#define CONF_ERRORS_MAX 20
/* Longest duration a T_SECONDS option takes: 7 days. */
#define FG_CONF_SECONDS_MAX (7u * 86400u)

enum opt_type {
	T_STRING,
	T_BOOL,
	T_UINT,
	T_SIZE,
	T_OCTAL,
	T_SOCKET,
	T_LOGTARGET,
	T_LOGFORMAT,
	T_MODE,
	T_STAGE,
	T_DOMAINS,
	T_HOSTS,
	T_ADDRS,
	T_NETS,
	T_LOGINMAP,
	T_MILLIS,
	T_SECONDS,
	T_CHECKS,
	T_SPFENGINE,
};

struct opt {
	const char *name;
	enum opt_type type;
	const char *def;
	size_t off;
	const char *doc;
};

#define OFF(f) offsetof(struct fg_conf, f)

static const struct opt opts[] = {
	{ .name = "socket",
	  .type = T_SOCKET,
	  .def = "inet:8895@127.0.0.1",
	  .off = OFF(socket),
	  .doc = "milter socket: unix:/path, inet:port@host or "
		 "inet6:port@host" },
	{ .name = "socket_mode",
	  .type = T_OCTAL,
	  .def = "0660",
	  .off = OFF(socket_mode),
	  .doc = "permissions of a unix: socket (Postfix must connect)" },
	{ .name = "user",
	  .type = T_STRING,
	  .def = "",
	  .off = OFF(user),
	  .doc = "user to run as when started as root" },
	{ .name = "allow_root",
	  .type = T_BOOL,
	  .def = "no",
	  .off = OFF(allow_root),
	  .doc = "serve as root when no user is set (not recommended)" },
	{ .name = "log_target",
	  .type = T_LOGTARGET,
	  .def = "auto",
	  .off = OFF(log_target),
	  .doc = "syslog, stderr, stdout, file:/PATH, or auto (stderr in "
		 "the foreground, syslog otherwise)" },
	{ .name = "log_format",
	  .type = T_LOGFORMAT,
	  .def = "text",
	  .off = OFF(log_format),
	  .doc = "text or json" },
	{ .name = "authserv_id",
	  .type = T_STRING,
	  .def = "",
	  .off = OFF(authserv_id),
	  .doc = "Authentication-Results authserv-id (empty: the host "
		 "name)" },
	{ .name = "local_domains",
	  .type = T_DOMAINS,
	  .def = "",
	  .off = OFF(local_domains),
	  .doc = "domains this server receives mail for (subdomains "
		 "included)" },
	{ .name = "local_hosts",
	  .type = T_HOSTS,
	  .def = "",
	  .off = OFF(local_hosts),
	  .doc = "host names of this server and its siblings" },
	{ .name = "local_addresses",
	  .type = T_ADDRS,
	  .def = "",
	  .off = OFF(local_addresses),
	  .doc = "IP addresses of this server" },
	{ .name = "trusted_networks",
	  .type = T_NETS,
	  .def = "127.0.0.0/8 ::1/128",
	  .off = OFF(trusted_networks),
	  .doc = "clients whose mail is not checked for forgery (IPv4 and "
		 "IPv6 CIDR)" },
	{ .name = "mode",
	  .type = T_MODE,
	  .def = "enforce",
	  .off = OFF(mode),
	  .doc = "enforce, or dry-run: log what would be refused" },
	{ .name = "reject_stage",
	  .type = T_STAGE,
	  .def = "rcpt",
	  .off = OFF(reject_stage),
	  .doc = "deliver connect, HELO and MAIL verdicts at mail or rcpt" },
	{ .name = "max_message_size",
	  .type = T_SIZE,
	  .def = "0",
	  .off = OFF(max_message_size),
	  .doc = "largest SIZE= accepted, bytes (k, m, g suffixes); 0: no "
		 "limit" },
	{ .name = "max_recipients",
	  .type = T_UINT,
	  .def = "1000",
	  .off = OFF(max_recipients),
	  .doc = "recipients per message; 0: no limit" },
	{ .name = "max_hops",
	  .type = T_UINT,
	  .def = "100",
	  .off = OFF(max_hops),
	  .doc = "Received: fields a message may carry before "
		 "received.hops finds a loop (RFC 5321 6.3); 0: no limit" },
	{ .name = "clock_skew",
	  .type = T_SECONDS,
	  .def = "1h",
	  .off = OFF(clock_skew_s),
	  .doc = "how far a Received: date may be ahead of ours or of the "
		 "hop above before received.time_travel (s, m, h or d "
		 "suffix)" },
	{ .name = "disabled_checks",
	  .type = T_CHECKS,
	  .def = "",
	  .off = OFF(disabled),
	  .doc = "check ids that are not run at all (for example spf.helo "
		 "when another filter does SPF)" },
	{ .name = "spf_engine",
	  .type = T_SPFENGINE,
	  .def = "native",
	  .off = OFF(spf_engine),
	  .doc = "native (forgeguard's RFC 7208 evaluator) or libspf2" },
	{ .name = "dns_resolver",
	  .type = T_STRING,
	  .def = "",
	  .off = OFF(dns_resolver),
	  .doc = "DNS servers as ADDR or ADDR@PORT, blank separated (empty: "
		 "/etc/resolv.conf)" },
	{ .name = "dns_timeout",
	  .type = T_MILLIS,
	  .def = "10s",
	  .off = OFF(dns_timeout_ms),
	  .doc = "deadline for the DNS lookups of one check (ms or s "
		 "suffix); keep it under Postfix's milter_command_timeout" },
	{ .name = "dns_trust_anchor",
	  .type = T_STRING,
	  .def = "",
	  .off = OFF(dns_trust_anchor),
	  .doc = "DNSSEC trust anchor file (DS or DNSKEY records in zone "
		 "file form, e.g. /usr/share/dns/root.key); answers that "
		 "fail validation are temporary errors; a file libunbound "
		 "cannot read stops -n and the start (empty: no "
		 "validation)" },
	{ .name = "sender_login_map",
	  .type = T_LOGINMAP,
	  .def = "",
	  .off = OFF(sender_login_map),
	  .doc = "file: each line a login, then the addresses and "
		 "@domains it may send as" },
};

#define NOPTS (sizeof(opts) / sizeof(opts[0]))

/* Everything one load needs to report errors. */
struct loader {
	struct fg_conf *conf;
	const char *file;
	unsigned line;
	struct fg_buf *err;
	unsigned nerr;
	unsigned char seen[NOPTS];
	unsigned char seen_action[FG_CHK_COUNT][FG_R_COUNT + 1];
	unsigned char seen_reply[FG_CHK_COUNT][FG_R_COUNT + 1];
	unsigned char seen_dry[FG_CHK_COUNT];
	/* FG_R_COUNT in the second index: the check-wide key */
	signed char set_action[FG_CHK_COUNT][FG_R_COUNT + 1];
	const char *set_reply[FG_CHK_COUNT][FG_R_COUNT + 1];
};

/* bad - report one error at the current line */
static enum fg_err bad(struct loader *ld, const char *fmt, ...) FG_PRINTF(2, 3);

static enum fg_err
bad(struct loader *ld, const char *fmt, ...)
{
	va_list ap;

	if (++ld->nerr > CONF_ERRORS_MAX)
		return FG_ESYNTAX;
	if (ld->err->len > 0)
		(void)fg_buf_putc(ld->err, '\n');
	if (ld->line > 0)
		(void)fg_buf_printf(ld->err, "%s:%u: ", ld->file, ld->line);
	else
		(void)fg_buf_printf(ld->err, "%s: ", ld->file);
	va_start(ap, fmt);
	(void)fg_buf_vprintf(ld->err, fmt, ap);
	va_end(ap);
	return FG_ESYNTAX;
}

/* dupz - a NUL-terminated heap copy of a view */
static char *
dupz(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* free_strings - free an array of n heap strings */
static void
free_strings(char **v, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		free(v[k]);
	free(v);
}

/* cmp_str - qsort/bsearch comparator over char * */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* parse_bool - yes/no/true/false/1/0 */
static int
parse_bool(const char *p, size_t n, int *out)
{
	if (fg_str_caseeqz(p, n, "yes") || fg_str_caseeqz(p, n, "true") ||
	    fg_str_caseeqz(p, n, "1")) {
		*out = 1;
		return 1;
	}
	if (fg_str_caseeqz(p, n, "no") || fg_str_caseeqz(p, n, "false") ||
	    fg_str_caseeqz(p, n, "0")) {
		*out = 0;
		return 1;
	}
	return 0;
}

/* set_string - replace a heap string field */
static enum fg_err
set_string(struct loader *ld, char **field, const char *p, size_t n)
{
	char *s = dupz(p, n);

	if (s == NULL)
		return bad(ld, "out of memory");
	free(*field);
	*field = s;
	return FG_OK;
}

/* set_size - digits with an optional k, m or g suffix (powers of 1024) */
static enum fg_err
set_size(struct loader *ld, const struct opt *o, const char *p, size_t n)
{
	uint64_t v, mult = 1;
	uint64_t *field = (uint64_t *)((char *)ld->conf + o->off);

	if (n > 0) {
		switch (FG_TO_LOWER((unsigned char)p[n - 1])) {
		case 'k':
			mult = 1024;
			n--;
			break;
		case 'm':
			mult = 1024 * 1024;
			n--;
			break;
		case 'g':
			mult = 1024 * 1024 * 1024;
			n--;
			break;
		}
	}
	if (fg_str_parse_u64(p, n, UINT64_MAX / mult, &v) != FG_OK)
		return bad(ld,
			   "%s: expected a number of bytes, with an "
			   "optional k, m or g suffix",
			   o->name);
	*field = v * mult;
	return FG_OK;
}

/* set_socket - unix:/path, local:/path, inet:port@host, inet6:port@host */
static enum fg_err
set_socket(struct loader *ld, const struct opt *o, const char *p, size_t n)
{
	char **field = (char **)((char *)ld->conf + o->off);
	size_t skip, portlen;
	const char *at;
	uint64_t port;

	if ((n > 6 && strncmp(p, "unix:/", 6) == 0) ||
	    (n > 7 && strncmp(p, "local:/", 7) == 0))
		return set_string(ld, field, p, n);
	if (n > 5 && strncmp(p, "inet:", 5) == 0)
		skip = 5;
	else if (n > 6 && strncmp(p, "inet6:", 6) == 0)
		skip = 6;
	else
		return bad(ld, "socket: expected unix:/PATH, inet:PORT@HOST "
			       "or inet6:PORT@HOST");
	at = memchr(p + skip, '@', n - skip);
	portlen = at ? (size_t)(at - p) - skip : n - skip;
	if (fg_str_parse_u64(p + skip, portlen, 65535, &port) != FG_OK ||
	    port == 0)
		return bad(ld, "socket: bad port number");
	if (at != NULL && (size_t)(at - p) + 1 == n)
		return bad(ld, "socket: empty host after @");
	return set_string(ld, field, p, n);
}

/* add_name - add one list item to a name set, canonical */
static enum fg_err
add_name(struct loader *ld, const struct opt *o, struct fg_nameset *set,
	 const struct fg_view *it)
{
	char canon[FG_DOMAIN_MAX + 2], **nv;
	size_t pos, skip = it->p[0] == '.' ? 1 : 0;

	if (fg_domain_check(it->p + skip, it->n - skip,
			    FG_DOMAIN_TRAILING_DOT | FG_DOMAIN_UTF8, NULL,
			    &pos) != FG_OK)
		return bad(ld, "%s: \"%.*s\" is not a domain name", o->name,
			   (int)(it->n > 80 ? 80 : it->n), it->p);
	if (fg_domain_canon(it->p + skip, it->n - skip, canon, sizeof(canon)) !=
	    FG_OK)
		return bad(ld, "%s: name too long", o->name);
	if (set->n >= FG_CONF_LIST_MAX)
		return bad(ld, "%s: more than %d entries", o->name,
			   FG_CONF_LIST_MAX);
	nv = realloc(set->v, (set->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return bad(ld, "out of memory");
	set->v = nv;
	set->v[set->n] = dupz(canon, strlen(canon));
	if (set->v[set->n] == NULL)
		return bad(ld, "out of memory");
	set->n++;
	return FG_OK;
}

/* set_names - a whitespace/comma list of domain names */
static enum fg_err
set_names(struct loader *ld, const struct opt *o, const char *p, size_t n)
{
	struct fg_nameset *set =
		(struct fg_nameset *)((char *)ld->conf + o->off);
	struct fg_view list = { p, n }, it;
	enum fg_err err = FG_OK;
	size_t k, w;

	free_strings(set->v, set->n);
	set->v = NULL;
	set->n = 0;
	while (fg_conffile_item(&list, &it))
		if (add_name(ld, o, set, &it) != FG_OK)
			err = FG_ESYNTAX;
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

/* set_nets - a list of CIDR networks (or, for T_ADDRS, host addresses) */
static enum fg_err
set_nets(struct loader *ld, const struct opt *o, const char *p, size_t n)
{
	struct fg_netset *set = (struct fg_netset *)((char *)ld->conf + o->off);
	struct fg_view list = { p, n }, it;
	enum fg_err err = FG_OK;

	free(set->v);
	set->v = NULL;
	set->n = 0;
	while (fg_conffile_item(&list, &it)) {
		struct fg_cidr c, *nv;

		if (o->type == T_ADDRS ? fg_ipaddr_parse(it.p, it.n, &c.ip)
				       : fg_cidr_parse(it.p, it.n, &c)) {
			err = bad(ld, "%s: \"%.*s\" is not %s", o->name,
				  (int)(it.n > 80 ? 80 : it.n), it.p,
				  o->type == T_ADDRS
					  ? "an IP address"
					  : "a network (ADDRESS/LENGTH, host "
					    "bits zero)");
			continue;
		}
		if (o->type == T_ADDRS) {
			fg_ipaddr_normalize(&c.ip);
			c.prefix = c.ip.family == FG_IP_V4 ? 32 : 128;
		}
		if (set->n >= FG_CONF_LIST_MAX)
			return bad(ld, "%s: more than %d entries", o->name,
				   FG_CONF_LIST_MAX);
		nv = realloc(set->v, (set->n + 1) * sizeof(*nv));
		if (nv == NULL)
			return bad(ld, "out of memory");
		set->v = nv;
		set->v[set->n++] = c;
	}
	return err;
}

/* set_word - one of a list of words, stored as its index */
static enum fg_err
set_word(struct loader *ld, const struct opt *o, const char *p, size_t n,
	 const char *const *words)
{
	int k;

	for (k = 0; words[k] != NULL; k++) {
		if (fg_str_caseeqz(p, n, words[k])) {
			*(int *)((char *)ld->conf + o->off) = k;
			return FG_OK;
		}
	}
	return bad(ld, "%s: \"%.*s\" is not one of the allowed values", o->name,
		   (int)(n > 80 ? 80 : n), p);
}

static const char *const w_logformat[] = { "text", "json", NULL };
static const char *const w_mode[] = { "enforce", "dry-run", NULL };
static const char *const w_stage[] = { "mail", "rcpt", NULL };
static const char *const w_spfengine[] = { "native", "libspf2", NULL };

/* set_opt - apply one value to one table option */
static enum fg_err
set_opt(struct loader *ld, const struct opt *o, const char *p, size_t n)
{
	void *field = (char *)ld->conf + o->off;
	uint64_t v;
	int b;

	switch (o->type) {
	case T_STRING:
	case T_LOGINMAP:
		if (memchr(p, '\0', n) != NULL)
			return bad(ld, "%s: NUL byte", o->name);
		return set_string(ld, (char **)field, p, n);
	case T_BOOL:
		if (!parse_bool(p, n, &b))
			return bad(ld, "%s: expected yes or no", o->name);
		*(int *)field = b;
		return FG_OK;
	case T_UINT:
		if (fg_str_parse_u64(p, n, UINT32_MAX, &v) != FG_OK)
			return bad(ld, "%s: expected a whole number", o->name);
		*(uint64_t *)field = v;
		return FG_OK;
	case T_OCTAL: {
		size_t i;

		for (v = 0, i = 0; i < n && p[i] >= '0' && p[i] <= '7'; i++)
			v = v * 8 + (uint64_t)(p[i] - '0');
		if (n == 0 || i != n || v > 0777)
			return bad(ld, "%s: expected an octal mode like 0660",
				   o->name);
		*(unsigned *)field = (unsigned)v;
		return FG_OK;
	}
	case T_SIZE:
		return set_size(ld, o, p, n);
	case T_CHECKS: {
		unsigned char *dis = (unsigned char *)field;
		struct fg_view list = { p, n }, it;
		enum fg_err e = FG_OK;

		memset(dis, 0, FG_CHK_COUNT);
		while (fg_conffile_item(&list, &it)) {
			int id = fg_catalog_find(it.p, it.n);

			if (id < 0 || id == FG_CHK_INTERNAL)
				e = bad(ld,
					"%s: \"%.*s\" is not a check that "
					"can be disabled",
					o->name, (int)(it.n > 80 ? 80 : it.n),
					it.p);
			else
				dis[id] = 1;
		}
		return e;
	}
	case T_MILLIS: {
		uint64_t mult = 1;

		if (n > 2 && fg_str_caseeq(p + n - 2, 2, "ms", 2)) {
			n -= 2;
		} else if (n > 1 &&
			   FG_TO_LOWER((unsigned char)p[n - 1]) == 's') {
			n--;
			mult = 1000;
		}
		if (fg_str_parse_u64(p, n, FG_DNS_TIMEOUT_MAX / mult, &v) !=
			    FG_OK ||
		    v == 0)
			return bad(ld,
				   "%s: expected a duration like 10s or "
				   "500ms, at most %ds",
				   o->name, FG_DNS_TIMEOUT_MAX / 1000);
		*(unsigned *)field = (unsigned)(v * mult);
		return FG_OK;
	}
	case T_SECONDS: {
		static const struct {
			char c;
			unsigned mult;
		} units[] = {
			{ 's', 1 }, { 'm', 60 }, { 'h', 3600 }, { 'd', 86400 }
		};
		uint64_t mult = 1;
		size_t k;

		for (k = 0; n > 1 && k < sizeof(units) / sizeof(units[0]); k++)
			if (FG_TO_LOWER((unsigned char)p[n - 1]) ==
			    units[k].c) {
				mult = units[k].mult;
				n--;
				break;
			}
		if (fg_str_parse_u64(p, n, FG_CONF_SECONDS_MAX / mult, &v) !=
		    FG_OK)
			return bad(ld,
				   "%s: expected a duration like 90s, 15m or "
				   "1h, at most 7d",
				   o->name);
		*(unsigned *)field = (unsigned)(v * mult);
		return FG_OK;
	}
	case T_SOCKET:
		return set_socket(ld, o, p, n);
	case T_LOGTARGET: {
		char tmp[512];

		if (fg_str_copy(tmp, sizeof(tmp), p, n) != FG_OK ||
		    (strcmp(tmp, "auto") != 0 && !fg_log_target_valid(tmp)))
			return bad(ld, "log_target: expected syslog, stderr, "
				       "stdout, file:/PATH or auto");
		return set_string(ld, (char **)field, p, n);
	}
	case T_LOGFORMAT:
		return set_word(ld, o, p, n, w_logformat);
	case T_MODE:
		return set_word(ld, o, p, n, w_mode);
	case T_STAGE:
		return set_word(ld, o, p, n, w_stage);
	case T_SPFENGINE:
		return set_word(ld, o, p, n, w_spfengine);
	case T_DOMAINS:
	case T_HOSTS:
		return set_names(ld, o, p, n);
	case T_ADDRS:
	case T_NETS:
		return set_nets(ld, o, p, n);
	}
	return bad(ld, "%s: internal error: unknown type", o->name);
}

/* pattern_target - split "CHECK[.RESULT]"; result FG_R_COUNT if absent */
static int
pattern_target(struct loader *ld, const char *kind, const char *p, size_t n,
	       int *check, int *result)
{
	const char *dot;
	const struct fg_catalog_check *def;

	*result = FG_R_COUNT;
	*check = fg_catalog_find(p, n);
	if (*check < 0) {
		dot = NULL;
		for (size_t k = n; k > 0; k--) {
			if (p[k - 1] == '.') {
				dot = p + k - 1;
				break;
			}
		}
		if (dot != NULL) {
			*check = fg_catalog_find(p, (size_t)(dot - p));
			*result = fg_catalog_result_find(
				dot + 1, n - (size_t)(dot - p) - 1);
		}
		if (*check < 0) {
			(void)bad(ld, "%s.%.*s: unknown check", kind,
				  (int)(n > 80 ? 80 : n), p);
			return 0;
		}
		def = fg_catalog_get((enum fg_check_id) * check);
		if (*result < 0 || !(def->results & FG_RBIT(*result))) {
			(void)bad(ld, "%s.%.*s: check %s has no such result",
				  kind, (int)(n > 80 ? 80 : n), p, def->name);
			return 0;
		}
	}
	return 1;
}

/* set_pattern - action.*, reply.*, dry_run.* keys; 0 if not a pattern */
static int
set_pattern(struct loader *ld, const struct fg_confline *cl)
{
	const char *k = cl->key.p, *v = cl->value.p;
	size_t kn = cl->key.n, vn = cl->value.n;
	int check, result, a, b;

	if (kn > 7 && strncmp(k, "action.", 7) == 0) {
		if (!pattern_target(ld, "action", k + 7, kn - 7, &check,
				    &result))
			return 1;
		if (ld->seen_action[check][result]++)
			return bad(ld, "duplicate key %.*s", (int)kn, k), 1;
		a = fg_catalog_action_find(v, vn);
		if (a < 0)
			return bad(ld,
				   "%.*s: \"%.*s\" is not an action "
				   "(accept, log, tag, quarantine, "
				   "tempfail, reject, discard)",
				   (int)kn, k, (int)(vn > 80 ? 80 : vn), v),
			       1;
		ld->set_action[check][result] = (signed char)a;
		return 1;
	}
	if (kn > 6 && strncmp(k, "reply.", 6) == 0) {
		char *spec;
		const char *why;

		if (!pattern_target(ld, "reply", k + 6, kn - 6, &check,
				    &result))
			return 1;
		if (ld->seen_reply[check][result]++)
			return bad(ld, "duplicate key %.*s", (int)kn, k), 1;
		spec = dupz(v, vn);
		if (spec == NULL)
			return bad(ld, "out of memory"), 1;
		if (fg_replyspec_check(spec, &why) != FG_OK) {
			free(spec);
			return bad(ld, "%.*s: %s", (int)kn, k, why), 1;
		}
		{
			char **no = realloc(ld->conf->owned, (ld->conf->nowned +
							      1) * sizeof(*no));

			if (no == NULL) {
				free(spec);
				return bad(ld, "out of memory"), 1;
			}
			ld->conf->owned = no;
			no[ld->conf->nowned++] = spec;
		}
		ld->set_reply[check][result] = spec;
		return 1;
	}
	if (kn > 8 && strncmp(k, "dry_run.", 8) == 0) {
		check = fg_catalog_find(k + 8, kn - 8);
		if (check < 0)
			return bad(ld, "%.*s: unknown check", (int)kn, k), 1;
		if (ld->seen_dry[check]++)
			return bad(ld, "duplicate key %.*s", (int)kn, k), 1;
		if (!parse_bool(v, vn, &b))
			return bad(ld, "%.*s: expected yes or no", (int)kn, k),
			       1;
		ld->conf->dry_run[check] = (unsigned char)b;
		return 1;
	}
	return 0;
}

/* read_file - the whole file into a heap buffer, size-capped */
static enum fg_err
read_file(const char *path, char **out, size_t *len, struct fg_buf *err)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		(void)fg_buf_printf(err, "%s: cannot open: %s", path,
				    strerror(errno));
		return errno == ENOENT ? FG_ENOTFOUND : FG_EIO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > CONF_FILE_MAX) {
		(void)fg_buf_printf(err,
				    "%s: not a regular file of at most "
				    "%u bytes",
				    path, CONF_FILE_MAX);
		close(fd);
		return FG_EIO;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return FG_ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return FG_OK;
}

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

/* login_line - one "login item..." line of the map */
static enum fg_err
login_line(struct loader *ld, struct fg_login_map *map, struct fg_view line)
{
	struct fg_view login, it;
	struct fg_login_entry *e, *nv;
	char canon[FG_ADDR_MAX + 2];

	if (!fg_conffile_item(&line, &login))
		return FG_OK;
	if (login.n > FG_LOGIN_MAX)
		return bad(ld, "login name too long");
	if (map->n >= FG_LOGIN_MAP_MAX)
		return bad(ld, "more than %d logins", FG_LOGIN_MAP_MAX);
	nv = realloc(map->v, (map->n + 1) * sizeof(*nv));
	if (nv == NULL)
		return bad(ld, "out of memory");
	map->v = nv;
	e = &map->v[map->n];
	memset(e, 0, sizeof(*e));
	e->login = dupz(login.p, login.n);
	if (e->login == NULL)
		return bad(ld, "out of memory");
	fg_str_lower(e->login, login.n);
	map->n++;
	while (fg_conffile_item(&line, &it)) {
		char **ni;

		if (!login_item(&it, canon, sizeof(canon)))
			return bad(ld, "\"%.*s\" is not an address or @domain",
				   (int)(it.n > 80 ? 80 : it.n), it.p);
		if (e->n >= FG_LOGIN_MAP_ITEMS_MAX)
			return bad(ld, "more than %d addresses for one login",
				   FG_LOGIN_MAP_ITEMS_MAX);
		ni = realloc(e->items, (e->n + 1) * sizeof(*ni));
		if (ni == NULL)
			return bad(ld, "out of memory");
		e->items = ni;
		e->items[e->n] = dupz(canon, strlen(canon));
		if (e->items[e->n] == NULL)
			return bad(ld, "out of memory");
		e->n++;
	}
	if (e->n == 0)
		return bad(ld, "login %.*s has no addresses", (int)login.n,
			   login.p);
	return FG_OK;
}

/* cmp_login - order login map entries by login */
static int
cmp_login(const void *a, const void *b)
{
	return strcmp(((const struct fg_login_entry *)a)->login,
		      ((const struct fg_login_entry *)b)->login);
}

/* is_comment_view - blank or "#" comment line */
static int
is_comment_view(const struct fg_view *v)
{
	size_t i = 0;

	while (i < v->n && FG_IS_SPACE((unsigned char)v->p[i]))
		i++;
	return i == v->n || v->p[i] == '#';
}

/* load_login_map - read sender_login_map into conf->login_map */
static void
load_login_map(struct loader *ld)
{
	struct fg_login_map *map = &ld->conf->login_map;
	const char *file = ld->file;
	char *text;
	size_t len, pos = 0, k;
	unsigned line = 0;

	if (ld->conf->sender_login_map[0] == '\0')
		return;
	ld->line = 0;
	if (read_file(ld->conf->sender_login_map, &text, &len, ld->err) !=
	    FG_OK) {
		ld->nerr++;
		return;
	}
	ld->file = ld->conf->sender_login_map;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len;
		struct fg_view v = { text + pos, end - pos };

		ld->line = ++line;
		if (memchr(v.p, '\0', v.n) != NULL)
			(void)bad(ld, "NUL byte");
		else if (!is_comment_view(&v))
			(void)login_line(ld, map, v);
		pos = end + 1;
	}
	free(text);
	qsort(map->v, map->n, sizeof(*map->v), cmp_login);
	for (k = 1; k < map->n; k++) {
		if (strcmp(map->v[k].login, map->v[k - 1].login) == 0) {
			ld->line = 0;
			(void)bad(ld, "login %s is listed twice",
				  map->v[k].login);
		}
	}
	ld->file = file;
}

/* builtin_rule - the catalogue rule for (check, result), or NULL */
static const struct fg_catalog_rule *
builtin_rule(const struct fg_catalog_check *def, int r)
{
	size_t k;

	for (k = 0; k < sizeof(def->rules) / sizeof(def->rules[0]); k++) {
		if (def->rules[k].reply == NULL)
			break;
		if ((int)def->rules[k].result == r)
			return &def->rules[k];
	}
	return NULL;
}

/* first_wild_rule - the first catalogue rule for a check-wide result */
static const struct fg_catalog_rule *
first_wild_rule(const struct fg_catalog_check *def)
{
	return def->rules[0].reply != NULL ? &def->rules[0] : NULL;
}

/* resolve_policy - flatten built-in and configured rules per result */
static void
resolve_policy(struct loader *ld)
{
	struct fg_conf *c = ld->conf;
	int id, r;

	for (id = 0; id < FG_CHK_COUNT; id++) {
		const struct fg_catalog_check *def = fg_catalog_get(id);
		const struct fg_catalog_rule *wild = first_wild_rule(def);

		for (r = 0; r < FG_R_COUNT; r++) {
			const struct fg_catalog_rule *rule =
				builtin_rule(def, r);
			int in_wild = (def->wild & FG_RBIT(r)) != 0;
			int a = FG_ACT_ACCEPT;
			const char *reply = NULL;

			if (rule != NULL) {
				a = rule->action;
				reply = rule->reply;
			} else if (in_wild && wild != NULL) {
				a = wild->action;
			}
			if (reply == NULL && wild != NULL)
				reply = wild->reply;
			if (in_wild && ld->set_action[id][FG_R_COUNT] >= 0)
				a = ld->set_action[id][FG_R_COUNT];
			if (ld->set_action[id][r] >= 0)
				a = ld->set_action[id][r];
			if (in_wild && ld->set_reply[id][FG_R_COUNT] != NULL)
				reply = ld->set_reply[id][FG_R_COUNT];
			if (ld->set_reply[id][r] != NULL)
				reply = ld->set_reply[id][r];
			if (reply == NULL)
				reply = "550 5.7.1 Rejected by policy "
					"({check})";
			c->action[id][r] = (unsigned char)a;
			c->reply[id][r] = reply;
		}
	}
}

/* conf_free - release everything a snapshot owns */
static void
conf_free(struct fg_conf *c)
{
	size_t k;

	if (c == NULL)
		return;
	free(c->path);
	free(c->socket);
	free(c->user);
	free(c->log_target);
	free(c->authserv_id);
	free(c->sender_login_map);
	free(c->dns_resolver);
	free(c->dns_trust_anchor);
	free_strings(c->local_domains.v, c->local_domains.n);
	free_strings(c->local_hosts.v, c->local_hosts.n);
	free(c->local_addresses.v);
	free(c->trusted_networks.v);
	for (k = 0; k < c->login_map.n; k++) {
		free(c->login_map.v[k].login);
		free_strings(c->login_map.v[k].items, c->login_map.v[k].n);
	}
	free(c->login_map.v);
	free_strings(c->owned, c->nowned);
	free(c);
}

/* find_opt - a table option by name */
static const struct opt *
find_opt(const char *p, size_t n)
{
	size_t k;

	for (k = 0; k < NOPTS; k++)
		if (fg_str_caseeqz(p, n, opts[k].name))
			return &opts[k];
	return NULL;
}

/* apply_line - one "key = value" line of the file */
static void
apply_line(struct loader *ld, const struct fg_confline *cl)
{
	const struct opt *o = find_opt(cl->key.p, cl->key.n);

	if (o == NULL) {
		if (!set_pattern(ld, cl))
			(void)bad(ld, "unknown key \"%.*s\"",
				  (int)(cl->key.n > 80 ? 80 : cl->key.n),
				  cl->key.p);
		return;
	}
	if (ld->seen[o - opts]++) {
		(void)bad(ld, "duplicate key %s", o->name);
		return;
	}
	(void)set_opt(ld, o, cl->value.p, cl->value.n);
}

/* parse_text - every line of a file */
static void
parse_text(struct loader *ld, const char *text, size_t n)
{
	struct fg_conffile cf;
	struct fg_confline cl;
	const char *why;
	char *scratch = malloc(FG_CONF_LINE_MAX);
	enum fg_err err;

	if (scratch == NULL) {
		(void)bad(ld, "out of memory");
		return;
	}
	fg_conffile_init(&cf, text, n, scratch, FG_CONF_LINE_MAX);
	while ((err = fg_conffile_next(&cf, &cl, &why)) != FG_ENOTFOUND) {
		ld->line = cl.line;
		if (err)
			(void)bad(ld, "%s", why);
		else
			apply_line(ld, &cl);
	}
	free(scratch);
}

/* finish - defaults that depend on the machine, then the policy tables */
static void
finish(struct loader *ld)
{
	struct fg_conf *c = ld->conf;

	ld->line = 0;
	if (c->authserv_id[0] == '\0') {
		char host[FG_DOMAIN_MAX + 1];

		if (gethostname(host, sizeof(host)) != 0)
			memcpy(host, "localhost", 10);
		host[sizeof(host) - 1] = '\0';
		(void)set_string(ld, &c->authserv_id, host, strlen(host));
	}
	load_login_map(ld);
	resolve_policy(ld);
}

/* fg_conf_load_text - a new snapshot from text in memory */
enum fg_err
fg_conf_load_text(const char *name, const char *text, size_t n,
		  struct fg_conf **out, struct fg_buf *err)
{
	struct loader *ld;
	struct fg_conf *c;
	size_t k;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	ld = calloc(1, sizeof(*ld));
	if (c == NULL || ld == NULL) {
		free(c);
		free(ld);
		return FG_ENOMEM;
	}
	atomic_init(&c->refs, 1);
	ld->conf = c;
	ld->err = err;
	ld->file = "built-in default";
	memset(ld->set_action, -1, sizeof(ld->set_action));
	for (k = 0; k < NOPTS; k++)
		(void)set_opt(ld, &opts[k], opts[k].def, strlen(opts[k].def));
	ld->file = name;
	if (text != NULL) {
		c->path = dupz(name, strlen(name));
		if (c->path == NULL)
			(void)bad(ld, "out of memory");
		parse_text(ld, text, n);
	}
	finish(ld);
	if (ld->nerr > 0) {
		if (ld->nerr > CONF_ERRORS_MAX)
			(void)fg_buf_printf(err, "\n%s: %u more errors", name,
					    ld->nerr - CONF_ERRORS_MAX);
		free(ld);
		conf_free(c);
		return FG_ESYNTAX;
	}
	free(ld);
	*out = c;
	return FG_OK;
}

/* fg_conf_load - a new snapshot from path, or built-in defaults */
enum fg_err
fg_conf_load(const char *path, struct fg_conf **out, struct fg_buf *err)
{
	char *text;
	size_t len;
	enum fg_err e;

	if (path == NULL)
		return fg_conf_load_text("built-in default", NULL, 0, out, err);
	e = read_file(path, &text, &len, err);
	if (e)
		return e;
	e = fg_conf_load_text(path, text, len, out, err);
	free(text);
	return e;
}

/* fg_conf_ref - take one more reference */
struct fg_conf *
fg_conf_ref(struct fg_conf *conf)
{
	atomic_fetch_add(&conf->refs, 1);
	return conf;
}

/* fg_conf_unref - drop a reference; the last frees */
void
fg_conf_unref(struct fg_conf *conf)
{
	if (conf != NULL && atomic_fetch_sub(&conf->refs, 1) == 1)
		conf_free(conf);
}

/* in_set - exact membership of a canonical name */
static int
in_set(const struct fg_nameset *set, const char *name)
{
	return set->n > 0 &&
	       bsearch(&name, set->v, set->n, sizeof(*set->v), cmp_str) != NULL;
}

/* fg_conf_name_in - is canonical name in set (exactly, or below) */
int
fg_conf_name_in(const struct fg_nameset *set, const char *name, size_t n,
		int sub)
{
	char tmp[FG_DOMAIN_MAX + 1];
	size_t k;

	if (set->n == 0 || fg_domain_canon(name, n, tmp, sizeof(tmp)) != FG_OK)
		return 0;
	if (in_set(set, tmp))
		return 1;
	if (!sub)
		return 0;
	for (k = 0; tmp[k] != '\0'; k++)
		if (tmp[k] == '.' && in_set(set, tmp + k + 1))
			return 1;
	return 0;
}

/* fg_conf_net_in - is ip inside one of the networks */
int
fg_conf_net_in(const struct fg_netset *set, const struct fg_ip *ip)
{
	size_t k;

	for (k = 0; k < set->n; k++)
		if (fg_cidr_match(&set->v[k], ip))
			return 1;
	return 0;
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
