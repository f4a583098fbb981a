#include "mmu/pgtable.h"

#include "mmu/mmu.h"

int pt_s1_start_level(unsigned granule_bits, unsigned inputsize)
{
    unsigned stride = granule_bits - 3, bits = inputsize - granule_bits;
    return 4 - (int)((bits + stride - 1) / stride);
}

static unsigned shift_of(const struct pt_builder *b, int level)
{
    return b->granule_bits + (unsigned)(3 - level) * (b->granule_bits - 3);
}

static uint64_t index_of(const struct pt_builder *b, uint64_t ia, int level)
{
    unsigned shift = shift_of(b, level);
    unsigned bits = level == b->start_level ? b->inputsize - shift : b->granule_bits - 3;
    return (ia >> shift) & ((1ull << bits) - 1);
}

/* The address of the descriptor for ia at level, creating the tables above it. */
static uint64_t slot(struct pt_builder *b, uint64_t ia, int level)
{
    uint64_t table = b->root;
    for (int l = b->start_level; l < level; l++) {
        uint64_t entry = table + 8 * index_of(b, ia, l), desc = 0;
        mem_read(b->port, entry, b->pas, 8, &desc, &b->cycles);
        if ((desc & 3) == 3) {
            table = desc & 0x0000FFFFFFFFF000ull;
            continue;
        }
        if (desc & DESC_VALID)
            return 0; /* a block is in the way */
        uint64_t next = b->alloc(b->alloc_ctx);
        if (!next)
            return 0;
        mem_write(b->port, entry, b->pas, 8, next | 3, &b->cycles);
        table = next;
    }
    return table + 8 * index_of(b, ia, level);
}

int pt_map(struct pt_builder *b, uint64_t ia, uint64_t oa, uint64_t size, uint64_t attrs,
           int leaf_level)
{
    uint64_t step = 1ull << shift_of(b, leaf_level);
    for (uint64_t off = 0; off < size; off += step) {
        uint64_t entry = slot(b, ia + off, leaf_level);
        if (!entry)
            return -1;
        uint64_t type = leaf_level == 3 ? 3 : 1;
        mem_write(b->port, entry, b->pas, 8, ((oa + off) & 0x0000FFFFFFFFF000ull) | attrs | type,
                  &b->cycles);
    }
    return 0;
}

int pt_set_leaf(struct pt_builder *b, uint64_t ia, uint64_t desc, int leaf_level)
{
    uint64_t entry = slot(b, ia, leaf_level);
    if (!entry)
        return -1;
    mem_write(b->port, entry, b->pas, 8, desc, &b->cycles);
    return 0;
}
