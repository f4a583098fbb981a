/* Internal: the limits a scenario file is held to before it is loaded (yaml_guard.c). */
#ifndef SCENARIO_YAML_GUARD_H
#define SCENARIO_YAML_GUARD_H

#include <stdbool.h>
#include <stddef.h>

#include "scenario/scenario.h"

#define LD_MAX_FILE_BYTES (64u << 20) /* a scenario file's size */
#define LD_MAX_DEPTH 64               /* maps and lists inside each other */
#define LD_MAX_NODES 1000000          /* nodes, each alias counted as the nodes it names */

/* The YAML in text[0..len) is well formed (encoding included), within the limits above, has no
 * tags and no key twice in one map. False with diag ("FILE:LINE:COLUMN: message") otherwise. */
bool ld_guard(const char *file, const unsigned char *text, size_t len, struct scenario_diag *diag);

#endif
