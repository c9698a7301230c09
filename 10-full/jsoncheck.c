/*
 * 10-full/jsoncheck.c - is a text one JSON value, whole and well formed?
 * For what comes from outside: an image config in an archive that `load`
 * reads.
 *
 * Claim: json_valid() accepts what RFC 8259 calls a JSON text and
 *        nothing else: a config cut off in the middle, a trailing comma,
 *        a bare word, a control character in a string, nesting deeper
 *        than JSON_MAX_DEPTH are refused.
 *        (tested in tests/10-full-save.bats: bad configs are refused)
 * Uses:  nothing but libc
 * Read:  RFC 8259 (the grammar, section 2 to 7)
 *
 * json.c's reader walks the runtime's own files, and takes what it does
 * not understand as absent: fine for files it wrote itself. An archive's
 * config is anyone's: checked once, whole, before anything of it is
 * kept, so that a config that is not JSON is said to be so at `load`,
 * and never taken for an image with no Cmd, no Env.
 */
#include "json.h"

#include <string.h>

/* Deeper than any config docker writes, shallow enough for the stack. */
#define JSON_MAX_DEPTH 64

static const char *value(const char *p, const char *end, int depth);

static const char *spaces(const char *p, const char *end)
{
	while (p && p < end && strchr(" \t\r\n", *p) && *p)
		p++;
	return p;
}

/* Past the string at p, or NULL. */
static const char *string(const char *p, const char *end)
{
	if (p >= end || *p != '"')
		return NULL;
	for (p++; p < end; p++) {
		unsigned char c = *p;

		if (c == '"')
			return p + 1;
		if (c < 0x20)
			return NULL; /* raw control characters are not JSON */
		if (c != '\\')
			continue;
		if (++p >= end || !strchr("\"\\/bfnrtu", *p) || !*p)
			return NULL;
		if (*p == 'u')
			for (int i = 0; i < 4; i++)
				if (++p >= end || !strchr("0123456789abcdefABCDEF", *p) ||
				    !*p)
					return NULL;
	}
	return NULL;
}

/* Past the digits at p (at least one), or NULL. */
static const char *digits(const char *p, const char *end)
{
	const char *start = p;

	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p == start ? NULL : p;
}

/* -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)? */
static const char *number(const char *p, const char *end)
{
	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if (!(p = digits(p, end)))
		return NULL;
	if (p < end && *p == '.' && !(p = digits(p + 1, end)))
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		p = digits(p, end);
	}
	return p;
}

/* The members of an object (open '{') or the elements of an array: each
 * a value (after a string and ':' in an object), ',' between them. */
static const char *items(const char *p, const char *end, int depth,
			 char close)
{
	p = spaces(p + 1, end);
	if (p < end && *p == close)
		return p + 1;
	for (;;) {
		if (close == '}') {
			p = spaces(string(p, end), end);
			if (!p || p >= end || *p != ':')
				return NULL;
			p++;
		}
		p = spaces(value(p, end, depth + 1), end);
		if (!p || p >= end)
			return NULL;
		if (*p == close)
			return p + 1;
		if (*p != ',')
			return NULL;
		p = spaces(p + 1, end);
	}
}

static const char *value(const char *p, const char *end, int depth)
{
	static const char *const words[] = {"true", "false", "null"};

	p = spaces(p, end);
	if (!p || p >= end || depth > JSON_MAX_DEPTH)
		return NULL;
	if (*p == '{' || *p == '[')
		return items(p, end, depth, *p == '{' ? '}' : ']');
	if (*p == '"')
		return string(p, end);
	if (*p == '-' || (*p >= '0' && *p <= '9'))
		return number(p, end);
	for (int i = 0; i < 3; i++) {
		size_t n = strlen(words[i]);

		if ((size_t)(end - p) >= n && strncmp(p, words[i], n) == 0)
			return p + n;
	}
	return NULL;
}

bool json_valid(const char *text, size_t len)
{
	const char *end = text + len, *p = spaces(value(text, end, 0), end);

	return p == end;
}
