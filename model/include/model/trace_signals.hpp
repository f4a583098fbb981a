// The signals of an rmesim VCD, grouped by component, with the names their values take (an
// enumerated signal is a VCD string; with nothing to show it reads NONE). docs/tracing.md lists
// them; keep the two in step.
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
extern const EnumNames tlb;         // MISS L1_HIT L2_HIT
extern const EnumNames ec;          // exception classes (an interrupt: 0x100 + its vector offset)
extern const EnumNames access_kind; // READ WRITE FETCH
extern const EnumNames gpc_result;  // OK GPF GPT_WALK GPT_ADDRESS_SIZE GPT_EABT
extern const EnumNames ipa_half;    // PROTECTED UNPROTECTED
extern const EnumNames rmi;         // RMI commands by FID low byte
extern const EnumNames rmi_status;  // SUCCESS ERROR_INPUT ...
extern const EnumNames rsi;         // RSI commands by FID low byte
extern const EnumNames rsi_status;
extern const EnumNames rec_exit; // SYNC IRQ ...
} // namespace names

// Per core: what the pipeline is doing. Values of enumerations use the names above.
struct CoreSignals {
    int step, software, el, sec_state, exception_ec, exception_el;
    int access, va, ipa, ipa_half, s2_ns, pa, pas, gpi, tlb, walk_fetches, fault; // per access
    int walk, walk_ipa, walk_pa, walk_desc;   // per descriptor fetch
    int pc = -1;                              // real code's instruction (when a realm has it)
    int gpc, gpt_level, gpt_l0_pa, gpt_l1_pa; // per GPC check
    unsigned exception_at = 4; // the EL the shown exception was taken to (4: none shown)
    void declare(Tracer &t, unsigned core, const ValueNamer *step_names, bool real_code);
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
