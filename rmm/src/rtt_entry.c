#include <string.h>

#include "rmm/rmm.h"
#include "s2tt.h"

void rtt_entry_decode(uint64_t entry, int level, struct rtt_entry_info *out)
{
    memset(out, 0, sizeof(*out));
    enum s2tte_kind k = s2tte_kind(entry, level);
    out->level = level;
    out->state = k == S2TTE_TABLE                                  ? RMI_TABLE
                 : (k == S2TTE_ASSIGNED || k == S2TTE_ASSIGNED_NS) ? RMI_ASSIGNED
                                                                   : RMI_UNASSIGNED;
    out->ns = k == S2TTE_ASSIGNED_NS || k == S2TTE_UNASSIGNED_NS;
    /* unprotected entries and tables have no RIPAS: EMPTY as RTT_READ_ENTRY reports (B4.3.20) */
    out->ripas =
        (k == S2TTE_UNASSIGNED || k == S2TTE_ASSIGNED) ? s2tte_ripas(entry) : RMI_RIPAS_EMPTY;
    out->desc = entry;
}

const char *rtt_entry_state_name(const struct rtt_entry_info *e)
{
    switch (e->state) {
    case RMI_UNASSIGNED:
        return e->ns ? "UNASSIGNED_NS" : "UNASSIGNED";
    case RMI_ASSIGNED:
        return e->ns ? "ASSIGNED_NS" : "ASSIGNED";
    case RMI_TABLE:
        return "TABLE";
    }
    return "?";
}

const char *rmi_ripas_name(enum rmi_ripas ripas)
{
    switch (ripas) {
    case RMI_RIPAS_EMPTY:
        return "EMPTY";
    case RMI_RIPAS_RAM:
        return "RAM";
    case RMI_RIPAS_DESTROYED:
        return "DESTROYED";
    }
    return "?";
}
