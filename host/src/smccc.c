#include "host/smccc.h"

/* SMCCC_ARCH_FEATURES of a workaround: KVM answers from the host CPU's Spectre state; the
 * modelled cores are not affected (arm64_get_spectre_v2/v4/bhb_state() UNAFFECTED). */
static uint64_t arch_feature(uint32_t feature)
{
    switch (feature) {
    case SMCCC_ARCH_WORKAROUND_1:
    case SMCCC_ARCH_WORKAROUND_3:
        return SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED;
    case SMCCC_ARCH_WORKAROUND_2:
        return SMCCC_RET_NOT_REQUIRED;
    default:
        return SMCCC_RET_NOT_SUPPORTED;
    }
}

bool kvm_smccc_call(uint64_t gprs[31])
{
    uint32_t fid = (uint32_t)gprs[0]; /* smccc_get_function(): W0 */
    uint64_t val[4] = {SMCCC_RET_NOT_SUPPORTED, 0, 0, 0};
    bool known = true;
    switch (fid) {
    case SMCCC_VERSION_FID:
        val[0] = SMCCC_VERSION_1_1;
        break;
    case SMCCC_ARCH_FEATURES_FID:
        val[0] = arch_feature((uint32_t)gprs[1]);
        break;
    case SMCCC_VENDOR_HYP_CALL_UID:
        val[0] = KVM_UID_REG0;
        val[1] = KVM_UID_REG1;
        val[2] = KVM_UID_REG2;
        val[3] = KVM_UID_REG3;
        break;
    default:
        known = false;
        break;
    }
    for (unsigned i = 0; i < 4; i++) /* smccc_set_retval() */
        gprs[i] = val[i];
    return known;
}
