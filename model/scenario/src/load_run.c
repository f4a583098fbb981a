/* The host's control of a vCPU's run: `stop_at:` (a realm vCPU's step, or a complete step,
 * stops at a REC exit and leaves it pending) and `complete:` (a later host step answers it). */
#include "loader.h"

bool ld_stop_at(struct ld *c, const yaml_node_t *n, struct scn_step *s)
{
    if (s->actor.kind != SCN_ACTOR_REALM && s->action.kind != SCN_ACT_COMPLETE)
        return ld_fail(c, n,
                       "stop_at: is for a realm vCPU's step or a complete: step (the host's "
                       "KVM_RUN it stops)");
    unsigned reason;
    if (!ld_name(c, n, &scn_rec_exit_reasons, &reason))
        return false;
    if (reason == 1 || reason == 2) /* RMI_EXIT_IRQ, RMI_EXIT_FIQ */
        return ld_fail(c, n,
                       "stop_at: %s: the step always ends at the host's kick (an IRQ exit); "
                       "name SYNC, PSCI, RIPAS_CHANGE, HOST_CALL or SERROR",
                       reason == 1 ? "IRQ" : "FIQ");
    s->stop_at = 1u << reason;
    return true;
}

/* run: { instructions: N, until_pc: X, until_output: TEXT }: a realm vCPU running the code of
 * its image */
bool ld_run(struct ld *c, const yaml_node_t *n, struct scn_step *s)
{
    static const char *const keys[] = {"instructions", "until_pc", "until_output", NULL};
    struct scn_action *a = &s->action;
    const struct scn_realm *r = &c->s->realms[s->actor.realm];
    yaml_node_t *v;
    if (!ld_want_map(c, n, "run") || !ld_check_keys(c, n, "run", keys))
        return false;
    if (!r->image_file)
        return ld_fail(c, n,
                       "run: is for a realm that runs the code of its image (image: FILE); "
                       "realm '%s' runs the scripted guest",
                       r->name);
    a->max_instructions = 1000000;
    if ((v = ld_get(c, n, "instructions"))) {
        if (!ld_u64(c, v, "instructions", &a->max_instructions))
            return false;
        if (a->max_instructions == 0 || a->max_instructions > (1ull << 32))
            return ld_fail(c, v, "instructions: %llu is out of range (1 to 2^32)",
                           (unsigned long long)a->max_instructions);
    }
    if ((v = ld_get(c, n, "until_pc"))) {
        a->has_until_pc = true;
        if (!ld_u64(c, v, "until_pc", &a->until_pc))
            return false;
        if (a->until_pc & 3)
            return ld_fail(c, v, "until_pc 0x%llx is not a 4-byte aligned instruction address",
                           (unsigned long long)a->until_pc);
    }
    if ((v = ld_get(c, n, "until_output"))) {
        if (!ld_string(c, v, "until_output", &a->until_output))
            return false;
        if (!a->until_output[0])
            return ld_fail(c, v, "until_output is empty: name the text the run waits for");
    }
    return true;
}

/* complete: { vcpu: REALM.vcpuN, response: ACCEPT | REJECT, status: PSCI status } */
bool ld_complete(struct ld *c, const yaml_node_t *n, struct scn_action *a)
{
    static const char *const keys[] = {"vcpu", "response", "status", NULL};
    yaml_node_t *v;
    if (!ld_want_map(c, n, "complete") || !ld_check_keys(c, n, "complete", keys) ||
        !ld_require(c, n, "vcpu", "complete", &v))
        return false;
    struct scn_actor vcpu;
    if (!ld_actor(c, v, &vcpu))
        return false;
    if (vcpu.kind != SCN_ACTOR_REALM)
        return ld_fail(c, v, "complete: vcpu must name a realm's vCPU (REALM.vcpuN)");
    a->realm = vcpu.realm;
    a->vcpu = vcpu.vcpu;
    yaml_node_t *response = ld_get(c, n, "response"), *status = ld_get(c, n, "status");
    if (response && status)
        return ld_fail(c, status,
                       "complete: takes response (a RIPAS change) or status (a PSCI request), "
                       "not both");
    if (response) {
        a->has_response = true;
        return ld_name(c, response, &scn_rsi_responses, &a->response);
    }
    if (status) {
        unsigned code;
        a->has_psci_status = true;
        if (!ld_name(c, status, &scn_psci_status, &code))
            return false;
        a->psci_status = (uint64_t)(int64_t)(int32_t)code; /* X0 is the sign-extended code */
    }
    return true;
}
