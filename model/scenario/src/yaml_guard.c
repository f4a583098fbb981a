/* Hostile files: one pass over the YAML events before any document is built, so that what the
 * input controls (its size, nesting, aliases, tags, duplicate keys, encoding) is bounded and
 * named with its position before the loader recurses or copies anything (docs/security.md,
 * "Hostile files"). Linear in the input: nothing here is keyed by a search that grows with it
 * but the duplicate-key check, a sort per mapping. */
#include "yaml_guard.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "loader.h"

/* realloc that ends the process on exhaustion, as ld_calloc does */
static void *grown(void *p, size_t bytes)
{
    void *q = realloc(p, bytes);
    if (!q) {
        fputs("rmesim: out of memory\n", stderr);
        exit(2);
    }
    return q;
}

struct key_seen {
    char *text;
    size_t order;
    yaml_mark_t mark;
};

struct open_node {
    bool mapping;
    bool expect_key;       /* a mapping: the next node is a key */
    size_t nodes_at_start; /* for an anchored collection's size */
    char *anchor;          /* its anchor, if any */
    struct key_seen *keys; /* a mapping's scalar keys */
    size_t n_keys, cap_keys;
};

struct anchor_size { /* a slot of the anchors' hash table: name NULL when free */
    char *name;
    size_t nodes;
};

struct guard {
    const char *file;
    const unsigned char *text;
    size_t len;
    struct scenario_diag *diag;
    struct open_node open[LD_MAX_DEPTH + 1];
    int depth;
    size_t nodes;                /* nodes so far, each alias counted as the nodes it names */
    struct anchor_size *anchors; /* open addressing, cap_anchors a power of two */
    size_t n_anchors, cap_anchors;
};

static size_t hash_of(const char *s)
{
    size_t h = 1469598103934665603ull; /* FNV-1a */
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

static struct anchor_size *anchor_slot(struct guard *g, const char *name)
{
    size_t mask = g->cap_anchors - 1;
    for (size_t i = hash_of(name) & mask;; i = (i + 1) & mask)
        if (!g->anchors[i].name || !strcmp(g->anchors[i].name, name))
            return &g->anchors[i];
}

/* LINE:COLUMN of a byte offset, for the reader's errors, which carry only the offset. */
static void line_col(const struct guard *g, size_t offset, int *line, int *col)
{
    *line = 1;
    *col = 1;
    for (size_t i = 0; i < offset && i < g->len; i++) {
        if (g->text[i] == '\n') {
            ++*line;
            *col = 1;
        } else if ((g->text[i] & 0xC0) != 0x80) { /* a character, not a continuation byte */
            ++*col;
        }
    }
}

static bool fail_at(struct guard *g, int line, int col, const char *fmt, ...) LD_PRINTF(4, 5);
static bool fail_at(struct guard *g, int line, int col, const char *fmt, ...)
{
    char message[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(message, sizeof message, fmt, ap);
    va_end(ap);
    snprintf(g->diag->text, sizeof g->diag->text, "%s:%d:%d: %s", g->file, line, col, message);
    g->diag->line = line;
    g->diag->column = col;
    return false;
}

#define FAIL_MARK(g, m, ...) fail_at(g, (int)(m).line + 1, (int)(m).column + 1, __VA_ARGS__)

static bool parser_error(struct guard *g, const yaml_parser_t *p)
{
    int line, col;
    if (p->error == YAML_READER_ERROR) {
        line_col(g, p->problem_offset, &line, &col);
        return fail_at(g, line, col, "not valid UTF-8 text: %s",
                       p->problem ? p->problem : "an encoding error");
    }
    if (p->error == YAML_MEMORY_ERROR)
        return fail_at(g, 1, 1, "out of memory while reading the YAML");
    return fail_at(g, (int)p->problem_mark.line + 1, (int)p->problem_mark.column + 1,
                   "YAML syntax error: %s%s%s", p->problem ? p->problem : "malformed YAML",
                   p->context ? " " : "", p->context ? p->context : "");
}

static int by_key_then_order(const void *a, const void *b)
{
    const struct key_seen *x = a, *y = b;
    int c = strcmp(x->text, y->text);
    return c ? c : (x->order < y->order ? -1 : 1);
}

/* A mapping is closed: a key it holds twice is an error at the second. */
static bool close_mapping(struct guard *g, struct open_node *n)
{
    bool ok = true;
    if (n->n_keys > 1) {
        qsort(n->keys, n->n_keys, sizeof n->keys[0], by_key_then_order);
        const struct key_seen *dup = NULL;
        for (size_t i = 1; i < n->n_keys; i++)
            if (!strcmp(n->keys[i].text, n->keys[i - 1].text) &&
                (!dup || n->keys[i].order < dup->order))
                dup = &n->keys[i];
        if (dup) {
            const struct key_seen *first = dup - 1;
            ok = FAIL_MARK(g, dup->mark, "key '%.80s' appears twice in this map (first at line %d)",
                           dup->text, (int)first->mark.line + 1);
        }
    }
    for (size_t i = 0; i < n->n_keys; i++)
        free(n->keys[i].text);
    free(n->keys);
    n->keys = NULL;
    n->n_keys = n->cap_keys = 0;
    return ok;
}

/* An anchor's size; a later anchor of the same name replaces it, as YAML says. */
static bool remember_anchor(struct guard *g, const char *name, size_t nodes)
{
    if (2 * (g->n_anchors + 1) > g->cap_anchors) { /* grow: rehash every name */
        struct anchor_size *old = g->anchors;
        size_t old_cap = g->cap_anchors;
        g->cap_anchors = old_cap ? 2 * old_cap : 64;
        g->anchors = ld_calloc(g->cap_anchors, sizeof g->anchors[0]);
        for (size_t i = 0; i < old_cap; i++)
            if (old[i].name)
                *anchor_slot(g, old[i].name) = old[i];
        free(old);
    }
    struct anchor_size *slot = anchor_slot(g, name);
    if (!slot->name) {
        slot->name = ld_strdup(name);
        g->n_anchors++;
    }
    slot->nodes = nodes;
    return true;
}

/* One more node (a scalar, an alias standing for `weight` nodes, or a collection's start). */
static bool count_node(struct guard *g, size_t weight, yaml_mark_t mark)
{
    g->nodes += weight;
    if (g->nodes > LD_MAX_NODES)
        return FAIL_MARK(g, mark,
                         "the document has more than %d nodes (aliases counted each time they are "
                         "named): the limit of a scenario file",
                         LD_MAX_NODES);
    return true;
}

/* A node begins where the innermost open mapping expects a key: note the key (a scalar's text).
 */
static bool note_key(struct guard *g, const yaml_event_t *e)
{
    if (g->depth == 0)
        return true;
    struct open_node *n = &g->open[g->depth - 1];
    if (!n->mapping)
        return true;
    bool is_key = n->expect_key;
    n->expect_key = !n->expect_key;
    if (!is_key || e->type != YAML_SCALAR_EVENT)
        return true;
    if (n->n_keys == n->cap_keys) {
        n->cap_keys = n->cap_keys ? 2 * n->cap_keys : 8;
        n->keys = grown(n->keys, n->cap_keys * sizeof n->keys[0]);
    }
    n->keys[n->n_keys] =
        (struct key_seen){ld_strdup((const char *)e->data.scalar.value), n->n_keys, e->start_mark};
    n->n_keys++;
    return true;
}

static bool no_tag(struct guard *g, const yaml_char_t *tag, yaml_mark_t mark)
{
    if (!tag)
        return true;
    return FAIL_MARK(g, mark,
                     "YAML tags ('%.40s') are not part of the scenario language: write "
                     "the value alone",
                     (const char *)tag);
}

static bool on_event(struct guard *g, const yaml_event_t *e)
{
    switch (e->type) {
    case YAML_SCALAR_EVENT:
        return note_key(g, e) && no_tag(g, e->data.scalar.tag, e->start_mark) &&
               count_node(g, 1, e->start_mark) &&
               (!e->data.scalar.anchor ||
                remember_anchor(g, (const char *)e->data.scalar.anchor, 1));
    case YAML_ALIAS_EVENT: {
        size_t nodes = 1; /* an unknown anchor: the parser has refused it already */
        if (g->cap_anchors) {
            const struct anchor_size *a = anchor_slot(g, (const char *)e->data.alias.anchor);
            if (a->name)
                nodes = a->nodes;
        }
        return note_key(g, e) && count_node(g, nodes, e->start_mark);
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool mapping = e->type == YAML_MAPPING_START_EVENT;
        const yaml_char_t *tag = mapping ? e->data.mapping_start.tag : e->data.sequence_start.tag;
        const yaml_char_t *anchor =
            mapping ? e->data.mapping_start.anchor : e->data.sequence_start.anchor;
        if (!note_key(g, e) || !no_tag(g, tag, e->start_mark) || !count_node(g, 1, e->start_mark))
            return false;
        if (g->depth == LD_MAX_DEPTH)
            return FAIL_MARK(g, e->start_mark,
                             "maps and lists nested deeper than %d levels: the limit of a "
                             "scenario file",
                             LD_MAX_DEPTH);
        g->open[g->depth++] = (struct open_node){
            mapping, true, g->nodes - 1, anchor ? ld_strdup((const char *)anchor) : NULL, NULL,
            0,       0};
        return true;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT: {
        struct open_node *n = &g->open[--g->depth];
        bool ok = !n->mapping || close_mapping(g, n);
        if (n->anchor) {
            remember_anchor(g, n->anchor, g->nodes - n->nodes_at_start);
            free(n->anchor);
            n->anchor = NULL;
        }
        return ok;
    }
    default:
        return true;
    }
}

bool ld_guard(const char *file, const unsigned char *text, size_t len, struct scenario_diag *diag)
{
    struct guard g = {.file = file, .text = text, .len = len, .diag = diag};
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, text, len);
    bool ok = true, done = false;
    while (ok && !done) {
        yaml_event_t e;
        if (!yaml_parser_parse(&parser, &e)) {
            ok = parser_error(&g, &parser);
            break;
        }
        ok = on_event(&g, &e);
        done = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
    }
    while (g.depth > 0) { /* stopped early: free what is open */
        struct open_node *n = &g.open[--g.depth];
        for (size_t i = 0; i < n->n_keys; i++)
            free(n->keys[i].text);
        free(n->keys);
        free(n->anchor);
    }
    for (size_t i = 0; i < g.cap_anchors; i++)
        free(g.anchors[i].name);
    free(g.anchors);
    yaml_parser_delete(&parser);
    return ok;
}
