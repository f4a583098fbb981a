/* Output on the PL011: each byte is a store to its data register (UARTDR, offset 0), which the
 * realm reaches through the unprotected alias: a stage-2 fault the host emulates. */
#include "hello.h"

static volatile u32 *uart_dr;

void uart_set_base(volatile u32 *dr)
{
    uart_dr = dr;
}

static void putc_(char c)
{
    if (uart_dr)
        *(volatile u8 *)uart_dr = (u8)c;
}

void puts_(const char *s)
{
    while (*s)
        putc_(*s++);
}

void put_dec(u64 v)
{
    char buf[21];
    int i = 20;
    buf[i] = 0;
    do {
        buf[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    puts_(buf + i);
}

static const char digits[] = "0123456789abcdef";

void put_hex(u64 v)
{
    puts_("0x");
    for (int s = 60; s >= 0; s -= 4)
        putc_(digits[(v >> s) & 0xF]);
}

void put_hex_bytes(const u8 *p, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        putc_(digits[p[i] >> 4]);
        putc_(digits[p[i] & 0xF]);
    }
}
