/* A printf of integers and strings (the conversions rt.h lists), formatting into a buffer that
 * rt_printf writes to stdout with one write per call. */
#include "rt.h"

/* The output so far: characters past size - 1 are counted but not stored. */
struct out {
    char *buf;
    size_t size, len;
};

static void put(struct out *o, char c)
{
    if (o->len + 1 < o->size)
        o->buf[o->len] = c;
    o->len++;
}

static void put_n(struct out *o, char c, int n)
{
    for (; n > 0; n--)
        put(o, c);
}

struct spec {
    int left, zero, plus, space, width;
};

/* One converted field: sign, zero padding or spaces, digits. */
static void field(struct out *o, const struct spec *sp, const char *sign, const char *digits,
                  int ndigits)
{
    int nsign = (int)strlen(sign);
    int pad = sp->width - nsign - ndigits;
    if (!sp->left && !sp->zero)
        put_n(o, ' ', pad);
    for (; *sign; sign++)
        put(o, *sign);
    if (!sp->left && sp->zero)
        put_n(o, '0', pad);
    for (int i = 0; i < ndigits; i++)
        put(o, digits[i]);
    if (sp->left)
        put_n(o, ' ', pad);
}

/* The digits of v in base (8, 10 or 16), most significant first; returns how many. */
static int to_digits(char *tmp, unsigned long long v, unsigned base, int upper)
{
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char rev[24];
    int n = 0;
    do {
        rev[n++] = set[v % base];
        v /= base;
    } while (v);
    for (int i = 0; i < n; i++)
        tmp[i] = rev[n - 1 - i];
    return n;
}

/* The argument of an integer conversion with length modifier len (-2 hh, -1 h, 0, 1 l, 2 ll,
 * 3 z), sign-extended or zero-extended to 64 bits. */
static unsigned long long int_arg(va_list *ap, int len, int is_signed)
{
    if (len >= 1) {
        if (len == 3)
            return va_arg(*ap, size_t);
        return is_signed ? (unsigned long long)va_arg(*ap, long long)
                         : va_arg(*ap, unsigned long long);
    }
    unsigned v = va_arg(*ap, unsigned);
    if (len == -2)
        return is_signed ? (unsigned long long)(long long)(signed char)v : (unsigned char)v;
    if (len == -1)
        return is_signed ? (unsigned long long)(long long)(short)v : (unsigned short)v;
    return is_signed ? (unsigned long long)(long long)(int)v : v;
}

/* Parses the flags, width and length modifier of a conversion, from just after its '%' to its
 * conversion character, where *fmt is left; returns the length modifier as int_arg takes it. */
static int parse_spec(const char **fmt, va_list *ap, struct spec *sp)
{
    const char *f = *fmt;
    *sp = (struct spec){0, 0, 0, 0, 0};
    for (;; f++) {
        if (*f == '-')
            sp->left = 1;
        else if (*f == '0')
            sp->zero = 1;
        else if (*f == '+')
            sp->plus = 1;
        else if (*f == ' ')
            sp->space = 1;
        else
            break;
    }
    if (*f == '*') {
        sp->width = va_arg(*ap, int);
        if (sp->width < 0) {
            sp->left = 1;
            sp->width = -sp->width;
        }
        f++;
    }
    for (; *f >= '0' && *f <= '9'; f++)
        sp->width = sp->width * 10 + (*f - '0');
    int len = 0;
    if (*f == 'h') {
        len = -1;
        if (*++f == 'h') {
            len = -2;
            f++;
        }
    } else if (*f == 'l') {
        len = 1;
        if (*++f == 'l') {
            len = 2;
            f++;
        }
    } else if (*f == 'z') {
        len = 3;
        f++;
    }
    *fmt = f;
    return len;
}

int rt_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
    struct out o = {buf, size, 0};
    va_list args;
    va_copy(args, ap);
    for (; *fmt; fmt++) {
        if (*fmt != '%') {
            put(&o, *fmt);
            continue;
        }
        const char *start = fmt++;
        struct spec sp;
        int len = parse_spec(&fmt, &args, &sp);
        char digits[24];
        char c = *fmt;
        if (c == 'd' || c == 'i') {
            unsigned long long v = int_arg(&args, len, 1);
            int negative = (long long)v < 0;
            const char *sign = negative ? "-" : sp.plus ? "+" : sp.space ? " " : "";
            field(&o, &sp, sign, digits, to_digits(digits, negative ? 0 - v : v, 10, 0));
        } else if (c == 'u' || c == 'x' || c == 'X' || c == 'o') {
            unsigned base = c == 'u' ? 10 : c == 'o' ? 8 : 16;
            field(&o, &sp, "", digits, to_digits(digits, int_arg(&args, len, 0), base, c == 'X'));
        } else if (c == 'c') {
            digits[0] = (char)va_arg(args, int);
            sp.zero = 0;
            field(&o, &sp, "", digits, 1);
        } else if (c == 's') {
            const char *s = va_arg(args, const char *);
            if (!s)
                s = "(null)";
            sp.zero = 0;
            field(&o, &sp, "", s, (int)strlen(s));
        } else if (c == '%') {
            put(&o, '%');
        } else { /* unknown or truncated: copy the directive as written */
            for (; start < fmt; start++)
                put(&o, *start);
            if (!c)
                break;
            put(&o, c);
        }
    }
    va_end(args);
    if (size)
        buf[o.len < size ? o.len : size - 1] = '\0';
    return (int)o.len;
}

int rt_snprintf(char *buf, size_t size, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vsnprintf(buf, size, fmt, ap);
    va_end(ap);
    return n;
}

void rt_write_all(const char *buf, size_t len)
{
    while (len) {
        long n = sys_write(1, buf, len);
        if (n <= 0)
            sys_exit(RT_EXIT_WRITE_FAILED);
        buf += n;
        len -= (size_t)n;
    }
}

int rt_printf(const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = rt_vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    rt_write_all(buf, (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    return n;
}
