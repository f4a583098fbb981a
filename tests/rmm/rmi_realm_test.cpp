// Realms and RECs: RMI_REALM_CREATE / ACTIVATE / DESTROY, RMI_REC_AUX_COUNT, RMI_REC_CREATE /
// DESTROY, each failure condition of B4.3 and the orderings the specification fixes.
#include "fake_platform.hpp"

namespace
{

using namespace rmmtest;

struct Realm : RmmFixture {
    // REALM_CREATE with one field of a valid parameter set changed
    uint64_t create_with(void (*change)(RealmParams &), uint64_t *rd_out = nullptr)
    {
        RealmParams p;
        p.rtt_base = delegated(2);
        change(p);
        uint64_t rd = delegated();
        if (rd_out)
            *rd_out = rd;
        return call(RMI_REALM_CREATE, rd, params_page(p));
    }
};

TEST_F(Realm, CreateFillsTheStartingTablesAndMovesTheGranules)
{
    RealmParams p;
    p.rtt_base = delegated(2);
    uint64_t rd = delegated();
    ASSERT_EQ(call(RMI_REALM_CREATE, rd, params_page(p)), 0u);
    EXPECT_EQ(state(rd), GRANULE_RD);
    EXPECT_EQ(state(p.rtt_base), GRANULE_RTT);
    EXPECT_EQ(state(p.rtt_base + 0x1000), GRANULE_RTT);
    rmm_realm *realm = rmm_realm_at(&r, rd);
    ASSERT_NE(realm, nullptr);
    EXPECT_EQ(realm->state, REALM_NEW);
    EXPECT_EQ(realm->ipa_bits, 40u);
    // first table: protected, UNASSIGNED RIPAS EMPTY (all zero); second table: the unprotected
    // half (IPA >= 2^39 at level 1 is entry 512), UNASSIGNED_NS with bit 55
    EXPECT_EQ(env.read(p.rtt_base + 8 * 5), 0u);
    EXPECT_EQ(env.read(p.rtt_base + 0x1000 + 8 * 7), 1ull << 55);
    rtt_entry_info e;
    ASSERT_TRUE(rmm_rtt_entry(&r, rd, 1ull << 39, 1, &e));
    EXPECT_TRUE(e.ns);
    EXPECT_EQ(e.state, RMI_UNASSIGNED);
}

TEST_F(Realm, CreateFailureConditionsAllReportInput)
{
    const uint64_t input = code(RMI_ERROR_INPUT);
    // params_valid / params_supp
    EXPECT_EQ(create_with([](RealmParams &p) { p.flags = 1ull << 3; }), input); // reserved bit
    EXPECT_EQ(create_with([](RealmParams &p) { p.flags = RMI_REALM_FLAG_LPA2; }), input);
    EXPECT_EQ(create_with([](RealmParams &p) { p.flags = RMI_REALM_FLAG_SVE; }), input);
    EXPECT_EQ(create_with([](RealmParams &p) { p.flags = RMI_REALM_FLAG_PMU; }), input);
    EXPECT_EQ(create_with([](RealmParams &p) { p.s2sz = 41; }), input); // above S2SZ (PA 40)
    EXPECT_EQ(create_with([](RealmParams &p) { p.s2sz = 31; }), input); // below 32
    EXPECT_EQ(create_with([](RealmParams &p) { p.num_bps = 0; }), input);
    EXPECT_EQ(create_with([](RealmParams &p) { p.num_wps = 4; }), input);
    EXPECT_EQ(create_with([](RealmParams &p) { p.hash = 2; }), input);
    // rtt_num_level: 40 bits at start level 1 needs exactly 2 tables; level 0 needs PA >= 44
    EXPECT_EQ(create_with([](RealmParams &p) { p.num = 1; }), input);
    EXPECT_EQ(create_with([](RealmParams &p) { p.sl = 0, p.num = 1; }), input);
    EXPECT_EQ(create_with([](RealmParams &p) { p.sl = 4; }), input);
    // rtt_align: two concatenated tables must be 8KB aligned
    EXPECT_EQ(create_with([](RealmParams &p) { p.rtt_base += 0x1000; }), input);
    // vmid_valid: out of range
    EXPECT_EQ(create_with([](RealmParams &p) { p.vmid = 0x10000; }), input);
    // nothing changed hands on any failure
    EXPECT_EQ(rmm_realm_at(&r, next_page), nullptr);
}

TEST_F(Realm, CreateGranuleArguments)
{
    RealmParams p;
    p.rtt_base = delegated(2);
    uint64_t params = params_page(p), rd = delegated();
    const uint64_t input = code(RMI_ERROR_INPUT);
    EXPECT_EQ(call(RMI_REALM_CREATE, rd, params + 8), input);              // params_align
    EXPECT_EQ(call(RMI_REALM_CREATE, rd, 0x1000), input);                  // params_bound
    EXPECT_EQ(call(RMI_REALM_CREATE, rd, delegated()), input);             // params_pas
    EXPECT_EQ(call(RMI_REALM_CREATE, rd + 8, params), input);              // rd_align
    EXPECT_EQ(call(RMI_REALM_CREATE, 0x1000, params), input);              // rd_bound
    EXPECT_EQ(call(RMI_REALM_CREATE, page(), params), input);              // rd_state
    EXPECT_EQ(call(RMI_REALM_CREATE, p.rtt_base + 0x1000, params), input); // alias
    ASSERT_EQ(call(RMI_GRANULE_UNDELEGATE, p.rtt_base + 0x1000), 0u);
    EXPECT_EQ(call(RMI_REALM_CREATE, rd, params), input); // rtt_state
    EXPECT_EQ(state(rd), GRANULE_DELEGATED);
    EXPECT_EQ(state(p.rtt_base), GRANULE_DELEGATED);
}

TEST_F(Realm, VmidInUseIsRefusedAndFreedByDestroy)
{
    uint64_t rd = new_realm(7);
    EXPECT_EQ(create_with([](RealmParams &p) { p.vmid = 7; }), code(RMI_ERROR_INPUT));
    ASSERT_EQ(call(RMI_REALM_DESTROY, rd), 0u);
    EXPECT_EQ(state(rd), GRANULE_DELEGATED);
    EXPECT_EQ(create_with([](RealmParams &p) { p.vmid = 7; }), 0u);
}

TEST_F(Realm, ActivateOnlyFromNew)
{
    uint64_t rd = new_realm();
    EXPECT_EQ(call(RMI_REALM_ACTIVATE, rd + 8), code(RMI_ERROR_INPUT));      // rd_align
    EXPECT_EQ(call(RMI_REALM_ACTIVATE, delegated()), code(RMI_ERROR_INPUT)); // rd_state
    ASSERT_EQ(call(RMI_REALM_ACTIVATE, rd), 0u);
    EXPECT_EQ(rmm_realm_at(&r, rd)->state, REALM_ACTIVE);
    EXPECT_EQ(call(RMI_REALM_ACTIVATE, rd), code(RMI_ERROR_REALM, 0)); // realm_state
}

TEST_F(Realm, DestroyRefusesALiveRealm)
{
    uint64_t rd = new_realm();
    // a TABLE entry in a starting RTT makes the realm live (A2.1.4)
    uint64_t rtt = delegated();
    ASSERT_EQ(call(RMI_RTT_CREATE, rd, rtt, 0, 2), 0u);
    EXPECT_EQ(call(RMI_REALM_DESTROY, rd), code(RMI_ERROR_REALM, 0));
    ASSERT_EQ(call(RMI_RTT_DESTROY, rd, 0, 2), 0u);
    // so does a REC
    ASSERT_EQ(call(RMI_REC_CREATE, rd, delegated(), rec_params(0)), 0u);
    EXPECT_EQ(call(RMI_REALM_DESTROY, rd), code(RMI_ERROR_REALM, 0));
    EXPECT_EQ(call(RMI_REALM_DESTROY, rd + 8), code(RMI_ERROR_INPUT)); // rd_align beats all
}

TEST_F(Realm, RecAuxCount)
{
    uint64_t rd = new_realm(), out[8];
    ASSERT_EQ(call(RMI_REC_AUX_COUNT, rd, 0, 0, 0, 0, out), 0u);
    EXPECT_EQ(out[1], uint64_t(RMI_REC_AUX_GRANULES));
    EXPECT_EQ(call(RMI_REC_AUX_COUNT, delegated()), code(RMI_ERROR_INPUT));
}

TEST_F(Realm, RecCreateAndDestroy)
{
    uint64_t rd = new_realm(), rec = delegated(), params = rec_params(0, 0x8000'1000);
    env.mem[params + RMI_REC_PARAMS_GPRS + 8] = 0x42; // X1 at first entry
    ASSERT_EQ(call(RMI_REC_CREATE, rd, rec, params), 0u);
    EXPECT_EQ(state(rec), GRANULE_REC);
    uint64_t aux0 = env.read(params + RMI_REC_PARAMS_AUX);
    EXPECT_EQ(state(aux0), GRANULE_REC_AUX);
    rmm_rec *c = rmm_rec_at(&r, rec);
    ASSERT_NE(c, nullptr);
    EXPECT_EQ(c->pc, 0x8000'1000u);
    EXPECT_EQ(c->gprs[1], 0x42u);
    EXPECT_TRUE(c->runnable);
    EXPECT_EQ(rmm_realm_at(&r, rd)->num_recs, 1u);
    ASSERT_EQ(call(RMI_REC_DESTROY, rec), 0u);
    EXPECT_EQ(state(rec), GRANULE_DELEGATED);
    EXPECT_EQ(state(aux0), GRANULE_DELEGATED);
    EXPECT_EQ(rmm_realm_at(&r, rd)->num_recs, 0u);
    EXPECT_EQ(call(RMI_REC_DESTROY, rec), code(RMI_ERROR_INPUT)); // rec_gran_state
}

TEST_F(Realm, RecCreateFailureConditions)
{
    uint64_t rd = new_realm();
    const uint64_t input = code(RMI_ERROR_INPUT);
    uint64_t params = rec_params(0);
    EXPECT_EQ(call(RMI_REC_CREATE, rd, delegated(), params + 8), input);      // params_align
    EXPECT_EQ(call(RMI_REC_CREATE, rd, delegated(), delegated()), input);     // params_pas
    EXPECT_EQ(call(RMI_REC_CREATE, rd, page(), params), input);               // rec_state
    EXPECT_EQ(call(RMI_REC_CREATE, delegated(), delegated(), params), input); // rd_state
    // mpidr_index: the first REC must have index 0
    EXPECT_EQ(call(RMI_REC_CREATE, rd, delegated(), rec_params(1)), input);
    // malformed MPIDR (bits [7:4] SBZ)
    EXPECT_EQ(call(RMI_REC_CREATE, rd, delegated(), rec_params(0x10)), input);
    // num_aux other than REC_AUX_COUNT
    uint64_t few = rec_params(0);
    env.mem[few + RMI_REC_PARAMS_NUM_AUX] = 1;
    EXPECT_EQ(call(RMI_REC_CREATE, rd, delegated(), few), input);
    // aux_state: an aux granule that is not DELEGATED
    uint64_t bad_aux = rec_params(0);
    env.mem[bad_aux + RMI_REC_PARAMS_AUX + 8 * 3] = page();
    EXPECT_EQ(call(RMI_REC_CREATE, rd, delegated(), bad_aux), input);
    // aux_alias: the same granule twice, or the REC itself
    uint64_t alias = rec_params(0);
    env.mem[alias + RMI_REC_PARAMS_AUX + 8] = env.read(alias + RMI_REC_PARAMS_AUX);
    EXPECT_EQ(call(RMI_REC_CREATE, rd, delegated(), alias), input);
    uint64_t self = rec_params(0), rec = delegated();
    env.mem[self + RMI_REC_PARAMS_AUX] = rec;
    EXPECT_EQ(call(RMI_REC_CREATE, rd, rec, self), input);
    EXPECT_EQ(rmm_realm_at(&r, rd)->num_recs, 0u);
}

TEST_F(Realm, RecCreateRealmStateAfterRdChecks)
{
    uint64_t rd = new_realm();
    ASSERT_EQ(call(RMI_REALM_ACTIVATE, rd), 0u);
    // realm_state -> ERROR_REALM; but [rd_bound, rd_state] < [realm_state]
    EXPECT_EQ(call(RMI_REC_CREATE, rd, delegated(), rec_params(0)), code(RMI_ERROR_REALM, 0));
    EXPECT_EQ(call(RMI_REC_CREATE, rd + 8, delegated(), rec_params(0)), code(RMI_ERROR_INPUT));
}

} // namespace
