/* Sparse physical memory: DRAM regions backed page by page on first write, and devices that
 * claim PA ranges. Storage is PAS-agnostic, as DRAM behind the Point of Physical Aliasing is:
 * the same PA in two PASes is the same location, and only the GPC keeps worlds apart. */
#ifndef MEM_PHYS_MEM_H
#define MEM_PHYS_MEM_H

#include <stddef.h>
#include <stdint.h>

#include "mem/port.h"

#define PHYS_PAGE_SHIFT 12
#define PHYS_PAGE_SIZE (1ull << PHYS_PAGE_SHIFT)

/* A device model: offset is relative to the device base. Returning false raises an External abort.
 */
struct mem_device_ops {
    bool (*read)(void *dev, uint64_t offset, unsigned size, enum rme_pas pas, uint64_t *value);
    bool (*write)(void *dev, uint64_t offset, unsigned size, enum rme_pas pas, uint64_t value);
};

enum phys_mem_error {
    PHYS_MEM_OK = 0,
    PHYS_MEM_OVERLAP,   /* the new range overlaps an existing region or device */
    PHYS_MEM_BAD_RANGE, /* zero size, wraps, or not page aligned */
    PHYS_MEM_NO_ROOM,   /* too many regions or devices */
};

struct phys_mem;

struct phys_mem *phys_mem_create(void);
void phys_mem_destroy(struct phys_mem *mem);

enum phys_mem_error phys_mem_add_ram(struct phys_mem *mem, const char *name, uint64_t base,
                                     uint64_t size);
enum phys_mem_error phys_mem_add_device(struct phys_mem *mem, const char *name, uint64_t base,
                                        uint64_t size, const struct mem_device_ops *ops, void *dev);

/* Latencies charged by the direct port (the platform's interconnect charges its own). */
void phys_mem_set_latency(struct phys_mem *mem, uint32_t ram_cycles, uint32_t device_cycles);

/* Untimed accesses. Accesses must not cross a page boundary; a misaligned one is split. */
enum mem_status phys_mem_read(struct phys_mem *mem, uint64_t pa, enum rme_pas pas, unsigned size,
                              uint64_t *value);
enum mem_status phys_mem_write(struct phys_mem *mem, uint64_t pa, enum rme_pas pas, unsigned size,
                               uint64_t value);

/* Bulk byte copies for loaders and checks (RAM only; false if any byte is outside RAM). */
bool phys_mem_read_bytes(struct phys_mem *mem, uint64_t pa, void *buf, size_t len);
bool phys_mem_write_bytes(struct phys_mem *mem, uint64_t pa, const void *buf, size_t len);

/* Host storage of the RAM page holding pa, allocated on demand: the platform grants it as a
 * TLM-2.0 DMI region. NULL if pa is not RAM. The pointer is valid until phys_mem_zero releases
 * the page (the release hook says when) or phys_mem_destroy. */
uint8_t *phys_mem_page_ptr(struct phys_mem *mem, uint64_t pa);
/* The same without allocating: NULL also when the page was never written (it reads as zero). */
uint8_t *phys_mem_page_if_present(struct phys_mem *mem, uint64_t pa);

/* Zero [pa, pa+size) of RAM (page aligned) by releasing its pages' storage: a page that was
 * never written and a released one read as zeros, and writing zeros to either allocates
 * nothing. False (nothing changed) if the range is not page aligned or not inside one RAM
 * region. */
bool phys_mem_zero(struct phys_mem *mem, uint64_t pa, uint64_t size);
/* Called with a page's PA just before phys_mem_zero frees its storage (the platform withdraws
 * the page's DMI grants: TLM-2.0 invalidate_direct_mem_ptr). One hook; NULL removes it. */
typedef void (*phys_mem_release_fn)(void *ctx, uint64_t pa);
void phys_mem_on_release(struct phys_mem *mem, phys_mem_release_fn fn, void *ctx);

/* Is [pa, pa+size) entirely inside one RAM region? */
bool phys_mem_is_ram(const struct phys_mem *mem, uint64_t pa, uint64_t size);
/* The name of the region or device holding pa, or NULL. */
const char *phys_mem_owner(const struct phys_mem *mem, uint64_t pa);

/* How many 4K pages have host storage behind them (a 1 TiB region costs nothing until touched
 * with something other than zeros). */
size_t phys_mem_resident_pages(const struct phys_mem *mem);
/* The host memory this store holds: its pages' storage and its page table. */
size_t phys_mem_host_bytes(const struct phys_mem *mem);
/* Whether a write could not store its page since the memory was created (this process ran out
 * of memory; the write answered MEM_EXTERNAL_ABORT): the caller's run is then not the platform's
 * and must stop with an error, not go on as if the platform had aborted the access. */
bool phys_mem_out_of_memory(const struct phys_mem *mem);

/* A port straight onto this memory, charging the configured latencies. */
struct mem_port phys_mem_port(struct phys_mem *mem);

#endif
