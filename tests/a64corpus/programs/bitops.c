/* Integer operations the other programs barely reach, each checked against a plain loop or a
 * value computed independently (Python): CLZ, CLS, RBIT, REV/REV16, bitfield extract and insert
 * (UBFX, SBFX, BFI), sign-extending loads with register offsets, widening and high multiplies
 * (SMULL, UMULL, SMULH, UMULH), 128-bit add with carry (ADDS, ADC), overflow and carry flags,
 * variable shifts and rotates, EXTR, and SDIV/UDIV at their architectural edges (division by
 * zero gives 0, INT64_MIN / -1 gives INT64_MIN). Exits 1 on any disagreement. */
#include "rt.h"

static int failures;

static void expect(const char *what, uint64_t got, uint64_t want)
{
    int ok = got == want;
    failures += !ok;
    rt_printf("%-16s %016llx%s\n", what, (unsigned long long)got, ok ? "" : "  MISMATCH");
}

static int clz_loop(uint64_t x)
{
    int n = 0;
    for (uint64_t bit = 1ull << 63; bit && !(x & bit); bit >>= 1)
        n++;
    return n;
}

static uint64_t rbit_loop(uint64_t x)
{
    uint64_t r = 0;
    for (int i = 0; i < 64; i++, x >>= 1)
        r = (r << 1) | (x & 1);
    return r;
}

static uint64_t rbit(uint64_t x)
{
    uint64_t r;
    __asm__("rbit %0, %1" : "=r"(r) : "r"(x));
    return r;
}

static uint64_t bswap_loop(uint64_t x, int bytes)
{
    uint64_t r = 0;
    for (int i = 0; i < bytes; i++, x >>= 8)
        r = (r << 8) | (x & 0xff);
    return r;
}

static void bits(const volatile uint64_t *in)
{
    uint64_t a = in[0], b = in[1], z = in[2];
    expect("clz64", (uint64_t)__builtin_clzll(a), (uint64_t)clz_loop(a));
    expect("clz32", (uint64_t)__builtin_clz((uint32_t)b), (uint64_t)clz_loop((uint32_t)b) - 32);
    expect("ctz64", (uint64_t)__builtin_ctzll(b), (uint64_t)clz_loop(rbit_loop(b)));
    expect("cls64", (uint64_t)__builtin_clrsbll((int64_t)~a), (uint64_t)clz_loop(a) - 1);
    expect("rbit64", rbit(a), rbit_loop(a));
    expect("rbit64(0)", rbit(z), 0);
    expect("rev64", __builtin_bswap64(a), bswap_loop(a, 8));
    expect("rev32", __builtin_bswap32((uint32_t)b), bswap_loop((uint32_t)b, 4));
    expect("rev16", __builtin_bswap16((uint16_t)b), bswap_loop((uint16_t)b, 2));
}

struct packed {
    unsigned lo : 5;
    signed mid : 11;
    unsigned hi : 16;
};

static void fields(const volatile uint64_t *in)
{
    uint64_t a = in[0];
    int mid = (int)((a >> 8) & 0x7ff) - 0x400;
    struct packed p = {0, 0, 0};
    p.lo = (unsigned)a;
    p.mid = mid;
    p.hi = (unsigned)(a >> 40);
    expect("ubfx 13:4", (a >> 4) & 0x3ff, (uint32_t)(a << 50 >> 54));
    expect("sbfx 23:12", (uint64_t)((int64_t)(a << 40) >> 52),
           (uint64_t)((int32_t)(a >> 12 << 20) >> 20));
    expect("bitfield lo", p.lo, a & 0x1f);
    expect("bitfield mid", (uint64_t)(int64_t)p.mid, (uint64_t)(int64_t)mid);
    expect("bitfield hi", p.hi, (a >> 40) & 0xffff);
}

static void loads(const volatile uint64_t *in)
{
    static const int8_t s8[4] = {-1, 127, -128, 5};
    static const int16_t s16[4] = {-1, 32767, -32768, 300};
    static const int32_t s32[4] = {-1, 2147483647, -2147483647 - 1, 70000};
    int64_t sum = 0;
    for (size_t i = (size_t)in[2]; i < 4; i++) /* from in[2] = 0: not folded */
        sum = sum * 3 + s8[i] + s16[i] * 5 + s32[i] * (int64_t)7;
    expect("signed loads", (uint64_t)sum, 90195788061ull);
}

static void multiplies(const volatile uint64_t *in)
{
    uint64_t a = in[0], b = in[1];
    int32_t x = (int32_t)in[3], y = (int32_t)in[4];
    expect("smull", (uint64_t)((int64_t)x * y), (uint64_t)-4685734772174628ll);
    expect("umull", (uint64_t)(uint32_t)x * (uint32_t)y, 0x2327ded5b6490dcull);
    unsigned __int128 up = (unsigned __int128)a * b;
    __int128 sp = (__int128)(int64_t)a * (int64_t)b;
    expect("umulh", (uint64_t)(up >> 64), 0x121fa00ad77d742ull);
    expect("mul", (uint64_t)up, 0x2236d88fe5618cf0ull);
    expect("smulh", (uint64_t)(sp >> 64), 0xfffeb49923cc0953ull);
    unsigned __int128 sum = up + ((unsigned __int128)b << 64 | a);
    expect("adds/adc lo", (uint64_t)sum, 0x235a1df76f0d5adfull);
    expect("adds/adc hi", (uint64_t)(sum >> 64), 0xfffeb49923cc0952ull);
}

static void flags(const volatile uint64_t *in)
{
    int64_t big = (int64_t)in[5], r;
    uint64_t ur;
    expect("add overflow", (uint64_t)__builtin_add_overflow(big, big, &r), 1);
    expect("add no overflow", (uint64_t)__builtin_add_overflow(big, -big, &r), 0);
    expect("sub overflow", (uint64_t)__builtin_sub_overflow(-big - 1, big, &r), 1);
    expect("uadd carry",
           (uint64_t)__builtin_add_overflow((uint64_t)big * 2, (uint64_t)big * 2, &ur), 1);
    expect("usub borrow", (uint64_t)__builtin_sub_overflow((uint64_t)1, (uint64_t)2, &ur), 1);
    expect("mul overflow", (uint64_t)__builtin_mul_overflow(big, (int64_t)3, &r), 1);
}

static void shifts(const volatile uint64_t *in)
{
    uint64_t a = in[0], b = in[1], acc = 0;
    for (unsigned k = (unsigned)in[2]; k < 64; k += 7) /* LSLV, LSRV, ASRV, RORV */
        acc ^=
            (a << k) + (a >> k) + (uint64_t)((int64_t)b >> k) + ((a >> k) | (a << ((64 - k) & 63)));
    expect("shifts", acc, 0xe5db4660a1028c64ull);
    expect("extr", (a << 13) | (b >> 51), 0x68acf13579bdffdbull);
}

static uint64_t sdiv(int64_t n, int64_t d)
{
    int64_t q;
    __asm__("sdiv %0, %1, %2" : "=r"(q) : "r"(n), "r"(d));
    return (uint64_t)q;
}

static uint64_t udiv(uint64_t n, uint64_t d)
{
    uint64_t q;
    __asm__("udiv %0, %1, %2" : "=r"(q) : "r"(n), "r"(d));
    return q;
}

static void divides(const volatile uint64_t *in)
{
    int64_t min = (int64_t)in[6];
    expect("sdiv by 0", sdiv(12345, (int64_t)in[2]), 0);
    expect("udiv by 0", udiv(12345, in[2]), 0);
    expect("sdiv min/-1", sdiv(min, -1), (uint64_t)min);
    expect("sdiv -7/2", sdiv(-7, 2), (uint64_t)-3);
    expect("srem -7%2", (uint64_t)((int64_t)in[7] % 2), (uint64_t)-1);
    expect("udiv", udiv(in[0], in[1] >> 40), 0x1249249d3ull);
}

int main(void)
{
    /* inputs through a volatile array, so that GCC cannot fold the operations away */
    static const volatile uint64_t in[8] = {
        0x0123456789abcdefull,
        0xfedcba9876543210ull,
        0,
        (uint64_t)-123456789,
        37954452,
        0x5000000000000000ull,
        0x8000000000000000ull,
        (uint64_t)-7,
    };
    bits(in);
    fields(in);
    loads(in);
    multiplies(in);
    flags(in);
    shifts(in);
    divides(in);
    rt_printf("%s\n", failures ? "FAIL" : "ok");
    return failures != 0;
}
