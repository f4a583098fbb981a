/* KVM's answer to an SMCCC call a realm makes through RSI_HOST_CALL. KVM (the KVM CCA series v12,
 * arch/arm64/kvm/rmi-exit.c rec_exit_host_call()) loads the exit's X0..X30 into the vCPU and runs
 * its ordinary hypercall handler, kvm_smccc_call_handler() (arch/arm64/kvm/hypercalls.c): W0 is
 * an SMCCC function ID, the result goes to X0..X3 and X4..X30 come back as the realm sent them
 * (kvm_rec_pre_enter() copies them all into RmiRecEnter.gprs). The call's immediate is unused. */
#ifndef HOST_SMCCC_H
#define HOST_SMCCC_H

#include <stdbool.h>
#include <stdint.h>

/* SMC Calling Convention (DEN0028) function IDs and return values */
#define SMCCC_VERSION_FID 0x80000000u
#define SMCCC_ARCH_FEATURES_FID 0x80000001u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define SMCCC_ARCH_WORKAROUND_2 0x80007FFFu
#define SMCCC_ARCH_WORKAROUND_3 0x80003FFFu
#define SMCCC_VENDOR_HYP_CALL_UID 0x8600FF01u
#define SMCCC_RET_SUCCESS 0ull
#define SMCCC_RET_NOT_SUPPORTED 0xFFFFFFFFFFFFFFFFull /* -1 */
#define SMCCC_RET_NOT_REQUIRED 0xFFFFFFFFFFFFFFFEull  /* -2 */
#define SMCCC_ARCH_WORKAROUND_RET_UNAFFECTED 1ull
#define SMCCC_VERSION_1_1 0x10001ull
/* KVM's vendor hypervisor UID, 28b46fb6-2ec5-11e9-a9ca-4b564d003a74, as four registers */
#define KVM_UID_REG0 0xb66fb428ull
#define KVM_UID_REG1 0xe911c52eull
#define KVM_UID_REG2 0x564bcaa9ull
#define KVM_UID_REG3 0x743a004dull

/* Answer the call in gprs (X0..X30) in place: X0..X3 get the result. True when the function ID
 * is one this model answers as KVM does; false when it answers NOT_SUPPORTED (which KVM does
 * too, except for the services docs/host.md lists as not modelled). */
bool kvm_smccc_call(uint64_t gprs[31]);

#endif
