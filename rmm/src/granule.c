#include "rmm/granule.h"

#include <stdlib.h>
#include <string.h>

const char *granule_state_name(enum granule_state s)
{
    static const char *const names[] = {"UNDELEGATED", "DELEGATED", "RD", "REC",
                                        "REC_AUX",     "DATA",      "RTT"};
    return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "?";
}

bool granule_table_init(struct granule_table *t, const struct pa_range *ranges, size_t n)
{
    memset(t, 0, sizeof(*t));
    if (n > GRANULE_MAX_RANGES)
        return false;
    for (size_t i = 0; i < n; i++) {
        if ((ranges[i].base | ranges[i].size) & (GRANULE_SIZE - 1))
            return false;
        t->ranges[i] = ranges[i];
    }
    t->n_ranges = n;
    return true;
}

#define CHUNK (2ull << 20)

void granule_table_free(struct granule_table *t)
{
    for (size_t i = 0; i < t->n_ranges; i++) {
        if (!t->chunks[i])
            continue;
        for (uint64_t c = 0; c < (t->ranges[i].size + CHUNK - 1) / CHUNK; c++)
            free(t->chunks[i][c]);
        free(t->chunks[i]);
    }
    memset(t, 0, sizeof(*t));
}

struct granule *granule_find(struct granule_table *t, uint64_t pa)
{
    for (size_t i = 0; i < t->n_ranges; i++) {
        if (pa - t->ranges[i].base >= t->ranges[i].size)
            continue;
        uint64_t off = pa - t->ranges[i].base, c = off / CHUNK;
        if (!t->chunks[i]) {
            t->chunks[i] = calloc((t->ranges[i].size + CHUNK - 1) / CHUNK, sizeof(*t->chunks[i]));
            if (!t->chunks[i])
                return NULL;
        }
        if (!t->chunks[i][c]) {
            /* untouched granules are UNDELEGATED with no references: calloc's zeros */
            t->chunks[i][c] = calloc(CHUNK / GRANULE_SIZE, sizeof(struct granule));
            if (!t->chunks[i][c])
                return NULL;
        }
        return &t->chunks[i][c][(off % CHUNK) / GRANULE_SIZE];
    }
    return NULL;
}

const struct granule *granule_peek(const struct granule_table *t, uint64_t pa)
{
    for (size_t i = 0; i < t->n_ranges; i++) {
        uint64_t off = pa - t->ranges[i].base, c = off / CHUNK;
        if (off >= t->ranges[i].size)
            continue;
        if (!t->chunks[i] || !t->chunks[i][c])
            return NULL;
        return &t->chunks[i][c][(off % CHUNK) / GRANULE_SIZE];
    }
    return NULL;
}
