/*
 * NAME
 *	catalog - the check catalogue and its built-in defaults
 * SYNOPSIS
 *	#include "forgeguard/catalog.h"
 * DESCRIPTION
 *	One table: every check id forgeguard knows, the stage it runs at,
 *	the results it can produce, and the default action and reply for
 *	each.  Defaults never reject mail from a standards-following sender:
 *	heuristics (fcrdns, not_fqdn, literal_mismatch) only log.
 * STANDARDS
 *	Reply codes: RFC 5321 4.2, RFC 3463 (enhanced codes), RFC 7372
 *	(5.7.25 reverse DNS).
 * DIAGNOSTICS
 *	None: lookups of unknown names return -1.
 */
#include "forgeguard/catalog.h"
#include "forgeguard/str.h"

#define R(x) FG_RBIT(FG_R_##x)

static const struct fg_catalog_check checks[FG_CHK_COUNT] = {
	[FG_CHK_CLIENT_TRUSTED] = {
		.name = "client.trusted",
		.stage = FG_STAGE_CONNECT,
		.results = R(PASS),
		.doc = "client in trusted_networks or authenticated: "
		       "forgery checks are skipped",
	},
	[FG_CHK_CLIENT_FCRDNS] = {
		.name = "client.fcrdns",
		.stage = FG_STAGE_CONNECT,
		.results = R(PASS) | R(FAIL) | R(NONE),
		.wild = R(FAIL) | R(NONE),
		.rules = {
			{ FG_R_FAIL, FG_ACT_LOG, "450 4.7.25 Client host "
			  "{value} has no forward-confirmed reverse DNS "
			  "name (client.fcrdns)" },
			{ FG_R_NONE, FG_ACT_LOG, "450 4.7.25 Client host "
			  "{value} has no reverse DNS name (client.fcrdns)" },
		},
		.doc = "no PTR, or a PTR without matching A/AAAA records",
	},
	[FG_CHK_HELO_SYNTAX] = {
		.name = "helo.syntax",
		.stage = FG_STAGE_HELO,
		.results = R(PASS) | R(INVALID),
		.wild = R(INVALID),
		.rules = {
			{ FG_R_INVALID, FG_ACT_REJECT, "550 5.5.2 HELO name "
			  "{value} is not a valid host name or address "
			  "literal (helo.syntax)" },
		},
		.doc = "HELO is not a host name or an address literal",
	},
	[FG_CHK_HELO_BARE_IP] = {
		.name = "helo.bare_ip",
		.stage = FG_STAGE_HELO,
		.results = R(PASS) | R(INVALID),
		.wild = R(INVALID),
		.rules = {
			{ FG_R_INVALID, FG_ACT_REJECT, "550 5.5.2 HELO name "
			  "{value} is an IP address without brackets "
			  "(helo.bare_ip)" },
		},
		.doc = "HELO is an IP address without brackets",
	},
	[FG_CHK_HELO_NOT_FQDN] = {
		.name = "helo.not_fqdn",
		.stage = FG_STAGE_HELO,
		.results = R(PASS) | R(INVALID),
		.wild = R(INVALID),
		.rules = {
			{ FG_R_INVALID, FG_ACT_LOG, "550 5.7.1 HELO name "
			  "{value} is not a fully qualified domain name "
			  "(helo.not_fqdn)" },
		},
		.doc = "HELO is a single-label name",
	},
	[FG_CHK_HELO_LITERAL_MISMATCH] = {
		.name = "helo.literal_mismatch",
		.stage = FG_STAGE_HELO,
		.results = R(PASS) | R(MISMATCH),
		.wild = R(MISMATCH),
		.rules = {
			{ FG_R_MISMATCH, FG_ACT_LOG, "550 5.7.1 HELO address "
			  "literal {value} is not the client address "
			  "(helo.literal_mismatch)" },
		},
		.doc = "HELO address literal is not the client's address",
	},
	[FG_CHK_HELO_IMPERSONATION] = {
		.name = "helo.impersonation",
		.stage = FG_STAGE_HELO,
		.results = R(PASS) | R(FORGED),
		.wild = R(FORGED),
		.rules = {
			{ FG_R_FORGED, FG_ACT_REJECT, "550 5.7.1 HELO name "
			  "{value} impersonates this server "
			  "(helo.impersonation)" },
		},
		.doc = "HELO names one of our hosts, domains or addresses",
	},
	[FG_CHK_SPF_HELO] = {
		.name = "spf.helo",
		.stage = FG_STAGE_HELO,
		.results = R(PASS) | R(FAIL) | R(SOFTFAIL) | R(NEUTRAL) |
			   R(NONE) | R(TEMPERROR) | R(PERMERROR),
		.wild = R(FAIL) | R(SOFTFAIL) | R(TEMPERROR) | R(PERMERROR),
		.rules = {
			{ FG_R_FAIL, FG_ACT_LOG, "550 5.7.23 SPF check "
			  "failed for HELO {value} (spf.helo)" },
			{ FG_R_TEMPERROR, FG_ACT_LOG, "451 4.7.24 SPF "
			  "lookup for HELO {value} failed, try again later "
			  "(spf.helo)" },
			{ FG_R_PERMERROR, FG_ACT_LOG, "550 5.7.24 SPF "
			  "record of HELO {value} is broken (spf.helo)" },
			{ FG_R_SOFTFAIL, FG_ACT_LOG, "550 5.7.23 SPF check "
			  "failed for HELO {value} (spf.helo)" },
		},
		.doc = "SPF of the HELO identity (RFC 7208 2.3)",
	},
	[FG_CHK_SENDER_SYNTAX] = {
		.name = "sender.syntax",
		.stage = FG_STAGE_MAIL,
		.results = R(PASS) | R(INVALID),
		.wild = R(INVALID),
		.rules = {
			{ FG_R_INVALID, FG_ACT_REJECT, "553 5.1.7 Invalid "
			  "sender {value}: {reason} (sender.syntax)" },
		},
		.doc = "reverse-path or its parameters break RFC 5321 4.1.2",
	},
	[FG_CHK_SENDER_SIZE] = {
		.name = "sender.size",
		.stage = FG_STAGE_MAIL,
		.results = R(PASS) | R(FAIL),
		.wild = R(FAIL),
		.rules = {
			{ FG_R_FAIL, FG_ACT_REJECT, "552 5.3.4 Message size "
			  "{value} exceeds the limit (sender.size)" },
		},
		.doc = "SIZE= above max_message_size",
	},
	[FG_CHK_SENDER_LOCAL_FORGERY] = {
		.name = "sender.local_forgery",
		.stage = FG_STAGE_MAIL,
		.results = R(PASS) | R(FORGED),
		.wild = R(FORGED),
		.rules = {
			{ FG_R_FORGED, FG_ACT_REJECT, "553 5.7.1 Sender "
			  "address {value} is in a local domain; "
			  "authenticate first (sender.local_forgery)" },
		},
		.doc = "a local domain as sender from an untrusted, "
		       "unauthenticated client",
	},
	[FG_CHK_SENDER_AUTH_MISMATCH] = {
		.name = "sender.auth_mismatch",
		.stage = FG_STAGE_MAIL,
		.results = R(PASS) | R(MISMATCH),
		.wild = R(MISMATCH),
		.rules = {
			{ FG_R_MISMATCH, FG_ACT_REJECT, "553 5.7.1 Sender "
			  "address {value} is not owned by the "
			  "authenticated user (sender.auth_mismatch)" },
		},
		.doc = "authenticated user sends as an address it does not "
		       "own (sender_login_map)",
	},
	[FG_CHK_SPF_MAILFROM] = {
		.name = "spf.mailfrom",
		.stage = FG_STAGE_MAIL,
		.results = R(PASS) | R(FAIL) | R(SOFTFAIL) | R(NEUTRAL) |
			   R(NONE) | R(TEMPERROR) | R(PERMERROR),
		.wild = R(FAIL) | R(SOFTFAIL) | R(TEMPERROR) | R(PERMERROR),
		.rules = {
			{ FG_R_FAIL, FG_ACT_REJECT, "550 5.7.23 SPF check "
			  "failed for {value} (spf.mailfrom)" },
			{ FG_R_TEMPERROR, FG_ACT_TEMPFAIL, "451 4.7.24 SPF "
			  "lookup for {value} failed, try again later "
			  "(spf.mailfrom)" },
			{ FG_R_PERMERROR, FG_ACT_TAG, "550 5.7.24 SPF "
			  "record for {value} is broken (spf.mailfrom)" },
			{ FG_R_SOFTFAIL, FG_ACT_TAG, "550 5.7.23 SPF check "
			  "failed for {value} (spf.mailfrom)" },
		},
		.doc = "SPF of the MAIL FROM identity, or of HELO for the "
		       "null sender (RFC 7208 2.4)",
	},
	[FG_CHK_RCPT_SYNTAX] = {
		.name = "rcpt.syntax",
		.stage = FG_STAGE_RCPT,
		.results = R(PASS) | R(INVALID),
		.wild = R(INVALID),
		.rules = {
			{ FG_R_INVALID, FG_ACT_REJECT, "553 5.1.3 Invalid "
			  "recipient {value}: {reason} (rcpt.syntax)" },
		},
		.doc = "forward-path or its parameters break RFC 5321 4.1.2",
	},
	[FG_CHK_RCPT_LIMIT] = {
		.name = "rcpt.limit",
		.stage = FG_STAGE_RCPT,
		.results = R(PASS) | R(FAIL),
		.wild = R(FAIL),
		.rules = {
			{ FG_R_FAIL, FG_ACT_TEMPFAIL, "452 4.5.3 Too many "
			  "recipients, more than {value} (rcpt.limit)" },
		},
		.doc = "more than max_recipients recipients",
	},
	[FG_CHK_HEADER_FROM] = {
		.name = "header.from",
		.stage = FG_STAGE_HEADER,
		.results = R(PASS) | R(NONE) | R(INVALID),
		.wild = R(NONE) | R(INVALID),
		.log_value = 1,
		.rules = {
			{ FG_R_NONE, FG_ACT_REJECT, "550 5.7.1 Message has no "
			  "From: field (header.from)" },
			{ FG_R_INVALID, FG_ACT_REJECT, "550 5.7.1 Message "
			  "From: is not valid: {reason}: {value} "
			  "(header.from)" },
		},
		.doc = "missing, repeated or unparseable From:, or several "
		       "authors without Sender: (RFC 5322 3.6.2)",
	},
	[FG_CHK_HEADER_LOCAL_FORGERY] = {
		.name = "header.local_forgery",
		.stage = FG_STAGE_HEADER,
		.results = R(PASS) | R(FORGED) | R(NEUTRAL),
		.wild = R(FORGED),
		.log_value = 1,
		.rules = {
			{ FG_R_FORGED, FG_ACT_REJECT, "550 5.7.1 From: "
			  "address {value} is in a local domain; "
			  "authenticate first (header.local_forgery)" },
			{ FG_R_NEUTRAL, FG_ACT_LOG, "550 5.7.1 From: "
			  "address {value} is in a local domain; "
			  "authenticate first (header.local_forgery)" },
		},
		.doc = "a From: in local_domains from an untrusted, "
		       "unauthenticated client without an aligned SPF pass",
	},
	[FG_CHK_HEADER_AUTHRES] = {
		.name = "header.authres",
		.stage = FG_STAGE_HEADER,
		.results = R(PASS) | R(FORGED),
		.wild = R(FORGED),
		.log_value = 1,
		.rules = {
			{ FG_R_FORGED, FG_ACT_TAG, "550 5.7.1 Message carries "
			  "a forged Authentication-Results field for {value} "
			  "(header.authres)" },
		},
		.doc = "Authentication-Results claiming our authserv_id: "
		       "removed, always (RFC 8601 5)",
	},
	[FG_CHK_HEADER_LIMITS] = {
		.name = "header.limits",
		.stage = FG_STAGE_HEADER,
		.results = R(PASS) | R(INVALID),
		.wild = R(INVALID),
		.log_value = 1,
		.rules = {
			{ FG_R_INVALID, FG_ACT_LOG, "552 5.3.4 Message header "
			  "too large: {value} (header.limits)" },
		},
		.doc = "more header fields or bytes than forgeguard "
		       "examines; the rest is not checked",
	},
	[FG_CHK_RECEIVED_FORGED_LOCAL] = {
		.name = "received.forged_local",
		.stage = FG_STAGE_HEADER,
		.results = R(PASS) | R(FORGED) | R(MISMATCH),
		.wild = R(FORGED),
		.log_value = 1,
		.rules = {
			{ FG_R_FORGED, FG_ACT_REJECT, "554 5.7.1 Forged "
			  "Received: chain: {value} (received.forged_local)" },
			{ FG_R_MISMATCH, FG_ACT_LOG, "554 5.7.1 Received: "
			  "chain names this site below the trust boundary: "
			  "{value} (received.forged_local)" },
		},
		.doc = "the first hop written outside claims one of our "
		       "hosts (forged); a deeper one, or one of our "
		       "addresses (mismatch)",
	},
	[FG_CHK_RECEIVED_BROKEN_TRAIL] = {
		.name = "received.broken_trail",
		.stage = FG_STAGE_HEADER,
		.results = R(PASS) | R(FAIL),
		.wild = R(FAIL),
		.log_value = 1,
		.rules = {
			{ FG_R_FAIL, FG_ACT_LOG, "554 5.7.1 Received: chain "
			  "broken: {value} (received.broken_trail)" },
		},
		.doc = "inside our own hops, a hop's by is not the host the "
		       "hop above received from",
	},
	[FG_CHK_RECEIVED_TIME_TRAVEL] = {
		.name = "received.time_travel",
		.stage = FG_STAGE_HEADER,
		.results = R(PASS) | R(FAIL),
		.wild = R(FAIL),
		.log_value = 1,
		.rules = {
			{ FG_R_FAIL, FG_ACT_LOG, "554 5.7.1 Received: chain "
			  "out of time order: {value} "
			  "(received.time_travel)" },
		},
		.doc = "a hop dated in the future, or after the hop above "
		       "it, by more than clock_skew",
	},
	[FG_CHK_RECEIVED_BOGUS_IP] = {
		.name = "received.bogus_ip",
		.stage = FG_STAGE_HEADER,
		.results = R(PASS) | R(INVALID),
		.wild = R(INVALID),
		.log_value = 1,
		.rules = {
			{ FG_R_INVALID, FG_ACT_LOG, "554 5.7.1 Received: "
			  "chain holds an impossible address: {value} "
			  "(received.bogus_ip)" },
		},
		.doc = "an unparseable, unspecified, multicast or reserved "
		       "address below the trust boundary",
	},
	[FG_CHK_RECEIVED_UNPARSEABLE] = {
		.name = "received.unparseable",
		.stage = FG_STAGE_HEADER,
		.results = R(PASS) | R(INVALID),
		.wild = R(INVALID),
		.log_value = 1,
		.rules = {
			{ FG_R_INVALID, FG_ACT_LOG, "554 5.7.1 Unparseable "
			  "Received: field: {value} "
			  "(received.unparseable)" },
		},
		.doc = "Received: fields with no from, by or date (counted)",
	},
	[FG_CHK_RECEIVED_HOPS] = {
		.name = "received.hops",
		.stage = FG_STAGE_HEADER,
		.results = R(PASS) | R(FAIL),
		.wild = R(FAIL),
		.log_value = 1,
		.rules = {
			{ FG_R_FAIL, FG_ACT_REJECT, "554 5.4.6 Too many hops: "
			  "{value} Received: fields, mail loop? "
			  "(received.hops)" },
		},
		.doc = "more Received: fields than max_hops (RFC 5321 6.3)",
	},
	[FG_CHK_SMTP_UNKNOWN_COMMAND] = {
		.name = "smtp.unknown_command",
		.stage = FG_STAGE_UNKNOWN,
		.results = R(INVALID),
		.wild = R(INVALID),
		.rules = {
			{ FG_R_INVALID, FG_ACT_LOG, "550 5.5.1 Command "
			  "{value} not recognized (smtp.unknown_command)" },
		},
		.doc = "a command Postfix does not know (TURN, SEND, ...)",
	},
	[FG_CHK_INTERNAL] = {
		.name = "internal",
		.stage = FG_STAGE_CONNECT,
		.results = R(TEMPERROR),
		.wild = R(TEMPERROR),
		.rules = {
			{ FG_R_TEMPERROR, FG_ACT_TEMPFAIL, "451 4.3.0 "
			  "Temporary local problem, try again later "
			  "(internal)" },
		},
		.doc = "an internal error: never accept because of it",
	},
};

static const char *const result_names[FG_R_COUNT] = {
	"pass",      "fail",      "softfail", "neutral",  "none",
	"temperror", "permerror", "invalid",  "mismatch", "forged",
};

static const char *const action_names[FG_ACT_COUNT] = {
	"accept", "log", "tag", "quarantine", "tempfail", "reject", "discard",
};

static const char *const stage_names[FG_STAGE_COUNT] = {
	"connect", "helo", "mail",    "rcpt",  "data",
	"header",  "eom",  "unknown", "abort", "close",
};

/* find_name - index of name[0..n) in a table of strings, or -1 */
static int
find_name(const char *const *table, int count, const char *name, size_t n)
{
	int k;

	for (k = 0; k < count; k++)
		if (fg_str_caseeqz(name, n, table[k]))
			return k;
	return -1;
}

/* fg_catalog_get - the definition of a check */
const struct fg_catalog_check *
fg_catalog_get(enum fg_check_id id)
{
	return &checks[id];
}

/* fg_catalog_find - a check by name; -1 if unknown */
int
fg_catalog_find(const char *name, size_t n)
{
	int k;

	for (k = 0; k < FG_CHK_COUNT; k++)
		if (fg_str_caseeqz(name, n, checks[k].name))
			return k;
	return -1;
}

/* fg_catalog_result_name - "pass", "fail", ... */
const char *
fg_catalog_result_name(enum fg_result r)
{
	return (unsigned)r < FG_R_COUNT ? result_names[r] : "?";
}

/* fg_catalog_result_find - a result by name; -1 if unknown */
int
fg_catalog_result_find(const char *name, size_t n)
{
	return find_name(result_names, FG_R_COUNT, name, n);
}

/* fg_catalog_action_name - "accept", "log", ... */
const char *
fg_catalog_action_name(enum fg_action a)
{
	return (unsigned)a < FG_ACT_COUNT ? action_names[a] : "?";
}

/* fg_catalog_action_find - an action by name; -1 if unknown */
int
fg_catalog_action_find(const char *name, size_t n)
{
	return find_name(action_names, FG_ACT_COUNT, name, n);
}

/* fg_catalog_stage_name - "connect", "helo", ... */
const char *
fg_catalog_stage_name(enum fg_stage s)
{
	return (unsigned)s < FG_STAGE_COUNT ? stage_names[s] : "?";
}
