#include "rmm/rmm.h"

#include <string.h>

#include "rmi_handlers.h"

typedef void (*rmi_handler)(struct rmm *, const uint64_t[8], uint64_t[8]);

/* The commands this build implements, by FID (B4.3). */
static const struct {
    uint64_t fid;
    rmi_handler fn;
} handlers[] = {
    {RMI_VERSION, rmi_version},
    {RMI_FEATURES, rmi_features},
    {RMI_GRANULE_DELEGATE, rmi_granule_delegate},
    {RMI_GRANULE_UNDELEGATE, rmi_granule_undelegate},
};

bool rmm_init(struct rmm *rmm, const struct rmm_env *env, const struct pa_range *dram, size_t n)
{
    memset(rmm, 0, sizeof(*rmm));
    rmm->env = *env;
    return granule_table_init(&rmm->granules, dram, n);
}

void rmm_fini(struct rmm *rmm)
{
    granule_table_free(&rmm->granules);
}

bool rmm_implements(uint64_t fid)
{
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
        if (handlers[i].fid == fid)
            return true;
    return false;
}

void rmm_handle_rmi(struct rmm *rmm, const uint64_t in[8], uint64_t out[8])
{
    memset(out, 0, 8 * sizeof(uint64_t));
    if (rmm->env.cycles)
        *rmm->env.cycles += rmm->env.handler_cycles;
    for (size_t i = 0; i < sizeof handlers / sizeof handlers[0]; i++)
        if (handlers[i].fid == in[0]) {
            handlers[i].fn(rmm, in, out);
            return;
        }
    out[0] = SMC_UNKNOWN;
}
