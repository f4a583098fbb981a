/* Top level: parse the document, then the sections in dependency order. */
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "loader.h"

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
    struct ld c = {file, &doc, diag, s};
    bool ok = ld_apply_overrides(&c, sets, n_sets) && document(&c);
    /* A second document in the stream is a mistake, not something to ignore. */
    if (ok) {
        yaml_document_t extra;
        if (yaml_parser_load(parser, &extra)) {
            yaml_node_t *root = yaml_document_get_root_node(&extra);
            if (root)
                ok = ld_fail(&(struct ld){file, &extra, diag, s}, root,
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

struct scenario *scenario_load_with_overrides(const char *path, const char *const *sets,
                                              size_t n_sets, struct scenario_diag *diag)
{
    struct stat st;
    FILE *f = stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? NULL : fopen(path, "rb");
    if (!f) {
        memset(diag, 0, sizeof(*diag));
        snprintf(diag->text, sizeof diag->text, "%s:1:1: cannot open the file: %s", path,
                 stat(path, &st) == 0 && S_ISDIR(st.st_mode) ? "it is a directory"
                                                             : strerror(errno));
        diag->line = diag->column = 1;
        return NULL;
    }
    yaml_parser_t parser;
    yaml_parser_initialize(&parser);
    yaml_parser_set_input_file(&parser, f);
    struct scenario *s = parse(&parser, path, sets, n_sets, diag);
    yaml_parser_delete(&parser);
    fclose(f);
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
