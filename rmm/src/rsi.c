/* The RSI calls this RMM answers (B5.3) and PSCI_VERSION (B6.3). Every call the RMM completes
 * advances the realm's PC past its SMC. */
#include <stdlib.h>
#include <string.h>

#include "attest.h"
#include "esr.h"
#include "measurement.h"
#include "rmi_handlers.h"
#include "rsi_handlers.h"

#include "rmm/psci.h"

static const uint64_t implemented[] = {RSI_HOST_CALL,
                                       RSI_VERSION,
                                       RSI_FEATURES,
                                       RSI_REALM_CONFIG,
                                       RSI_ATTESTATION_TOKEN_INIT,
                                       RSI_ATTESTATION_TOKEN_CONTINUE,
                                       RSI_IPA_STATE_GET,
                                       RSI_IPA_STATE_SET,
                                       RSI_MEASUREMENT_READ,
                                       RSI_MEASUREMENT_EXTEND,
                                       PSCI_VERSION,
                                       PSCI_FEATURES,
                                       PSCI_CPU_SUSPEND_32,
                                       PSCI_CPU_SUSPEND_64,
                                       PSCI_CPU_OFF,
                                       PSCI_CPU_ON_32,
                                       PSCI_CPU_ON_64,
                                       PSCI_AFFINITY_INFO_32,
                                       PSCI_AFFINITY_INFO_64,
                                       PSCI_SYSTEM_OFF,
                                       PSCI_SYSTEM_RESET};

bool rmm_rsi_implements(uint64_t fid)
{
    for (size_t i = 0; i < sizeof implemented / sizeof implemented[0]; i++)
        if (implemented[i] == fid)
            return true;
    return false;
}

/* A realm buffer the RMM must write, at a protected IPA: its PA, or why not. TF-RMM
 * realm_ipa_to_pa: RIPAS RAM but no granule yet makes the RMM fake a stage-2 data abort so
 * that the host maps it and the SMC is retried; RIPAS EMPTY is the realm's error. */
enum buffer_state { BUFFER_OK, BUFFER_UNMAPPED, BUFFER_EMPTY };

static enum buffer_state realm_buffer(struct rmm *rmm, const struct rmm_realm *r, uint64_t ipa,
                                      uint64_t *pa, int *level)
{
    struct rtt_walk w;
    rtt_walk(rmm, r, ipa, RTT_PAGE_LEVEL, &w);
    *level = w.level;
    enum s2tte_kind k = s2tte_kind(w.entry, w.level);
    enum rmi_ripas ripas = s2tte_ripas(w.entry);
    if (ripas == RMI_RIPAS_EMPTY)
        return BUFFER_EMPTY;
    if (k != S2TTE_ASSIGNED || ripas != RMI_RIPAS_RAM)
        return BUFFER_UNMAPPED;
    *pa = s2tte_oa(w.entry, w.level) + (ipa & (rtt_entry_size(w.level) - 1));
    return BUFFER_OK;
}

/* emulate_stage2_data_abort: exit SYNC as if the realm's access had faulted, PC unchanged */
static void fake_data_abort(struct rmm_rec *rec, uint64_t ipa, int level, struct rec_exit *exit)
{
    memset(exit, 0, sizeof(*exit));
    exit->reason = RMI_EXIT_SYNC;
    exit->esr = (ESR_EC_DABT_LOWER << ESR_EC_SHIFT) | FSC_TRANSLATION(level);
    exit->hpfar = (ipa >> 12) << 4;
    rec->last_esr = exit->esr;
    rec->last_hpfar = exit->hpfar;
    rec->last_far = 0;
    rec->emulatable_abort = false;
}

/* The buffer an RSI call names, or the call's outcome without it: RIPAS EMPTY is the realm's
 * error (RSI_ERROR_INPUT, *resume true); RIPAS RAM without a granule fakes the stage-2 abort at
 * abort_ipa for the host to map (*resume false: the call is issued again). */
static bool rsi_buffer(struct rmm *rmm, struct rmm_rec *rec, uint64_t addr, uint64_t abort_ipa,
                       uint64_t *pa, struct rec_exit *exit, bool *resume)
{
    int level;
    switch (realm_buffer(rmm, rec->realm, addr, pa, &level)) {
    case BUFFER_EMPTY:
        rec->gprs[0] = RSI_ERROR_INPUT;
        *resume = true;
        return false;
    case BUFFER_UNMAPPED:
        fake_data_abort(rec, abort_ipa, level, exit);
        *resume = false;
        return false;
    case BUFFER_OK:
        break;
    }
    return true;
}

static bool realm_config(struct rmm *rmm, struct rmm_rec *rec, struct rec_exit *exit)
{
    const struct rmm_realm *r = rec->realm;
    uint64_t addr = rec->gprs[1];
    if ((addr & (GRANULE_SIZE - 1)) || !ipa_is_protected(r, addr)) { /* B5.3.9 */
        rec->gprs[0] = RSI_ERROR_INPUT;
        return true;
    }
    uint64_t pa;
    bool resume;
    if (!rsi_buffer(rmm, rec, addr, addr, &pa, exit, &resume))
        return resume;
    /* RsiRealmConfig (B5.4.5): ipa_width, hash_algo, the RPV the host gave; the rest MBZ */
    for (uint64_t off = 0; off < GRANULE_SIZE; off += 8) {
        uint64_t v = off == RSI_CONFIG_IPA_WIDTH   ? r->ipa_bits
                     : off == RSI_CONFIG_HASH_ALGO ? r->hash_algo
                                                   : 0;
        if (off - RSI_CONFIG_RPV < sizeof r->rpv)
            for (unsigned b = 0; b < 8; b++)
                v |= (uint64_t)r->rpv[off - RSI_CONFIG_RPV + b] << (8 * b);
        rmm_write(rmm, pa + off, RME_PAS_REALM, v);
    }
    rec->gprs[0] = RSI_SUCCESS;
    return true;
}

/* B5.3.5: the RIPAS of the leading run of [base, top) */
static void ipa_state_get(struct rmm *rmm, struct rmm_rec *rec)
{
    const struct rmm_realm *r = rec->realm;
    uint64_t base = rec->gprs[1], top = rec->gprs[2];
    if ((base | top) & (GRANULE_SIZE - 1) || top <= base || !ipa_is_protected(r, top - 1)) {
        rec->gprs[0] = RSI_ERROR_INPUT;
        return;
    }
    struct rtt_walk w;
    rtt_walk(rmm, r, base, RTT_PAGE_LEVEL, &w);
    enum rmi_ripas ripas = s2tte_ripas(w.entry);
    uint64_t at = base;
    while (at < top) {
        rtt_walk(rmm, r, at, RTT_PAGE_LEVEL, &w);
        if (s2tte_ripas(w.entry) != ripas)
            break;
        at = (at & ~(rtt_entry_size(w.level) - 1)) + rtt_entry_size(w.level);
    }
    rec->gprs[0] = RSI_SUCCESS;
    rec->gprs[1] = at < top ? at : top;
    rec->gprs[2] = ripas;
}

/* B5.3.6 / A5.4: a RIPAS change is the host's to apply; the REC exits with what was asked
 * (its PC already past the SMC) and the answer comes with the next REC_ENTER. The failure
 * conditions are base_align, top_align, size_valid, rgn_bound and ripas_valid only: X4's
 * reserved bits (RsiRipasChangeFlags[63:1]) are no failure, and flags.destroyed is bit 0
 * alone (TF-RMM compares all of X4 with CHANGE_DESTROYED; docs/rmm.md). */
static bool ipa_state_set(struct rmm_rec *rec, struct rec_exit *exit)
{
    const struct rmm_realm *r = rec->realm;
    uint64_t base = rec->gprs[1], top = rec->gprs[2], ripas = rec->gprs[3] & 0xFF;
    uint64_t flags = rec->gprs[4];
    if ((base | top) & (GRANULE_SIZE - 1) || top <= base || !ipa_is_protected(r, top - 1) ||
        (ripas != RSI_RIPAS_EMPTY && ripas != RSI_RIPAS_RAM)) {
        rec->gprs[0] = RSI_ERROR_INPUT;
        return true;
    }
    rec->ripas_pending = true;
    rec->ripas_addr = base;
    rec->ripas_top = top;
    rec->ripas_value = (unsigned)ripas;
    rec->ripas_destroyed = flags & RSI_CHANGE_DESTROYED;
    memset(exit, 0, sizeof(*exit));
    exit->reason = RMI_EXIT_RIPAS_CHANGE;
    exit->ripas_base = base;
    exit->ripas_top = top;
    exit->ripas_value = ripas;
    return false;
}

/* B5.3.8: X1..X8 = the 512-bit value, little-endian, zero beyond the hash size */
static void measurement_read(struct rmm_rec *rec)
{
    uint64_t index = rec->gprs[1];
    if (index > 4) {
        rec->gprs[0] = RSI_ERROR_INPUT;
        return;
    }
    const uint8_t *m = rec->realm->measurements[index];
    for (int w = 0; w < 8; w++) {
        uint64_t v = 0;
        for (int b = 0; b < 8; b++)
            v |= (uint64_t)m[8 * w + b] << (8 * b);
        rec->gprs[1 + w] = v;
    }
    rec->gprs[0] = RSI_SUCCESS;
}

/* B5.3.7: REM[index] = H(REM[index] || the first size bytes of X3..X10, X3 first, each
 * least significant byte first); index_bound then size_bound (unordered in the spec; TF-RMM's
 * order) */
static void measurement_extend_rsi(struct rmm_rec *rec)
{
    uint64_t index = rec->gprs[1], size = rec->gprs[2];
    if (index < 1 || index > 4 || size > 64) {
        rec->gprs[0] = RSI_ERROR_INPUT;
        return;
    }
    uint8_t value[64];
    for (int w = 0; w < 8; w++)
        for (int b = 0; b < 8; b++)
            value[8 * w + b] = (uint8_t)(rec->gprs[3 + w] >> (8 * b));
    struct rmm_realm *r = rec->realm;
    measurement_extend(r->hash_algo, r->measurements[index], value, (size_t)size);
    rec->gprs[0] = RSI_SUCCESS;
}

/* B5.3.4 / A4.3.9: the realm's RsiHostCall goes to the host with a HOST_CALL exit; its answer
 * comes back with the next REC_ENTER (rsi_host_call_complete). The PC moves past the SMC. */
static bool host_call(struct rmm *rmm, struct rmm_rec *rec, struct rec_exit *exit)
{
    const struct rmm_realm *r = rec->realm;
    uint64_t addr = rec->gprs[1], pa;
    if ((addr & (RSI_HOST_CALL_SIZE - 1)) || !ipa_is_protected(r, addr)) {
        rec->gprs[0] = RSI_ERROR_INPUT;
        return true;
    }
    bool resume;
    if (!rsi_buffer(rmm, rec, addr, addr & ~(GRANULE_SIZE - 1), &pa, exit, &resume))
        return resume;
    memset(exit, 0, sizeof(*exit));
    exit->reason = RMI_EXIT_HOST_CALL;
    uint64_t imm = 0;
    rmm_read(rmm, pa + RSI_HOST_CALL_IMM, RME_PAS_REALM, &imm);
    exit->imm = imm & 0xFFFF;
    for (unsigned i = 0; i < 31; i++)
        rmm_read(rmm, pa + RSI_HOST_CALL_GPRS + 8 * i, RME_PAS_REALM, &exit->gprs[i]);
    rec->host_call_pending = true;
    rec->host_call_addr = addr;
    rec->pc += 4;
    return false;
}

bool rsi_host_call_complete(struct rmm *rmm, struct rmm_rec *rec, const uint64_t gprs[31],
                            struct rec_exit *exit)
{
    uint64_t pa;
    int level;
    if (realm_buffer(rmm, rec->realm, rec->host_call_addr, &pa, &level) != BUFFER_OK) {
        /* the page went away meanwhile: the host must map it again (TF-RMM) */
        fake_data_abort(rec, rec->host_call_addr & ~(GRANULE_SIZE - 1), level, exit);
        return false;
    }
    for (unsigned i = 0; i < 31; i++)
        rmm_write(rmm, pa + RSI_HOST_CALL_GPRS + 8 * i, RME_PAS_REALM, gprs[i]);
    rec->gprs[0] = RSI_SUCCESS;
    rec->host_call_pending = false;
    return true;
}

/* B5.3.2: no failure conditions. Any generation in progress on the REC ends; the token is
 * made now (the claims hold the measurements as they are now, as TF-RMM takes them at INIT),
 * and X1 is its size, an exact upper bound. */
static void attest_init(struct rmm_rec *rec)
{
    free(rec->attest_token);
    rec->attest_token = NULL;
    rec->attest_in_progress = false;
    for (unsigned i = 0; i < 8; i++)
        for (unsigned b = 0; b < 8; b++)
            rec->attest_challenge[8 * i + b] = (uint8_t)(rec->gprs[1 + i] >> (8 * b));
    if (!attest_token_create(rec->realm, rec->attest_challenge, &rec->attest_token,
                             &rec->attest_len)) {
        rec->gprs[0] = RSI_ERROR_UNKNOWN; /* out of memory: an IMPDEF failure */
        return;
    }
    rec->attest_copied = 0;
    rec->attest_in_progress = true;
    rec->gprs[0] = RSI_SUCCESS;
    rec->gprs[1] = rec->attest_len;
}

/* B5.3.1: the next part of the token into [addr + offset, + size). Failure conditions have no
 * ordering in the spec; they are checked in TF-RMM's order (the buffer, then the state). */
static bool attest_continue(struct rmm *rmm, struct rmm_rec *rec, struct rec_exit *exit)
{
    const struct rmm_realm *r = rec->realm;
    uint64_t addr = rec->gprs[1], offset = rec->gprs[2], size = rec->gprs[3];
    if ((addr & (GRANULE_SIZE - 1)) ||  /* addr_align */
        !ipa_is_protected(r, addr) ||   /* addr_bound */
        offset >= GRANULE_SIZE ||       /* offset_bound */
        offset + size < offset ||       /* size_overflow */
        offset + size > GRANULE_SIZE) { /* size_bound */
        rec->gprs[0] = RSI_ERROR_INPUT;
        return true;
    }
    if (!rec->attest_in_progress) { /* state */
        rec->gprs[0] = RSI_ERROR_STATE;
        return true;
    }
    uint64_t pa;
    bool resume;
    if (!rsi_buffer(rmm, rec, addr, addr, &pa, exit, &resume))
        return resume;
    size_t left = rec->attest_len - rec->attest_copied;
    size_t len = size < left ? (size_t)size : left;
    rmm_write_bytes(rmm, pa + offset, RME_PAS_REALM, rec->attest_token + rec->attest_copied, len);
    rec->attest_copied += len;
    rec->gprs[1] = len;
    if (rec->attest_copied < rec->attest_len) { /* incomplete */
        rec->gprs[0] = RSI_INCOMPLETE;
        return true;
    }
    rec->gprs[0] = RSI_SUCCESS; /* complete: NO_ATTEST_IN_PROGRESS */
    rec->attest_in_progress = false;
    free(rec->attest_token);
    rec->attest_token = NULL;
    return true;
}

bool rsi_handle(struct rmm *rmm, struct rmm_rec *rec, struct rec_exit *exit)
{
    uint64_t fid = rec->gprs[0];
    switch (fid) {
    case RSI_VERSION: /* B5.3.10: this RMM implements exactly 1.0 */
        rec->gprs[0] = rec->gprs[1] == RSI_ABI_VERSION ? RSI_SUCCESS : RSI_ERROR_INPUT;
        rec->gprs[1] = rec->gprs[2] = RSI_ABI_VERSION;
        break;
    case RSI_FEATURES: /* B5.3.3: no features in 1.0 */
        rec->gprs[0] = RSI_SUCCESS;
        rec->gprs[1] = 0;
        break;
    case RSI_REALM_CONFIG:
        if (!realm_config(rmm, rec, exit))
            return false; /* retried after the host maps the buffer */
        break;
    case RSI_IPA_STATE_GET:
        ipa_state_get(rmm, rec);
        break;
    case RSI_HOST_CALL:
        if (!host_call(rmm, rec, exit))
            return false; /* an exit (its PC already past the SMC) or a faked abort */
        break;
    case RSI_MEASUREMENT_READ:
        measurement_read(rec);
        break;
    case RSI_ATTESTATION_TOKEN_INIT:
        attest_init(rec);
        break;
    case RSI_ATTESTATION_TOKEN_CONTINUE:
        if (!attest_continue(rmm, rec, exit))
            return false; /* retried after the host maps the buffer */
        break;
    case RSI_MEASUREMENT_EXTEND:
        measurement_extend_rsi(rec);
        break;
    case RSI_IPA_STATE_SET:
        if (!ipa_state_set(rec, exit)) {
            rec->pc += 4;
            return false;
        }
        break;
    default:
        if (psci_fid(fid)) { /* B6.3: every PSCI call advances the PC, exit or not */
            bool resume = psci_handle(rmm, rec, exit);
            rec->pc += 4;
            return resume;
        }
        /* A4.3.4: neither RSI nor PSCI */
        rec->gprs[0] = SMCCC_NOT_SUPPORTED;
        break;
    }
    rec->pc += 4;
    return true;
}
