/* repeat: { times, steps }: a step list run `times` times, as an item of a step list
 * (docs/scenarios.md, "Repeat"). Nothing is copied: the runner runs the body again. */
#include <stdint.h>

#include "loader.h"

static const char *const repeat_keys[] = {"times", "steps", NULL};

uint64_t scenario_steps_run(const struct scn_step *steps, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n; i++) {
        const struct scn_action *a = &steps[i].action;
        uint64_t one = a->kind == SCN_ACT_PARALLEL ? a->n_children
                       : a->kind == SCN_ACT_REPEAT ? scenario_steps_run(a->children, a->n_children)
                                                   : 1;
        if (a->kind == SCN_ACT_REPEAT)
            one = one > UINT64_MAX / a->times ? UINT64_MAX : one * a->times;
        total = total > UINT64_MAX - one ? UINT64_MAX : total + one;
    }
    return total;
}

bool ld_repeat(struct ld *c, const yaml_node_t *n, struct scn_step *s)
{
    yaml_node_t *v;
    if (!ld_want_map(c, n, "repeat") || !ld_check_keys(c, n, "repeat", repeat_keys))
        return false;
    if (c->repeat_depth >= SCN_REPEAT_MAX_DEPTH)
        return ld_fail(c, n, "repeat nests %u deep here; at most %u repeats may nest",
                       c->repeat_depth + 1, SCN_REPEAT_MAX_DEPTH);
    if (!ld_require(c, n, "times", "repeat", &v) || !ld_size(c, v, "times", &s->action.times))
        return false;
    if (s->action.times < 1 || s->action.times > SCN_REPEAT_MAX_TIMES)
        return ld_fail(c, v, "repeat times must be between 1 and %llu, got %llu",
                       (unsigned long long)SCN_REPEAT_MAX_TIMES,
                       (unsigned long long)s->action.times);
    yaml_node_t *body;
    if (!ld_require(c, n, "steps", "repeat", &body) || !ld_want_seq(c, body, "repeat steps"))
        return false;
    size_t count = (size_t)(body->data.sequence.items.top - body->data.sequence.items.start);
    if (count == 0)
        return ld_fail(c, body, "repeat needs at least one step");
    s->action.children = ld_calloc(count, sizeof(struct scn_step));
    c->repeat_depth++;
    bool ok = true;
    for (size_t i = 0; i < count && ok; i++) {
        s->action.n_children = i + 1;
        ok = ld_step(c, ld_node(c, body->data.sequence.items.start[i]), &s->action.children[i],
                     false);
    }
    c->repeat_depth--;
    if (ok && scenario_steps_run(s, 1) > SCN_MAX_STEPS_RUN)
        return ld_fail(c, v, "this repeat runs more than %llu steps",
                       (unsigned long long)SCN_MAX_STEPS_RUN);
    return ok;
}
