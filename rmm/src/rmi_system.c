/* RMI_VERSION and RMI_FEATURES: the commands without failure conditions (B4.3.23, B4.3.4). */
#include "rmm/rmm.h"

#include "rmi_handlers.h"

/* B4.3.23: a compatible revision gives SUCCESS with lower = the request; otherwise ERROR_INPUT.
 * This RMM implements exactly 1.0, so lower = higher = 1.0 (as TF-RMM 1.0 reports). */
void rmi_version(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    (void)rmm;
    out[0] = rmi_pack(in[1] == RMI_ABI_VERSION ? RMI_SUCCESS : RMI_ERROR_INPUT, 0);
    out[1] = RMI_ABI_VERSION;
    out[2] = RMI_ABI_VERSION;
}

unsigned rmm_max_ipa_bits(const struct rmm *rmm);

/* B4.4.6 RmiFeatureRegister0 for index 0: S2SZ [7:0] (the PE's PA size, at most 48 without
 * LPA2), NUM_BPS [19:14] = 5 and NUM_WPS [25:20] = 3 (six breakpoints and four watchpoints, as
 * Cortex-A cores have), HASH_SHA_256 [32], HASH_SHA_512 [33], MAX_RECS_ORDER [41:38] = 8; no
 * LPA2, SVE or PMU. Any other index reads 0. */
void rmi_features(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    out[0] = rmi_pack(RMI_SUCCESS, 0);
    out[1] = in[1] == 0 ? (uint64_t)rmm_max_ipa_bits(rmm) | (5ull << 14) | (3ull << 20) |
                              (1ull << 32) | (1ull << 33) | (8ull << 38)
                        : 0;
}
