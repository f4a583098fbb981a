// The fast path of a core's accesses (Spike's MMU fast path, with the counts kept): a small table
// from a VA page and an access class to the record of an L1 TLB hit on that page and the page's
// host pointer. A hit on it makes exactly the TLB's lookup (tlb_find_l1: counted and aged) and
// the record that hit made, without the TLB's scan or the permission and GPI checks; the memory
// side keeps its L1D lookup. An entry is valid while the TLB's generation stays (no fill,
// promotion or invalidation) and the regime's key (kind, security state, VMID, ASID, stages on)
// stays: check_regime() empties the table when the key changes.
//
// Used by the A64 core (model/a64_binding.hpp), the scripted guest (model/scripted_guest.hpp),
// and on each core by the host's accesses (Simulation::access_once, SoftwareStack::access8) and
// the RMM's (CoreContext::host_memo, rmm_memo).
#pragma once

#include <cstdint>
#include <memory>

#include "model/core.hpp"

extern "C" {
#include "mmu/access.h"
#include "mmu/regime.h"
#include "mmu/tlb.h"
}

namespace rmesim
{

class TlbHitMemo
{
  public:
    struct Entry {
        uint64_t tag = ~0ull; // (VA page << 4) | class
        uint64_t tlb_generation = 0;
        unsigned tlb_index = 0;
        bool tlb_first = false;
        bool cacheable = false;      // the L1D caches the page (Core::page_cacheable)
        const char *owner = nullptr; // the memory region at the page (phys_mem_owner)
        Core::HostPage host;         // the page's host pointer, once the L1D has given it
        rme_access hit;              // the record of a hit (its descriptor fetch slots unused)
    };

    // The access class: the MMU's kind of access and the EL it is made at.
    static unsigned access_class(mmu_access_kind kind, unsigned el)
    {
        return unsigned(kind) | el << 2;
    }

    // Empties the table when what a hit depends on besides the entry changed: the regime's
    // kind, security state, VMID, ASID or stages, or the TLB it looks up.
    void check_regime(const mmu_regime &r, const mmu_tlb *tlb)
    {
        Key k{key_bits(r), tlb};
        if (k.bits != key_.bits || k.tlb != key_.tlb) {
            flush();
            key_ = k;
        }
    }
    void flush();

    // The remembered record of an L1 TLB hit on va's page in class cls, made again (the TLB's
    // lookup counted and aged, the record's VA, size, IPA and PA set for va); nullptr when there
    // is none or the TLB would not answer with the same entry (then nothing was done).
    Entry *find(mmu_tlb *tlb, const mmu_regime &r, uint64_t va, unsigned size, unsigned cls)
    {
        if (!table_)
            return nullptr;
        uint64_t page = va >> 12, cycles = 0;
        Entry &e = table_[slot(page, cls)];
        if (e.tag != (page << 4 | cls))
            return nullptr;
        if (!tlb_find_l1(tlb, &r, va, e.tlb_generation, e.tlb_index, e.tlb_first, &cycles))
            return nullptr;
        hits_++;
        rme_access &a = e.hit; /* as from_tlb() fills it: only the inputs and the offsets differ */
        uint64_t off = va & 0xFFF;
        a.va = va;
        a.size = size;
        a.ipa = (a.ipa & ~0xFFFull) | off;
        a.pa = (a.pa & ~0xFFFull) | off;
        return &e;
    }

    // Remembers acc, a translation of va in class cls just made through tlb in r, when it hit
    // the L1 TLB with no walk and no fault (the first access to a page after a fill is a miss:
    // the second is remembered); nullptr when it is not such a one. cacheable: whether the L1D
    // caches its page (Core::page_cacheable); owner: the memory region there, for the records.
    Entry *fill(mmu_tlb *tlb, const mmu_regime &r, uint64_t va, unsigned cls, const rme_access &acc,
                bool cacheable, const char *owner = nullptr);

    // Accesses find() answered.
    uint64_t hits() const { return hits_; }

  private:
    static constexpr unsigned kEntries = 32;
    struct Key {
        uint64_t bits = ~0ull;
        const mmu_tlb *tlb = nullptr;
    };
    static uint64_t key_bits(const mmu_regime &r)
    {
        return uint64_t(r.kind) | uint64_t(r.ss) << 4 | uint64_t(r.vmid) << 8 |
               uint64_t(r.s1.asid) << 24 | uint64_t(r.s1.enabled) << 40 |
               uint64_t(r.s2.enabled) << 41;
    }
    static unsigned slot(uint64_t page, unsigned cls)
    {
        return unsigned((page + cls * 11) % kEntries);
    }
    std::unique_ptr<Entry[]> table_;
    Key key_{};
    uint64_t hits_ = 0;
};

} // namespace rmesim
