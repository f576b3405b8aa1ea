/*
 * NAME
 *	err - names of forgeguard error codes
 * SYNOPSIS
 *	#include "forgeguard/err.h"
 * DESCRIPTION
 *	fg_err_str() maps each enum fg_err to a short word for log lines and
 *	diagnostics.
 * DIAGNOSTICS
 *	An unknown code maps to "unknown".
 */
#include "forgeguard/err.h"

/* fg_err_str - a short, stable word for an error code */
const char *
fg_err_str(enum fg_err err)
{
	switch (err) {
	case FG_OK:
		return "ok";
	case FG_ENOMEM:
		return "out of memory";
	case FG_EINVAL:
		return "invalid argument";
	case FG_ETOOLONG:
		return "too long";
	case FG_ESYNTAX:
		return "syntax error";
	case FG_EIO:
		return "i/o error";
	case FG_ENOTFOUND:
		return "not found";
	case FG_EDUP:
		return "duplicate";
	case FG_ETEMP:
		return "temporary failure";
	case FG_EINTERNAL:
		return "internal error";
	}
	return "unknown";
}
