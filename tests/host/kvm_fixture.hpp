// The KVM host model over the RMM model: the host's RMI calls go straight to rmm_handle_rmi (each
// recorded with its result), its memory is the RMM test environment's NS memory, and its pages
// come from the top of DRAM downward.
#pragma once

#include <vector>

#include "fake_platform.hpp"

extern "C" {
#include "host/kvm.h"
#include "rmm/realm.h"
}

namespace hosttest
{

struct RmiCall {
    uint64_t in[8], out[8];
};

struct KvmFixture : rmmtest::RmmFixture {
    std::vector<RmiCall> calls;
    kvm_env host{};
    kvm_realm realm{};

    static void rmi(void *ctx, const uint64_t in[8], uint64_t out[8])
    {
        auto *f = static_cast<KvmFixture *>(ctx);
        rmm_handle_rmi(&f->r, in, out);
        RmiCall c;
        std::copy(in, in + 8, c.in);
        std::copy(out, out + 8, c.out);
        f->calls.push_back(c);
    }
    static bool access(void *ctx, uint64_t pa, bool write, uint64_t *value)
    {
        auto *f = static_cast<KvmFixture *>(ctx);
        if (f->env.gpi(pa) != rmmtest::NS)
            return false;
        if (write)
            f->env.mem[pa] = *value;
        else
            *value = f->env.read(pa);
        return true;
    }
    static uint64_t alloc_page(void *ctx) { return static_cast<KvmFixture *>(ctx)->page(); }
    static bool no_device(void *, uint64_t, bool, unsigned, uint64_t *) { return false; }
    // the VMM's memory: above the RMM's DRAM (these tests never touch it; the RMM checks nothing
    // about the pages RTT_MAP_UNPROTECTED maps)
    uint64_t next_vmm = 0x1'0000'0000;
    static uint64_t vmm_ram(void *ctx, uint64_t size)
    {
        auto *f = static_cast<KvmFixture *>(ctx);
        uint64_t base = f->next_vmm;
        f->next_vmm += size;
        return base;
    }

    void SetUp() override
    {
        RmmFixture::SetUp();
        host = kvm_env{this, rmi, access, alloc_page, no_device, nullptr, nullptr, vmm_ram, nullptr};
    }
    void TearDown() override
    {
        kvm_realm_free(&realm);
        RmmFixture::TearDown();
    }
    // 16 MB of RAM at 0x8000_0000 in a 40-bit realm (start level 1), one vCPU
    static kvm_realm_config config(uint64_t image_size)
    {
        kvm_realm_config c{};
        c.ipa_bits = 40;
        c.rtt_level_start = -1;
        c.vcpus = 1;
        c.vmid = 1;
        c.ram_ipa = 0x8000'0000;
        c.ram_size = 0x100'0000;
        c.image_ipa = 0x8000'0000;
        c.image_size = image_size;
        c.entry = 0x8000'0000;
        return c;
    }
    std::vector<RmiCall> calls_of(uint64_t fid) const
    {
        std::vector<RmiCall> out;
        for (const RmiCall &c : calls)
            if (c.in[0] == fid)
                out.push_back(c);
        return out;
    }
};

} // namespace hosttest
