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

/* B4.4.6 RmiFeatureRegister0 for index 0: S2SZ [7:0], HASH_SHA_256 [32], HASH_SHA_512 [33];
 * no LPA2, SVE or PMU; any other index reads 0. */
void rmi_features(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    out[0] = rmi_pack(RMI_SUCCESS, 0);
    out[1] = in[1] == 0 ? (uint64_t)(rmm->env.pa_bits & 0xFF) | (1ull << 32) | (1ull << 33) : 0;
}
