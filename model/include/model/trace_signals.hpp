// The signals of an rmesim VCD, grouped by component, with the names GTKWave shows for their
// values. docs/tracing.md lists them; keep the two in step.
#pragma once

#include <string>
#include <vector>

#include "model/tracer.hpp"

namespace rmesim
{

namespace names
{
extern const EnumNames el;          // EL0..EL3
extern const EnumNames sec_state;   // SECURE NS ROOT REALM
extern const EnumNames pas;         // SECURE NS ROOT REALM
extern const EnumNames gpi;         // the sixteen GPI encodings (D9.6.5)
extern const EnumNames fault;       // OK TRANSLATION ... SEA
extern const EnumNames tlb;         // MISS L1 L2 NONE
extern const EnumNames ec;          // exception classes
extern const EnumNames access_kind; // NONE READ WRITE FETCH
extern const EnumNames rmi;         // RMI commands by FID low byte
extern const EnumNames rmi_status;  // SUCCESS ERROR_INPUT ...
extern const EnumNames rsi;         // RSI commands by FID low byte
extern const EnumNames rsi_status;
extern const EnumNames rec_exit; // SYNC IRQ ...
} // namespace names

// Per core: what the pipeline is doing. Values of enumerations use the names above.
struct CoreSignals {
    int step, software, el, sec_state, access, va, ipa, pa, pas, gpi, tlb, walk_fetches, walk,
        gpt_level, fault, exception_ec, exception_el;
    void declare(Tracer &t, unsigned core, const EnumNames *step_names);
};

// The RMM: the RMI or RSI call in flight and its result.
struct RmmSignals {
    int rmi, rmi_status, rsi, rsi_status, gpt_op;
    void declare(Tracer &t);
};

// The host: REC exits it handles and the MMIO it forwards to its VMM.
struct HostSignals {
    int rec_exit, host_ipa, mmio;
    void declare(Tracer &t);
};

// A device: its last access.
struct DeviceSignals {
    int offset, value, write;
    void declare(Tracer &t, const std::string &name);
};

} // namespace rmesim
