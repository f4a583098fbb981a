/* The scenario language (docs/scenarios.md) as typed C structs, loaded from YAML with every
 * check done before anything runs. Errors read "FILE:LINE:COLUMN: message". */
#ifndef SCENARIO_SCENARIO_H
#define SCENARIO_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem/pas.h"
#include "scenario/names.h"
#include "scenario/pattern.h"
#include "machine/timing.h"

struct scn_pos {
    int line, column; /* 1-based; 0 for a node that came from an override */
    int set;          /* that override's 1-based index (--set:N), or 0: the node is in the file */
};

struct scenario_diag {
    char text[512]; /* "FILE:LINE:COLUMN: message", or "--set:N: message" */
    int line, column;
    int set; /* N when the error is in (or at a node from) override N, else 0 */
};

/* ---- platform ---------------------------------------------------------------------------- */

struct scn_region {
    char *name;
    uint64_t base, size;
    struct scn_pos pos;
};

struct scn_device {
    char *name, *model;
    uint64_t base, size;
    struct scn_pos pos;
};

struct scn_gpt_region {
    uint64_t base, size;
    unsigned gpi; /* architecture encoding (GPI_*) */
    bool block;   /* map: block (level 0) or granule (level 1) */
    struct scn_pos pos;
};

struct scn_cache_geometry {
    unsigned entries, ways;
};

struct scn_platform {
    unsigned cores;
    unsigned pa_bits;  /* GPCCR_EL3.PPS as bits */
    unsigned pa_range; /* implemented PA size */
    uint64_t pgs;      /* physical granule size in bytes */
    uint64_t l0gptsz;  /* bytes per level-0 GPT entry */
    bool gpc, gpcp, nso, spad, nspad, rlpad, appsaa;
    bool gpf_to_el3; /* SCR_EL3.GPF: report GPFs below EL3 as GPC exceptions to EL3 */
    bool has_gpt_base;
    uint64_t gpt_base;
    struct scn_pos gpt_base_pos, memory_pos; /* for the carve-out's errors (check and run) */
    bool gpt_regions_given;                  /* false: the default map (docs/scenarios.md) */
    struct scn_gpt_region *gpt_regions;
    size_t n_gpt_regions;
    bool feat_gpc2, feat_sel2;
    struct scn_region *memory;
    size_t n_memory;
    struct scn_device *devices;
    size_t n_devices;
    unsigned clock_mhz;
    uint64_t quantum;
    struct scn_cache_geometry tlb_l1, tlb_l2, walk_cache, gpt_cache, l1d;
    uint64_t timing[TIMING_COUNT]; /* defaults with the scenario's overrides applied */
    size_t host_pool;              /* index into memory */
};

/* ---- realms ------------------------------------------------------------------------------ */

enum scn_ioremap_mode { SCN_IOREMAP_MERGED, SCN_IOREMAP_SEED };   /* scn_ioremap_modes */
enum scn_memory_fault_policy { SCN_VMM_CONVERT, SCN_VMM_REFUSE }; /* scn_memory_fault_policies */

struct scn_realm {
    char *name;
    unsigned ipa_bits, vcpus;
    uint64_t ram_ipa, ram_size;
    uint64_t linear_map;
    bool has_rtt_level_start;
    int rtt_level_start;
    bool has_image;
    uint64_t image_ipa, image_size;
    char *image_file; /* image: FILE (an AArch64 ELF, as written): its vCPUs run A64 code */
    struct scn_pos image_pos;
    unsigned guest_ioremap;    /* guest: { ioremap }: scn_ioremap_modes */
    unsigned vmm_memory_fault; /* vmm: { memory_fault }: scn_memory_fault_policies */
    struct scn_pos pos;
};

/* { realm, ipa, backing }: which of the host's two backings of a memslot page (the values of
 * host/kvm.h's enum kvm_backing) */
enum scn_backing {
    SCN_BACKING_BY_ATTRIBUTE, /* no backing: the one the page's memory attribute selects */
    SCN_BACKING_SHARED,       /* the VMM's memory */
    SCN_BACKING_PRIVATE,      /* the guest_memfd page (a delegated granule) */
};

/* An address named by what the host built for a realm, resolved when it is used (an rmesim
 * extension): { realm, rtt: { ipa, level } } is the RTT granule of that level which maps ipa,
 * { realm, rec: N, aux: I } the auxiliary granule I of the realm's REC N. */
enum scn_pa_name_kind {
    SCN_PA_GIVEN, /* not named: a number or { realm, ipa } */
    SCN_PA_RTT,
    SCN_PA_AUX,
};

struct scn_pa_name {
    enum scn_pa_name_kind kind;
    unsigned realm;
    uint64_t ipa;      /* SCN_PA_RTT */
    int level;         /* SCN_PA_RTT */
    unsigned rec, aux; /* SCN_PA_AUX */
    struct scn_pos pos;
};

/* ---- values of rmi/rsi arguments ---------------------------------------------------------- */

enum scn_value_kind {
    SCN_VAL_NUMBER,
    SCN_VAL_REALM,      /* a realm's name: its RD */
    SCN_VAL_REC,        /* REALM.vcpuN: that REC */
    SCN_VAL_REALM_PAGE, /* { realm, ipa }: the page behind that IPA in the host's memslot */
    SCN_VAL_NAMED_PA,   /* an RTT or an auxiliary granule of a realm (struct scn_pa_name) */
    SCN_VAL_MAP,        /* params: { field: value } */
    SCN_VAL_LIST,       /* gprs: [ ... ] */
};

struct scn_field;

struct scn_value {
    enum scn_value_kind kind;
    uint64_t number; /* NUMBER; the IPA of a REALM_PAGE */
    unsigned realm, vcpu;
    unsigned backing;         /* REALM_PAGE: enum scn_backing */
    struct scn_pa_name named; /* NAMED_PA */
    struct scn_field *fields; /* MAP */
    size_t n_fields;
    uint64_t *list; /* LIST */
    size_t n_list;
    struct scn_pos pos;
};

struct scn_field {
    char *name;
    struct scn_value value;
    struct scn_pos pos;
};

/* ---- steps ------------------------------------------------------------------------------- */

enum scn_actor_kind { SCN_ACTOR_HOST, SCN_ACTOR_EL3, SCN_ACTOR_REALM };

struct scn_actor {
    enum scn_actor_kind kind;
    unsigned realm, vcpu; /* SCN_ACTOR_REALM */
};

enum scn_action_kind {
    SCN_ACT_LOAD,
    SCN_ACT_STORE,
    SCN_ACT_FETCH,
    SCN_ACT_RMI,
    SCN_ACT_RSI,
    SCN_ACT_DELEGATE,
    SCN_ACT_UNDELEGATE,
    SCN_ACT_MAP,
    SCN_ACT_IOREMAP,
    SCN_ACT_SHARE,
    SCN_ACT_UNSHARE,
    SCN_ACT_TLBI,
    SCN_ACT_PARALLEL,
    SCN_ACT_GPT_TRANSITION,
    SCN_ACT_GPT_WRITE,
    SCN_ACT_DESTROY,  /* destroy: REALM (the host's teardown) */
    SCN_ACT_COMPLETE, /* complete: { vcpu, response | status }: a pending REC exit answered */
    SCN_ACT_RUN, /* run: { instructions, until_pc, until_output }: a vCPU running its image's code
                  */
    SCN_ACT_REPEAT, /* repeat: { times, steps }: the body (children) run `times` times */
    SCN_ACT_COUNT
};

/* map: attrs */
#define SCN_ATTR_NORMAL 0x1u
#define SCN_ATTR_DEVICE 0x2u
#define SCN_ATTR_RO 0x4u
#define SCN_ATTR_XN 0x8u

struct scn_step;

struct scn_action {
    enum scn_action_kind kind;
    struct scn_pos pos; /* of the action key */
    /* load / store / fetch */
    bool has_va;
    uint64_t va;
    unsigned size; /* bytes */
    uint64_t value;
    bool has_pas;
    enum rme_pas pas;
    uint64_t count, stride;     /* repeat the access count times, va += stride (default 1, size) */
    struct scn_pattern pattern; /* kind SCN_PATTERN_NONE: none (va, count, stride) */
    bool by_realm_ipa;          /* host: { realm, ipa } instead of va */
    unsigned realm;
    uint64_t ipa;
    unsigned backing; /* enum scn_backing, for { realm, ipa } */
    /* rmi / rsi */
    unsigned command; /* enum scn_rmi_cmd / scn_rsi_cmd */
    struct scn_field *args;
    size_t n_args;
    /* delegate / undelegate / map / ioremap / share / unshare / gpt_* */
    uint64_t pa, range_size;
    unsigned attrs;
    unsigned gpi;              /* gpt_transition to:, gpt_write gpi: */
    enum rme_sec_state caller; /* gpt_transition caller: */
    /* tlbi */
    unsigned tlbi_op; /* enum scn_tlbi_op */
    bool has_asid, has_vmid, has_level, has_xt, has_tlbi_size;
    uint64_t asid, vmid, xt, tlbi_size;
    int level;
    /* run */
    uint64_t max_instructions;
    bool has_until_pc;
    uint64_t until_pc;
    char *until_output; /* NULL, or the text the devices' output of the step must come to hold */
    /* complete (realm above): the vCPU, and the answer when one is given */
    unsigned vcpu;
    bool has_response, has_psci_status;
    unsigned response; /* scn_rsi_responses */
    uint64_t psci_status;
    /* repeat */
    uint64_t times; /* 1..SCN_REPEAT_MAX_TIMES */
    /* parallel, and repeat's body */
    struct scn_step *children;
    size_t n_children;
};

/* One expectation: a dotted path (e.g. "rec_exit.reason") and the value it must have. */
enum scn_check_kind {
    SCN_CHECK_NUMBER,
    SCN_CHECK_NAME, /* an enumerated name, stored canonical (upper case) with its code */
    SCN_CHECK_BOOL,
    SCN_CHECK_STRING,
    SCN_CHECK_RANGE, /* cycles: { min, max } and stat min/max */
};

struct scn_check {
    char *path;
    enum scn_check_kind kind;
    uint64_t number;
    int64_t signed_number; /* for fault_level -1 */
    char *text;            /* NAME (canonical) or STRING */
    unsigned code;         /* NAME: its encoding */
    bool flag;
    bool has_min, has_max;
    uint64_t min, max;
    struct scn_pos pos;
};

struct scn_step {
    char *id; /* NULL when not given */
    struct scn_actor actor;
    int core;         /* -1: the default core */
    uint64_t after;   /* inside parallel: cycles the core waits before starting the step */
    uint32_t stop_at; /* realm vCPU and complete steps: REC exit reasons (1 << RMI_EXIT_...) at
                       * which the host stops, leaving the exit pending */
    struct scn_action action;
    struct scn_check *checks;
    size_t n_checks;
    struct scn_pos pos;
};

/* ---- final expectations ------------------------------------------------------------------- */

enum scn_final_kind {
    SCN_FINAL_GRANULE, /* { granule: PA, state: S } */
    SCN_FINAL_GPI,     /* { gpi: PA, is: G } */
    SCN_FINAL_MEMORY,  /* { memory: { pa, pas, size }, value: V } */
    SCN_FINAL_DEVICE,  /* { device: NAME, output: "..." } */
    SCN_FINAL_REALM,   /* { realm: NAME, state: S } */
    SCN_FINAL_RTT,     /* { rtt: { realm, ipa, level }, state: S, ripas: R } */
    SCN_FINAL_STAT,    /* { stat: NAME, min, max } */
};

struct scn_final {
    enum scn_final_kind kind;
    uint64_t pa, ipa, size, value;
    bool by_realm_ipa; /* gpi, granule, memory: the page behind { realm, ipa } in the host's memslot
                        */
    unsigned backing;  /* enum scn_backing */
    struct scn_pa_name named; /* gpi, granule, memory: an RTT or auxiliary granule */
    enum rme_pas pas;
    unsigned realm, device;
    int level;
    unsigned state; /* granule/realm/rtte state code */
    unsigned gpi;
    bool has_ripas;
    unsigned ripas;
    char *text; /* device output, stat name */
    bool has_min, has_max;
    uint64_t min, max;
    struct scn_pos pos;
};

struct scenario {
    char *file;
    char *name;
    char *description;
    struct scn_platform platform;
    struct scn_realm *realms;
    size_t n_realms;
    struct scn_step *steps;
    size_t n_steps;
    struct scn_final *finals;
    size_t n_finals;
};

/* repeat: (docs/scenarios.md, "Repeat") */
#define SCN_REPEAT_MAX_TIMES 1000000000ull /* 10^9 */
#define SCN_REPEAT_MAX_DEPTH 4             /* repeats inside repeats */
/* steps one scenario runs, repeats counted: the views number them in 32 bits (index 1..) */
#define SCN_MAX_STEPS_RUN 4294967295ull
/* DRAM regions: the banks the RMM tracks (rmm/ GRANULE_MAX_RANGES; TF-RMM bounds them by
 * RMM_MAX_DRAM_NUM_BANKS in plat_set_dram_layout). */
#define SCN_MAX_MEMORY_REGIONS 16
/* Memory regions and devices together: mem/ holds 64 ranges, one of them EL3's carve-out. */
#define SCN_MAX_MAP_RANGES 63
/* The largest RAM a realm with a scripted guest may have: its boot maps RAM page by page. */
#define SCN_MAX_SCRIPTED_RAM (16ull << 30)

struct scenario *scenario_load(const char *path, struct scenario_diag *diag);
struct scenario *scenario_parse_string(const char *yaml, const char *file_name,
                                       struct scenario_diag *diag);
void scenario_free(struct scenario *s);

/* Overrides (docs/scenarios.md, "Overrides (--set)"): each of sets[0..n_sets) is "PATH=VALUE",
 * applied in order to the loaded document before anything is checked, so that the result is the
 * file as if edited by hand (the last of two overrides of one PATH wins). The nodes an override
 * brings have the position {0, 0, N}; an error in override N, or at a node it brought, reads
 * "--set:N: message". */
struct scenario *scenario_load_with_overrides(const char *path, const char *const *sets,
                                              size_t n_sets, struct scenario_diag *diag);
struct scenario *scenario_parse_string_with_overrides(const char *yaml, const char *file_name,
                                                      const char *const *sets, size_t n_sets,
                                                      struct scenario_diag *diag);
/* The form of override `set` (the index-th): PATH=VALUE, PATH's syntax, VALUE one YAML node.
 * What it names in a document is checked when it is applied. False with diag on error. */
bool scn_override_check(const char *set, int index, struct scenario_diag *diag);
/* Where pos is, for messages: "FILE:LINE:COLUMN", or "--set:N" for a node of override N. */
const char *scn_where(const char *file, struct scn_pos pos, char *buf, size_t len);
/* ... and as the other end of a message: "line LINE", or "--set:N". */
const char *scn_line(struct scn_pos pos, char *buf, size_t len);

const char *scn_action_name(enum scn_action_kind kind); /* "load", "rmi", ... */

/* The language's numbers: decimal or 0x hex with '_' separators; with allow_suffix, a decimal
 * followed by K, M, G or T (powers of 1024). False on bad syntax or 64-bit overflow. */
bool scn_parse_number(const char *text, bool allow_suffix, uint64_t *out);

/* How many steps a step list runs, each repeat's body counted `times` times and each step of a
 * parallel group once (saturating at UINT64_MAX). */
uint64_t scenario_steps_run(const struct scn_step *steps, size_t n);

/* Lookups used by the runner. */
int scenario_find_step(const struct scenario *s, const char *id); /* index or -1 */
int scenario_find_device(const struct scenario *s, const char *name);
int scenario_find_realm(const struct scenario *s, const char *name);
/* The register (X1..) an RMI or RSI argument of this name goes in; -1 if the command has none. */
int scn_arg_register(bool rmi, unsigned command, const char *name);
/* ... and the name of the argument in register reg (NULL: none). */
const char *scn_arg_name(bool rmi, unsigned command, int reg);

#endif
