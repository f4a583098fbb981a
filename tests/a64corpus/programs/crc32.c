/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) two ways, bit by bit and with a
 * 256-entry table fed in uneven chunks, over the standard check string and seeded data. Exits 1
 * if the two disagree or a known value is wrong. */
#include "rt.h"

static uint32_t crc_bitwise(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    while (n--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return ~crc;
}

static uint32_t table[256];

static void make_table(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? (c >> 1) ^ 0xedb88320u : c >> 1;
        table[i] = c;
    }
}

/* Continues a CRC: crc is the value returned for the data before p (0 to start). */
static uint32_t crc_table(uint32_t crc, const uint8_t *p, size_t n)
{
    crc = ~crc;
    while (n--)
        crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
    return ~crc;
}

/* The table CRC of n bytes fed in chunks of 1, 2, ... 13 bytes. */
static uint32_t crc_chunked(const uint8_t *p, size_t n)
{
    uint32_t crc = 0;
    for (size_t chunk = 1; n; chunk = chunk % 13 + 1) {
        size_t k = chunk < n ? chunk : n;
        crc = crc_table(crc, p, k);
        p += k;
        n -= k;
    }
    return crc;
}

static int failures;

static void check(const char *what, const uint8_t *p, size_t n, uint32_t known, int has_known)
{
    uint32_t a = crc_bitwise(p, n), b = crc_chunked(p, n);
    rt_printf("%-12s %5u bytes: %08x %08x", what, (unsigned)n, a, b);
    if (a != b || (has_known && a != known)) {
        failures++;
        rt_printf("  MISMATCH (known %08x)\n", known);
    } else {
        rt_printf("%s\n", has_known ? "  known" : "");
    }
}

int main(void)
{
    static uint8_t data[4096];
    uint32_t seed = 0x12345678u;
    for (size_t i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(rt_rand32(&seed) >> 24);
    make_table();
    rt_printf("table[1] %08x table[128] %08x table[255] %08x\n", table[1], table[128], table[255]);

    const char *check_string = "123456789";
    const char *fox = "The quick brown fox jumps over the lazy dog";
    check("empty", data, 0, 0, 1);
    check("check", (const uint8_t *)check_string, strlen(check_string), 0xcbf43926u, 1);
    check("fox", (const uint8_t *)fox, strlen(fox), 0x414fa339u, 1);
    check("seeded", data, sizeof data, 0, 0);
    check("seeded+1", data + 1, sizeof data - 1, 0, 0);
    check("seeded[:100]", data, 100, 0, 0);
    rt_printf("%s\n", failures ? "FAIL" : "ok");
    return failures != 0;
}
