/* Internal: the loader's context and YAML node helpers. Each helper reports the first error
 * as "FILE:LINE:COLUMN: message" and returns false; parsing stops at the first error. */
#ifndef SCENARIO_LOADER_H
#define SCENARIO_LOADER_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <yaml.h>

#include "scenario/scenario.h"

struct ld {
    const char *file;
    yaml_document_t *doc;
    struct scenario_diag *diag;
    struct scenario *s;
    unsigned repeat_depth; /* repeats around the step being loaded */
};

/* The start_mark.index of a node an override brought; its start_mark.line is the override's
 * 1-based index (overrides.c). */
#define LD_OVERRIDE_MARK ((size_t)-1)

#define LD_PRINTF(a, b) __attribute__((format(printf, a, b)))

bool ld_fail(struct ld *c, const yaml_node_t *n, const char *fmt, ...) LD_PRINTF(3, 4);
bool ld_fail_at(struct ld *c, struct scn_pos pos, const char *fmt, ...) LD_PRINTF(3, 4);
bool ld_vfail(struct ld *c, struct scn_pos pos, const char *fmt, va_list ap);
struct scn_pos ld_pos(const yaml_node_t *n);

yaml_node_t *ld_node(struct ld *c, int index);
bool ld_is_map(const yaml_node_t *n);
bool ld_is_seq(const yaml_node_t *n);
bool ld_is_scalar(const yaml_node_t *n);
const char *ld_scalar(const yaml_node_t *n); /* NUL-terminated text of a scalar */

bool ld_want_map(struct ld *c, const yaml_node_t *n, const char *what);
bool ld_want_seq(struct ld *c, const yaml_node_t *n, const char *what);
bool ld_want_scalar(struct ld *c, const yaml_node_t *n, const char *what);

/* "a, b, c" from a NULL-terminated list of names, for messages. */
const char *ld_join(const char *const *names, char *buf, size_t len);

/* Every key of map n must be in the NULL-terminated list; no key twice. */
bool ld_check_keys(struct ld *c, const yaml_node_t *n, const char *what,
                   const char *const *allowed);
/* The value node of key in map n, or NULL. If key_node is given, the key's node is stored. */
yaml_node_t *ld_get(struct ld *c, const yaml_node_t *n, const char *key);
yaml_node_t *ld_get_key_node(struct ld *c, const yaml_node_t *n, const char *key);
bool ld_require(struct ld *c, const yaml_node_t *map, const char *key, const char *what,
                yaml_node_t **out);

/* Numbers: decimal or 0x hex, '_' separators; sizes may end in K M G T (powers of 1024). */
bool ld_u64(struct ld *c, const yaml_node_t *n, const char *what, uint64_t *out);
bool ld_size(struct ld *c, const yaml_node_t *n, const char *what, uint64_t *out);
bool ld_int(struct ld *c, const yaml_node_t *n, const char *what, int64_t *out);
bool ld_uint_range(struct ld *c, const yaml_node_t *n, const char *what, uint64_t lo, uint64_t hi,
                   unsigned *out);
bool ld_bool(struct ld *c, const yaml_node_t *n, const char *what, bool *out);
bool ld_string(struct ld *c, const yaml_node_t *n, const char *what, char **out);
bool ld_name(struct ld *c, const yaml_node_t *n, const struct scn_name_table *t, unsigned *code);

/* Parse a number from text; false on syntax error or overflow. */
bool ld_parse_number(const char *text, bool allow_suffix, uint64_t *out);

/* Applies the overrides "PATH=VALUE" to c->doc in order (overrides.c). */
bool ld_apply_overrides(struct ld *c, const char *const *sets, size_t n_sets);

bool ld_platform(struct ld *c, const yaml_node_t *n);

/* Shared by the step loaders (load_steps.c, load_calls.c, load_maintenance.c). */
bool ld_actor(struct ld *c, const yaml_node_t *n, struct scn_actor *a);
bool ld_pa_in_range(struct ld *c, const yaml_node_t *n, const char *what, uint64_t pa,
                    uint64_t size);
/* The optional `backing: shared|private` of a { realm, ipa } map n (SCN_BACKING_BY_ATTRIBUTE
 * when absent) */
bool ld_backing(struct ld *c, const yaml_node_t *n, unsigned *backing);
bool ld_realm_and_ipa(struct ld *c, const yaml_node_t *n, const char *what, unsigned *realm,
                      uint64_t *ipa);
/* A map naming an RTT ({ realm, rtt }) or a REC's auxiliary granule ({ realm, rec, aux }),
 * and its loader. */
bool ld_is_pa_name(struct ld *c, const yaml_node_t *n);
bool ld_pa_name(struct ld *c, const yaml_node_t *n, const char *what, struct scn_pa_name *out);
bool ld_call(struct ld *c, const yaml_node_t *n, struct scn_action *a, bool rmi);
bool ld_stop_at(struct ld *c, const yaml_node_t *n, struct scn_step *s);
bool ld_complete(struct ld *c, const yaml_node_t *n, struct scn_action *a);
bool ld_run(struct ld *c, const yaml_node_t *n, struct scn_step *s);
bool ld_tlbi(struct ld *c, const yaml_node_t *n, struct scn_action *a);
bool ld_gpt_op(struct ld *c, const yaml_node_t *n, struct scn_action *a);
bool ld_realms(struct ld *c, const yaml_node_t *n);
bool ld_steps(struct ld *c, const yaml_node_t *n);
/* No step on a realm's secondary vCPU before a step that can have started it (load_vcpu_start.c) */
bool ld_secondaries_started(struct ld *c);
/* One step (or a parallel group, or a repeat) into s. */
bool ld_step(struct ld *c, const yaml_node_t *n, struct scn_step *s, bool in_parallel);
bool ld_repeat(struct ld *c, const yaml_node_t *n, struct scn_step *s);
/* A load or store's `pas` (el3 only) and `value` (required on a store; on a load only when it
 * writes: writes) */
bool ld_access_pas_value(struct ld *c, const yaml_node_t *n, const struct scn_step *step,
                         struct scn_action *a, bool writes);
/* pattern: { ... } of a load or store (load_pattern.c); access_size already known */
bool ld_pattern(struct ld *c, const yaml_node_t *n, const struct scn_step *step,
                struct scn_action *a);
bool ld_step_checks(struct ld *c, const yaml_node_t *n, struct scn_step *step);
bool ld_finals(struct ld *c, const yaml_node_t *n);
bool ld_value(struct ld *c, const yaml_node_t *n, struct scn_value *v);

void *ld_calloc(size_t n, size_t size); /* aborts the process on exhaustion */
char *ld_strdup(const char *s);

#endif
