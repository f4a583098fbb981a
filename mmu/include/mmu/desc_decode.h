/* The fields of a VMSAv8-64 translation table descriptor (Arm ARM D8.3, "Translation table
 * descriptor formats"), for `explain` and tests: stage-1 and stage-2 table, block and page
 * descriptors with 48-bit output addresses (no FEAT_LPA/LPA2 layouts, as the walker). */
#ifndef MMU_DESC_DECODE_H
#define MMU_DESC_DECODE_H

#include <stdbool.h>
#include <stdint.h>

enum vmsa_desc_kind {
    VMSA_DESC_INVALID,  /* bit 0 clear */
    VMSA_DESC_TABLE,    /* 0b11 above the last level */
    VMSA_DESC_BLOCK,    /* 0b01 at a level that allows blocks */
    VMSA_DESC_PAGE,     /* 0b11 at level 3 */
    VMSA_DESC_RESERVED, /* 0b01 where no block is allowed: a translation fault */
};

struct vmsa_desc {
    enum vmsa_desc_kind kind;
    uint64_t addr; /* the next-level table, or the output address of a block or page */
    /* block and page attributes, both stages */
    unsigned sh;     /* [9:8] */
    bool af;         /* [10] */
    bool contiguous; /* [52] */
    /* stage 1 */
    unsigned attr_indx; /* [4:2] */
    bool ns;            /* [5] (EL3 and Realm EL2 regimes) */
    unsigned ap;        /* AP[2:1] in [7:6] */
    bool ng;            /* [11] (EL3: NSE) */
    bool pxn, uxn;      /* [53], [54] (UXN is XN in single-privilege regimes) */
    /* stage-1 table descriptors: NSTable [63], APTable [62:61], UXNTable [60], PXNTable [59] */
    bool ns_table, uxn_table, pxn_table;
    unsigned ap_table;
    /* stage 2 */
    unsigned memattr; /* [5:2] */
    unsigned s2ap;    /* [7:6]: bit 6 read, bit 7 write */
    unsigned xn;      /* XN[1:0] in [54:53] */
    bool s2_ns;       /* [55]: Realm stage 2 (FEAT_RME), the output is in the Non-secure PAS */
};

/* Decode desc as read at `level` of a stage-`stage` walk with a 2^granule_bits granule. */
void vmsa_desc_decode(uint64_t desc, unsigned stage, int level, unsigned granule_bits,
                      struct vmsa_desc *out);

const char *vmsa_desc_kind_name(enum vmsa_desc_kind k); /* "invalid", "table", "block", ... */
const char *vmsa_sh_name(unsigned sh);     /* "non-shareable", "outer", "inner", "reserved" */
const char *vmsa_s1_ap_name(unsigned ap);  /* "rw-priv", "rw", "ro-priv", "ro" */
const char *vmsa_s2ap_name(unsigned s2ap); /* "none", "ro", "wo", "rw" */

#endif
