/* ESR_ELx decoded for `explain` and tests (Arm ARM D24.2, ESR_EL1/ESR_EL2/ESR_EL3): EC, IL, and
 * the ISS of Instruction and Data Aborts and of GPC exceptions (EC 0x1E) field by field, with
 * the fault status codes (DFSC/IFSC/xFSC) and GPCSC by name. */
#ifndef CPU_ESR_DECODE_H
#define CPU_ESR_DECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct esr_fields {
    unsigned ec;  /* [31:26] */
    bool il;      /* [25] */
    uint32_t iss; /* [24:0] */
    bool abort;   /* EC 0x20, 0x21 (instruction), 0x24, 0x25 (data) */
    bool data;    /* a Data Abort (WnR, CM and the instruction syndrome exist) */
    bool gpc;     /* EC 0x1E: a GPC exception */
    /* Data Abort: the instruction syndrome, valid when isv */
    bool isv;     /* [24] */
    unsigned sas; /* [23:22]: log2 of the access size */
    bool sse;     /* [21] */
    unsigned srt; /* [20:16] */
    bool sf, ar;  /* [15], [14] */
    bool vncr;    /* [13] */
    unsigned set; /* [12:11] */
    bool fnv, ea; /* [10], [9] */
    bool cm;      /* [8] */
    bool s1ptw;   /* [7] */
    bool wnr;     /* [6] */
    unsigned fsc; /* [5:0]: DFSC, IFSC, or a GPC exception's xFSC */
    /* GPC exception (EC 0x1E): S2PTW [21], InD [20], GPCSC [19:14] */
    bool s2ptw, ind;
    unsigned gpcsc;
};

void esr_decode(uint64_t esr, struct esr_fields *out);

/* "Data Abort from a lower Exception level", ...; NULL for an EC the model never raises. */
const char *esr_ec_description(unsigned ec);
/* A fault status code by name: "translation fault, level 1", "GPF on output", "GPF on
 * translation table walk, level -1", ...; "reserved (0x..)" for others. Returns buf. */
const char *esr_fsc_describe(unsigned fsc, bool data, char *buf, size_t size);
/* GPCSC: "GPT walk fault, level 1", "GPF, level 0", ...; returns buf. */
const char *esr_gpcsc_describe(unsigned gpcsc, char *buf, size_t size);

#endif
