/* Internal: one function per RMI command, each reading like the specification's list. */
#ifndef RMM_RMI_HANDLERS_H
#define RMM_RMI_HANDLERS_H

#include "rmm/rmm.h"

void rmi_version(struct rmm *rmm, const uint64_t in[8], uint64_t out[8]);
void rmi_features(struct rmm *rmm, const uint64_t in[8], uint64_t out[8]);
void rmi_granule_delegate(struct rmm *rmm, const uint64_t in[8], uint64_t out[8]);
void rmi_granule_undelegate(struct rmm *rmm, const uint64_t in[8], uint64_t out[8]);

#endif
