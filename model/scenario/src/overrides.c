/* Overrides: "PATH=VALUE" edits of the loaded YAML document, made before any check so that an
 * overridden scenario is checked and run exactly as the file edited by hand would be.
 *
 * PATH is mapping keys separated by '.', each followed by any number of list selectors: [N]
 * (the element at 0-based index N) or [ID] (the element, a map, whose `id:` or `name:` is ID).
 * VALUE is one YAML node (a scalar, a flow list or map, ...) that replaces the node at PATH; a
 * missing last key is added (the usual checks then refuse a key the scenario language does not
 * have), a missing map on the way is created. The nodes an override brings carry its index in
 * their marks (LD_OVERRIDE_MARK), so that an error at one of them reads "--set:N: ...". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

/* Deeper or larger VALUEs than this are refused (the copy below recurses). */
#define MAX_DEPTH 64
#define MAX_DEPTH_TEXT "64"
#define MAX_NODES 100000
#define MAX_NODES_TEXT "100000"

struct seg {
    bool selector;  /* [..] rather than a key */
    bool by_index;  /* [N] */
    size_t index;   /* N */
    const char *at; /* the key or the selector's text (not terminated) */
    size_t len;     /* its length */
    size_t end;     /* where the path up to this segment ends */
};

struct ov {
    int index;         /* 1-based, on the command line */
    const char *text;  /* "PATH=VALUE" */
    size_t path_len;   /* PATH is text[0, path_len) */
    const char *value; /* VALUE */
    struct scenario_diag *diag;
};

static bool ov_fail(struct ov *o, const char *fmt, ...) LD_PRINTF(2, 3);

static bool ov_fail(struct ov *o, const char *fmt, ...)
{
    struct ld c = {NULL, NULL, o->diag, NULL, 0};
    va_list ap;
    va_start(ap, fmt);
    ld_vfail(&c, (struct scn_pos){0, 0, o->index}, fmt, ap);
    va_end(ap);
    return false;
}

/* The path up to `end`, for messages ("platform.timing"). */
static const char *prefix(const struct ov *o, size_t end, char *buf, size_t len)
{
    snprintf(buf, len, "%.*s", (int)end, o->text);
    return buf;
}

/* The segment of PATH at *pos (advanced past it); false with an error if PATH is malformed. */
static bool next_seg(struct ov *o, size_t *pos, struct seg *s)
{
    const char *p = o->text;
    size_t i = *pos;
    memset(s, 0, sizeof(*s));
    if (p[i] == '[') {
        size_t close = i + 1;
        while (close < o->path_len && p[close] != ']' && p[close] != '[')
            close++;
        if (close >= o->path_len || p[close] != ']')
            return ov_fail(o, "bad PATH '%.*s': '[' at %zu without its ']'", (int)o->path_len, p,
                           i + 1);
        s->selector = true;
        s->at = p + i + 1;
        s->len = close - i - 1;
        if (!s->len)
            return ov_fail(o, "bad PATH '%.*s': empty [] at %zu (an index or an id goes in it)",
                           (int)o->path_len, p, i + 1);
        s->by_index = strspn(s->at, "0123456789") >= s->len;
        if (s->by_index) {
            char digits[24] = {0};
            if (s->len >= sizeof digits ||
                !ld_parse_number(memcpy(digits, s->at, s->len), false, &s->index))
                return ov_fail(o, "bad PATH '%.*s': index [%.*s] is too large", (int)o->path_len, p,
                               (int)s->len, s->at);
        }
        i = close + 1;
    } else {
        size_t start = i;
        while (i < o->path_len && p[i] != '.' && p[i] != '[' && p[i] != ']')
            i++;
        if (i < o->path_len && p[i] == ']')
            return ov_fail(o, "bad PATH '%.*s': ']' at %zu without its '['", (int)o->path_len, p,
                           i + 1);
        if (i == start)
            return ov_fail(o, "bad PATH '%.*s': empty key at %zu", (int)o->path_len, p, start + 1);
        for (size_t k = start; k < i; k++)
            if (p[k] <= ' ' || p[k] > '~') /* the language's keys are printable ASCII */
                return ov_fail(o, "bad PATH: character %zu of a key is not printable ASCII", k + 1);
        s->at = p + start;
        s->len = i - start;
    }
    s->end = i;
    if (i < o->path_len && p[i] == '.') {
        if (i + 1 >= o->path_len || p[i + 1] == '.' || p[i + 1] == '[')
            return ov_fail(o, "bad PATH '%.*s': empty key at %zu", (int)o->path_len, p, i + 2);
        i++;
    } else if (i < o->path_len && p[i] != '[') {
        return ov_fail(o, "bad PATH '%.*s': '%c' at %zu: a '.' or a '[' goes after ']'",
                       (int)o->path_len, p, p[i], i + 1);
    }
    *pos = i;
    return true;
}

/* Splits "PATH=VALUE" and checks PATH's syntax. */
static bool split(struct ov *o, const char *set, int index, struct scenario_diag *diag)
{
    o->index = index;
    o->text = set;
    o->diag = diag;
    const char *eq = strchr(set, '=');
    if (!eq)
        return ov_fail(o, "expected PATH=VALUE (e.g. platform.timing.dram=200), got '%s'", set);
    o->path_len = (size_t)(eq - set);
    o->value = eq + 1;
    if (!o->path_len)
        return ov_fail(o, "empty PATH in '%s' (PATH=VALUE)", set);
    if (set[0] == '[')
        return ov_fail(o, "bad PATH '%.*s': it starts with a key of the scenario, not [",
                       (int)o->path_len, set);
    struct seg s;
    for (size_t pos = 0; pos < o->path_len;)
        if (!next_seg(o, &pos, &s))
            return false;
    return true;
}

/* Node `index` of doc and what is in it: no deeper than MAX_DEPTH - depth levels, and no more
 * than *budget nodes counting an alias's each time it is named (a VALUE of aliases of aliases
 * could otherwise be copied into billions of nodes). */
static const char *too_big(yaml_document_t *doc, int index, int depth, size_t *budget)
{
    yaml_node_t *n = yaml_document_get_node(doc, index);
    const char *why = NULL;
    if (depth > MAX_DEPTH)
        return "nests deeper than " MAX_DEPTH_TEXT " levels";
    if (!(*budget)--)
        return "has more than " MAX_NODES_TEXT " nodes (an alias counts each time it is named)";
    if (n->type == YAML_SEQUENCE_NODE)
        for (yaml_node_item_t *i = n->data.sequence.items.start;
             !why && i < n->data.sequence.items.top; i++)
            why = too_big(doc, *i, depth + 1, budget);
    if (n->type == YAML_MAPPING_NODE)
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
             !why && p < n->data.mapping.pairs.top; p++)
            if (!(why = too_big(doc, p->key, depth + 1, budget)))
                why = too_big(doc, p->value, depth + 1, budget);
    return why;
}

/* VALUE as a YAML document of one node (none: an empty VALUE, the empty scalar). */
static bool parse_value(struct ov *o, yaml_document_t *doc)
{
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)o->value, strlen(o->value));
    bool ok = yaml_parser_load(&parser, doc);
    if (!ok) {
        ov_fail(o, "VALUE '%s' is not valid YAML: %s%s%s (at character %d)", o->value,
                parser.problem ? parser.problem : "malformed YAML", parser.context ? " " : "",
                parser.context ? parser.context : "", (int)parser.problem_mark.index + 1);
    } else {
        yaml_document_t extra;
        if (yaml_parser_load(&parser, &extra)) {
            if (yaml_document_get_root_node(&extra))
                ok = ov_fail(o, "VALUE '%s' holds more than one YAML document", o->value);
            yaml_document_delete(&extra);
        } else {
            ok = ov_fail(o, "VALUE '%s' is not valid YAML: %s", o->value,
                         parser.problem ? parser.problem : "malformed YAML");
        }
        size_t budget = MAX_NODES;
        const char *why =
            ok && yaml_document_get_root_node(doc) ? too_big(doc, 1, 0, &budget) : NULL;
        if (why)
            ok = ov_fail(o, "VALUE %s", why);
        if (!ok)
            yaml_document_delete(doc);
    }
    yaml_parser_delete(&parser);
    return ok;
}

static int added(yaml_document_t *doc, int id, int set)
{
    if (!id) {
        fputs("rmesim: out of memory\n", stderr);
        exit(2);
    }
    yaml_node_t *n = yaml_document_get_node(doc, id);
    n->start_mark.index = LD_OVERRIDE_MARK;
    n->start_mark.line = (size_t)set;
    n->start_mark.column = 0;
    n->end_mark = n->start_mark;
    return id;
}

static int add_scalar(yaml_document_t *doc, const char *text, int set)
{
    return added(doc,
                 yaml_document_add_scalar(doc, NULL, (yaml_char_t *)text, (int)strlen(text),
                                          YAML_PLAIN_SCALAR_STYLE),
                 set);
}

/* A copy of node `index` of `from` in `to`, marked as override `set`'s (parse_value has
 * bounded its depth). */
static int copy(yaml_document_t *to, yaml_document_t *from, int index, int set)
{
    yaml_node_t *n = yaml_document_get_node(from, index);
    int id = 0;
    switch (n->type) {
    case YAML_SEQUENCE_NODE:
        id = added(to, yaml_document_add_sequence(to, n->tag, n->data.sequence.style), set);
        for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top;
             i++) {
            yaml_document_append_sequence_item(to, id, copy(to, from, *i, set));
        }
        return id;
    case YAML_MAPPING_NODE:
        id = added(to, yaml_document_add_mapping(to, n->tag, n->data.mapping.style), set);
        for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top;
             p++) {
            int key = copy(to, from, p->key, set);
            yaml_document_append_mapping_pair(to, id, key, copy(to, from, p->value, set));
        }
        return id;
    default:
        return added(to,
                     yaml_document_add_scalar(to, n->tag, n->data.scalar.value,
                                              (int)n->data.scalar.length, n->data.scalar.style),
                     set);
    }
}

static const char *kind(const yaml_node_t *n)
{
    return n->type == YAML_MAPPING_NODE    ? "a map"
           : n->type == YAML_SEQUENCE_NODE ? "a list"
                                           : "a scalar";
}

/* The element of list `seq` that s selects: [N], or the map whose id or name is ID. */
static int select_item(struct ld *c, struct ov *o, int seq, const struct seg *s, size_t before,
                       int **slot)
{
    yaml_node_t *n = ld_node(c, seq);
    size_t count = (size_t)(n->data.sequence.items.top - n->data.sequence.items.start);
    char where[200];
    if (s->by_index) {
        if (s->index >= count)
            return ov_fail(o, "%s[%zu]: index out of range (%s has %zu element%s)",
                           prefix(o, before, where, sizeof where), s->index, where, count,
                           count == 1 ? "" : "s");
        *slot = &n->data.sequence.items.start[s->index];
        return **slot;
    }
    for (yaml_node_item_t *i = n->data.sequence.items.start; i < n->data.sequence.items.top; i++) {
        yaml_node_t *e = ld_node(c, *i);
        if (!ld_is_map(e))
            continue;
        for (const char *const *key = (const char *const[]){"id", "name", NULL}; *key; key++) {
            yaml_node_t *v = ld_get(c, e, *key);
            if (ld_is_scalar(v) && strlen(ld_scalar(v)) == s->len &&
                memcmp(ld_scalar(v), s->at, s->len) == 0) {
                *slot = i;
                return *i;
            }
        }
    }
    return ov_fail(o, "%s[%.*s]: no element of %s has the id or name '%.*s'",
                   prefix(o, before, where, sizeof where), (int)s->len, s->at, where, (int)s->len,
                   s->at);
}

/* The value slot of key s in map `map`; an absent key is added, with value_id as its value if
 * it is PATH's last, else with a new empty map. */
static bool key_slot(struct ld *c, struct ov *o, int map, const struct seg *s, bool last,
                     int value_id, int **slot)
{
    yaml_node_t *n = ld_node(c, map);
    for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
        yaml_node_t *k = ld_node(c, p->key);
        if (ld_is_scalar(k) && strlen(ld_scalar(k)) == s->len &&
            memcmp(ld_scalar(k), s->at, s->len) == 0) {
            *slot = &p->value;
            return true;
        }
    }
    char where[200];
    if (!last && o->text[s->end] == '[')
        return ov_fail(o, "%s: no such key, so no list to select [..] from",
                       prefix(o, s->end, where, sizeof where));
    char *key = ld_calloc(s->len + 1, 1);
    memcpy(key, s->at, s->len);
    int key_id = add_scalar(c->doc, key, o->index);
    free(key);
    int value =
        last ? value_id
             : added(c->doc, yaml_document_add_mapping(c->doc, NULL, YAML_BLOCK_MAPPING_STYLE),
                     o->index);
    yaml_document_append_mapping_pair(c->doc, map, key_id, value);
    n = ld_node(c, map); /* the pairs may have moved */
    *slot = &n->data.mapping.pairs.top[-1].value;
    return true;
}

/* Applies one override to c->doc. */
static bool apply(struct ld *c, struct ov *o)
{
    yaml_document_t value_doc;
    if (!parse_value(o, &value_doc))
        return false;
    int value = yaml_document_get_root_node(&value_doc) ? copy(c->doc, &value_doc, 1, o->index)
                                                        : add_scalar(c->doc, "", o->index);
    yaml_document_delete(&value_doc);
    int node = 1; /* the root */
    int *slot = NULL;
    size_t before = 0;
    for (size_t pos = 0; pos < o->path_len;) {
        struct seg s;
        next_seg(o, &pos, &s); /* checked by split */
        bool last = pos >= o->path_len;
        yaml_node_t *n = ld_node(c, node);
        char where[200], what[200];
        if (!s.selector && !ld_is_map(n))
            return before
                       ? ov_fail(o, "%s: %s is %s, not a map with the key '%.*s'",
                                 prefix(o, s.end, what, sizeof what),
                                 prefix(o, before, where, sizeof where), kind(n), (int)s.len, s.at)
                       : ov_fail(o, "the scenario is %s, not a map", kind(n));
        if (s.selector && !ld_is_seq(n))
            return ov_fail(o, "%s: %s is %s, not a list", prefix(o, s.end, what, sizeof what),
                           prefix(o, before, where, sizeof where), kind(n));
        if (s.selector ? !select_item(c, o, node, &s, before, &slot)
                       : !key_slot(c, o, node, &s, last, value, &slot))
            return false;
        node = *slot;
        before = s.end;
    }
    *slot = value;
    return true;
}

bool scn_override_check(const char *set, int index, struct scenario_diag *diag)
{
    struct ov o;
    yaml_document_t value;
    if (!split(&o, set, index, diag) || !parse_value(&o, &value))
        return false;
    yaml_document_delete(&value);
    return true;
}

bool ld_apply_overrides(struct ld *c, const char *const *sets, size_t n_sets)
{
    for (size_t i = 0; i < n_sets; i++) {
        struct ov o;
        if (!split(&o, sets[i], (int)i + 1, c->diag))
            return false;
        /* an empty file: its own error, from the checks */
        if (yaml_document_get_root_node(c->doc) && !apply(c, &o))
            return false;
    }
    return true;
}
