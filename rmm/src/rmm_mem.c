#include "rmm_mem.h"

bool rmm_wipe(struct rmm *rmm, uint64_t pa)
{
    if (rmm->env.zero_granule)
        return rmm_mem_ok(rmm, pa, RME_PAS_REALM, rmm->env.zero_granule(rmm->env.ctx, pa));
    for (uint64_t off = 0; off < GRANULE_SIZE; off += 8)
        if (!rmm_write(rmm, pa + off, RME_PAS_REALM, 0))
            return false;
    return true;
}

bool rmm_copy_ns(struct rmm *rmm, uint64_t dst, uint64_t src, uint8_t *bytes)
{
    for (uint64_t off = 0; off < GRANULE_SIZE; off += 8) {
        uint64_t v;
        if (!rmm_read(rmm, src + off, RME_PAS_NS, &v))
            return false;
        if (bytes)
            for (int i = 0; i < 8; i++)
                bytes[off + (uint64_t)i] = (uint8_t)(v >> (8 * i));
        if (!rmm_write(rmm, dst + off, RME_PAS_REALM, v))
            return false;
    }
    return true;
}

bool rmm_write_bytes(struct rmm *rmm, uint64_t pa, enum rme_pas pas, const uint8_t *p, size_t len)
{
    for (size_t i = 0; i < len;) {
        uint64_t word_pa = (pa + i) & ~7ull, w = 0;
        unsigned first = (unsigned)((pa + i) & 7);
        size_t n = len - i < 8 - first ? len - i : 8 - first;
        if ((first || n < 8) && !rmm_read(rmm, word_pa, pas, &w))
            return false;
        for (size_t b = 0; b < n; b++) {
            w &= ~(0xFFull << (8 * (first + b)));
            w |= (uint64_t)p[i + b] << (8 * (first + b));
        }
        if (!rmm_write(rmm, word_pa, pas, w))
            return false;
        i += n;
    }
    return true;
}
