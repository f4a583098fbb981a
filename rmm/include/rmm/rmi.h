/* The Realm Management Interface as the RMM specification (DEN0137 1.0) encodes it: function
 * IDs (B4.3), status codes (B4.4.25), their packing with an index (B4.4.1), and the layouts of
 * the structures the host passes in Non-secure granules (B4.4). */
#ifndef RMM_RMI_H
#define RMM_RMI_H

#include <stdint.h>

#define RMI_FID(n) (0xC4000000ull | (n))
#define RMI_VERSION RMI_FID(0x150)
#define RMI_GRANULE_DELEGATE RMI_FID(0x151)
#define RMI_GRANULE_UNDELEGATE RMI_FID(0x152)
#define RMI_DATA_CREATE RMI_FID(0x153)
#define RMI_DATA_CREATE_UNKNOWN RMI_FID(0x154)
#define RMI_DATA_DESTROY RMI_FID(0x155)
#define RMI_REALM_ACTIVATE RMI_FID(0x157)
#define RMI_REALM_CREATE RMI_FID(0x158)
#define RMI_REALM_DESTROY RMI_FID(0x159)
#define RMI_REC_CREATE RMI_FID(0x15A)
#define RMI_REC_DESTROY RMI_FID(0x15B)
#define RMI_REC_ENTER RMI_FID(0x15C)
#define RMI_RTT_CREATE RMI_FID(0x15D)
#define RMI_RTT_DESTROY RMI_FID(0x15E)
#define RMI_RTT_MAP_UNPROTECTED RMI_FID(0x15F)
#define RMI_RTT_READ_ENTRY RMI_FID(0x161)
#define RMI_RTT_UNMAP_UNPROTECTED RMI_FID(0x162)
#define RMI_PSCI_COMPLETE RMI_FID(0x164)
#define RMI_FEATURES RMI_FID(0x165)
#define RMI_RTT_FOLD RMI_FID(0x166)
#define RMI_REC_AUX_COUNT RMI_FID(0x167)
#define RMI_RTT_INIT_RIPAS RMI_FID(0x168)
#define RMI_RTT_SET_RIPAS RMI_FID(0x169)

#define SMC_UNKNOWN 0xFFFFFFFFFFFFFFFFull /* -1 */

enum rmi_status {
    RMI_SUCCESS = 0,
    RMI_ERROR_INPUT = 1,
    RMI_ERROR_REALM = 2,
    RMI_ERROR_REC = 3,
    RMI_ERROR_RTT = 4,
};

/* RmiCommandReturnCode: status in [7:0], index in [15:8] */
static inline uint64_t rmi_pack(enum rmi_status status, unsigned index)
{
    return (uint64_t)status | ((uint64_t)(index & 0xFF) << 8);
}
static inline enum rmi_status rmi_status_of(uint64_t code)
{
    return (enum rmi_status)(code & 0xFF);
}
static inline unsigned rmi_index_of(uint64_t code)
{
    return (unsigned)((code >> 8) & 0xFF);
}

/* RmiInterfaceVersion: major [30:16], minor [15:0]; this RMM implements 1.0 */
#define RMI_ABI_VERSION 0x10000ull

/* RmiRealmParams (B4.4.12): byte offsets in its NS granule */
#define RMI_REALM_PARAMS_FLAGS 0x000
#define RMI_REALM_PARAMS_S2SZ 0x008
#define RMI_REALM_PARAMS_SVE_VL 0x010
#define RMI_REALM_PARAMS_NUM_BPS 0x018
#define RMI_REALM_PARAMS_NUM_WPS 0x020
#define RMI_REALM_PARAMS_PMU_NUM_CTRS 0x028
#define RMI_REALM_PARAMS_HASH_ALGO 0x030
#define RMI_REALM_PARAMS_RPV 0x400
#define RMI_REALM_PARAMS_VMID 0x800
#define RMI_REALM_PARAMS_RTT_BASE 0x808
#define RMI_REALM_PARAMS_RTT_LEVEL_START 0x810
#define RMI_REALM_PARAMS_RTT_NUM_START 0x818
#define RMI_REALM_FLAG_LPA2 (1ull << 0)
#define RMI_REALM_FLAG_SVE (1ull << 1)
#define RMI_REALM_FLAG_PMU (1ull << 2)
#define RMI_HASH_SHA_256 0
#define RMI_HASH_SHA_512 1

/* RmiRecParams (B4.4.19) */
#define RMI_REC_PARAMS_FLAGS 0x000
#define RMI_REC_PARAMS_MPIDR 0x100
#define RMI_REC_PARAMS_PC 0x200
#define RMI_REC_PARAMS_GPRS 0x300 /* X0..X7 */
#define RMI_REC_PARAMS_NUM_AUX 0x800
#define RMI_REC_PARAMS_AUX 0x808 /* aux[0..15] */
#define RMI_REC_RUNNABLE (1ull << 0)

/* RmiRecRun (B4.4.20) = RmiRecEnter at 0x000 + RmiRecExit at 0x800 */
#define RMI_ENTER_FLAGS 0x000
#define RMI_ENTER_GPRS 0x200
#define RMI_ENTER_GICV3_HCR 0x300
#define RMI_ENTER_GICV3_LRS 0x308
#define RMI_EXIT 0x800
#define RMI_EXIT_REASON (RMI_EXIT + 0x000)
#define RMI_EXIT_ESR (RMI_EXIT + 0x100)
#define RMI_EXIT_FAR (RMI_EXIT + 0x108)
#define RMI_EXIT_HPFAR (RMI_EXIT + 0x110)
#define RMI_EXIT_GPRS (RMI_EXIT + 0x200)
#define RMI_EXIT_RIPAS_BASE (RMI_EXIT + 0x500)
#define RMI_EXIT_RIPAS_TOP (RMI_EXIT + 0x508)
#define RMI_EXIT_RIPAS_VALUE (RMI_EXIT + 0x510)
#define RMI_EXIT_IMM (RMI_EXIT + 0x600)

/* RmiRecEnterFlags (B4.4.15) */
#define RMI_ENTER_EMUL_MMIO (1ull << 0)
#define RMI_ENTER_INJECT_SEA (1ull << 1)
#define RMI_ENTER_TRAP_WFI (1ull << 2)
#define RMI_ENTER_TRAP_WFE (1ull << 3)
#define RMI_ENTER_RIPAS_RESPONSE (1ull << 4)

/* RmiRecExitReason (B4.4.17) */
enum rmi_exit_reason {
    RMI_EXIT_SYNC = 0,
    RMI_EXIT_IRQ = 1,
    RMI_EXIT_FIQ = 2,
    RMI_EXIT_PSCI = 3,
    RMI_EXIT_RIPAS_CHANGE = 4,
    RMI_EXIT_HOST_CALL = 5,
    RMI_EXIT_SERROR = 6,
};

/* RmiRttEntryState (B4.4.24) and RmiRipas (B4.4.23) */
enum rmi_rtt_state { RMI_UNASSIGNED = 0, RMI_ASSIGNED = 1, RMI_TABLE = 2 };
enum rmi_ripas { RMI_RIPAS_EMPTY = 0, RMI_RIPAS_RAM = 1, RMI_RIPAS_DESTROYED = 2 };

/* RmiDataFlags (B4.4.2) */
#define RMI_DATA_MEASURE_CONTENT 1ull

/* REC_AUX_COUNT's answer: TF-RMM 1.0 uses a fixed number of auxiliary granules per REC */
#define RMI_REC_AUX_GRANULES 16

#endif
