/* Internal: the Realm Translation Tables as real stage-2 descriptors in RTT granules (A5.5).
 * Valid entries are architectural stage-2 descriptors the MMU walks; invalid entries keep the
 * RMM's state in bits the hardware ignores, in TF-RMM's layout: HIPAS in [4:2] (0 unassigned,
 * 1 assigned), RIPAS in [6:5], and NS (bit 55) on the unprotected half's entries. */
#ifndef RMM_S2TT_H
#define RMM_S2TT_H

#include <stdbool.h>
#include <stdint.h>

#include "rmm/rmm.h"

#define S2TTE_VALID 0x1ull
#define S2TTE_TYPE_TABLE 0x3ull /* also an L3 page */
#define S2TTE_TYPE_BLOCK 0x1ull
#define S2TTE_HIPAS_ASSIGNED (1ull << 2)
#define S2TTE_HIPAS_MASK (7ull << 2)
#define S2TTE_RIPAS_SHIFT 5
#define S2TTE_RIPAS_MASK (3ull << 5)
#define S2TTE_MEMATTR_MASK (7ull << 2) /* MemAttr[2:0] with FWB; MemAttr[3] RES0 */
#define S2TTE_MEMATTR_FWB_NORMAL_WB (6ull << 2)
#define S2TTE_MEMATTR_FWB_RESERVED (4ull << 2)
#define S2TTE_AP_MASK (3ull << 6)
#define S2TTE_AP_RW (3ull << 6)
#define S2TTE_SH_IS (3ull << 8)
#define S2TTE_AF (1ull << 10)
#define S2TTE_XN (2ull << 53) /* XN[1:0] = 0b10: no execution at EL1 or EL0 */
#define S2TTE_NS (1ull << 55)
#define S2TTE_OA_MASK 0x0000FFFFFFFFF000ull /* 48-bit OA, no LPA2 */

#define RTT_PAGE_LEVEL 3
#define RTT_MIN_BLOCK_LEVEL 1
#define RTT_ENTRIES 512

enum s2tte_kind {
    S2TTE_UNASSIGNED,
    S2TTE_ASSIGNED,
    S2TTE_UNASSIGNED_NS,
    S2TTE_ASSIGNED_NS,
    S2TTE_TABLE
};

static inline unsigned rtt_level_shift(int level)
{
    return 12u + 9u * (unsigned)(3 - level);
}
static inline uint64_t rtt_entry_size(int level)
{
    return 1ull << rtt_level_shift(level);
}

enum s2tte_kind s2tte_kind(uint64_t e, int level);
enum rmi_ripas s2tte_ripas(uint64_t e);
uint64_t s2tte_oa(uint64_t e, int level);
uint64_t s2tte_unassigned(enum rmi_ripas ripas);
uint64_t s2tte_unassigned_ns(void);
/* protected ASSIGNED: a valid mapping when RIPAS is RAM, otherwise invalid keeping the OA */
uint64_t s2tte_assigned(uint64_t pa, int level, enum rmi_ripas ripas);
uint64_t s2tte_assigned_ns(uint64_t host_desc, int level);
uint64_t s2tte_table(uint64_t rtt);
/* B3.56/A5.5.11: only OA, MemAttr[2:0] and S2AP may be set by the host, OA aligned to level */
bool s2tte_host_ns_valid(uint64_t desc, int level);
/* the host-visible fields RTT_READ_ENTRY returns (B4.3.20) */
uint64_t s2tte_host_view(uint64_t e, int level);

/* RttWalk (A5.5.10): from the starting level to `level`, stopping at the first entry that is
 * not TABLE. Every descriptor read is an RMM access in the Realm PAS. */
struct rtt_walk {
    int level;    /* the level reached */
    uint64_t rtt; /* the RTT holding the entry */
    unsigned idx; /* the entry's index in that RTT */
    uint64_t entry;
};
bool rtt_walk(struct rmm *rmm, const struct rmm_realm *realm, uint64_t ipa, int level,
              struct rtt_walk *w);
bool rtt_read(struct rmm *rmm, uint64_t rtt, unsigned idx, uint64_t *e);
bool rtt_write(struct rmm *rmm, uint64_t rtt, unsigned idx, uint64_t e);
/* the IPA the entry idx of the walk's RTT starts at */
uint64_t rtt_entry_ipa(const struct rtt_walk *w, uint64_t ipa);

static inline bool ipa_is_protected(const struct rmm_realm *r, uint64_t ipa)
{
    return ipa < (1ull << (r->ipa_bits - 1));
}
static inline bool ipa_in_realm(const struct rmm_realm *r, uint64_t ipa)
{
    return ipa < (1ull << r->ipa_bits);
}

#endif
