/* PSCI as a realm sees it (RMM spec B6; the PSCI specification DEN0022 for the function IDs
 * and return codes). SMC32 IDs are 0x84000000 + n, SMC64 ones 0xC4000000 + n. */
#ifndef RMM_PSCI_H
#define RMM_PSCI_H

#define PSCI_VERSION 0x84000000ull
#define PSCI_CPU_SUSPEND_32 0x84000001ull
#define PSCI_CPU_SUSPEND_64 0xC4000001ull
#define PSCI_CPU_OFF 0x84000002ull
#define PSCI_CPU_ON_32 0x84000003ull
#define PSCI_CPU_ON_64 0xC4000003ull
#define PSCI_AFFINITY_INFO_32 0x84000004ull
#define PSCI_AFFINITY_INFO_64 0xC4000004ull
#define PSCI_SYSTEM_OFF 0x84000008ull
#define PSCI_SYSTEM_RESET 0x84000009ull
#define PSCI_FEATURES 0x8400000Aull
#define SMCCC_VERSION 0x80000000ull

/* return codes, as 64-bit two's complement in X0 */
#define PSCI_SUCCESS 0ull
#define PSCI_NOT_SUPPORTED ((unsigned long long)-1)
#define PSCI_INVALID_PARAMETERS ((unsigned long long)-2)
#define PSCI_DENIED ((unsigned long long)-3)
#define PSCI_ALREADY_ON ((unsigned long long)-4)
#define PSCI_INVALID_ADDRESS ((unsigned long long)-9)
/* AFFINITY_INFO */
#define PSCI_AFFINITY_ON 0ull
#define PSCI_AFFINITY_OFF 1ull

#define PSCI_VERSION_1_1 0x10001ull

#endif
