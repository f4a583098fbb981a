#include "scenario/names.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

/* A table whose first n_numbered names are written with the architecture's numbers. */
#define PARTLY_NUMBERED_TABLE(var, what, prefix, numbers, n_numbered, ...)                         \
    static const struct scn_name var##_entries[] = {__VA_ARGS__};                                  \
    const struct scn_name_table var = {                                                            \
        what,    prefix,    var##_entries, sizeof(var##_entries) / sizeof(var##_entries[0]),       \
        numbers, n_numbered}
#define NUMBERED_TABLE(var, what, prefix, numbers, ...)                                            \
    PARTLY_NUMBERED_TABLE(var, what, prefix, numbers,                                              \
                          sizeof(var##_entries) / sizeof(var##_entries[0]), __VA_ARGS__)
#define TABLE(var, what, prefix, ...)                                                              \
    PARTLY_NUMBERED_TABLE(var, what, prefix, SCN_NAMES_ONLY, 0, __VA_ARGS__)

/* RMM 1.0 RMI FIDs are 0xC4000000 | code (rmm.md 1.2; RMM spec B4.3) */
TABLE(scn_rmi_commands, "RMI command", "RMI_", {"VERSION", 0x150}, {"GRANULE_DELEGATE", 0x151},
      {"GRANULE_UNDELEGATE", 0x152}, {"DATA_CREATE", 0x153}, {"DATA_CREATE_UNKNOWN", 0x154},
      {"DATA_DESTROY", 0x155}, {"REALM_ACTIVATE", 0x157}, {"REALM_CREATE", 0x158},
      {"REALM_DESTROY", 0x159}, {"REC_CREATE", 0x15A}, {"REC_DESTROY", 0x15B}, {"REC_ENTER", 0x15C},
      {"RTT_CREATE", 0x15D}, {"RTT_DESTROY", 0x15E}, {"RTT_MAP_UNPROTECTED", 0x15F},
      {"RTT_READ_ENTRY", 0x161}, {"RTT_UNMAP_UNPROTECTED", 0x162}, {"PSCI_COMPLETE", 0x164},
      {"FEATURES", 0x165}, {"RTT_FOLD", 0x166}, {"REC_AUX_COUNT", 0x167}, {"RTT_INIT_RIPAS", 0x168},
      {"RTT_SET_RIPAS", 0x169});

/* RSI FIDs (RMM spec B5.3) */
TABLE(scn_rsi_commands, "RSI command", "RSI_", {"VERSION", 0x190}, {"FEATURES", 0x191},
      {"MEASUREMENT_READ", 0x192}, {"MEASUREMENT_EXTEND", 0x193}, {"ATTESTATION_TOKEN_INIT", 0x194},
      {"ATTESTATION_TOKEN_CONTINUE", 0x195}, {"REALM_CONFIG", 0x196}, {"IPA_STATE_SET", 0x197},
      {"IPA_STATE_GET", 0x198}, {"HOST_CALL", 0x199},
      /* PSCI calls a realm makes the same way (RMM spec B6.3): codes are their full FIDs */
      {"PSCI_VERSION", 0x84000000u}, {"PSCI_CPU_SUSPEND", 0xC4000001u},
      {"PSCI_CPU_OFF", 0x84000002u}, {"PSCI_CPU_ON", 0xC4000003u},
      {"PSCI_AFFINITY_INFO", 0xC4000004u}, {"PSCI_SYSTEM_OFF", 0x84000008u},
      {"PSCI_SYSTEM_RESET", 0x84000009u}, {"PSCI_FEATURES", 0x8400000Au});

/* PSCI return codes (DEN0022), as the low 32 bits of X0 */
NUMBERED_TABLE(scn_psci_status, "PSCI status", "PSCI_", SCN_NUMBERS_SIGNED32, {"SUCCESS", 0},
               {"NOT_SUPPORTED", 0xFFFFFFFFu}, {"INVALID_PARAMETERS", 0xFFFFFFFEu},
               {"DENIED", 0xFFFFFFFDu}, {"ALREADY_ON", 0xFFFFFFFCu}, {"ON_PENDING", 0xFFFFFFFBu},
               {"INTERNAL_FAILURE", 0xFFFFFFFAu}, {"NOT_PRESENT", 0xFFFFFFF9u},
               {"DISABLED", 0xFFFFFFF8u}, {"INVALID_ADDRESS", 0xFFFFFFF7u});

/* RMM spec B4.4.25 and B5.4.1 */
NUMBERED_TABLE(scn_rmi_status, "RMI status", "RMI_", SCN_NUMBERS, {"SUCCESS", 0},
               {"ERROR_INPUT", 1}, {"ERROR_REALM", 2}, {"ERROR_REC", 3}, {"ERROR_RTT", 4});
NUMBERED_TABLE(scn_rsi_status, "RSI status", "RSI_", SCN_NUMBERS, {"SUCCESS", 0},
               {"ERROR_INPUT", 1}, {"ERROR_STATE", 2}, {"INCOMPLETE", 3}, {"ERROR_UNKNOWN", 4});
/* The RMM-EL3 interface codes (E_RMM_OK 0, E_RMM_BAD_ADDR -2, E_RMM_BAD_PAS -3) */
NUMBERED_TABLE(scn_gpt_status, "granule transition status", "E_RMM_", SCN_NUMBERS_SIGNED32,
               {"SUCCESS", 0}, {"BAD_ADDR", 0xFFFFFFFEu}, {"BAD_PAS", 0xFFFFFFFDu});

TABLE(scn_granule_states, "granule state", "GRANULE_", {"UNDELEGATED", 0}, {"DELEGATED", 1},
      {"RD", 2}, {"REC", 3}, {"REC_AUX", 4}, {"DATA", 5}, {"RTT", 6});
TABLE(scn_realm_states, "realm state", "REALM_", {"NEW", 0}, {"ACTIVE", 1}, {"SYSTEM_OFF", 2});
/* RmiRttEntryState (RMM spec B4.4); the NS states are the model's names for unprotected ones */
PARTLY_NUMBERED_TABLE(scn_rtte_states, "RTT entry state", "RMI_", SCN_NUMBERS, 3, {"UNASSIGNED", 0},
                      {"ASSIGNED", 1}, {"TABLE", 2}, {"UNASSIGNED_NS", 3}, {"ASSIGNED_NS", 4});
/* RmiRipas and RsiRipas (RMM spec B4.4, B5.4) */
NUMBERED_TABLE(scn_ripas, "RIPAS", "RIPAS_", SCN_NUMBERS, {"EMPTY", 0}, {"RAM", 1},
               {"DESTROYED", 2});
/* RsiResponse (RMM spec B5.4): the host's answer to a RIPAS change */
NUMBERED_TABLE(scn_rsi_responses, "RSI response", "RSI_", SCN_NUMBERS, {"ACCEPT", 0},
               {"REJECT", 1});
TABLE(scn_ioremap_modes, "ioremap mode", NULL, {"merged", 0}, {"seed", 1});
TABLE(scn_memory_fault_policies, "memory-fault policy", NULL, {"convert", 0}, {"refuse", 1});
TABLE(scn_vmm_answers, "VMM answer", NULL, {"converted", 0}, {"refused", 1});
/* why a run step's vCPU stopped */
TABLE(scn_run_ends, "run end", NULL, {"instructions", 0}, {"pc", 1}, {"wfi", 2}, {"exit", 3},
      {"unhandled", 4}, {"output", 5});
TABLE(scn_ioremap_results, "ioremap result", NULL, {"protected", 0}, {"unprotected", 1},
      {"refused", 2});
/* RMM spec B4.4.17 */
NUMBERED_TABLE(scn_rec_exit_reasons, "REC exit reason", "RMI_EXIT_", SCN_NUMBERS, {"SYNC", 0},
               {"IRQ", 1}, {"FIQ", 2}, {"PSCI", 3}, {"RIPAS_CHANGE", 4}, {"HOST_CALL", 5},
               {"SERROR", 6});
/* PAS and security states as {NSE, NS} encodes them (Arm ARM D1.2, SCR_EL3) */
NUMBERED_TABLE(scn_pas_names, "PAS", NULL, SCN_NUMBERS, {"secure", 0}, {"ns", 1}, {"root", 2},
               {"realm", 3});
/* GPT entry GPI encodings (Arm ARM D9.6.5) */
NUMBERED_TABLE(scn_gpi_names, "GPI", "GPI_", SCN_NUMBERS, {"no_access", 0x0}, {"secure", 0x8},
               {"ns", 0x9}, {"root", 0xA}, {"realm", 0xB}, {"nso", 0xD}, {"any", 0xF});
TABLE(scn_backings, "backing", NULL, {"shared", 1}, {"private", 2});
TABLE(scn_results, "result", NULL, {"ok", 0}, {"translation_fault", 1}, {"permission_fault", 2},
      {"access_flag_fault", 3}, {"address_size_fault", 4}, {"gpf", 5}, {"gpt_walk_fault", 6},
      {"gpt_address_size_fault", 7}, {"sea", 8}, {"pending", 9}, {"stopped", 10});
TABLE(scn_tlbi_ops, "TLBI operation", "TLBI_", {"VMALLE1", 0}, {"VMALLE1IS", 1}, {"VAE1", 2},
      {"VAE1IS", 3}, {"VALE1", 4}, {"VALE1IS", 5}, {"ASIDE1", 6}, {"ASIDE1IS", 7}, {"IPAS2E1", 8},
      {"IPAS2E1IS", 9}, {"IPAS2LE1", 10}, {"IPAS2LE1IS", 11}, {"VMALLS12E1", 12},
      {"VMALLS12E1IS", 13}, {"ALLE2", 14}, {"ALLE2IS", 15}, {"ALLE1", 16}, {"ALLE1IS", 17},
      {"PAALL", 18}, {"PAALLOS", 19}, {"RPAOS", 20}, {"RPALOS", 21});
NUMBERED_TABLE(scn_callers, "caller", NULL, SCN_NUMBERS, {"secure", 0}, {"ns", 1}, {"realm", 3});
TABLE(scn_hit_miss, "TLB result", NULL, {"miss", 0}, {"hit", 1});
/* ESR_ELx.EC (Arm ARM D24.2) */
NUMBERED_TABLE(scn_ec_names, "exception class", "EC_", SCN_NUMBERS, {"UNKNOWN", 0x00},
               {"WFX", 0x01}, {"SVC64", 0x15}, {"HVC64", 0x16}, {"SMC64", 0x17}, {"SYSREG", 0x18},
               {"GPC", 0x1E}, {"IABT_LOWER", 0x20}, {"IABT_CUR", 0x21}, {"DABT_LOWER", 0x24},
               {"DABT_CUR", 0x25}, {"SERROR", 0x2F});

const struct scn_name *scn_name_lookup(const struct scn_name_table *t, const char *text)
{
    size_t plen = t->prefix ? strlen(t->prefix) : 0;
    if (plen && strncasecmp(text, t->prefix, plen) == 0 && text[plen])
        text += plen;
    for (size_t i = 0; i < t->count; i++)
        if (strcasecmp(t->names[i].name, text) == 0)
            return &t->names[i];
    return NULL;
}

const char *scn_name_of(const struct scn_name_table *t, unsigned code)
{
    for (size_t i = 0; i < t->count; i++)
        if (t->names[i].code == code)
            return t->names[i].name;
    return NULL;
}

const struct scn_name *scn_name_by_number(const struct scn_name_table *t, unsigned long long code)
{
    for (size_t i = 0; i < t->numbered; i++)
        if (t->names[i].code == code)
            return &t->names[i];
    return NULL;
}

const char *scn_name_list(const struct scn_name_table *t, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < t->count && used < len; i++) {
        const struct scn_name *n = &t->names[i];
        used += (size_t)snprintf(buf + used, len - used, "%s%s", i ? " " : "", n->name);
        if (used >= len || i >= t->numbered)
            continue;
        if (t->numbers == SCN_NUMBERS_SIGNED32)
            used += (size_t)snprintf(buf + used, len - used, " (%d)", (int)(int32_t)n->code);
        else
            used += (size_t)snprintf(buf + used, len - used, " (0x%x)", n->code);
    }
    return buf;
}
