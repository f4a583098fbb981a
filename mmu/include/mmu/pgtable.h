/* Writing translation tables into simulated memory, for the software models (EL3, the host,
 * the RMM, the guest) and for tests: every descriptor is a real store through a memory port. */
#ifndef MMU_PGTABLE_H
#define MMU_PGTABLE_H

#include <stdint.h>

#include "mem/port.h"

/* Hands out a zeroed, granule-aligned table page; 0 when out of memory. */
typedef uint64_t (*pt_alloc_fn)(void *ctx);

struct pt_builder {
    const struct mem_port *port;
    enum rme_pas pas;      /* the PAS the tables live in (the walk's PAS) */
    unsigned granule_bits; /* 12, 14, 16 */
    unsigned inputsize;    /* 64 - TnSZ */
    int start_level;       /* where the walk starts (stage 2: SL0; stage 1: from inputsize) */
    uint64_t root;         /* the start-level table (concatenated tables are contiguous) */
    pt_alloc_fn alloc;
    void *alloc_ctx;
    uint64_t cycles; /* what the stores cost */
};

/* The start level a stage-1 walk of inputsize bits begins at. */
int pt_s1_start_level(unsigned granule_bits, unsigned inputsize);

/* Map [ia, ia+size) to [oa, oa+size) with leaf descriptors at leaf_level, ORing `attrs` into
 * each (AF, AP, NS, MemAttr...). ia, oa and size must be aligned to the leaf size.
 * Returns 0, or -1 if a table could not be allocated or a block is in the way. */
int pt_map(struct pt_builder *b, uint64_t ia, uint64_t oa, uint64_t size, uint64_t attrs,
           int leaf_level);

/* Replace the leaf descriptor for ia at leaf_level (0 makes it invalid). */
int pt_set_leaf(struct pt_builder *b, uint64_t ia, uint64_t desc, int leaf_level);

#endif
