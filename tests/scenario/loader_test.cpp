// The loader's typed result for the reference example, numbers, and names.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "scenario/scenario.h"
}

namespace
{

struct Loaded {
    scenario *s = nullptr;
    scenario_diag diag{};
    explicit Loaded(const std::string &path) { s = scenario_load(path.c_str(), &diag); }
    ~Loaded() { scenario_free(s); }
};

const scn_check *find(const scn_step &st, const char *path)
{
    for (size_t i = 0; i < st.n_checks; i++)
        if (std::string(st.checks[i].path) == path)
            return &st.checks[i];
    return nullptr;
}

TEST(Loader, ReferenceExampleFieldByField)
{
    Loaded l(std::string(SCENARIOS_DIR) + "/uart-mmio.yaml");
    ASSERT_NE(l.s, nullptr) << l.diag.text;
    const scenario &s = *l.s;
    EXPECT_STREQ(s.name, "uart-mmio-through-unprotected-alias");
    EXPECT_EQ(s.platform.cores, 2u);
    EXPECT_EQ(s.platform.pa_bits, 40u);
    EXPECT_EQ(s.platform.pgs, 4096u);
    EXPECT_EQ(s.platform.l0gptsz, 1ull << 30);
    ASSERT_EQ(s.platform.n_memory, 1u);
    EXPECT_EQ(s.platform.memory[0].base, 0x8000'0000u);
    EXPECT_EQ(s.platform.memory[0].size, 1ull << 30);
    ASSERT_EQ(s.platform.n_devices, 1u);
    EXPECT_STREQ(s.platform.devices[0].model, "pl011");
    EXPECT_EQ(s.platform.devices[0].base, 0x10'0000u);
    EXPECT_EQ(s.platform.devices[0].size, 0x1000u);
    ASSERT_EQ(s.n_realms, 1u);
    EXPECT_EQ(s.realms[0].ipa_bits, 40u);
    EXPECT_EQ(s.realms[0].ram_ipa, 0x8000'0000u);
    EXPECT_EQ(s.realms[0].ram_size, 16u << 20);
    EXPECT_EQ(s.realms[0].linear_map, 0xffff'0000'0000'0000ull);
    EXPECT_EQ(s.realms[0].guest_ioremap, unsigned(SCN_IOREMAP_MERGED)); // the default
    ASSERT_EQ(s.n_steps, 3u);
    EXPECT_EQ(s.steps[0].action.kind, SCN_ACT_RSI);
    EXPECT_EQ(s.steps[0].action.command, 0x196u); // RSI_REALM_CONFIG
    EXPECT_EQ(s.steps[0].actor.kind, SCN_ACTOR_REALM);
    EXPECT_EQ(s.steps[0].core, 0);
    EXPECT_EQ(s.steps[1].action.kind, SCN_ACT_IOREMAP);
    EXPECT_EQ(s.steps[1].action.pa, 0x10'0000u);
    EXPECT_EQ(s.steps[1].action.va, 0xffff'8000'0010'0000ull);
    const scn_step &w = s.steps[2];
    EXPECT_STREQ(w.id, "write");
    EXPECT_EQ(w.action.kind, SCN_ACT_STORE);
    EXPECT_EQ(w.action.size, 1u);
    EXPECT_EQ(w.action.value, 0x48u);
    ASSERT_NE(find(w, "ipa"), nullptr);
    EXPECT_EQ(find(w, "ipa")->number, 0x80'0010'0000ull);
    ASSERT_NE(find(w, "stage2"), nullptr);
    EXPECT_EQ(find(w, "stage2")->code, unsigned(SCN_RESULT_TRANSLATION));
    ASSERT_NE(find(w, "rec_exit.reason"), nullptr);
    EXPECT_STREQ(find(w, "rec_exit.reason")->text, "SYNC");
    EXPECT_EQ(find(w, "rec_exit.hpfar_ipa")->number, 0x80'0010'0000ull);
    EXPECT_EQ(find(w, "host_ipa")->number, 0x10'0000u);
    EXPECT_STREQ(find(w, "mmio.device")->text, "uart0");
    EXPECT_TRUE(find(w, "mmio.write")->flag);
    EXPECT_EQ(find(w, "cycles")->max, 20000u);
    EXPECT_TRUE(find(w, "cycles")->has_max);
    EXPECT_FALSE(find(w, "cycles")->has_min);
    ASSERT_EQ(s.n_finals, 1u);
    EXPECT_EQ(s.finals[0].kind, SCN_FINAL_DEVICE);
    EXPECT_STREQ(s.finals[0].text, "H");
}

TEST(Loader, Numbers)
{
    uint64_t v;
    EXPECT_TRUE(scn_parse_number("0x80_0010_0000", false, &v));
    EXPECT_EQ(v, 0x80'0010'0000ull);
    EXPECT_TRUE(scn_parse_number("1_000", false, &v));
    EXPECT_EQ(v, 1000u);
    EXPECT_TRUE(scn_parse_number("4K", true, &v));
    EXPECT_EQ(v, 4096u);
    EXPECT_TRUE(scn_parse_number("16M", true, &v));
    EXPECT_EQ(v, 16u << 20);
    EXPECT_TRUE(scn_parse_number("1G", true, &v));
    EXPECT_EQ(v, 1ull << 30);
    EXPECT_TRUE(scn_parse_number("2T", true, &v));
    EXPECT_EQ(v, 2ull << 40);
    EXPECT_TRUE(scn_parse_number("0xFFFF_FFFF_FFFF_FFFF", false, &v));
    EXPECT_EQ(v, ~0ull);
    EXPECT_FALSE(scn_parse_number("0x1_0000_0000_0000_0000", false, &v)); // 65 bits
    EXPECT_FALSE(scn_parse_number("18446744073709551616", false, &v));
    EXPECT_FALSE(scn_parse_number("16777216T", true, &v)); // 2^24 * 2^40 overflows
    EXPECT_FALSE(scn_parse_number("4K", false, &v));       // no suffix where a number is due
    EXPECT_FALSE(scn_parse_number("0x4K", true, &v));      // suffixes are for decimals
    EXPECT_FALSE(scn_parse_number("", false, &v));
    EXPECT_FALSE(scn_parse_number("0x", false, &v));
    EXPECT_FALSE(scn_parse_number("12a", false, &v));
}

TEST(Loader, NamesAnyCaseWithOptionalPrefix)
{
    EXPECT_EQ(scn_name_lookup(&scn_rmi_commands, "rmi_data_create")->code, 0x153u);
    EXPECT_EQ(scn_name_lookup(&scn_rmi_commands, "DATA_CREATE")->code, 0x153u);
    EXPECT_EQ(scn_name_lookup(&scn_rmi_commands, "rtt_set_ripas")->code, 0x169u);
    EXPECT_EQ(scn_name_lookup(&scn_rsi_commands, "RSI_HOST_CALL")->code, 0x199u);
    EXPECT_EQ(scn_name_lookup(&scn_rmi_status, "rmi_error_rtt")->code, 4u);
    EXPECT_EQ(scn_name_lookup(&scn_rsi_status, "incomplete")->code, 3u);
    EXPECT_EQ(scn_name_lookup(&scn_gpi_names, "REALM")->code, 0xBu);
    EXPECT_EQ(scn_name_lookup(&scn_pas_names, "Root")->code, 2u);
    EXPECT_EQ(scn_name_lookup(&scn_rec_exit_reasons, "ripas_change")->code, 4u);
    EXPECT_EQ(scn_name_lookup(&scn_granule_states, "rec_aux")->code, 4u);
    EXPECT_EQ(scn_name_lookup(&scn_realm_states, "REALM_SYSTEM_OFF")->code, 2u);
    EXPECT_EQ(scn_name_lookup(&scn_tlbi_ops, "ipas2le1is")->code, unsigned(SCN_TLBI_IPAS2LE1IS));
    EXPECT_EQ(scn_name_lookup(&scn_results, "GPF")->code, unsigned(SCN_RESULT_GPF));
    EXPECT_EQ(scn_name_lookup(&scn_rmi_commands, "RMI_"), nullptr);
    EXPECT_EQ(scn_name_lookup(&scn_rmi_commands, "MAP_PROTECTED"), nullptr);
    EXPECT_STREQ(scn_name_of(&scn_ec_names, 0x1E), "GPC");
}

TEST(Loader, DefaultsAndExtensions)
{
    const char *yaml = R"(
scenario: ext
platform:
  cores: 2
  features: { gpc2: true }
  gpt: { pgs: 64K, l0gptsz: 16G, nso: true, rlpad: true,
         regions: [ { base: 0x8000_0000, size: 1M, gpi: nso } ] }
  memory: [ { name: dram, base: 0x8000_0000, size: 1G } ]
  timing: { dram: 90 }
steps:
  - parallel:
      - { id: a, on: host, load: { va: 0x8000_0000 } }
      - { id: b, on: el3, core: 1, after: 0x7d0,
          gpt_transition: { pa: 0x8000_0000, to: ns, caller: ns },
          expect: { status: e_rmm_bad_pas } }
  - { id: c, on: el3, tlbi: { op: rpalos, pa: 0x8000_0000, size: 2M } }
)";
    scenario_diag diag;
    scenario *s = scenario_parse_string(yaml, "ext.yaml", &diag);
    ASSERT_NE(s, nullptr) << diag.text;
    EXPECT_EQ(s->platform.pgs, 65536u);
    EXPECT_EQ(s->platform.l0gptsz, 16ull << 30);
    EXPECT_TRUE(s->platform.nso);
    EXPECT_TRUE(s->platform.rlpad);
    EXPECT_EQ(s->platform.gpt_regions[0].gpi, 0xDu);
    EXPECT_EQ(s->platform.timing[TIMING_DRAM], 90u);
    EXPECT_EQ(s->platform.timing[TIMING_TLB_L1_HIT], 1u); // untouched default
    EXPECT_EQ(s->platform.quantum, 1000u);
    EXPECT_EQ(s->platform.clock_mhz, 2000u);
    ASSERT_EQ(s->n_steps, 2u);
    ASSERT_EQ(s->steps[0].action.kind, SCN_ACT_PARALLEL);
    EXPECT_EQ(s->steps[0].action.n_children, 2u);
    EXPECT_EQ(s->steps[0].action.children[1].core, 1);
    EXPECT_EQ(s->steps[0].action.children[0].after, 0u); // no offset: starts with the group
    EXPECT_EQ(s->steps[0].action.children[1].after, 2000u);
    EXPECT_EQ(s->steps[0].action.children[1].action.caller, RME_SS_NS);
    EXPECT_STREQ(s->steps[0].action.children[1].checks[0].text, "BAD_PAS");
    EXPECT_EQ(scenario_find_step(s, "b"), 2);
    EXPECT_EQ(scenario_find_step(s, "c"), 3);
    EXPECT_EQ(scenario_find_step(s, "zz"), -1);
    EXPECT_EQ(s->steps[1].action.tlbi_size, 2u << 20);
    scenario_free(s);
}

// A realm's guest options: which kernel's ioremap it follows, and the step key that reports it.
TEST(Loader, RealmGuestIoremapMode)
{
    Loaded l(std::string(SCENARIOS_DIR) + "/flows/ioremap-of-ram-refused.yaml");
    ASSERT_NE(l.s, nullptr) << l.diag.text;
    ASSERT_EQ(l.s->n_realms, 2u);
    EXPECT_EQ(l.s->realms[0].guest_ioremap, unsigned(SCN_IOREMAP_MERGED));
    EXPECT_EQ(l.s->realms[1].guest_ioremap, unsigned(SCN_IOREMAP_SEED));
    const scn_check *refused = find(l.s->steps[0], "ioremap");
    ASSERT_NE(refused, nullptr);
    EXPECT_STREQ(refused->text, "refused");
}

} // namespace
