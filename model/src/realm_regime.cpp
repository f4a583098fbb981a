// The realm's EL1&0 translation regime as the RMM programs the PE when it enters a REC.
#include "model/realm_regime.hpp"

namespace rmesim
{

namespace
{

// TCR_ELx.IPS / PS (D24.2): the output size in bits
unsigned ips_bits(uint64_t ips)
{
    static const unsigned bits[8] = {32, 36, 40, 42, 44, 48, 52, 52};
    return bits[ips & 7];
}

} // namespace

// The realm's EL1&0 regime as the RMM programs the PE on entry: the REC's EL1 registers for
// stage 1, the realm's RTT (VTTBR = rtt_base, VTCR from its IPA width and start level) for
// stage 2, its VMID.
mmu_regime realm_regime(const rmm_rec &rec, unsigned pa_bits)
{
    const rmm_realm &realm = *rec.realm;
    mmu_regime r{};
    r.kind = MMU_REALM_EL10;
    r.el = 1;
    r.ss = RME_SS_REALM;
    r.vmid = realm.vmid;
    r.s1.enabled = rec.el1.sctlr & 1;
    r.s1.granule_bits = 12;
    r.s1.ttbr[0] = rec.el1.ttbr0 & 0x0000FFFFFFFFFFFEull;
    r.s1.ttbr[1] = rec.el1.ttbr1 & 0x0000FFFFFFFFFFFEull;
    r.s1.tsz[0] = unsigned(rec.el1.tcr & 0x3F);
    r.s1.tsz[1] = unsigned((rec.el1.tcr >> 16) & 0x3F);
    r.s1.two_ranges = true;
    r.s1.oa_bits = ips_bits(rec.el1.tcr >> 32);
    r.s1.mair = rec.el1.mair;
    r.s1.asid = uint16_t(rec.el1.ttbr0 >> 48);
    r.s2.enabled = true;
    r.s2.granule_bits = 12;
    r.s2.ttbr[0] = realm.rtt_base;
    r.s2.tsz[0] = 64 - realm.ipa_bits;
    r.s2.start_level = realm.start_level;
    r.s2.concat = realm.num_start;
    r.s2.oa_bits = pa_bits;
    return r;
}

} // namespace rmesim
