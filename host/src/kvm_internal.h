/* Internal to the host's KVM model: what kvm.c and kvm_ripas.c share. */
#ifndef HOST_KVM_INTERNAL_H
#define HOST_KVM_INTERNAL_H

#include "host/kvm.h"
#include "rmm/rmi.h"

#define PAGE 4096ull

static inline uint64_t level_size(int level)
{
    return 1ull << (12 + 9 * (3 - level));
}

/* One RMI call: X0 (the status) returned, X1 in *out1 when out1 is not NULL */
uint64_t kvm_rmi(const struct kvm_env *env, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3,
                 uint64_t a4, uint64_t a5, uint64_t *out1);
/* RTTs of levels from+1 .. level covering ipa: delegate and RMI_RTT_CREATE each */
uint64_t kvm_create_rtts(const struct kvm_env *env, struct kvm_realm *r, uint64_t ipa, int from,
                         int level);
/* RMI_GRANULE_UNDELEGATE: the granule is the host's again */
uint64_t kvm_undelegate(const struct kvm_env *env, struct kvm_realm *r, uint64_t pa);

/* RMI_RTT_INIT_RIPAS (rec 0) or RMI_RTT_SET_RIPAS (rec: the REC asking) over [base, top) */
uint64_t kvm_ripas_change(const struct kvm_env *env, struct kvm_realm *r, uint64_t rec,
                          uint64_t base, uint64_t top);
/* A RIPAS_CHANGE exit of vCPU v */
uint64_t kvm_handle_ripas_change(const struct kvm_env *env, struct kvm_realm *r, unsigned v,
                                 struct kvm_exit *x);
/* KVM's memory attribute of the memslot page at gpa: shared (after a change to EMPTY) */
bool kvm_page_shared(const struct kvm_realm *r, uint64_t gpa);

#endif
