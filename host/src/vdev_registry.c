/* The device models the VMM knows. A new device: one file defining its vdev_model, one line here.
 */
#include "host/vdev.h"

#include <strings.h>

extern const struct vdev_model vdev_pl011;

static const struct vdev_model *const models[] = {
    &vdev_pl011,
};

const struct vdev_model *vdev_find_model(const char *name)
{
    for (size_t i = 0; i < sizeof(models) / sizeof(models[0]); i++)
        if (strcasecmp(models[i]->name, name) == 0)
            return models[i];
    return NULL;
}

const char *vdev_model_names(void)
{
    return "pl011";
}
