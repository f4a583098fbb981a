/* The runtime's printf (rt/print.c): decimal, unsigned, hex and octal of every length modifier
 * including the most negative values, widths, '-', '0', '+' and ' ' flags, '*' widths, %c, %s,
 * %%, unknown conversions and snprintf's truncation. Each line is what C's printf prints for the
 * same call. Ends with return 298, which a Linux exit status truncates to 42 (298 & 0xff): the
 * runner must do the same. */
#include "rt.h"

int main(void)
{
    rt_printf("[%d] [%d] [%d] [%i]\n", 0, 42, -42, 2147483647);
    rt_printf("[%d] [%u] [%u]\n", (int)0x80000000u, 0u, 4294967295u);
    rt_printf("[%ld] [%lld]\n", (long)0x8000000000000000ull, 9223372036854775807ll);
    rt_printf("[%lu] [%llu] [%zu]\n", 18446744073709551615ul, 1234567890123ull, (size_t)99);
    rt_printf("[%x] [%X] [%lx] [%llX]\n", 0xdeadbeefu, 0xcafef00du, 0x0123456789abcdeful,
              0xfedcba9876543210ull);
    rt_printf("[%o] [%lo] [%x]\n", 8u, 01777777777777777777777ul, 0u);
    rt_printf("[%hd] [%hu] [%hhd] [%hhu] [%hx]\n", (short)-2, (unsigned short)65535,
              (signed char)-128, (unsigned char)200, (unsigned short)0xbeef);
    /* GCC's format check warns about these two lines: '-' wins over '0', and unknown conversions
     * are copied as written */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
    rt_printf("[%5d] [%-5d] [%05d] [%-05d] [%5d]\n", 42, 42, 42, 42, 1234567);
    rt_printf("[%y] [%-5k] [%d]\n", 5);
#pragma GCC diagnostic pop
    rt_printf("[%6d] [%06d] [%-6d] [%+d] [%+d] [% d] [% d] [%+05d]\n", -42, -42, -42, 42, -42, 42,
              -42, 42);
    rt_printf("[%8x] [%08x] [%-8X] [%016lx]\n", 0xabcu, 0xabcu, 0xabcu, 0x1ul);
    rt_printf("[%*d] [%*d] [%-*d]\n", 6, 7, -6, 7, 4, -1);
    rt_printf("[%c%c%c] [%3c] [%-3c]\n", 'a', 'B', '9', 'x', 'y');
    rt_printf("[%s] [%8s] [%-8s] [%s] [%%] [100%%]\n", "str", "right", "left", "");

    char small[8];
    int n = rt_snprintf(small, sizeof small, "%d-%s", -123456, "tail");
    rt_printf("snprintf into 8: %d [%s]\n", n, small);
    n = rt_snprintf(small, 0, "%x", 0xffffu);
    rt_printf("snprintf into 0: %d\n", n);

    int total = 0;
    for (int i = -3; i <= 3; i++)
        total += rt_printf("%d^3=%d%c", i, i * i * i, i < 3 ? ' ' : '\n');
    rt_printf("characters written: %d\n", total);
    return 298;
}
