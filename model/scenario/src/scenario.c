/* Top level: parse the document, then the sections in dependency order. */
#define _POSIX_C_SOURCE 200809L /* open, read, O_CLOEXEC */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "loader.h"
#include "yaml_guard.h"

static bool document(struct ld *c)
{
    static const char *const keys[] = {"scenario", "description", "platform", "realms",
                                       "steps",    "expect",      NULL};
    yaml_node_t *root = yaml_document_get_root_node(c->doc), *v;
    if (!root) {
        struct scn_pos start = {1, 1, 0};
        return ld_fail_at(c, start,
                          "the file is empty: a scenario needs scenario, platform and steps");
    }
    if (!ld_want_map(c, root, "a scenario") || !ld_check_keys(c, root, "the scenario", keys))
        return false;
    if (!ld_require(c, root, "scenario", "the scenario", &v) ||
        !ld_string(c, v, "scenario", &c->s->name))
        return false;
    if (!c->s->name[0])
        return ld_fail(c, v, "scenario name must not be empty");
    if ((v = ld_get(c, root, "description")) && !ld_string(c, v, "description", &c->s->description))
        return false;
    if (!ld_require(c, root, "platform", "the scenario", &v) || !ld_platform(c, v))
        return false;
    if ((v = ld_get(c, root, "realms")) && !ld_realms(c, v))
        return false;
    if (!ld_require(c, root, "steps", "the scenario", &v) || !ld_steps(c, v))
        return false;
    if ((v = ld_get(c, root, "expect")) && !ld_finals(c, v))
        return false;
    return true;
}

static struct scenario *parse(yaml_parser_t *parser, const char *file, const char *const *sets,
                              size_t n_sets, struct scenario_diag *diag)
{
    yaml_document_t doc;
    memset(diag, 0, sizeof(*diag));
    if (!yaml_parser_load(parser, &doc)) {
        int line = (int)parser->problem_mark.line + 1, col = (int)parser->problem_mark.column + 1;
        snprintf(diag->text, sizeof diag->text, "%s:%d:%d: YAML syntax error: %s%s%s", file, line,
                 col, parser->problem ? parser->problem : "malformed YAML",
                 parser->context ? " " : "", parser->context ? parser->context : "");
        diag->line = line;
        diag->column = col;
        return NULL;
    }
    struct scenario *s = ld_calloc(1, sizeof(*s));
    s->file = ld_strdup(file);
    struct ld c = {file, &doc, diag, s, 0};
    bool ok = ld_apply_overrides(&c, sets, n_sets) && document(&c);
    /* A second document in the stream is a mistake, not something to ignore. */
    if (ok) {
        yaml_document_t extra;
        if (yaml_parser_load(parser, &extra)) {
            yaml_node_t *root = yaml_document_get_root_node(&extra);
            if (root)
                ok = ld_fail(&(struct ld){file, &extra, diag, s, 0}, root,
                             "only one YAML document per scenario file");
            yaml_document_delete(&extra);
        }
    }
    yaml_document_delete(&doc);
    if (!ok) {
        scenario_free(s);
        return NULL;
    }
    return s;
}

/* The whole file, read once: a regular file within the size limit (a FIFO with no writer would
 * block forever; a device has no end). NULL with diag otherwise; *len is its size. */
static unsigned char *read_scenario_file(const char *path, size_t *len, struct scenario_diag *diag)
{
    memset(diag, 0, sizeof(*diag));
    diag->line = diag->column = 1;
    struct stat st;
    const char *why = NULL;
    char size_text[160];
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        why = strerror(errno);
    else if (fstat(fd, &st) != 0)
        why = strerror(errno);
    else if (S_ISDIR(st.st_mode))
        why = "it is a directory";
    else if (!S_ISREG(st.st_mode))
        why = "it is not a regular file (a FIFO, device or socket): scenarios are read from "
              "files";
    else if ((uint64_t)st.st_size > LD_MAX_FILE_BYTES) {
        snprintf(size_text, sizeof size_text,
                 "it is %llu bytes; a scenario file is at most %u MB (generate fewer steps, or "
                 "use count: and repeat:)",
                 (unsigned long long)st.st_size, LD_MAX_FILE_BYTES >> 20);
        why = size_text;
    }
    unsigned char *text = NULL;
    if (!why) {
        text = ld_calloc((size_t)st.st_size + 1, 1);
        size_t got = 0;
        while (got < (size_t)st.st_size) {
            ssize_t n = read(fd, text + got, (size_t)st.st_size - got);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0) {
                why = n < 0 ? strerror(errno) : "it changed while it was read";
                break;
            }
            got += (size_t)n;
        }
        *len = got;
    }
    if (fd >= 0)
        close(fd);
    if (why) {
        free(text);
        snprintf(diag->text, sizeof diag->text, "%s:1:1: cannot read the file: %s", path, why);
        return NULL;
    }
    return text;
}

struct scenario *scenario_load_with_overrides(const char *path, const char *const *sets,
                                              size_t n_sets, struct scenario_diag *diag)
{
    size_t len = 0;
    unsigned char *text = read_scenario_file(path, &len, diag);
    if (!text || !ld_guard(path, text, len, diag)) {
        free(text);
        return NULL;
    }
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, text, len);
    struct scenario *s = parse(&parser, path, sets, n_sets, diag);
    yaml_parser_delete(&parser);
    free(text);
    return s;
}

struct scenario *scenario_load(const char *path, struct scenario_diag *diag)
{
    return scenario_load_with_overrides(path, NULL, 0, diag);
}

struct scenario *scenario_parse_string_with_overrides(const char *yaml, const char *file_name,
                                                      const char *const *sets, size_t n_sets,
                                                      struct scenario_diag *diag)
{
    memset(diag, 0, sizeof(*diag));
    if (!ld_guard(file_name, (const unsigned char *)yaml, strlen(yaml), diag))
        return NULL;
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_string(&parser, (const unsigned char *)yaml, strlen(yaml));
    struct scenario *s = parse(&parser, file_name, sets, n_sets, diag);
    yaml_parser_delete(&parser);
    return s;
}

struct scenario *scenario_parse_string(const char *yaml, const char *file_name,
                                       struct scenario_diag *diag)
{
    return scenario_parse_string_with_overrides(yaml, file_name, NULL, 0, diag);
}

static void free_value(struct scn_value *v);

static void free_fields(struct scn_field *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(f[i].name);
        free_value(&f[i].value);
    }
    free(f);
}

static void free_value(struct scn_value *v)
{
    free_fields(v->fields, v->n_fields);
    free(v->list);
}

static void free_steps(struct scn_step *steps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct scn_step *s = &steps[i];
        free(s->id);
        free_fields(s->action.args, s->action.n_args);
        free(s->action.until_output);
        free_steps(s->action.children, s->action.n_children);
        for (size_t j = 0; j < s->n_checks; j++) {
            free(s->checks[j].path);
            free(s->checks[j].text);
        }
        free(s->checks);
    }
    free(steps);
}

void scenario_free(struct scenario *s)
{
    if (!s)
        return;
    struct scn_platform *p = &s->platform;
    for (size_t i = 0; i < p->n_memory; i++)
        free(p->memory[i].name);
    free(p->memory);
    for (size_t i = 0; i < p->n_devices; i++) {
        free(p->devices[i].name);
        free(p->devices[i].model);
    }
    free(p->devices);
    free(p->gpt_regions);
    for (size_t i = 0; i < s->n_realms; i++) {
        free(s->realms[i].name);
        free(s->realms[i].image_file);
    }
    free(s->realms);
    free_steps(s->steps, s->n_steps);
    for (size_t i = 0; i < s->n_finals; i++)
        free(s->finals[i].text);
    free(s->finals);
    free(s->file);
    free(s->name);
    free(s->description);
    free(s);
}

static int find_step(const struct scn_step *steps, size_t n, const char *id, int *counter)
{
    for (size_t i = 0; i < n; i++) {
        int here = (*counter)++;
        if (steps[i].id && strcmp(steps[i].id, id) == 0)
            return here;
        int found = find_step(steps[i].action.children, steps[i].action.n_children, id, counter);
        if (found >= 0)
            return found;
    }
    return -1;
}

int scenario_find_step(const struct scenario *s, const char *id)
{
    int counter = 0;
    return find_step(s->steps, s->n_steps, id, &counter);
}

int scenario_find_device(const struct scenario *s, const char *name)
{
    for (size_t i = 0; i < s->platform.n_devices; i++)
        if (strcmp(s->platform.devices[i].name, name) == 0)
            return (int)i;
    return -1;
}

int scenario_find_realm(const struct scenario *s, const char *name)
{
    for (size_t i = 0; i < s->n_realms; i++)
        if (strcmp(s->realms[i].name, name) == 0)
            return (int)i;
    return -1;
}
