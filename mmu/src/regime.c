#include "mmu/regime.h"

enum rme_pas mmu_walk_pas(const struct mmu_regime *r)
{
    switch (r->kind) {
    case MMU_EL3:
        return RME_PAS_ROOT;
    case MMU_REALM_EL10:
    case MMU_REALM_EL2:
        return RME_PAS_REALM;
    default:
        return RME_PAS_NS;
    }
}

const char *mmu_fault_name_table[] = {"ok",
                                      "translation_fault",
                                      "permission_fault",
                                      "access_flag_fault",
                                      "address_size_fault",
                                      "gpf",
                                      "gpt_walk_fault",
                                      "gpt_address_size_fault",
                                      "sea"};
