/* The payload's pieces: the SMC helper (start.S), the UART, stage 1. */
#ifndef HELLO_H
#define HELLO_H

typedef unsigned long u64;
typedef unsigned int u32;
typedef unsigned char u8;

/* X0..X8 of an SMC, in and out */
struct smc_regs {
    u64 x[9];
};
void smc_call(struct smc_regs *r);

/* RSI 1.0 (RMM specification 1.0-rel0, B5.3) and PSCI function identifiers */
#define RSI_VERSION 0xC4000190ul
#define RSI_MEASUREMENT_READ 0xC4000192ul
#define RSI_ATTESTATION_TOKEN_INIT 0xC4000194ul
#define RSI_ATTESTATION_TOKEN_CONTINUE 0xC4000195ul
#define RSI_REALM_CONFIG 0xC4000196ul
#define RSI_IPA_STATE_SET 0xC4000197ul
#define PSCI_SYSTEM_OFF 0x84000008ul
#define RSI_SUCCESS 0
#define RSI_INCOMPLETE 3
#define RSI_RIPAS_EMPTY 0
#define RSI_CHANGE_DESTROYED 1
#define RSI_ACCEPT 0

#define PAGE_SIZE 4096ul

/* uart.c: the PL011's data register, once mmu.c mapped it */
void uart_set_base(volatile u32 *dr);
void puts_(const char *s);
void put_dec(u64 v);
void put_hex(u64 v);
void put_hex_bytes(const u8 *p, unsigned n);

/* mmu.c: identity stage 1 for the realm's RAM, the UART through the unprotected alias */
void mmu_init(void);
volatile u32 *mmu_map_device(u64 ipa);
void mmu_enable(void);
int share_page(u64 va, u64 prot_ns_shared);

_Noreturn void system_off(void);

#endif
