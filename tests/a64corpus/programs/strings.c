/* The runtime's string functions (rt/string.c) against simple byte loops: memcpy, memmove (both
 * overlap directions), memset and strlen at every source and destination alignment and many
 * lengths, with guard bytes around the destination; then memcmp, strcmp, strncmp, strchr and
 * strstr on chosen cases, including bytes above 0x7f (compared as unsigned char). Exits 1 on
 * any wrong result. */
#include "rt.h"

#define BUF 64
#define GUARD 0xa5

static int failures, checks;

static void expect(int ok, const char *what, int a, int b, int c)
{
    checks++;
    if (!ok) {
        failures++;
        if (failures <= 10)
            rt_printf("FAIL %s (%d, %d, %d)\n", what, a, b, c);
    }
}

static void fill(unsigned char *p, size_t n, uint32_t *seed)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (unsigned char)rt_rand32(seed);
}

/* dst[at, at+len) equals want[0..len) and the bytes around it, from dst[0] to 8 past the end,
 * are still guards. */
static int only_range(const unsigned char *dst, size_t at, const unsigned char *want, size_t len)
{
    for (size_t i = 0; i < at + len + 8; i++) {
        int inside = i >= at && i < at + len;
        if (dst[i] != (inside ? want[i - at] : GUARD))
            return 0;
    }
    return 1;
}

static void copies(void)
{
    static _Alignas(16) unsigned char src[BUF], dst[BUF], ref[BUF];
    uint32_t seed = 7;
    for (int so = 0; so < 8; so++)
        for (int d = 0; d < 8; d++) {
            fill(src, BUF, &seed);
            for (int len = 0; len <= 40; len += 1 + len / 4) {
                memset(dst, GUARD, BUF);
                void *r = memcpy(dst + d, src + so, (size_t)len);
                expect(r == dst + d && only_range(dst, (size_t)d, src + so, (size_t)len), "memcpy",
                       so, d, len);

                memset(dst, GUARD, BUF);
                r = memset(dst + d, so * 37, (size_t)len);
                for (int i = 0; i < len; i++)
                    ref[i] = (unsigned char)(so * 37);
                expect(r == dst + d && only_range(dst, (size_t)d, ref, (size_t)len), "memset", so,
                       d, len);

                /* overlapping move within src: ref is what a byte-wise copy via a temporary
                 * gives */
                for (int i = 0; i < len; i++)
                    ref[i] = src[so + i];
                int to = d + 8 * (so & 1);
                r = memmove(src + to, src + so, (size_t)len);
                int same = r == src + to;
                for (int i = 0; i < len; i++)
                    same &= src[to + i] == ref[i];
                expect(same, "memmove", so, to, len);
            }
        }
}

static void lengths(void)
{
    static _Alignas(16) char s[BUF];
    for (int at = 0; at < 8; at++)
        for (int len = 0; len < 40; len++) {
            memset(s, 'x', BUF);
            s[at + len] = '\0';
            s[at + len + 1] = (char)0x80; /* a byte the word-at-a-time test must not confuse */
            expect(strlen(s + at) == (size_t)len, "strlen", at, len, 0);
        }
}

static int sign(int v)
{
    return (v > 0) - (v < 0);
}

static void compares(void)
{
    static const struct {
        const char *a, *b;
        int cmp, ncmp3;
    } cases[] = {
        {"", "", 0, 0},          {"abc", "abc", 0, 0},  {"abc", "abd", -1, -1},
        {"abd", "abc", 1, 1},    {"ab", "abc", -1, -1}, {"abc", "ab", 1, 1},
        {"abcx", "abcy", -1, 0}, {"\x80", "a", 1, 1},   {"a\xff", "a\x01", 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        int c = sign(strcmp(cases[i].a, cases[i].b));
        int n = sign(strncmp(cases[i].a, cases[i].b, 3));
        size_t la = strlen(cases[i].a), lb = strlen(cases[i].b);
        int m = sign(memcmp(cases[i].a, cases[i].b, (la < lb ? la : lb) + 1));
        rt_printf("cmp \"%s\" \"%s\": strcmp %d strncmp3 %d memcmp %d\n",
                  i < 7 ? cases[i].a : "<high>", i < 7 ? cases[i].b : "<low>", c, n, m);
        expect(c == cases[i].cmp && n == cases[i].ncmp3 && m == cases[i].cmp, "compare", (int)i, c,
               n);
    }
}

static void searches(void)
{
    static const char *hay = "the cat sat on the mat; that's that";
    static const struct {
        const char *needle;
        int at; /* -1: not found */
    } cases[] = {{"", 0},     {"the", 0},    {"cat", 4},   {"at", 5},           {"that", 24},
                 {"hat", 25}, {"thats", -1}, {"mat;", 19}, {"that's that", 24}, {"x", -1},
                 {"t", 0}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *r = strstr(hay, cases[i].needle);
        int at = r ? (int)(r - hay) : -1;
        rt_printf("strstr \"%s\": %d\n", cases[i].needle, at);
        expect(at == cases[i].at, "strstr", (int)i, at, cases[i].at);
    }
    const char *p = strchr(hay, ';'), *q = strchr(hay, 'z'), *e = strchr(hay, '\0');
    rt_printf("strchr ';' %d, 'z' %s, NUL %d\n", (int)(p - hay), q ? "found" : "none",
              (int)(e - hay));
    expect(p == hay + 22 && !q && e == hay + strlen(hay), "strchr", 0, 0, 0);
}

int main(void)
{
    copies();
    lengths();
    compares();
    searches();
    rt_printf("%d checks, %d failures\n%s\n", checks, failures, failures ? "FAIL" : "ok");
    return failures != 0;
}
