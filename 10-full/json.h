/*
 * 10-full/json.h - just enough JSON for the runtime's own files (a
 * container's record, `inspect`'s output) and, later, an image's.
 *
 * Writing: json_string() escapes a C string. Reading: the text is kept as
 * it is and values are found in it by key, one level at a time; nothing
 * is allocated.
 *
 * Read: RFC 8259 (JSON), section 7 (strings)
 */
#ifndef JSON_H
#define JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Writes s to f as a JSON string, quotes included: '"', '\\' and the
 * control characters escaped, everything else (UTF-8 too) as it is. */
void json_string(FILE *f, const char *s);

/* In the object that starts at obj ('{', after blanks), the value of key:
 * a pointer to its first character, or NULL when the object has no such
 * key or is not well formed. */
const char *json_get(const char *obj, const char *key);

/* The value at v, a JSON string, decoded into out (size bytes, always
 * terminated). Returns 0, or -1 when v is no string or it does not fit. */
int json_get_string(const char *v, char *out, size_t size);

/* The value at v as a whole number; dflt when v is NULL or no number. */
long long json_get_int(const char *v, long long dflt);

/* The value at v as true/false; dflt when v is NULL or neither. */
int json_get_bool(const char *v, int dflt);

/* In the array at v ('['): a pointer to element i, or NULL past its end
 * (or when v is no array). */
const char *json_index(const char *v, int i);

/* A pointer just past the value at v, or NULL when it is not well
 * formed. */
const char *json_skip(const char *v);

/* Whether the len bytes at text are one JSON value and nothing else,
 * strictly by RFC 8259 (jsoncheck.c). */
bool json_valid(const char *text, size_t len);

#endif
