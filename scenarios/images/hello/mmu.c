/* Stage 1 of the payload (4K granule, 39-bit VAs, walks from level 1): the realm's RAM mapped to
 * itself as Normal memory in 2MB blocks, except the 2MB that holds the page it shares (4K pages,
 * so that one page's descriptor can change), and the PL011 at DEVICE_VA through the unprotected
 * alias as Device-nGnRE. The tables are in .bss, which the host populated as zeros. */
#include "hello.h"

#define RAM_IPA 0x80000000ul
#define SPLIT_IPA 0x80800000ul /* the 2MB mapped by pages (holds main.c's SHARED_IPA) */
#define DEVICE_VA 0x40000000ul

#define DESC_TABLE 0x3ul
#define DESC_BLOCK 0x1ul
#define DESC_PAGE 0x3ul
#define ATTR_NORMAL (0ul << 2) /* MAIR Attr0 */
#define ATTR_DEVICE (1ul << 2) /* MAIR Attr1 */
#define SH_INNER (3ul << 8)
#define AF (1ul << 10)
#define PXN (1ul << 53)
#define UXN (1ul << 54)
#define NORMAL (ATTR_NORMAL | SH_INNER | AF)
#define DEVICE (ATTR_DEVICE | AF | PXN | UXN)

#define MAIR_VALUE 0x04fful /* Attr0 Normal write-back, Attr1 Device-nGnRE */
/* T0SZ 25, IRGN0/ORGN0 write-back, SH0 inner, TG0 4K, EPD1 (no TTBR1 walks); IPS from
 * ID_AA64MMFR0_EL1.PARange as Linux's __cpu_setup does */
#define TCR_VALUE (25ul | (1ul << 8) | (1ul << 10) | (3ul << 12) | (1ul << 23))

static u64 l1[512] __attribute__((aligned(4096)));
static u64 l2_ram[512] __attribute__((aligned(4096)));
static u64 l3_split[512] __attribute__((aligned(4096)));
static u64 l2_dev[512] __attribute__((aligned(4096)));
static u64 l3_dev[512] __attribute__((aligned(4096)));

#define SYSREG_WRITE(name, v) __asm__ volatile("msr " #name ", %0" ::"r"(v))
#define SYSREG_READ(name, v) __asm__ volatile("mrs %0, " #name : "=r"(v))

static void tlbi_page(u64 va)
{
    __asm__ volatile("dsb ishst\n\ttlbi vaae1is, %0\n\tdsb ish\n\tisb" ::"r"(va >> 12) : "memory");
}

void mmu_init(void)
{
    for (u64 i = 0; i < 512; i++)
        l2_ram[i] = (RAM_IPA + (i << 21)) | NORMAL | DESC_BLOCK;
    for (u64 i = 0; i < 512; i++)
        l3_split[i] = (SPLIT_IPA + (i << 12)) | NORMAL | DESC_PAGE;
    l2_ram[(SPLIT_IPA - RAM_IPA) >> 21] = (u64)l3_split | DESC_TABLE;
    l1[RAM_IPA >> 30] = (u64)l2_ram | DESC_TABLE;
    l1[DEVICE_VA >> 30] = (u64)l2_dev | DESC_TABLE;
    l2_dev[0] = (u64)l3_dev | DESC_TABLE;
}

/* one device page at DEVICE_VA, its output address the IPA as given (the caller adds the
 * unprotected bit); the MMU may already be on: the entry was invalid */
volatile u32 *mmu_map_device(u64 ipa)
{
    l3_dev[0] = (ipa & ~(PAGE_SIZE - 1)) | DEVICE | DESC_PAGE;
    tlbi_page(DEVICE_VA);
    return (volatile u32 *)(DEVICE_VA + (ipa & (PAGE_SIZE - 1)));
}

void mmu_enable(void)
{
    u64 mmfr0, sctlr;
    SYSREG_READ(id_aa64mmfr0_el1, mmfr0);
    SYSREG_WRITE(mair_el1, MAIR_VALUE);
    SYSREG_WRITE(tcr_el1, TCR_VALUE | ((mmfr0 & 0x7) << 32));
    SYSREG_WRITE(ttbr0_el1, (u64)l1);
    __asm__ volatile("dsb ish\n\ttlbi vmalle1\n\tdsb ish\n\tisb" ::: "memory");
    SYSREG_READ(sctlr_el1, sctlr);
    sctlr |= 1ul | (1ul << 2) | (1ul << 12); /* M, C, I */
    SYSREG_WRITE(sctlr_el1, sctlr);
    __asm__ volatile("isb" ::: "memory");
}

static u64 *pte_of(u64 va)
{
    return &l3_split[(va - SPLIT_IPA) >> 12];
}

/* Share one page of RAM with the host as Linux v6.13 does it (arch/arm64/mm/pageattr.c,
 * __set_memory_enc_dec(): break the mapping (PROT_NS_SHARED set in the PTE's output address
 * and the PTE made invalid in one change, the TLB flushed) so that no access sees the page while
 * its RIPAS changes; arch/arm64/include/asm/rsi.h, rsi_set_memory_range_shared():
 * RSI_IPA_STATE_SET(EMPTY, RSI_CHANGE_DESTROYED) in a loop, each call going on from the top the
 * last one reached, until the whole range is done; then the PTE made valid again). Returns 0, or -1
 * when the RMM refused (or the host rejected). */
int share_page(u64 va, u64 prot_ns_shared)
{
    u64 *pte = pte_of(va);
    u64 ipa = va, top = va + PAGE_SIZE;
    *pte = (*pte | prot_ns_shared) & ~1ul; /* the shared bit set, the descriptor invalid */
    tlbi_page(va);
    while (ipa != top) {
        struct smc_regs r = {{RSI_IPA_STATE_SET, ipa, top, RSI_RIPAS_EMPTY, RSI_CHANGE_DESTROYED}};
        smc_call(&r);
        if (r.x[0] != RSI_SUCCESS || r.x[2] != RSI_ACCEPT || r.x[1] <= ipa || r.x[1] > top)
            return -1;
        ipa = r.x[1];
    }
    *pte |= 1ul; /* valid again */
    tlbi_page(va);
    return 0;
}
