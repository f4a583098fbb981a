/* The runtime's string functions. GCC may call memcpy, memmove, memset and memcmp itself even
 * with -ffreestanding, so every program links them. memcpy, memset and strlen work a word at a
 * time when they can, which the strings program checks at every alignment. */
#include "rt.h"

typedef uint64_t __attribute__((may_alias)) word;

#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull

void *memcpy(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if ((((uintptr_t)d | (uintptr_t)s) & 7) == 0) {
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(word *)d = *(const word *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;
    if (d <= s || d >= s + n)
        return memcpy(dst, src, n);
    while (n--) /* overlapping with d above s: copy backwards */
        d[n] = s[n];
    return dst;
}

void *memset(void *dst, int c, size_t n)
{
    unsigned char *d = dst;
    for (; n && ((uintptr_t)d & 7); n--)
        *d++ = (unsigned char)c;
    word pattern = (unsigned char)c * ONES;
    for (; n >= 8; n -= 8, d += 8)
        *(word *)d = pattern;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    for (; n; n--, p++, q++) {
        if (*p != *q)
            return *p < *q ? -1 : 1;
    }
    return 0;
}

size_t strlen(const char *s)
{
    const char *p = s;
    for (; (uintptr_t)p & 7; p++) {
        if (!*p)
            return (size_t)(p - s);
    }
    /* An aligned word never crosses a page, so reading past the terminator is safe. */
    for (;; p += 8) {
        word w = *(const word *)p;
        if ((w - ONES) & ~w & HIGHS)
            break;
    }
    while (*p)
        p++;
    return (size_t)(p - s);
}

int strcmp(const char *a, const char *b)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    while (*p && *p == *q)
        p++, q++;
    return *p - *q;
}

int strncmp(const char *a, const char *b, size_t n)
{
    const unsigned char *p = (const unsigned char *)a, *q = (const unsigned char *)b;
    for (; n; n--, p++, q++) {
        if (*p != *q || !*p)
            return *p - *q;
    }
    return 0;
}

char *strchr(const char *s, int c)
{
    for (;; s++) {
        if (*s == (char)c)
            return (char *)s;
        if (!*s)
            return NULL;
    }
}

char *strstr(const char *haystack, const char *needle)
{
    size_t n = strlen(needle);
    for (; *haystack; haystack++) {
        if (strncmp(haystack, needle, n) == 0)
            return (char *)haystack;
    }
    return n == 0 ? (char *)haystack : NULL;
}
