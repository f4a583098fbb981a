#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

struct scn_pos ld_pos(const yaml_node_t *n)
{
    struct scn_pos p = {1, 1, 0};
    if (n && n->start_mark.index == LD_OVERRIDE_MARK)
        return (struct scn_pos){0, 0, (int)n->start_mark.line};
    if (n) {
        p.line = (int)n->start_mark.line + 1;
        p.column = (int)n->start_mark.column + 1;
    }
    return p;
}

bool ld_vfail(struct ld *c, struct scn_pos pos, const char *fmt, va_list ap)
{
    char msg[400];
    vsnprintf(msg, sizeof msg, fmt, ap);
    if (pos.set)
        snprintf(c->diag->text, sizeof c->diag->text, "--set:%d: %s", pos.set, msg);
    else
        snprintf(c->diag->text, sizeof c->diag->text, "%s:%d:%d: %s", c->file, pos.line, pos.column,
                 msg);
    c->diag->line = pos.line;
    c->diag->column = pos.column;
    c->diag->set = pos.set;
    return false;
}

bool ld_fail(struct ld *c, const yaml_node_t *n, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ld_vfail(c, ld_pos(n), fmt, ap);
    va_end(ap);
    return false;
}

bool ld_fail_at(struct ld *c, struct scn_pos pos, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    ld_vfail(c, pos, fmt, ap);
    va_end(ap);
    return false;
}

const char *scn_where(const char *file, struct scn_pos pos, char *buf, size_t len)
{
    if (pos.set)
        snprintf(buf, len, "--set:%d", pos.set);
    else
        snprintf(buf, len, "%s:%d:%d", file, pos.line, pos.column);
    return buf;
}

const char *scn_line(struct scn_pos pos, char *buf, size_t len)
{
    if (pos.set)
        snprintf(buf, len, "--set:%d", pos.set);
    else
        snprintf(buf, len, "line %d", pos.line);
    return buf;
}

void *ld_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size);
    if (!p) {
        fputs("rmesim: out of memory\n", stderr);
        exit(2);
    }
    return p;
}

char *ld_strdup(const char *s)
{
    size_t len = strlen(s) + 1;
    char *d = ld_calloc(len, 1);
    memcpy(d, s, len);
    return d;
}

yaml_node_t *ld_node(struct ld *c, int index)
{
    return yaml_document_get_node(c->doc, index);
}

bool ld_is_map(const yaml_node_t *n)
{
    return n && n->type == YAML_MAPPING_NODE;
}
bool ld_is_seq(const yaml_node_t *n)
{
    return n && n->type == YAML_SEQUENCE_NODE;
}
bool ld_is_scalar(const yaml_node_t *n)
{
    return n && n->type == YAML_SCALAR_NODE;
}

const char *ld_scalar(const yaml_node_t *n)
{
    return (const char *)n->data.scalar.value;
}

static const char *kind_name(const yaml_node_t *n)
{
    switch (n->type) {
    case YAML_MAPPING_NODE:
        return "a map";
    case YAML_SEQUENCE_NODE:
        return "a list";
    default:
        return "a scalar";
    }
}

bool ld_want_map(struct ld *c, const yaml_node_t *n, const char *what)
{
    return ld_is_map(n) || ld_fail(c, n, "%s must be a map, got %s", what, kind_name(n));
}

bool ld_want_seq(struct ld *c, const yaml_node_t *n, const char *what)
{
    return ld_is_seq(n) || ld_fail(c, n, "%s must be a list, got %s", what, kind_name(n));
}

bool ld_want_scalar(struct ld *c, const yaml_node_t *n, const char *what)
{
    return ld_is_scalar(n) || ld_fail(c, n, "%s must be a scalar, got %s", what, kind_name(n));
}

const char *ld_join(const char *const *names, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (const char *const *a = names; *a && used < len; a++)
        used += (size_t)snprintf(buf + used, len - used, "%s%s", a == names ? "" : ", ", *a);
    return buf;
}

bool ld_check_keys(struct ld *c, const yaml_node_t *n, const char *what, const char *const *allowed)
{
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ld_node(c, p->key);
        if (!ld_is_scalar(k))
            return ld_fail(c, k, "keys of %s must be scalars", what);
        const char *key = ld_scalar(k);
        bool known = false;
        for (const char *const *a = allowed; *a; a++)
            known |= strcmp(*a, key) == 0;
        if (!known) {
            char list[300];
            return ld_fail(c, k, "unknown key '%s' in %s (expected: %s)", key, what,
                           ld_join(allowed, list, sizeof list));
        }
        for (yaml_node_pair_t *q = n->data.mapping.pairs.start; q < p; q++) {
            yaml_node_t *qk = ld_node(c, q->key);
            if (ld_is_scalar(qk) && strcmp(ld_scalar(qk), key) == 0)
                return ld_fail(c, k, "key '%s' given twice in %s", key, what);
        }
    }
    return true;
}

yaml_node_t *ld_get_key_node(struct ld *c, const yaml_node_t *n, const char *key)
{
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ld_node(c, p->key);
        if (ld_is_scalar(k) && strcmp(ld_scalar(k), key) == 0)
            return k;
    }
    return NULL;
}

yaml_node_t *ld_get(struct ld *c, const yaml_node_t *n, const char *key)
{
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ld_node(c, p->key);
        if (ld_is_scalar(k) && strcmp(ld_scalar(k), key) == 0)
            return ld_node(c, p->value);
    }
    return NULL;
}

bool ld_require(struct ld *c, const yaml_node_t *map, const char *key, const char *what,
                yaml_node_t **out)
{
    *out = ld_get(c, map, key);
    return *out || ld_fail(c, map, "%s needs '%s'", what, key);
}

bool ld_parse_number(const char *text, bool allow_suffix, uint64_t *out)
{
    const char *p = text;
    unsigned base = 10;
    uint64_t v = 0;
    bool digits = false;
    if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
        base = 16;
        p += 2;
    }
    for (; *p; p++) {
        unsigned d;
        if (*p == '_')
            continue;
        if (*p >= '0' && *p <= '9')
            d = (unsigned)(*p - '0');
        else if (base == 16 && *p >= 'a' && *p <= 'f')
            d = (unsigned)(*p - 'a' + 10);
        else if (base == 16 && *p >= 'A' && *p <= 'F')
            d = (unsigned)(*p - 'A' + 10);
        else
            break;
        if (v > (UINT64_MAX - d) / base)
            return false;
        v = v * base + d;
        digits = true;
    }
    if (!digits)
        return false;
    if (*p && allow_suffix && base == 10 && !p[1]) {
        unsigned shift;
        switch (*p) {
        case 'K':
            shift = 10;
            break;
        case 'M':
            shift = 20;
            break;
        case 'G':
            shift = 30;
            break;
        case 'T':
            shift = 40;
            break;
        default:
            return false;
        }
        if (v > (UINT64_MAX >> shift))
            return false;
        v <<= shift;
        p++;
    }
    if (*p)
        return false;
    *out = v;
    return true;
}

bool scn_parse_number(const char *text, bool allow_suffix, uint64_t *out)
{
    return ld_parse_number(text, allow_suffix, out);
}

static bool number(struct ld *c, const yaml_node_t *n, const char *what, bool suffix, uint64_t *out)
{
    if (!ld_want_scalar(c, n, what))
        return false;
    if (!ld_parse_number(ld_scalar(n), suffix, out))
        return ld_fail(c, n, "%s must be a number%s, got '%s'", what,
                       suffix ? " (decimal or hex, optional K/M/G/T suffix)" : " (decimal or hex)",
                       ld_scalar(n));
    return true;
}

bool ld_u64(struct ld *c, const yaml_node_t *n, const char *what, uint64_t *out)
{
    return number(c, n, what, false, out);
}

bool ld_size(struct ld *c, const yaml_node_t *n, const char *what, uint64_t *out)
{
    return number(c, n, what, true, out);
}

bool ld_int(struct ld *c, const yaml_node_t *n, const char *what, int64_t *out)
{
    if (!ld_want_scalar(c, n, what))
        return false;
    const char *t = ld_scalar(n);
    bool neg = t[0] == '-';
    uint64_t v;
    if (!ld_parse_number(t + neg, false, &v) || v > INT64_MAX)
        return ld_fail(c, n, "%s must be an integer, got '%s'", what, t);
    *out = neg ? -(int64_t)v : (int64_t)v;
    return true;
}

bool ld_uint_range(struct ld *c, const yaml_node_t *n, const char *what, uint64_t lo, uint64_t hi,
                   unsigned *out)
{
    uint64_t v;
    if (!ld_size(c, n, what, &v))
        return false;
    if (v < lo || v > hi)
        return ld_fail(c, n, "%s must be between %llu and %llu, got %llu", what,
                       (unsigned long long)lo, (unsigned long long)hi, (unsigned long long)v);
    *out = (unsigned)v;
    return true;
}

bool ld_bool(struct ld *c, const yaml_node_t *n, const char *what, bool *out)
{
    if (!ld_want_scalar(c, n, what))
        return false;
    const char *t = ld_scalar(n);
    if (strcmp(t, "true") == 0 || strcmp(t, "yes") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(t, "false") == 0 || strcmp(t, "no") == 0) {
        *out = false;
        return true;
    }
    return ld_fail(c, n, "%s must be true or false, got '%s'", what, t);
}

bool ld_string(struct ld *c, const yaml_node_t *n, const char *what, char **out)
{
    if (!ld_want_scalar(c, n, what))
        return false;
    *out = ld_strdup(ld_scalar(n));
    return true;
}

/* A table's value written as its architecture number: hex or decimal, and for signed 32-bit
 * codes (PSCI, E_RMM_) also negative or as the 32-bit pattern. NULL if it is none. */
static const struct scn_name *by_number(const struct scn_name_table *t, const char *text)
{
    bool negative = t->numbers == SCN_NUMBERS_SIGNED32 && text[0] == '-';
    uint64_t v;
    if (t->numbers == SCN_NAMES_ONLY || !ld_parse_number(text + negative, false, &v))
        return NULL;
    if (negative) {
        if (v > 0x80000000ull)
            return NULL;
        v = (uint32_t)(0 - (uint32_t)v);
    }
    return scn_name_by_number(t, v);
}

bool ld_name(struct ld *c, const yaml_node_t *n, const struct scn_name_table *t, unsigned *code)
{
    if (!ld_want_scalar(c, n, t->what))
        return false;
    const struct scn_name *name = scn_name_lookup(t, ld_scalar(n));
    if (!name)
        name = by_number(t, ld_scalar(n));
    if (!name) {
        char list[600];
        return ld_fail(c, n, "unknown %s '%s' (expected %s: %s)", t->what, ld_scalar(n),
                       t->numbers == SCN_NAMES_ONLY ? "one of" : "a name or its number",
                       scn_name_list(t, list, sizeof list));
    }
    *code = name->code;
    return true;
}
