#include "model/exception_records.hpp"

namespace rmesim
{

namespace
{
rme_ev_exception make(rme_ev_exception_source source, pe_exception_type type, unsigned from_el,
                      rme_sec_state from, unsigned to_el)
{
    rme_ev_exception x{};
    x.source = source;
    x.type = type;
    x.from_el = from_el;
    x.from_ss = from;
    x.to_el = to_el;
    x.to_ss = state_at(to_el, from == RME_SS_ROOT ? RME_SS_NS : from);
    return x;
}
} // namespace

rme_ev_exception abort_taken(const rme_access &acc, unsigned from_el, rme_sec_state from)
{
    rme_ev_exception x = make(RME_EXC_ABORT, EXC_SYNC, from_el, from, acc.target_el);
    x.esr = acc.esr;
    x.far = acc.far;
    x.hpfar_valid = acc.hpfar_valid;
    x.hpfar = acc.hpfar;
    x.mfar_valid = acc.mfar_valid;
    x.mfar = acc.mfar;
    return x;
}

rme_ev_exception sea_taken(mmu_access_kind kind, uint64_t far, unsigned el, rme_sec_state ss)
{
    rme_ev_exception x = make(RME_EXC_ABORT, EXC_SYNC, el, ss, el);
    x.to_ss = ss;
    /* EC 0x21/0x25 (abort at the same EL), IL, WnR for a store, DFSC 0x10 (D24.2.40) */
    unsigned ec = kind == MMU_FETCH ? 0x21 : 0x25;
    x.esr = (uint64_t(ec) << 26) | (1ull << 25) | (kind == MMU_WRITE ? 1u << 6 : 0) | 0x10;
    x.far = far;
    return x;
}

rme_ev_exception smc_taken(unsigned from_el, rme_sec_state from, unsigned to_el)
{
    rme_ev_exception x = make(RME_EXC_CALL, EXC_SYNC, from_el, from, to_el);
    x.esr = (0x17ull << 26) | (1ull << 25); /* ISS: the immediate, 0 for SMCCC calls */
    return x;
}

rme_ev_exception svc_taken(rme_sec_state ss, unsigned to_el)
{
    rme_ev_exception x = make(RME_EXC_CALL, EXC_SYNC, 0, ss, to_el);
    x.esr = (0x15ull << 26) | (1ull << 25);
    return x;
}

rme_ev_exception sea_injected(uint64_t esr, uint64_t far, uint64_t elr)
{
    rme_ev_exception x = make(RME_EXC_INJECTED, EXC_SYNC, 1, RME_SS_REALM, 1);
    x.esr = esr;
    x.far = far;
    x.elr = elr;
    return x;
}

rme_ev_exception irq_taken(unsigned from_el, rme_sec_state from, unsigned to_el)
{
    return make(RME_EXC_IRQ, EXC_IRQ, from_el, from, to_el);
}

rme_ev_eret eret_to(unsigned from_el, unsigned to_el, rme_sec_state lower)
{
    return rme_ev_eret{from_el, to_el, state_at(from_el, lower), state_at(to_el, lower)};
}

} // namespace rmesim
