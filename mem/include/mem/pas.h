/* Physical address spaces and security states (Arm ARM D8.1, D9.3).
 * Both enums use the architecture's {NSE,NS} encoding, as in SCR_EL3 and MFAR_EL3[63:62]. */
#ifndef MEM_PAS_H
#define MEM_PAS_H

enum rme_pas {
    RME_PAS_SECURE = 0, /* {NSE,NS} = 00 */
    RME_PAS_NS = 1,     /* 01 */
    RME_PAS_ROOT = 2,   /* 10 */
    RME_PAS_REALM = 3,  /* 11 */
};

/* Security state of the requester. EL3 is always Root; below EL3 it comes from SCR_EL3.{NSE,NS}. */
enum rme_sec_state {
    RME_SS_SECURE = 0,
    RME_SS_NS = 1,
    RME_SS_ROOT = 2,
    RME_SS_REALM = 3,
};

const char *rme_pas_name(enum rme_pas pas);            /* "secure", "ns", "root", "realm" */
const char *rme_sec_state_name(enum rme_sec_state ss); /* same names */

#endif
