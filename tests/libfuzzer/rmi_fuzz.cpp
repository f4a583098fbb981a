// libFuzzer harness of the RMM's RMI handling: the input is a script of a host's calls, each
// decoded from a few bytes into a command and arguments drawn from a palette that a hostile host
// would use (granules it delegated or not, their neighbours and misaligned forms, the RMM's
// own structures, addresses beyond DRAM, levels, IPAs at table boundaries, raw 64-bit values),
// plus host stores that lay out RmiRealmParams/RmiRecParams in NS memory. Every call runs on the
// fake platform of tests/rmm (a GPI per granule, an EL3 that flips it) and the RMM's invariants
// (rmm/invariants.h) are checked after it: a violation, a crash, a leak or undefined behaviour
// is a finding. REC_ENTER is left out: running a REC needs the realm side (the hostile-host
// fuzzer, tests/fuzz, covers it).
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "fake_platform.hpp"

namespace
{

using namespace rmmtest;

// Bytes of the input, read in order; zeros once it runs out.
struct Script {
    const uint8_t *p;
    size_t n;
    uint8_t byte() { return n ? (n--, *p++) : 0; }
    uint64_t u64()
    {
        uint64_t v = 0;
        for (int i = 0; i < 8; i++)
            v |= uint64_t(byte()) << (8 * i);
        return v;
    }
};

const uint64_t kCommands[] = {RMI_VERSION,
                              RMI_GRANULE_DELEGATE,
                              RMI_GRANULE_UNDELEGATE,
                              RMI_DATA_CREATE,
                              RMI_DATA_CREATE_UNKNOWN,
                              RMI_DATA_DESTROY,
                              RMI_REALM_ACTIVATE,
                              RMI_REALM_CREATE,
                              RMI_REALM_DESTROY,
                              RMI_REC_CREATE,
                              RMI_REC_DESTROY,
                              RMI_RTT_CREATE,
                              RMI_RTT_DESTROY,
                              RMI_RTT_MAP_UNPROTECTED,
                              RMI_RTT_READ_ENTRY,
                              RMI_RTT_UNMAP_UNPROTECTED,
                              RMI_PSCI_COMPLETE,
                              RMI_FEATURES,
                              RMI_RTT_FOLD,
                              RMI_REC_AUX_COUNT,
                              RMI_RTT_INIT_RIPAS,
                              RMI_RTT_SET_RIPAS};

// One argument: a palette entry chosen by the next byte.
uint64_t argument(Script &s)
{
    uint8_t kind = s.byte();
    uint64_t granule = kDram + 0x1000ull * (s.byte() % 64); /* the first 64 granules */
    switch (kind % 8) {
    case 0:
        return granule;
    case 1:
        return granule + 8; /* misaligned */
    case 2:
        return kDram + kDramSize + 0x1000ull * (s.byte() % 4); /* beyond DRAM */
    case 3:
        return s.byte() % 5; /* a level, an index, a flag */
    case 4:
        return uint64_t(s.byte()) << 30; /* an IPA at a level-1 boundary */
    case 5:
        return (uint64_t(s.byte()) << 21) |
               (uint64_t(s.byte() % 2) << 39); /* level 2, either half */
    case 6:
        return uint64_t(s.byte()) << 12; /* a level-3 IPA */
    default:
        return s.u64();
    }
}

// RmiRealmParams (B4.4.3) or RmiRecParams (B4.4.5) at an NS granule: plausible fields, some
// chosen by the script.
void lay_out_params(Env &env, Script &s)
{
    uint64_t at = kDram + 0x1000ull * (64 + s.byte() % 16); /* granules the palette never names */
    for (uint64_t off = 0; off < 0x1000; off += 8)
        env.mem.erase(at + off);
    if (s.byte() % 2) { /* realm */
        env.mem[at + RMI_REALM_PARAMS_S2SZ] = 32 + s.byte() % 18;
        env.mem[at + RMI_REALM_PARAMS_VMID] = s.byte() % 4;
        env.mem[at + RMI_REALM_PARAMS_RTT_BASE] = kDram + 0x1000ull * (s.byte() % 64);
        env.mem[at + RMI_REALM_PARAMS_RTT_LEVEL_START] = s.byte() % 4;
        env.mem[at + RMI_REALM_PARAMS_RTT_NUM_START] = 1 + s.byte() % 2;
        env.mem[at + RMI_REALM_PARAMS_HASH_ALGO] = s.byte() % 3;
    } else { /* REC: flags, mpidr, pc, num_aux, aux[] */
        env.mem[at + 0x000] = s.byte() % 2;
        env.mem[at + 0x100] = s.byte() % 4;
        env.mem[at + 0x200] = kDram;
        env.mem[at + 0x800] = s.byte() % 4;
        for (uint64_t i = 0; i < 4; i++)
            env.mem[at + 0x808 + 8 * i] = kDram + 0x1000ull * (s.byte() % 64);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Env env;
    rmm r{};
    rmm_env e{&env,    access, gtsi_delegate, gtsi_undelegate, 40, &env.cycles, 500, nullptr,
              tlbi_s2, {},     nullptr};
    pa_range dram{kDram, kDramSize};
    if (!rmm_init(&r, &e, &dram, 1))
        std::abort();
    Script s{data, size};
    for (unsigned call = 0; s.n && call < 256; call++) {
        uint8_t op = s.byte();
        if (op >= 240) {
            lay_out_params(env, s);
            continue;
        }
        uint64_t in[8] = {kCommands[op % (sizeof kCommands / sizeof kCommands[0])]}, out[8];
        for (int i = 1; i <= 5; i++)
            in[i] = argument(s);
        rmm_handle_rmi(&r, in, out);
        std::vector<std::string> broken = check_invariants(r, env);
        if (!broken.empty()) {
            std::fprintf(stderr, "invariant broken after call %u (fid %#llx): %s\n", call,
                         (unsigned long long)in[0], broken[0].c_str());
            std::abort();
        }
    }
    rmm_fini(&r);
    return 0;
}
