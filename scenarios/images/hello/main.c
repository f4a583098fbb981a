/* A realm payload in C (docs/realm.md, "The payload"): with stage 1 on, RSI_VERSION and
 * RSI_REALM_CONFIG, the PL011 through the unprotected alias, a page shared with the host and a
 * message in it, the RIM read back, an attestation token, PSCI SYSTEM_OFF. */
#include "hello.h"

#define UART_IPA 0x100000ul
#define SHARED_IPA 0x80800000ul /* a page of the realm's RAM outside the image */

/* RsiRealmConfig (B5.4.5): ipa_width at 0x0, hash_algo at 0x8 */
static u64 config[PAGE_SIZE / 8] __attribute__((aligned(4096)));
static u8 token[PAGE_SIZE] __attribute__((aligned(4096)));

static const char message[] = "hello from the realm";

static u64 smc1(u64 fid, u64 a1)
{
    struct smc_regs r = {{fid, a1}};
    smc_call(&r);
    return r.x[0];
}

_Noreturn void system_off(void)
{
    smc1(PSCI_SYSTEM_OFF, 0);
    for (;;)
        __asm__ volatile("wfi");
}

/* every vector of start.S comes here */
void unexpected(u64 vector)
{
    u64 esr, elr, far;
    __asm__ volatile("mrs %0, esr_el1" : "=r"(esr));
    __asm__ volatile("mrs %0, elr_el1" : "=r"(elr));
    __asm__ volatile("mrs %0, far_el1" : "=r"(far));
    puts_("unexpected exception: vector ");
    put_dec(vector);
    puts_(" ESR ");
    put_hex(esr);
    puts_(" ELR ");
    put_hex(elr);
    puts_(" FAR ");
    put_hex(far);
    puts_("\n");
    system_off();
}

/* RSI_MEASUREMENT_READ(0): the RIM in X1..X8, least significant byte first */
static void print_rim(unsigned size)
{
    struct smc_regs r = {{RSI_MEASUREMENT_READ, 0}};
    u8 rim[64];
    smc_call(&r);
    for (unsigned w = 0; w < 8; w++)
        for (unsigned b = 0; b < 8; b++)
            rim[8 * w + b] = (u8)(r.x[1 + w] >> (8 * b));
    puts_("RIM ");
    put_hex_bytes(rim, size);
    puts_("\n");
}

/* RSI_ATTESTATION_TOKEN_INIT with a 64-byte challenge in X1..X8, then CONTINUE into one page
 * until the RMM says the token is complete (RSI_INCOMPLETE before); returns the bytes copied */
static u64 attestation_token_length(void)
{
    struct smc_regs r = {{RSI_ATTESTATION_TOKEN_INIT}};
    for (unsigned i = 1; i <= 8; i++)
        r.x[i] = 0x0101010101010101ul * i; /* the challenge: bytes 1 x8, 2 x8, ... */
    smc_call(&r);
    if (r.x[0] != RSI_SUCCESS)
        return 0;
    u64 total = 0;
    for (;;) {
        struct smc_regs c = {{RSI_ATTESTATION_TOKEN_CONTINUE, (u64)token, 0, PAGE_SIZE}};
        smc_call(&c);
        if (c.x[0] != RSI_SUCCESS && c.x[0] != RSI_INCOMPLETE)
            return 0;
        total += c.x[1];
        if (c.x[0] == RSI_SUCCESS)
            return total;
    }
}

int main(void)
{
    mmu_init();
    mmu_enable();
    struct smc_regs v = {{RSI_VERSION, 0x10000}};
    smc_call(&v);
    smc1(RSI_REALM_CONFIG, (u64)config);
    u64 ipa_width = config[0];
    u64 prot_ns_shared = 1ul << (ipa_width - 1); /* Linux arm64_rsi_init() */
    uart_set_base(mmu_map_device(UART_IPA | prot_ns_shared));
    puts_("hello: RSI version ");
    put_dec(v.x[1] >> 16);
    puts_(".");
    put_dec(v.x[1] & 0xFFFF);
    puts_(", IPA width ");
    put_dec(ipa_width);
    puts_("\n");
    print_rim(config[1] == 1 ? 64 : 32); /* hash_algo: 0 SHA-256, 1 SHA-512 */
    if (share_page(SHARED_IPA, prot_ns_shared) != 0) {
        puts_("hello: sharing refused\n");
        system_off();
    }
    volatile char *shared = (volatile char *)SHARED_IPA;
    for (unsigned i = 0; i < sizeof message; i++)
        shared[i] = message[i];
    puts_("hello: shared page written\n");
    puts_("hello: token ");
    put_dec(attestation_token_length());
    puts_(" bytes\n");
    system_off();
}
