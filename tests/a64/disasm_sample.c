/* Compiled by the disassembly test with aarch64-linux-gnu-gcc -mgeneral-regs-only at several
 * optimisation levels and architecture versions: ordinary integer C, so that the instructions a
 * compiler really emits (prologues, jump tables, bitfield tricks, atomics) are disassembled as
 * objdump prints them. Never linked, never run. */
#include <stddef.h>
#include <stdint.h>

struct node {
    struct node *next;
    int32_t key;
    uint16_t flags;
    uint8_t tag;
    int8_t delta;
};

uint32_t crc32_sw(const uint8_t *p, size_t n)
{
    uint32_t crc = ~0u;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xEDB88320u & -(crc & 1));
    }
    return ~crc;
}

int64_t mix(int64_t a, int64_t b, uint32_t c, int16_t d)
{
    int64_t r = a * b + (int64_t)c - d;
    r ^= r >> 17;
    r += (a / (b | 1)) % 7;
    r -= (int64_t)((uint64_t)a / ((uint64_t)b | 3));
    return r << (c & 63);
}

uint64_t mulhi(uint64_t a, uint64_t b)
{
    return (uint64_t)(((unsigned __int128)a * b) >> 64);
}

int64_t smulhi(int64_t a, int64_t b)
{
    return (int64_t)(((__int128)a * b) >> 64);
}

unsigned bits(uint64_t x, uint32_t y)
{
    return (unsigned)(__builtin_parityll(x) + __builtin_clzll(x | 1) + __builtin_ctz(y | 1) +
                      __builtin_bswap32(y) + __builtin_clrsbll((long long)x));
}

int classify(int c)
{
    switch (c) {
    case 0:
        return 10;
    case 1:
        return 22;
    case 2:
        return -3;
    case 3:
        return 41;
    case 5:
        return 7;
    case 8:
        return 99;
    default:
        return c > 100 ? 1 : -1;
    }
}

struct node *find(struct node *n, int32_t key)
{
    for (; n; n = n->next)
        if (n->key == key && (n->flags & 0x40) && n->tag != 0xFF)
            return n;
    return NULL;
}

void fill(struct node *n, int32_t key, uint8_t tag)
{
    n->key = key;
    n->flags = (uint16_t)((n->flags & ~0x3F0u) | ((unsigned)key & 0x3F) << 4);
    n->tag = tag;
    n->delta = (int8_t)(key >> 3);
}

long atomics(long *p, int *q, short *h, char *b)
{
    long r = __atomic_fetch_add(p, 5, __ATOMIC_SEQ_CST);
    r += __atomic_exchange_n(q, 3, __ATOMIC_ACQUIRE);
    int expected = 7;
    __atomic_compare_exchange_n(q, &expected, 9, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
    __atomic_fetch_or(h, 0x10, __ATOMIC_RELEASE);
    __atomic_fetch_and(b, 0x7, __ATOMIC_RELAXED);
    __atomic_store_n(p, r, __ATOMIC_RELEASE);
    return r + __atomic_load_n(p, __ATOMIC_ACQUIRE) + expected;
}

void copy_words(uint32_t *restrict d, const uint32_t *restrict s, size_t n)
{
    for (size_t k = 0; k < n; k++)
        d[k] = s[k] + (uint32_t)k;
}

int select_min(int a, int b, int c)
{
    int m = a < b ? a : b;
    return m < c ? m : c;
}

uint64_t rotl(uint64_t x, unsigned r)
{
    return (x << (r & 63)) | (x >> ((64 - r) & 63));
}

int64_t sext(int8_t a, int16_t b, int32_t c, uint8_t d, uint16_t e)
{
    return (int64_t)a + b + c + d + e;
}

void big_frame(volatile uint8_t *out)
{
    uint8_t buf[5000];
    for (int k = 0; k < 5000; k++)
        buf[k] = (uint8_t)(k * 7);
    for (int k = 0; k < 5000; k += 97)
        out[k & 63] = buf[k];
}
