// libFuzzer harness of the RMM's RMI handling: the input is a script of a host's calls, each
// decoded from a few bytes into a command and arguments drawn from a palette that a hostile host
// would use (granules it delegated or not, their neighbours and misaligned forms, the RMM's
// own structures, addresses beyond DRAM, levels, IPAs at table boundaries, raw 64-bit values),
// plus host stores that lay out RmiRealmParams/RmiRecParams in NS memory. Every call runs on the
// fake platform of tests/rmm (a GPI per granule, an EL3 that flips it) and the RMM's invariants
// (rmm/invariants.h) are checked after it: a violation, a crash, a leak or undefined behaviour
// is a finding. REC_ENTER is left out: running a REC needs the realm side (the hostile-host
// fuzzer, tests/fuzz, covers it). Some operations are a well-behaved host building a realm or a
// REC, so that scripts start from deep states instead of hoping to reach them byte by byte.
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

// A granule of the first 64 in a state (its index chosen by the script), or the first granule
uint64_t in_state(rmm &r, granule_state want, uint8_t k)
{
    std::vector<uint64_t> v;
    for (uint64_t pa = kDram; pa < kDram + 64 * 0x1000ull; pa += 0x1000) {
        struct granule *g = granule_find(&r.granules, pa);
        if (g && g->state == want)
            v.push_back(pa);
    }
    return v.empty() ? kDram : v[k % v.size()];
}

// One argument: a palette entry chosen by the next byte.
uint64_t argument(rmm &r, Script &s)
{
    uint8_t kind = s.byte();
    uint64_t granule = kDram + 0x1000ull * (s.byte() % 64); /* the first 64 granules */
    if (kind >= 200) /* one of the RMM's own: DELEGATED, RD, REC, REC_AUX, DATA, RTT */
        return in_state(r, granule_state(GRANULE_DELEGATED + kind % 6), s.byte());
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
        env.mem[at + RMI_REC_PARAMS_FLAGS] = s.byte() % 2;
        env.mem[at + RMI_REC_PARAMS_MPIDR] = s.byte() % 4;
        env.mem[at + RMI_REC_PARAMS_PC] = kDram;
        env.mem[at + RMI_REC_PARAMS_NUM_AUX] = s.byte() % 2 ? RMI_REC_AUX_GRANULES : s.byte() % 20;
        for (uint64_t i = 0; i < RMI_REC_AUX_GRANULES; i++)
            env.mem[at + RMI_REC_PARAMS_AUX + 8 * i] = kDram + 0x1000ull * (s.byte() % 64);
    }
}

// A host that follows the rules, for the script to start from a realm rather than hope to build
// one byte by byte: granules delegated and a realm created (40-bit IPA, start level 1, two
// starting RTTs) or a REC created in the newest realm with its 16 aux granules; the granules
// are the next free ones of 128..191, which the palette does not name.
void good_host(rmm &r, Env &env, Script &s)
{
    auto call = [&](uint64_t fid, uint64_t a1, uint64_t a2 = 0, uint64_t a3 = 0) {
        uint64_t in[8] = {fid, a1, a2, a3}, out[8];
        rmm_handle_rmi(&r, in, out);
        return out[0];
    };
    std::vector<uint64_t> free;
    for (uint64_t pa = kDram + 128 * 0x1000ull; pa < kDram + 192 * 0x1000ull; pa += 0x2000)
        if (!granule_find(&r.granules, pa) ||
            granule_find(&r.granules, pa)->state == GRANULE_UNDELEGATED)
            free.push_back(pa);
    uint64_t params = kDram + 0x1000ull * (80 + s.byte() % 16);
    for (uint64_t off = 0; off < 0x1000; off += 8)
        env.mem.erase(params + off);
    if (s.byte() % 2 && free.size() >= 3) { /* a realm: RTTs at an aligned pair, the RD */
        uint64_t rtt = free[0], rd = free[1] + 0x1000;
        call(RMI_GRANULE_DELEGATE, rtt);
        call(RMI_GRANULE_DELEGATE, rtt + 0x1000);
        call(RMI_GRANULE_DELEGATE, rd);
        env.mem[params + RMI_REALM_PARAMS_S2SZ] = 40;
        env.mem[params + RMI_REALM_PARAMS_VMID] = s.byte();
        env.mem[params + RMI_REALM_PARAMS_RTT_BASE] = rtt;
        env.mem[params + RMI_REALM_PARAMS_RTT_LEVEL_START] = 1;
        env.mem[params + RMI_REALM_PARAMS_RTT_NUM_START] = 2;
        call(RMI_REALM_CREATE, rd, params);
        return;
    }
    uint64_t rd = in_state(r, GRANULE_RD, s.byte());
    if (free.size() < 9)
        return;
    uint64_t rec = free[0];
    call(RMI_GRANULE_DELEGATE, rec);
    env.mem[params + RMI_REC_PARAMS_FLAGS] = RMI_REC_RUNNABLE;
    env.mem[params + RMI_REC_PARAMS_MPIDR] = s.byte() % 4;
    env.mem[params + RMI_REC_PARAMS_NUM_AUX] = RMI_REC_AUX_GRANULES;
    for (uint64_t i = 0; i < RMI_REC_AUX_GRANULES; i++) { /* both halves of free pairs */
        uint64_t aux = free[1 + i / 2] + 0x1000 * (i % 2);
        call(RMI_GRANULE_DELEGATE, aux);
        env.mem[params + RMI_REC_PARAMS_AUX + 8 * i] = aux;
    }
    call(RMI_REC_CREATE, rd, rec, params);
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
        if (op >= 232) {
            in[0] = 0;
            good_host(r, env, s);
        } else {
            for (int i = 1; i <= 5; i++)
                in[i] = argument(r, s);
            rmm_handle_rmi(&r, in, out);
        }
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
