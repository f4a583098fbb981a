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

/* 8-byte accesses by the host to its own memory (its identity map) */
bool kvm_put(const struct kvm_env *env, uint64_t pa, uint64_t v);
uint64_t kvm_get(const struct kvm_env *env, uint64_t pa);
/* a host page handed to the RMM: RMI_GRANULE_DELEGATE (0 on failure) */
uint64_t kvm_delegated_page(const struct kvm_env *env, struct kvm_realm *r);
/* an RMI call that needs tables down to level 3 at ipa: RTTs created as ERROR_RTT asks */
uint64_t kvm_rmi_with_rtts(const struct kvm_env *env, struct kvm_realm *r, const uint64_t in[8],
                           uint64_t ipa, uint64_t *out1);
/* room for one more element of a growing array (NULL when out of memory) */
void *kvm_grow(void *array, size_t *cap, size_t n, size_t elem);
/* the private backing of a guest frame: the delegated granule guest_memfd holds for it */
void kvm_remember_private(struct kvm_realm *r, uint64_t gfn, uint64_t pa);

/* RMI_RTT_INIT_RIPAS (rec 0) or RMI_RTT_SET_RIPAS (rec: the REC asking) over [base, top) */
uint64_t kvm_ripas_change(const struct kvm_env *env, struct kvm_realm *r, uint64_t rec,
                          uint64_t base, uint64_t top);
/* KVM_SET_MEMORY_ATTRIBUTES over [base, top) of the memslot (what the VMM's conversion asks
 * of KVM): the attribute, and the mappings of the side the range leaves */
uint64_t kvm_set_memory_attributes(const struct kvm_env *env, struct kvm_realm *r, uint64_t base,
                                   uint64_t top, bool to_private);
/* Before REC_ENTER of vCPU v: a RIPAS change it asked for, applied (KVM's kvm_rec_pre_enter) */
void kvm_complete_ripas_change(const struct kvm_env *env, struct kvm_realm *r, unsigned v);
/* KVM's memory attribute of the memslot page at gpa: shared (after a change to EMPTY) */
bool kvm_page_shared(const struct kvm_realm *r, uint64_t gpa);

#endif
