/* The corpus runtime: two system calls (rt/sys.S), the string functions the compiler and the
 * programs use (rt/string.c) and a printf of integers and strings (rt/print.c). Freestanding:
 * only the compiler's own headers. */
#ifndef A64CORPUS_RT_H
#define A64CORPUS_RT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/* Linux AArch64 write (64) and exit (93); see README.md for the contract. */
long sys_write(int fd, const void *buf, size_t len);
_Noreturn void sys_exit(int status);

/* The exit status when a write to stdout fails (returns 0 or a negative errno). */
#define RT_EXIT_WRITE_FAILED 124

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);

/* Conversions: %d %i %u %x %X %o %c %s %%, flags '-' '0' '+' ' ', a width (digits or '*'),
 * length modifiers hh h l ll z. Returns the number of characters written; an unknown
 * conversion is written as is. vsnprintf's output is truncated to size - 1 characters and
 * terminated when size > 0; it returns the untruncated length. */
int rt_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int rt_snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
void rt_write_all(const char *buf, size_t len);

/* xorshift32 (Marsaglia 2003): the programs' seeded input data. */
static inline uint32_t rt_rand32(uint32_t *state)
{
    uint32_t x = *state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    return *state = x;
}

#endif
