// The physical address space of a TLM transaction, carried as a generic-payload extension
// (TLM-2.0 has no notion of PAS; RME tags every access with one).
#pragma once

#include <tlm>

extern "C" {
#include "mem/pas.h"
}

namespace rmesim
{

struct PasExtension : tlm::tlm_extension<PasExtension> {
    rme_pas pas = RME_PAS_NS;
    unsigned initiator = 0; // core index, for statistics

    tlm::tlm_extension_base *clone() const override { return new PasExtension(*this); }
    void copy_from(const tlm::tlm_extension_base &other) override
    {
        *this = static_cast<const PasExtension &>(other);
    }
};

} // namespace rmesim
