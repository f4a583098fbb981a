/* Sparse physical memory: an open-addressed hash of 4K pages plus a one-entry cache in front
 * of it (most runs touch the same page many times in a row). */
#include "mem/phys_mem.h"

#include <stdlib.h>
#include <string.h>

#define MAX_RANGES 64

struct range {
    char name[32];
    uint64_t base, size;
    const struct mem_device_ops *ops; /* NULL for RAM */
    void *dev;
};

struct page_slot {
    uint64_t pfn; /* page number + 1; 0 marks an empty slot; TOMB a released one */
    uint8_t *data;
};

#define TOMB (~0ull)

struct phys_mem {
    struct range ranges[MAX_RANGES];
    unsigned nranges;
    struct page_slot *slots;
    size_t nslots, npages, ntombs;
    uint64_t last_pfn; /* page number + 1 of the cached lookup */
    uint8_t *last_data;
    uint32_t ram_cycles, device_cycles;
    bool out_of_memory; /* a page could not be stored: this process's memory, not the platform's */
    phys_mem_release_fn on_release; /* told before a page's storage is freed */
    void *release_ctx;
};

struct phys_mem *phys_mem_create(void)
{
    struct phys_mem *mem = calloc(1, sizeof(*mem));
    if (!mem)
        return NULL;
    mem->nslots = 1024;
    mem->slots = calloc(mem->nslots, sizeof(*mem->slots));
    if (!mem->slots) {
        free(mem);
        return NULL;
    }
    mem->ram_cycles = 1;
    mem->device_cycles = 1;
    return mem;
}

void phys_mem_destroy(struct phys_mem *mem)
{
    if (!mem)
        return;
    for (size_t i = 0; i < mem->nslots; i++)
        free(mem->slots[i].data);
    free(mem->slots);
    free(mem);
}

void phys_mem_set_latency(struct phys_mem *mem, uint32_t ram_cycles, uint32_t device_cycles)
{
    mem->ram_cycles = ram_cycles;
    mem->device_cycles = device_cycles;
}

static bool overlaps(uint64_t a, uint64_t asz, uint64_t b, uint64_t bsz)
{
    return a < b + bsz && b < a + asz;
}

static enum phys_mem_error add_range(struct phys_mem *mem, const char *name, uint64_t base,
                                     uint64_t size, const struct mem_device_ops *ops, void *dev)
{
    if (size == 0 || base + size < base || (base | size) & (PHYS_PAGE_SIZE - 1))
        return PHYS_MEM_BAD_RANGE;
    for (unsigned i = 0; i < mem->nranges; i++)
        if (overlaps(base, size, mem->ranges[i].base, mem->ranges[i].size))
            return PHYS_MEM_OVERLAP;
    if (mem->nranges == MAX_RANGES)
        return PHYS_MEM_NO_ROOM;
    struct range *r = &mem->ranges[mem->nranges++];
    strncpy(r->name, name ? name : "", sizeof(r->name) - 1);
    r->base = base;
    r->size = size;
    r->ops = ops;
    r->dev = dev;
    return PHYS_MEM_OK;
}

enum phys_mem_error phys_mem_add_ram(struct phys_mem *mem, const char *name, uint64_t base,
                                     uint64_t size)
{
    return add_range(mem, name, base, size, NULL, NULL);
}

enum phys_mem_error phys_mem_add_device(struct phys_mem *mem, const char *name, uint64_t base,
                                        uint64_t size, const struct mem_device_ops *ops, void *dev)
{
    return ops ? add_range(mem, name, base, size, ops, dev) : PHYS_MEM_BAD_RANGE;
}

static const struct range *find_range(const struct phys_mem *mem, uint64_t pa)
{
    for (unsigned i = 0; i < mem->nranges; i++) {
        const struct range *r = &mem->ranges[i];
        if (pa - r->base < r->size)
            return r;
    }
    return NULL;
}

bool phys_mem_is_ram(const struct phys_mem *mem, uint64_t pa, uint64_t size)
{
    const struct range *r = find_range(mem, pa);
    return r && !r->ops && size <= r->size - (pa - r->base);
}

const char *phys_mem_owner(const struct phys_mem *mem, uint64_t pa)
{
    const struct range *r = find_range(mem, pa);
    return r ? r->name : NULL;
}

size_t phys_mem_resident_pages(const struct phys_mem *mem)
{
    return mem->npages;
}

size_t phys_mem_host_bytes(const struct phys_mem *mem)
{
    return sizeof(*mem) + mem->nslots * sizeof(*mem->slots) + mem->npages * PHYS_PAGE_SIZE;
}

static size_t hash_pfn(uint64_t pfn, size_t nslots)
{
    pfn *= 0x9E3779B97F4A7C15ull; /* Fibonacci hashing spreads sequential pages */
    return (size_t)(pfn >> 20) & (nslots - 1);
}

/* Rehash without the released slots: twice as large when the live pages alone fill a quarter. */
static bool grow(struct phys_mem *mem)
{
    size_t nslots = (mem->npages + 1) * 4 > mem->nslots ? mem->nslots * 2 : mem->nslots;
    struct page_slot *slots = calloc(nslots, sizeof(*slots));
    if (!slots)
        return false;
    for (size_t i = 0; i < mem->nslots; i++) {
        if (!mem->slots[i].pfn || mem->slots[i].pfn == TOMB)
            continue;
        size_t h = hash_pfn(mem->slots[i].pfn, nslots);
        while (slots[h].pfn)
            h = (h + 1) & (nslots - 1);
        slots[h] = mem->slots[i];
    }
    free(mem->slots);
    mem->slots = slots;
    mem->nslots = nslots;
    mem->ntombs = 0;
    return true;
}

/* The slot holding the page of pa, or NULL. */
static struct page_slot *find_slot(struct phys_mem *mem, uint64_t key)
{
    size_t h = hash_pfn(key, mem->nslots);
    while (mem->slots[h].pfn) {
        if (mem->slots[h].pfn == key)
            return &mem->slots[h];
        h = (h + 1) & (mem->nslots - 1);
    }
    return NULL;
}

/* The page's storage; NULL if never written (or released) and !create. */
static uint8_t *page(struct phys_mem *mem, uint64_t pa, bool create)
{
    uint64_t key = (pa >> PHYS_PAGE_SHIFT) + 1;
    if (key == mem->last_pfn)
        return mem->last_data;
    struct page_slot *slot = find_slot(mem, key);
    if (slot) {
        mem->last_pfn = key;
        mem->last_data = slot->data;
        return mem->last_data;
    }
    if (!create)
        return NULL;
    /* released slots count as used: probe chains stay intact until the next rehash */
    if ((mem->npages + mem->ntombs + 1) * 2 > mem->nslots && !grow(mem)) {
        mem->out_of_memory = true;
        return NULL;
    }
    size_t h = hash_pfn(key, mem->nslots);
    while (mem->slots[h].pfn && mem->slots[h].pfn != TOMB)
        h = (h + 1) & (mem->nslots - 1);
    uint8_t *data = calloc(1, PHYS_PAGE_SIZE);
    if (!data) {
        mem->out_of_memory = true;
        return NULL;
    }
    if (mem->slots[h].pfn == TOMB)
        mem->ntombs--;
    mem->slots[h] = (struct page_slot){key, data};
    mem->npages++;
    mem->last_pfn = key;
    mem->last_data = data;
    return data;
}

bool phys_mem_out_of_memory(const struct phys_mem *mem)
{
    return mem->out_of_memory;
}

uint8_t *phys_mem_page_ptr(struct phys_mem *mem, uint64_t pa)
{
    if (!phys_mem_is_ram(mem, pa & ~(PHYS_PAGE_SIZE - 1), PHYS_PAGE_SIZE))
        return NULL;
    return page(mem, pa, true);
}

void phys_mem_on_release(struct phys_mem *mem, phys_mem_release_fn fn, void *ctx)
{
    mem->on_release = fn;
    mem->release_ctx = ctx;
}

bool phys_mem_zero(struct phys_mem *mem, uint64_t pa, uint64_t size)
{
    if ((pa | size) & (PHYS_PAGE_SIZE - 1) || !phys_mem_is_ram(mem, pa, size))
        return false;
    for (uint64_t at = pa; at - pa < size; at += PHYS_PAGE_SIZE) {
        uint64_t key = (at >> PHYS_PAGE_SHIFT) + 1;
        struct page_slot *slot = find_slot(mem, key);
        if (!slot)
            continue;
        if (mem->on_release) /* whoever holds a pointer to the page drops it first */
            mem->on_release(mem->release_ctx, at);
        free(slot->data);
        slot->pfn = TOMB;
        slot->data = NULL;
        mem->npages--;
        mem->ntombs++;
        if (mem->last_pfn == key)
            mem->last_pfn = 0;
    }
    return true;
}

uint8_t *phys_mem_page_if_present(struct phys_mem *mem, uint64_t pa)
{
    if (!phys_mem_is_ram(mem, pa & ~(PHYS_PAGE_SIZE - 1), PHYS_PAGE_SIZE))
        return NULL;
    return page(mem, pa, false);
}

static bool valid_size(unsigned size)
{
    return size == 1 || size == 2 || size == 4 || size == 8;
}

static void copy_out(struct phys_mem *mem, uint64_t pa, uint8_t *out, size_t len);
static bool copy_in(struct phys_mem *mem, uint64_t pa, const uint8_t *in, size_t len);

/* Accesses are at most 8 bytes: at most two pages. */
static void ram_read(struct phys_mem *mem, uint64_t pa, unsigned size, uint64_t *value)
{
    uint8_t bytes[8];
    copy_out(mem, pa, bytes, size);
    uint64_t v = 0;
    for (unsigned i = 0; i < size; i++)
        v |= (uint64_t)bytes[i] << (8 * i);
    *value = v;
}

static bool ram_write(struct phys_mem *mem, uint64_t pa, unsigned size, uint64_t value)
{
    uint8_t bytes[8];
    for (unsigned i = 0; i < size; i++)
        bytes[i] = (uint8_t)(value >> (8 * i));
    return copy_in(mem, pa, bytes, size);
}

enum mem_status phys_mem_read(struct phys_mem *mem, uint64_t pa, enum rme_pas pas, unsigned size,
                              uint64_t *value)
{
    const struct range *r = find_range(mem, pa);
    *value = 0;
    if (!r || !valid_size(size) || size > r->size - (pa - r->base))
        return MEM_EXTERNAL_ABORT;
    if (r->ops)
        return r->ops->read(r->dev, pa - r->base, size, pas, value) ? MEM_OK : MEM_EXTERNAL_ABORT;
    ram_read(mem, pa, size, value);
    return MEM_OK;
}

enum mem_status phys_mem_write(struct phys_mem *mem, uint64_t pa, enum rme_pas pas, unsigned size,
                               uint64_t value)
{
    const struct range *r = find_range(mem, pa);
    if (!r || !valid_size(size) || size > r->size - (pa - r->base))
        return MEM_EXTERNAL_ABORT;
    if (size < 8)
        value &= (1ull << (8 * size)) - 1;
    if (r->ops)
        return r->ops->write(r->dev, pa - r->base, size, pas, value) ? MEM_OK : MEM_EXTERNAL_ABORT;
    return ram_write(mem, pa, size, value) ? MEM_OK : MEM_EXTERNAL_ABORT;
}

/* Copies between RAM and a buffer (the caller checked the range). */
static void copy_out(struct phys_mem *mem, uint64_t pa, uint8_t *out, size_t len)
{
    while (len) {
        size_t off = pa & (PHYS_PAGE_SIZE - 1), n = PHYS_PAGE_SIZE - off;
        if (n > len)
            n = len;
        const uint8_t *p = page(mem, pa, false);
        if (p)
            memcpy(out, p + off, n);
        else
            memset(out, 0, n);
        out += n;
        pa += n;
        len -= n;
    }
}

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

static bool copy_in(struct phys_mem *mem, uint64_t pa, const uint8_t *in, size_t len)
{
    while (len) {
        size_t off = pa & (PHYS_PAGE_SIZE - 1), n = PHYS_PAGE_SIZE - off;
        if (n > len)
            n = len;
        /* a page never written reads as zeros: writing zeros to it needs no storage */
        bool zeros = all_zero(in, n);
        uint8_t *p = page(mem, pa, !zeros);
        if (p)
            memcpy(p + off, in, n);
        else if (!zeros)
            return false;
        in += n;
        pa += n;
        len -= n;
    }
    return true;
}

bool phys_mem_read_bytes(struct phys_mem *mem, uint64_t pa, void *buf, size_t len)
{
    if (!phys_mem_is_ram(mem, pa, len))
        return false;
    copy_out(mem, pa, buf, len);
    return true;
}

bool phys_mem_write_bytes(struct phys_mem *mem, uint64_t pa, const void *buf, size_t len)
{
    return phys_mem_is_ram(mem, pa, len) && copy_in(mem, pa, buf, len);
}

static enum mem_status port_read(void *ctx, uint64_t pa, enum rme_pas pas, unsigned size,
                                 uint64_t *value, uint64_t *cycles)
{
    struct phys_mem *mem = ctx;
    const struct range *r = find_range(mem, pa);
    if (cycles)
        *cycles += r && r->ops ? mem->device_cycles : mem->ram_cycles;
    return phys_mem_read(mem, pa, pas, size, value);
}

static enum mem_status port_write(void *ctx, uint64_t pa, enum rme_pas pas, unsigned size,
                                  uint64_t value, uint64_t *cycles)
{
    struct phys_mem *mem = ctx;
    const struct range *r = find_range(mem, pa);
    if (cycles)
        *cycles += r && r->ops ? mem->device_cycles : mem->ram_cycles;
    return phys_mem_write(mem, pa, pas, size, value);
}

struct mem_port phys_mem_port(struct phys_mem *mem)
{
    struct mem_port port = {mem, port_read, port_write};
    return port;
}
