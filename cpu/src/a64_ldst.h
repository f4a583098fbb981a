/* Private: memory helpers shared by the load/store and atomic executors (a64_ldst.c). Each
 * returns false after taking the fault (the step's outcome is set). */
#ifndef CPU_A64_LDST_H
#define CPU_A64_LDST_H

#include "a64_internal.h"

/* iss: the instruction syndrome for a stage-2 abort, and WnR for a read (a64_mem_write sets it). */
bool a64_mem_read(struct a64_core *c, struct a64_result *st, uint64_t va, unsigned size,
                  unsigned kind, uint64_t *v, uint32_t iss);
bool a64_mem_write(struct a64_core *c, struct a64_result *st, uint64_t va, unsigned size,
                   unsigned kind, uint64_t v, uint32_t iss);
bool a64_check_alignment(struct a64_core *c, struct a64_result *st, uint64_t va, unsigned size,
                         unsigned align, bool write);
bool a64_base(struct a64_core *c, struct a64_result *st, unsigned n, uint64_t *base);
/* A loaded value of 1 << size bytes, sign- or zero-extended, as a W (sf false) or X register. */
uint64_t a64_load_extend(uint64_t v, unsigned size, bool sign, bool sf);

#endif
