/* Arm PrimeCell UART (PL011), as a Linux amba-pl011 driver sees it at probe and when it writes.
 * Register map and reset values: PL011 TRM (DDI 0183) section 3.2; the identification values are
 * those QEMU's pl011 presents (PeriphID 0x00141011, PCellID 0xB105F00D). Transmission is
 * instantaneous, so the transmit FIFO always reads as empty; there is no receive input. */
#include <string.h>

#include "host/vdev.h"

enum {
    UARTDR = 0x000,
    UARTRSR = 0x004,
    UARTFR = 0x018,
    UARTILPR = 0x020,
    UARTIBRD = 0x024,
    UARTFBRD = 0x028,
    UARTLCR_H = 0x02C,
    UARTCR = 0x030,
    UARTIFLS = 0x034,
    UARTIMSC = 0x038,
    UARTRIS = 0x03C,
    UARTMIS = 0x040,
    UARTICR = 0x044,
    UARTDMACR = 0x048,
    UARTPERIPHID0 = 0xFE0,
};

enum {
    FR_RXFE = 1u << 4, /* receive FIFO empty */
    FR_TXFE = 1u << 7, /* transmit FIFO empty */
    INT_TX = 1u << 5,  /* transmit interrupt (TXRIS) */
};

static const uint8_t id_regs[8] = {0x11, 0x10, 0x14, 0x00, 0x0D, 0xF0, 0x05, 0xB1};

struct pl011 {
    uint32_t ilpr, ibrd, fbrd, lcr_h, cr, ifls, imsc, ris, dmacr;
};

static void pl011_reset(struct vdev *dev)
{
    struct pl011 *s = dev->state;
    memset(s, 0, sizeof(*s));
    s->cr = 0x300;   /* TXE and RXE set, UART disabled */
    s->ifls = 0x12;  /* FIFO levels at half */
    s->ris = INT_TX; /* the transmit FIFO is empty */
}

static bool pl011_read(struct vdev *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    struct pl011 *s = dev->state;
    (void)size;
    switch (offset) {
    case UARTDR:
    case UARTRSR:
        *value = 0;
        return true;
    case UARTFR:
        *value = FR_TXFE | FR_RXFE;
        return true;
    case UARTILPR:
        *value = s->ilpr;
        return true;
    case UARTIBRD:
        *value = s->ibrd;
        return true;
    case UARTFBRD:
        *value = s->fbrd;
        return true;
    case UARTLCR_H:
        *value = s->lcr_h;
        return true;
    case UARTCR:
        *value = s->cr;
        return true;
    case UARTIFLS:
        *value = s->ifls;
        return true;
    case UARTIMSC:
        *value = s->imsc;
        return true;
    case UARTRIS:
        *value = s->ris;
        return true;
    case UARTMIS:
        *value = s->ris & s->imsc;
        return true;
    case UARTDMACR:
        *value = s->dmacr;
        return true;
    default:
        if (offset >= UARTPERIPHID0 && offset < UARTPERIPHID0 + 0x20 && !(offset & 3)) {
            *value = id_regs[(offset - UARTPERIPHID0) / 4];
            return true;
        }
        return false; /* reserved offsets answer with an error, as the AMBA slave does */
    }
}

static bool pl011_write(struct vdev *dev, uint64_t offset, unsigned size, uint64_t value)
{
    struct pl011 *s = dev->state;
    uint32_t v = (uint32_t)value;
    (void)size;
    switch (offset) {
    case UARTDR: {
        char c = (char)(v & 0xFF);
        vdev_emit(dev, &c, 1);
        s->ris |= INT_TX;
        return true;
    }
    case UARTRSR: /* UARTECR: any write clears the error flags */
        return true;
    case UARTILPR:
        s->ilpr = v & 0xFF;
        return true;
    case UARTIBRD:
        s->ibrd = v & 0xFFFF;
        return true;
    case UARTFBRD:
        s->fbrd = v & 0x3F;
        return true;
    case UARTLCR_H:
        s->lcr_h = v & 0xFF;
        return true;
    case UARTCR:
        s->cr = v & 0xFF87;
        return true;
    case UARTIFLS:
        s->ifls = v & 0x3F;
        return true;
    case UARTIMSC:
        s->imsc = v & 0x7FF;
        return true;
    case UARTICR:
        s->ris &= ~(v & 0x7FF);
        return true;
    case UARTDMACR:
        s->dmacr = v & 0x7;
        return true;
    case UARTFR:
    case UARTRIS:
    case UARTMIS:
        return true; /* read-only: writes are ignored */
    default:
        return false;
    }
}

const struct vdev_model vdev_pl011 = {
    .name = "pl011",
    .size = 0x1000,
    .state_size = sizeof(struct pl011),
    .reset = pl011_reset,
    .read = pl011_read,
    .write = pl011_write,
};
