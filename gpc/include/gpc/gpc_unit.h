/* The GPC unit beyond the check: its registers, its GPT cache and PA-based TLB maintenance,
 * and its statistics. */
#ifndef GPC_GPC_UNIT_H
#define GPC_GPC_UNIT_H

#include "gpc/gpc.h"
#include "gpc/gpt_desc.h"

/* Reprogram GPCCR_EL3/GPTBR_EL3 (as EL3 does when it enables the GPC). Cached results are
 * kept: software must TLBI PAALL(OS) afterwards, as on hardware (D9.5). */
void gpc_set_registers(struct gpc_unit *unit, uint64_t gpccr, uint64_t gptbr);
uint64_t gpc_gpccr(const struct gpc_unit *unit);
uint64_t gpc_gptbr(const struct gpc_unit *unit);
/* The decoded geometry; false if GPCCR_EL3 uses a reserved encoding. */
bool gpc_geometry(const struct gpc_unit *unit, struct gpt_geometry *g);
struct gpi_features gpc_gpi_features(const struct gpc_unit *unit);
const struct mem_port *gpc_port(const struct gpc_unit *unit);

/* TLBI PAALL / PAALLOS: every cached GPT result (C5.5.19/20). */
void gpc_tlbi_paall(struct gpc_unit *unit);
/* TLBI RPAOS / RPALOS with the encoded Xt operand (C5.5.27/28): SIZE [47:44], address [39:0]
 * in units of the granule. Returns the number of entries dropped. last_level: RPALOS. */
unsigned gpc_tlbi_rpa(struct gpc_unit *unit, uint64_t xt, bool last_level);
/* The range a TLBI RPA* operand names, after SIZE decoding and raising to PGS; false when the
 * operand requires no invalidation (reserved SIZE, misaligned base). */
bool gpc_tlbi_rpa_range(const struct gpc_unit *unit, uint64_t xt, uint64_t *base, uint64_t *size);
/* The Xt operand for a range, as TF-A builds it: (PA >> 12) | (SIZE << 44). */
uint64_t gpc_tlbi_rpa_operand(uint64_t pa, uint64_t size_bytes);

struct gpc_stats {
    uint64_t checks, cache_hits, cache_misses, walks, fetches, faults, invalidations;
};
struct gpc_stats gpc_get_stats(const struct gpc_unit *unit);

#endif
