// Every enumerated value the architecture or the RMM specification numbers may be written as
// that number instead of its name; the loader turns it into the name, so the judge and the
// views never see the difference. Names the model made up have no number.
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "scenario/scenario.h"
}

namespace
{

const scn_check *find(const scn_step &st, const char *path)
{
    for (size_t i = 0; i < st.n_checks; i++)
        if (std::string(st.checks[i].path) == path)
            return &st.checks[i];
    return nullptr;
}

std::string text_of(const scn_step &st, const char *path)
{
    const scn_check *c = find(st, path);
    return c && c->text ? c->text : "(none)";
}

struct Parsed {
    scenario *s = nullptr;
    scenario_diag diag{};
    explicit Parsed(const std::string &steps_and_finals)
    {
        std::string yaml = R"(
scenario: numbers
platform:
  pa_bits: 40
  gpt: { regions: [ { base: 0x8000_0000, size: 4K, gpi: 0xb } ] }
  memory: [ { name: dram, base: 0x8000_0000, size: 1G } ]
realms:
  - { name: r0, ipa_bits: 40, vcpus: 1, ram: { ipa: 0x8000_0000, size: 16M } }
)" + steps_and_finals;
        s = scenario_parse_string(yaml.c_str(), "numbers.yaml", &diag);
    }
    ~Parsed() { scenario_free(s); }
};

TEST(Numbers, StepExpectationsTakeTheArchitecturesNumbers)
{
    Parsed p(R"(
steps:
  - id: load
    on: r0.vcpu0
    load: { va: 0xffff_0000_0000_0000 }
    expect:
      exception: { ec: 0x25 }
      pas: 3
      gpi: 9
      rec_exit: { reason: 4, ripas_value: 2 }
  - { id: read, on: host, rmi: RTT_READ_ENTRY, expect: { status: 4, out: { state: 2, ripas: 1 } } }
  - { id: cpu-on, on: r0.vcpu0, rsi: PSCI_CPU_ON, expect: { status: -4 } }
  - { id: cpu-off, on: r0.vcpu0, rsi: PSCI_CPU_OFF, expect: { status: 0xfffffffd } }
  - { id: config, on: r0.vcpu0, rsi: REALM_CONFIG, expect: { status: 3 } }
  - { id: set, on: r0.vcpu0, rsi: IPA_STATE_SET, expect: { out: { response: 1 } } }
  - id: move
    on: el3
    gpt_transition: { pa: 0x8000_0000, to: 0x9, caller: 1 }
    expect: { status: -3 }
)");
    ASSERT_NE(p.s, nullptr) << p.diag.text;
    const scn_step *st = p.s->steps;
    EXPECT_EQ(text_of(st[0], "exception.ec"), "DABT_CUR");
    EXPECT_EQ(text_of(st[0], "pas"), "realm");
    EXPECT_EQ(text_of(st[0], "gpi"), "ns");
    EXPECT_EQ(text_of(st[0], "rec_exit.reason"), "RIPAS_CHANGE");
    EXPECT_EQ(text_of(st[0], "rec_exit.ripas_value"), "DESTROYED");
    EXPECT_EQ(text_of(st[1], "status"), "ERROR_RTT");
    EXPECT_EQ(text_of(st[1], "out.state"), "TABLE");
    EXPECT_EQ(text_of(st[1], "out.ripas"), "RAM");
    EXPECT_EQ(text_of(st[2], "status"), "ALREADY_ON");
    EXPECT_EQ(text_of(st[3], "status"), "DENIED");
    EXPECT_EQ(text_of(st[4], "status"), "INCOMPLETE");
    EXPECT_EQ(text_of(st[5], "out.response"), "REJECT");
    EXPECT_EQ(text_of(st[6], "status"), "BAD_PAS"); // E_RMM_BAD_PAS is -3
    EXPECT_EQ(st[6].action.gpi, 0x9u);
    EXPECT_EQ(st[6].action.caller, RME_SS_NS);
    EXPECT_EQ(p.s->platform.gpt_regions[0].gpi, 0xBu);
}

TEST(Numbers, FinalExpectationsTakeThemToo)
{
    Parsed p(R"(
steps:
  - { on: host, load: { va: 0x8000_0000 } }
expect:
  - { rtt: { realm: r0, ipa: 0x8000_0000, level: 3 }, state: 1, ripas: 2 }
  - { gpi: 0x8000_0000, is: 0xb }
  - { memory: { pa: 0x8000_0000, pas: 1 }, value: 0 }
)");
    ASSERT_NE(p.s, nullptr) << p.diag.text;
    EXPECT_EQ(p.s->finals[0].state, 1u); // ASSIGNED
    EXPECT_EQ(p.s->finals[0].ripas, 2u); // DESTROYED
    EXPECT_EQ(p.s->finals[1].gpi, 0xBu);
    EXPECT_EQ(p.s->finals[2].pas, RME_PAS_NS);
}

// A number no name has, a number for a name the model made up, or a number where the model's
// own enumeration is meant, are each an error naming the value's line.
TEST(Numbers, WhatHasNoNumberIsRefused)
{
    const char *bad[] = {
        "  - { on: r0.vcpu0, load: { va: 0 }, expect: { exception: { ec: 0x3f } } }",
        "  - { on: host, rmi: VERSION, expect: { status: 5 } }",
        "  - { on: host, rmi: RTT_READ_ENTRY, expect: { out: { state: 3 } } }", // UNASSIGNED_NS
        "  - { on: r0.vcpu0, rsi: PSCI_VERSION, expect: { status: -0x80000001 } }",
        "  - { on: r0.vcpu0, rsi: VERSION, expect: { status: -1 } }", // RSI codes are unsigned
        "  - { on: host, load: { va: 0 }, expect: { result: 0 } }",   // the model's own
        "  - { on: host, load: { va: 0 }, expect: { tlb: 1 } }",
        "  - { on: el3, gpt_transition: { pa: 0x8000_0000, to: 0x5 } }", // a reserved GPI
    };
    for (const char *step : bad) {
        Parsed p(std::string("steps:\n") + step + "\n");
        EXPECT_EQ(p.s, nullptr) << step;
        EXPECT_EQ(p.diag.line, 10) << step << ": " << p.diag.text;
        EXPECT_EQ(std::string(p.diag.text).find("numbers.yaml:10:"), 0u) << p.diag.text;
        EXPECT_NE(std::string(p.diag.text).find("unknown "), std::string::npos) << p.diag.text;
    }
}

TEST(Numbers, TablesSayWhichCodesAreNumbers)
{
    EXPECT_STREQ(scn_name_by_number(&scn_ec_names, 0x24)->name, "DABT_LOWER");
    EXPECT_STREQ(scn_name_by_number(&scn_rtte_states, 2)->name, "TABLE");
    EXPECT_EQ(scn_name_by_number(&scn_rtte_states, 3), nullptr); // UNASSIGNED_NS: the model's
    EXPECT_EQ(scn_name_by_number(&scn_results, 0), nullptr);
    EXPECT_EQ(scn_name_by_number(&scn_granule_states, 1), nullptr); // the spec numbers none
    EXPECT_STREQ(scn_name_by_number(&scn_psci_status, 0xFFFFFFF7u)->name, "INVALID_ADDRESS");
}

} // namespace
