/* A realm's secondary vCPU runs only once something started it: the host creates every REC but
 * vCPU 0 not runnable (as a VMM powers secondaries off) and makes one runnable when it completes
 * a PSCI_CPU_ON naming it. A step on a secondary that no earlier step can have started fails when
 * it runs; the loader refuses it at its position, so that `check` says so too. Earlier means in
 * document order (a parallel group's and a repeat's steps in place): a run that starts the vCPU
 * in a group or a later iteration is accepted here and still checked when it runs. */
#include <stdlib.h>
#include <string.h>

#include "loader.h"
#include "scenario/names.h"

/* What the steps so far can have started, per realm: vCPUs a PSCI_CPU_ON names, or anything
 * once the realm ran its image's code (which may call PSCI_CPU_ON itself). */
struct starts {
    bool *started; /* [realm][vcpu], flattened */
    size_t *first; /* index of each realm's first vCPU in started */
    bool *ran_code;
};

static uint64_t target_cpu(const struct scn_action *a, bool *known)
{
    *known = true;
    for (size_t i = 0; i < a->n_args; i++)
        if (!strcmp(a->args[i].name, "target_cpu")) {
            *known = a->args[i].value.kind == SCN_VAL_NUMBER;
            return a->args[i].value.number;
        }
    return 0; /* X1 defaults to 0: vCPU 0 */
}

/* The vCPU whose REC has this MPIDR: the host gives vCPU v Aff0 = v % 16, Aff1 = v / 16 (host/
 * src/kvm.c, as KVM's reset_mpidr()); -1 for none. */
static long vcpu_of_mpidr(uint64_t mpidr, unsigned vcpus)
{
    if (mpidr & ~0xFF0Full)
        return -1;
    uint64_t v = (mpidr & 0xF) + 16 * ((mpidr >> 8) & 0xFF);
    return v < vcpus ? (long)v : -1;
}

static bool walk(struct ld *c, const struct scn_step *steps, size_t n, struct starts *st)
{
    for (size_t i = 0; i < n; i++) {
        const struct scn_step *s = &steps[i];
        if (s->action.n_children) {
            if (!walk(c, s->action.children, s->action.n_children, st))
                return false;
            continue;
        }
        if (s->actor.kind != SCN_ACTOR_REALM)
            continue;
        const struct scn_realm *r = &c->s->realms[s->actor.realm];
        bool *started = st->started + st->first[s->actor.realm];
        if (s->actor.vcpu != 0 && !started[s->actor.vcpu] && !st->ran_code[s->actor.realm])
            return ld_fail_at(c, s->pos,
                              "%s.vcpu%u is not started by any step before this one: a secondary "
                              "vCPU runs once another vCPU of its realm has called PSCI_CPU_ON "
                              "for it (rsi: { cmd: PSCI_CPU_ON, args: { target_cpu: %u } } on "
                              "%s.vcpu0)",
                              r->name, s->actor.vcpu,
                              (s->actor.vcpu % 16) | (s->actor.vcpu / 16) << 8, r->name);
        if (s->action.kind == SCN_ACT_RUN)
            st->ran_code[s->actor.realm] = true;
        if (s->action.kind == SCN_ACT_RSI && scn_rsi_fid(s->action.command) == 0xC4000003u) {
            bool known;
            uint64_t mpidr = target_cpu(&s->action, &known);
            long v = vcpu_of_mpidr(mpidr, r->vcpus);
            if (!known) /* not a plain number: any vCPU may be meant */
                for (unsigned k = 0; k < r->vcpus; k++)
                    started[k] = true;
            else if (v >= 0)
                started[v] = true;
        }
    }
    return true;
}

bool ld_secondaries_started(struct ld *c)
{
    const struct scenario *s = c->s;
    if (!s->n_realms)
        return true;
    struct starts st = {NULL, ld_calloc(s->n_realms, sizeof(size_t)),
                        ld_calloc(s->n_realms, sizeof(bool))};
    size_t total = 0;
    for (size_t i = 0; i < s->n_realms; i++) {
        st.first[i] = total;
        total += s->realms[i].vcpus;
    }
    st.started = ld_calloc(total ? total : 1, sizeof(bool));
    bool ok = walk(c, s->steps, s->n_steps, &st);
    free(st.started);
    free(st.first);
    free(st.ran_code);
    return ok;
}
