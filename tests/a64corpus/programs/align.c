/* Alignment at EL0 as Linux sets it up (SCTLR_EL1.A = 0): unaligned LDR and STR of 4 and 8
 * bytes work and are printed; then an LDXR from an address that is not 8-byte aligned, which
 * the architecture faults whatever SCTLR.A says (an exclusive must be aligned). Linux delivers
 * SIGBUS for that alignment fault and the process dies: exit status 135 (128 + 7) from a shell,
 * with only the lines before it on stdout. If the LDXR does not fault, the program says so and
 * exits 1. */
#include "rt.h"

int main(void)
{
    static _Alignas(16) uint8_t buf[32];
    for (int i = 0; i < 32; i++)
        buf[i] = (uint8_t)(i + 1);
    uint8_t *odd = buf + 1;
    uint64_t x;
    uint32_t w;

    __asm__ volatile("ldr %0, [%1]" : "=r"(x) : "r"(odd) : "memory");
    rt_printf("ldr x from buf+1: %016llx\n", (unsigned long long)x);
    __asm__ volatile("ldr %w0, [%1]" : "=r"(w) : "r"(buf + 7) : "memory");
    rt_printf("ldr w from buf+7: %08x\n", w);
    __asm__ volatile("str %1, [%0]" : : "r"(buf + 13), "r"(0x1122334455667788ull) : "memory");
    rt_printf("after str x to buf+13: %02x %02x .. %02x %02x\n", buf[12], buf[13], buf[20],
              buf[21]);

    rt_printf("ldxr x from buf+1: alignment fault expected\n");
    __asm__ volatile("ldxr %0, [%1]" : "=r"(x) : "r"(odd) : "memory");
    rt_printf("no fault: ldxr returned %016llx\n", (unsigned long long)x);
    return 1;
}
