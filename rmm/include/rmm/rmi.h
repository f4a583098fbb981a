/* The Realm Management Interface as the RMM specification (DEN0137 1.0) encodes it: function
 * IDs (B4.3), status codes (B4.4.25) and their packing with an index (B4.4.1). */
#ifndef RMM_RMI_H
#define RMM_RMI_H

#include <stdint.h>

#define RMI_FID(n) (0xC4000000ull | (n))
#define RMI_VERSION RMI_FID(0x150)
#define RMI_GRANULE_DELEGATE RMI_FID(0x151)
#define RMI_GRANULE_UNDELEGATE RMI_FID(0x152)
#define RMI_FEATURES RMI_FID(0x165)

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

#endif
