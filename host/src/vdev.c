#include "host/vdev.h"

#include <stdlib.h>
#include <string.h>

struct vdev *vdev_create(const struct vdev_model *model, const char *name)
{
    struct vdev *dev = calloc(1, sizeof(*dev));
    if (!dev)
        return NULL;
    dev->model = model;
    strncpy(dev->name, name ? name : model->name, sizeof(dev->name) - 1);
    dev->state = calloc(1, model->state_size ? model->state_size : 1);
    dev->output = calloc(1, 64);
    if (!dev->state || !dev->output) {
        vdev_destroy(dev);
        return NULL;
    }
    dev->output_cap = 64;
    if (model->reset)
        model->reset(dev);
    return dev;
}

void vdev_destroy(struct vdev *dev)
{
    if (!dev)
        return;
    free(dev->state);
    free(dev->output);
    free(dev);
}

bool vdev_read(struct vdev *dev, uint64_t offset, unsigned size, uint64_t *value)
{
    *value = 0;
    if (offset >= dev->model->size)
        return false;
    dev->reads++;
    return dev->model->read(dev, offset, size, value);
}

bool vdev_write(struct vdev *dev, uint64_t offset, unsigned size, uint64_t value)
{
    if (offset >= dev->model->size)
        return false;
    dev->writes++;
    return dev->model->write(dev, offset, size, value);
}

void vdev_emit(struct vdev *dev, const char *bytes, size_t len)
{
    if (dev->output_len + len + 1 > dev->output_cap) {
        size_t cap = dev->output_cap;
        while (dev->output_len + len + 1 > cap)
            cap *= 2;
        char *grown = realloc(dev->output, cap);
        if (!grown)
            return; /* output is diagnostic; losing it must not stop the model */
        dev->output = grown;
        dev->output_cap = cap;
    }
    memcpy(dev->output + dev->output_len, bytes, len);
    dev->output_len += len;
    dev->output[dev->output_len] = '\0';
}

const char *vdev_output(const struct vdev *dev)
{
    return dev->output;
}

static bool bus_read(void *dev, uint64_t offset, unsigned size, enum rme_pas pas, uint64_t *value)
{
    (void)pas;
    return vdev_read(dev, offset, size, value);
}

static bool bus_write(void *dev, uint64_t offset, unsigned size, enum rme_pas pas, uint64_t value)
{
    (void)pas;
    return vdev_write(dev, offset, size, value);
}

const struct mem_device_ops vdev_mem_ops = {bus_read, bus_write};
