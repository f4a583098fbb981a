/* Emulated devices of the VMM. A device model is one file that defines one
 * `struct vdev_model` and adds it to the table in vdev_registry.c. The VMM hands a device the
 * accesses of MMIO exits (offset from the device base, size, value); the platform can also place
 * the same model on the physical bus (vdev_mem_ops) so that a host can reach it directly. */
#ifndef HOST_VDEV_H
#define HOST_VDEV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "mem/phys_mem.h"

struct vdev;

struct vdev_model {
    const char *name; /* the scenario's `model:` value */
    uint64_t size;    /* bytes of MMIO space */
    size_t state_size;
    void (*reset)(struct vdev *dev);
    /* false: the access is not accepted (the VMM injects an abort / the bus answers SLVERR) */
    bool (*read)(struct vdev *dev, uint64_t offset, unsigned size, uint64_t *value);
    bool (*write)(struct vdev *dev, uint64_t offset, unsigned size, uint64_t value);
};

/* Everything a device emits goes to one growing text buffer that expectations can read. */
struct vdev {
    const struct vdev_model *model;
    char name[32];
    char *output;
    size_t output_len, output_cap;
    uint64_t reads, writes;
    void *state; /* model_size bytes, zeroed, then reset() */
};

const struct vdev_model *vdev_find_model(const char *name);
/* Comma-separated names of every model, for error messages. */
const char *vdev_model_names(void);

struct vdev *vdev_create(const struct vdev_model *model, const char *name);
void vdev_destroy(struct vdev *dev);

bool vdev_read(struct vdev *dev, uint64_t offset, unsigned size, uint64_t *value);
bool vdev_write(struct vdev *dev, uint64_t offset, unsigned size, uint64_t value);

/* For models: append emitted bytes. */
void vdev_emit(struct vdev *dev, const char *bytes, size_t len);
const char *vdev_output(const struct vdev *dev);

/* Adapter for phys_mem_add_device (the device as seen on the physical bus). */
extern const struct mem_device_ops vdev_mem_ops;

#endif
