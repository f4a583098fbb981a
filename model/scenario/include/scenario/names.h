/* The architecture's and the RMM specification's names, as a scenario may write them
 * (any case; RMI_/RSI_ prefixes optional), with their encodings. */
#ifndef SCENARIO_NAMES_H
#define SCENARIO_NAMES_H

#include <stdbool.h>
#include <stddef.h>

struct scn_name {
    const char *name; /* canonical spelling */
    unsigned code;    /* the architecture's / specification's encoding */
};

/* Whether a scenario may write a table's value as its number instead of its name. */
enum scn_numbers {
    SCN_NAMES_ONLY,       /* the codes are the model's own numbering */
    SCN_NUMBERS,          /* the codes are the architecture's or the specification's numbers */
    SCN_NUMBERS_SIGNED32, /* the same, for signed 32-bit codes: -1 or 0xffffffff */
};

struct scn_name_table {
    const char *what;   /* "RMI command", "GPI", ... for messages */
    const char *prefix; /* optional prefix accepted before the name ("RMI_"), or NULL */
    const struct scn_name *names;
    size_t count;
    enum scn_numbers numbers;
    size_t numbered; /* the first `numbered` names have their number; the rest are the model's */
};

/* Find `text` in a table (case-insensitive, prefix optional). */
const struct scn_name *scn_name_lookup(const struct scn_name_table *t, const char *text);
/* The entry whose architecture number is `code` (NULL for a names-only table, or a number no
 * name has). */
const struct scn_name *scn_name_by_number(const struct scn_name_table *t, unsigned long long code);
/* The canonical name of a code, or NULL. */
const char *scn_name_of(const struct scn_name_table *t, unsigned code);
/* "a b c" into buf, for messages; with each name's number where the table has them. */
const char *scn_name_list(const struct scn_name_table *t, char *buf, size_t len);

/* RMI commands: code = FID low 16 bits (0x150..0x169), SPEC B4.3 / rmm.md 1.2 */
extern const struct scn_name_table scn_rmi_commands;
/* RSI commands: code = FID low 16 bits (0x190..0x199), SPEC B5.3 */
extern const struct scn_name_table scn_rsi_commands;
extern const struct scn_name_table scn_rmi_status;  /* SUCCESS 0 .. ERROR_RTT 4 */
extern const struct scn_name_table scn_rsi_status;  /* SUCCESS 0 .. ERROR_UNKNOWN 4 */
extern const struct scn_name_table scn_psci_status; /* PSCI return codes, low 32 bits */
/* An RSI command code is the low bits of its FID; a PSCI one is its whole FID. */
static inline unsigned long long scn_rsi_fid(unsigned code)
{
    return code >= 0x80000000u ? code : 0xC4000000ull | code;
}
extern const struct scn_name_table scn_gpt_status; /* SUCCESS, BAD_ADDR, BAD_PAS */
extern const struct scn_name_table scn_granule_states;
extern const struct scn_name_table scn_realm_states;
extern const struct scn_name_table scn_rtte_states;
extern const struct scn_name_table scn_ripas;
/* the realm guest's ioremap (docs/realm.md): merged Linux 6.13+ (0), the seed patch (1) */
extern const struct scn_name_table scn_ioremap_modes;
extern const struct scn_name_table scn_memory_fault_policies; /* the VMM's: convert, refuse */
extern const struct scn_name_table scn_vmm_answers;           /* converted, refused */
extern const struct scn_name_table scn_run_ends; /* instructions, pc, wfi, exit, unhandled */
/* how an ioremap step ended: the alias it mapped, or refused (RAM) */
extern const struct scn_name_table scn_ioremap_results;
extern const struct scn_name_table scn_rec_exit_reasons;
extern const struct scn_name_table scn_rsi_responses; /* ACCEPT 0, REJECT 1 */
extern const struct scn_name_table scn_pas_names;     /* secure ns root realm -> enum rme_pas */
extern const struct scn_name_table scn_gpi_names;     /* no_access secure ns root realm any nso */
extern const struct scn_name_table scn_results;       /* ok translation_fault ... sea */
extern const struct scn_name_table scn_tlbi_ops;
extern const struct scn_name_table scn_callers;  /* secure ns realm -> enum rme_sec_state */
extern const struct scn_name_table scn_hit_miss; /* hit 1 miss 0 */
extern const struct scn_name_table scn_ec_names; /* exception classes */
extern const struct scn_name_table scn_backings; /* shared private -> enum scn_backing */

/* Result codes (scn_results) */
enum scn_result {
    SCN_RESULT_OK,
    SCN_RESULT_TRANSLATION,
    SCN_RESULT_PERMISSION,
    SCN_RESULT_ACCESS_FLAG,
    SCN_RESULT_ADDRESS_SIZE,
    SCN_RESULT_GPF,
    SCN_RESULT_GPT_WALK,
    SCN_RESULT_GPT_ADDRESS_SIZE,
    SCN_RESULT_SEA,
};

/* TLBI operations (scn_tlbi_ops) */
enum scn_tlbi_op {
    SCN_TLBI_VMALLE1,
    SCN_TLBI_VMALLE1IS,
    SCN_TLBI_VAE1,
    SCN_TLBI_VAE1IS,
    SCN_TLBI_VALE1,
    SCN_TLBI_VALE1IS,
    SCN_TLBI_ASIDE1,
    SCN_TLBI_ASIDE1IS,
    SCN_TLBI_IPAS2E1,
    SCN_TLBI_IPAS2E1IS,
    SCN_TLBI_IPAS2LE1,
    SCN_TLBI_IPAS2LE1IS,
    SCN_TLBI_VMALLS12E1,
    SCN_TLBI_VMALLS12E1IS,
    SCN_TLBI_ALLE2,
    SCN_TLBI_ALLE2IS,
    SCN_TLBI_ALLE1,
    SCN_TLBI_ALLE1IS,
    SCN_TLBI_PAALL,
    SCN_TLBI_PAALLOS,
    SCN_TLBI_RPAOS,
    SCN_TLBI_RPALOS,
};

/* GPI encodings (Arm ARM D9.6.5) */
enum scn_gpi {
    SCN_GPI_NO_ACCESS = 0x0,
    SCN_GPI_SECURE = 0x8,
    SCN_GPI_NS = 0x9,
    SCN_GPI_ROOT = 0xA,
    SCN_GPI_REALM = 0xB,
    SCN_GPI_NSO = 0xD,
    SCN_GPI_ANY = 0xF,
};

/* RMM granule states (TF-RMM numbering, rmm.md 2.1) */
enum scn_granule_state {
    SCN_GRANULE_UNDELEGATED,
    SCN_GRANULE_DELEGATED,
    SCN_GRANULE_RD,
    SCN_GRANULE_REC,
    SCN_GRANULE_REC_AUX,
    SCN_GRANULE_DATA,
    SCN_GRANULE_RTT,
};

#endif
