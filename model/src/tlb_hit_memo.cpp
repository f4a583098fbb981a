// A core's fast path: the L1 TLB hits it remembers (model/tlb_hit_memo.hpp).
#include "model/tlb_hit_memo.hpp"

namespace rmesim
{

void TlbHitMemo::flush()
{
    if (table_)
        for (unsigned i = 0; i < kEntries; i++)
            table_[i].tag = ~0ull;
}

TlbHitMemo::Entry *TlbHitMemo::fill(mmu_tlb *tlb, const mmu_regime &r, uint64_t va, unsigned cls,
                                    const rme_access &acc, bool cacheable, const char *owner)
{
    if (acc.tlb != 1 || acc.fault != MMU_OK || acc.n_fetches != 0 || !tlb)
        return nullptr;
    bool first = false;
    int index = tlb_last_l1(tlb, &r, va, &first);
    if (index < 0)
        return nullptr;
    if (!table_)
        table_.reset(new Entry[kEntries]);
    uint64_t page = va >> 12;
    Entry &e = table_[slot(page, cls)];
    e.tag = page << 4 | cls;
    e.tlb_generation = tlb_generation(tlb);
    e.tlb_index = unsigned(index);
    e.tlb_first = first;
    e.cacheable = cacheable;
    e.owner = owner;
    e.host = Core::HostPage{};
    rme_access_copy_result(&e.hit, &acc);
    return &e;
}

} // namespace rmesim
