/* A generic quicksort (median of three, recursion on the smaller side, comparator through a
 * function pointer) of seeded signed 32-bit values with duplicates, unsigned 64-bit values and
 * fixed-size records by name. Prints the ends of each sorted array and order-independent
 * checksums taken before and after; exits 1 if an array is out of order or its checksum
 * changed. */
#include "rt.h"

typedef int (*cmp_fn)(const void *, const void *);

static void swap(unsigned char *a, unsigned char *b, size_t size)
{
    for (size_t i = 0; i < size; i++) {
        unsigned char t = a[i];
        a[i] = b[i];
        b[i] = t;
    }
}

static void sort(void *base, size_t n, size_t size, cmp_fn cmp)
{
    unsigned char *a = base;
    while (n > 1) {
        unsigned char *lo = a, *mid = a + n / 2 * size, *hi = a + (n - 1) * size;
        /* median of three into lo, then Hoare partition around it */
        if (cmp(mid, lo) < 0)
            swap(mid, lo, size);
        if (cmp(hi, mid) < 0) {
            swap(hi, mid, size);
            if (cmp(mid, lo) < 0)
                swap(mid, lo, size);
        }
        swap(lo, mid, size);
        size_t i = 0, j = n;
        for (;;) {
            do
                i++;
            while (i < n && cmp(a + i * size, lo) < 0);
            do
                j--;
            while (cmp(a + j * size, lo) > 0);
            if (i >= j)
                break;
            swap(a + i * size, a + j * size, size);
        }
        swap(lo, a + j * size, size);
        /* a[0..j) <= pivot = a[j] <= a[j+1..n) */
        size_t left = j, right = n - j - 1;
        if (left < right) {
            sort(a, left, size, cmp);
            a += (j + 1) * size;
            n = right;
        } else {
            sort(a + (j + 1) * size, right, size, cmp);
            n = left;
        }
    }
}

static int cmp_i32(const void *a, const void *b)
{
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return (x > y) - (x < y);
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return (x > y) - (x < y);
}

struct record {
    char name[11];
    uint8_t id;
};

static int cmp_record(const void *a, const void *b)
{
    return strcmp(((const struct record *)a)->name, ((const struct record *)b)->name);
}

/* Order-independent checksum of n elements of size bytes: sum and xor of a mix of each. */
static uint64_t checksum(const void *base, size_t n, size_t size)
{
    const unsigned char *p = base;
    uint64_t sum = 0, x = 0;
    for (size_t i = 0; i < n; i++, p += size) {
        uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a of the element */
        for (size_t k = 0; k < size; k++)
            h = (h ^ p[k]) * 0x100000001b3ull;
        sum += h;
        x ^= h;
    }
    return sum ^ (x << 1);
}

static int failures;

static void sort_and_check(const char *what, void *base, size_t n, size_t size, cmp_fn cmp)
{
    uint64_t before = checksum(base, n, size);
    sort(base, n, size, cmp);
    uint64_t after = checksum(base, n, size);
    size_t disorder = 0;
    for (size_t i = 1; i < n; i++)
        disorder +=
            cmp((unsigned char *)base + (i - 1) * size, (unsigned char *)base + i * size) > 0;
    int ok = disorder == 0 && before == after;
    failures += !ok;
    rt_printf("%s: %u elements, checksum %016llx -> %016llx, %u out of order%s\n", what,
              (unsigned)n, (unsigned long long)before, (unsigned long long)after,
              (unsigned)disorder, ok ? "" : "  FAIL");
}

int main(void)
{
    static int32_t s32[500];
    static uint64_t u64[300];
    static struct record rec[40];
    uint32_t seed = 2024;

    for (size_t i = 0; i < 500; i++)
        s32[i] = (int32_t)(rt_rand32(&seed) % 2001) - 1000;
    sort_and_check("int32", s32, 500, sizeof s32[0], cmp_i32);
    rt_printf("  first %d %d %d %d, last %d %d %d %d\n", s32[0], s32[1], s32[2], s32[3], s32[496],
              s32[497], s32[498], s32[499]);

    for (size_t i = 0; i < 300; i++)
        u64[i] = (uint64_t)rt_rand32(&seed) << 32 | rt_rand32(&seed);
    u64[7] = u64[8] = 0, u64[9] = ~0ull; /* the extremes, and a duplicate */
    sort_and_check("uint64", u64, 300, sizeof u64[0], cmp_u64);
    rt_printf("  first %llx %llx %llx, last %llx\n", (unsigned long long)u64[0],
              (unsigned long long)u64[1], (unsigned long long)u64[2], (unsigned long long)u64[299]);

    for (size_t i = 0; i < 40; i++) {
        size_t len = 1 + rt_rand32(&seed) % 10;
        for (size_t k = 0; k < len; k++)
            rec[i].name[k] = (char)('a' + rt_rand32(&seed) % 4);
        rec[i].name[len] = '\0';
        rec[i].id = (uint8_t)i;
    }
    sort_and_check("records", rec, 40, sizeof rec[0], cmp_record);
    for (size_t i = 0; i < 40; i += 8)
        rt_printf("  %-10s %2u  %-10s %2u\n", rec[i].name, rec[i].id, rec[i + 1].name,
                  rec[i + 1].id);

    static int32_t sorted[64], reversed[64], equal[64];
    for (int i = 0; i < 64; i++)
        sorted[i] = i, reversed[i] = 64 - i, equal[i] = 7;
    sort_and_check("sorted", sorted, 64, sizeof sorted[0], cmp_i32);
    sort_and_check("reversed", reversed, 64, sizeof reversed[0], cmp_i32);
    sort_and_check("equal", equal, 64, sizeof equal[0], cmp_i32);
    rt_printf("%s\n", failures ? "FAIL" : "ok");
    return failures != 0;
}
