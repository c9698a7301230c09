/*
 * 10-full/json.c - just enough JSON for the runtime's own files.
 *
 * Claim: what json_string() writes, json_get_string() reads back equal,
 *        whatever bytes the string holds (quotes, backslashes, newlines,
 *        control characters, UTF-8); a value is found by its key at the
 *        level asked, never inside a nested object or a string.
 *        (tested in tests/10-full-life.bats, through `inspect`)
 * Uses:  nothing but libc
 * Read:  RFC 8259
 *
 * A reader that builds no tree: json_skip() steps over one value of any
 * kind, which is all it takes to walk an object key by key, or an array
 * element by element. The files it reads are the runtime's own, written
 * by json_string(); a malformed one gives NULL, never a crash.
 */
#include "json.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

void json_string(FILE *f, const char *s)
{
	putc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c == '\t')
			fputs("\\t", f);
		else if (c < 0x20 || c == 0x7f)
			fprintf(f, "\\u%04x", c);
		else
			putc(c, f);
	}
	putc('"', f);
}

static const char *blanks(const char *p)
{
	while (p && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'))
		p++;
	return p;
}

/* Past the string at p ('"'), or NULL when it does not end. */
static const char *skip_string(const char *p)
{
	for (p++; *p; p++) {
		if (*p == '\\' && p[1])
			p++;
		else if (*p == '"')
			return p + 1;
	}
	return NULL;
}

const char *json_skip(const char *v)
{
	const char *start;
	int depth = 0;

	v = blanks(v);
	if (!v || !*v)
		return NULL;
	if (*v == '"')
		return skip_string(v);
	if (*v != '{' && *v != '[') { /* a number, true, false, null */
		for (start = v; *v && !strchr(",}] \t\r\n", *v); v++)
			;
		return v == start ? NULL : v;
	}
	while (*v) {
		if (*v == '"') {
			if (!(v = skip_string(v)))
				return NULL;
			continue;
		}
		if (*v == '{' || *v == '[')
			depth++;
		else if (*v == '}' || *v == ']')
			depth--;
		v++;
		if (depth == 0)
			return v;
	}
	return NULL;
}

const char *json_get(const char *obj, const char *key)
{
	size_t len = strlen(key);
	const char *k;

	obj = blanks(obj);
	if (!obj || *obj != '{')
		return NULL;
	for (obj = blanks(obj + 1); obj && *obj == '"';) {
		k = obj + 1;
		obj = blanks(skip_string(obj));
		if (!obj || *obj != ':')
			return NULL;
		obj = blanks(obj + 1);
		if ((size_t)(obj - k) >= len + 2 && strncmp(k, key, len) == 0 &&
		    k[len] == '"')
			return obj;
		obj = blanks(json_skip(obj));
		if (!obj || *obj != ',')
			return NULL;
		obj = blanks(obj + 1);
	}
	return NULL;
}

/* The value of hex digit c, or -1. */
static int hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Appends code point u to out as UTF-8. Returns the bytes written. */
static size_t utf8(unsigned u, char *out)
{
	if (u < 0x80)
		return out[0] = u, 1;
	if (u < 0x800)
		return out[0] = 0xc0 | u >> 6, out[1] = 0x80 | (u & 0x3f), 2;
	out[0] = 0xe0 | u >> 12;
	out[1] = 0x80 | ((u >> 6) & 0x3f);
	out[2] = 0x80 | (u & 0x3f);
	return 3;
}

int json_get_string(const char *v, char *out, size_t size)
{
	static const char esc[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
	size_t n = 0;
	char tmp[4];

	if (size == 0)
		return -1;
	out[0] = '\0'; /* and again on every failure: nothing half-read */
	v = blanks(v);
	if (!v || *v != '"')
		return -1;
	for (v++; *v && *v != '"'; v++) {
		size_t add = 1;
		const char *e;

		tmp[0] = *v;
		if (*v == '\\') {
			v++;
			if (*v == 'u') {
				unsigned u = 0;
				for (int i = 1; i <= 4; i++) {
					if (hex(v[i]) < 0)
						goto bad;
					u = u * 16 + hex(v[i]);
				}
				/* A NUL would cut the C string short: "0\u0000x"
				 * read as "0" made a User of root. */
				if (u == 0)
					goto bad;
				v += 4;
				add = utf8(u, tmp);
			} else if (*v && (e = strchr(esc, *v)) && (e - esc) % 2 == 0) {
				tmp[0] = e[1];
			} else {
				goto bad;
			}
		}
		if (n + add >= size)
			goto bad;
		memcpy(out + n, tmp, add);
		n += add;
	}
	if (*v == '"') {
		out[n] = '\0';
		return 0;
	}
bad:
	out[0] = '\0';
	return -1;
}

long long json_get_int(const char *v, long long dflt)
{
	char *end;
	long long n;

	v = blanks(v);
	if (!v)
		return dflt;
	n = strtoll(v, &end, 10);
	return end == v ? dflt : n;
}

int json_get_bool(const char *v, int dflt)
{
	v = blanks(v);
	if (v && strncmp(v, "true", 4) == 0)
		return 1;
	if (v && strncmp(v, "false", 5) == 0)
		return 0;
	return dflt;
}

const char *json_index(const char *v, int i)
{
	v = blanks(v);
	if (!v || *v != '[')
		return NULL;
	v = blanks(v + 1);
	if (*v == ']')
		return NULL;
	while (i-- > 0) {
		v = blanks(json_skip(v));
		if (!v || *v != ',')
			return NULL;
		v = blanks(v + 1);
	}
	return v;
}
