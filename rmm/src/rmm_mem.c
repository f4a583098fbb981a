#include "rmm_mem.h"

bool rmm_wipe(struct rmm *rmm, uint64_t pa)
{
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
