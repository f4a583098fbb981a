/* libFuzzer harness of the scenario loader: any bytes, as a file's contents, through the whole
 * loader (the event-level guard, the document, every section's checks) and back out through
 * scenario_free. A crash, a leak, undefined behaviour or a timeout is a finding; a refusal is
 * the expected outcome of most inputs. Seeds: scenarios/ and tests/bad-scenarios/. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario/scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = malloc(size + 1); /* the loader reads a NUL-terminated string */
    if (!text)
        return 0;
    memcpy(text, data, size);
    text[size] = '\0';
    struct scenario_diag diag;
    struct scenario *s = scenario_parse_string(text, "fuzz.yaml", &diag);
    scenario_free(s);
    free(text);
    return 0;
}
