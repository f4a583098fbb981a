/* The Realm Services Interface (DEN0137 1.0 B5): function IDs, status codes and the layouts of
 * the structures a realm passes in its own protected memory. */
#ifndef RMM_RSI_H
#define RMM_RSI_H

#define RSI_FID(n) (0xC4000000ull | (n))
#define RSI_VERSION RSI_FID(0x190)
#define RSI_FEATURES RSI_FID(0x191)
#define RSI_MEASUREMENT_READ RSI_FID(0x192)
#define RSI_MEASUREMENT_EXTEND RSI_FID(0x193)
#define RSI_ATTESTATION_TOKEN_INIT RSI_FID(0x194)
#define RSI_ATTESTATION_TOKEN_CONTINUE RSI_FID(0x195)
#define RSI_REALM_CONFIG RSI_FID(0x196)
#define RSI_IPA_STATE_SET RSI_FID(0x197)
#define RSI_IPA_STATE_GET RSI_FID(0x198)
#define RSI_HOST_CALL RSI_FID(0x199)

/* RsiCommandReturnCode (B5.4.1) */
#define RSI_SUCCESS 0ull
#define RSI_ERROR_INPUT 1ull
#define RSI_ERROR_STATE 2ull
#define RSI_INCOMPLETE 3ull
#define RSI_ERROR_UNKNOWN 4ull

/* RsiInterfaceVersion 1.0 */
#define RSI_ABI_VERSION 0x10000ull

/* RsiRealmConfig (B5.4.5) */
#define RSI_CONFIG_IPA_WIDTH 0x000
#define RSI_CONFIG_HASH_ALGO 0x008
#define RSI_CONFIG_RPV 0x200

/* RsiHostCall (B5.4.3): imm (16 bits) at 0x0, gprs[0..30] at 0x8 */
#define RSI_HOST_CALL_IMM 0x0
#define RSI_HOST_CALL_GPRS 0x8
#define RSI_HOST_CALL_SIZE 0x100

/* RsiRipasChangeFlags (B5.4.6) and RsiResponse (B5.4.8) */
#define RSI_CHANGE_DESTROYED 1ull
#define RSI_ACCEPT 0ull
#define RSI_REJECT 1ull
#define RSI_RIPAS_EMPTY 0ull
#define RSI_RIPAS_RAM 1ull

/* SMCCC: what a realm SMC that is neither RSI nor PSCI returns (A4.3.4) */
#define SMCCC_NOT_SUPPORTED 0xFFFFFFFFFFFFFFFFull

#endif
