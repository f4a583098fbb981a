/* The one way a requester (GPT walker, table walker, core) reaches physical memory.
 * Lower layers receive a port and never know what is behind it: the sparse store directly
 * in unit tests, or the platform's interconnect (with contention and tracing) in a run. */
#ifndef MEM_PORT_H
#define MEM_PORT_H

#include <stdbool.h>
#include <stdint.h>

#include "mem/pas.h"

enum mem_status {
    MEM_OK = 0,
    MEM_EXTERNAL_ABORT, /* nothing at that PA, or the target refused: a synchronous External abort
                         */
};

struct mem_port {
    void *ctx;
    /* size is 1, 2, 4 or 8; little-endian. *cycles is increased by the access latency. */
    enum mem_status (*read)(void *ctx, uint64_t pa, enum rme_pas pas, unsigned size,
                            uint64_t *value, uint64_t *cycles);
    enum mem_status (*write)(void *ctx, uint64_t pa, enum rme_pas pas, unsigned size,
                             uint64_t value, uint64_t *cycles);
};

static inline enum mem_status mem_read(const struct mem_port *port, uint64_t pa, enum rme_pas pas,
                                       unsigned size, uint64_t *value, uint64_t *cycles)
{
    return port->read(port->ctx, pa, pas, size, value, cycles);
}

static inline enum mem_status mem_write(const struct mem_port *port, uint64_t pa, enum rme_pas pas,
                                        unsigned size, uint64_t value, uint64_t *cycles)
{
    return port->write(port->ctx, pa, pas, size, value, cycles);
}

#endif
