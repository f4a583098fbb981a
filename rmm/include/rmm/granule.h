/* The RMM's view of physical memory: one record per 4KB granule of the delegable DRAM, with the
 * specification's states (A2.2.3) and a reference count. */
#ifndef RMM_GRANULE_H
#define RMM_GRANULE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum granule_state {
    GRANULE_UNDELEGATED = 0,
    GRANULE_DELEGATED,
    GRANULE_RD,
    GRANULE_REC,
    GRANULE_REC_AUX,
    GRANULE_DATA,
    GRANULE_RTT,
};

const char *granule_state_name(enum granule_state s);

struct granule {
    uint8_t state;
    uint32_t refcount; /* RD: RECs; RTT: live entries (A2.1.4); REC: nothing */
    void *obj;         /* RD: struct rmm_realm, REC: struct rmm_rec */
};

struct pa_range {
    uint64_t base, size;
};

#define GRANULE_SIZE 4096ull
#define GRANULE_MAX_RANGES 16

struct granule_table {
    struct pa_range ranges[GRANULE_MAX_RANGES];
    size_t n_ranges;
    /* per range, 2MB chunks of 512 records each, allocated on first use (a 1TB range costs
     * 4MB of chunk pointers until touched) */
    struct granule **chunks[GRANULE_MAX_RANGES];
};

/* PaIsDelegable: inside one of the platform's DRAM ranges (TF-RMM: a DRAM bank it knows). */
bool granule_table_init(struct granule_table *t, const struct pa_range *ranges, size_t n);
void granule_table_free(struct granule_table *t);
/* The granule of a 4KB-aligned PA, or NULL when it is not delegable. */
struct granule *granule_find(struct granule_table *t, uint64_t pa);
/* The same for an inspection that must change nothing: NULL for a granule of a chunk never
 * touched (UNDELEGATED, no references) or outside the table. */
const struct granule *granule_peek(const struct granule_table *t, uint64_t pa);

#endif
