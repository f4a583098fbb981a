// A realm's image (realms[].image: FILE): the ELF read and checked against the realm (every
// segment inside its RAM), laid out from the first segment's page to the last one's end, zeros
// between and after the segments' bytes: the span the host populates with RMI_DATA_CREATE.
// `rmesim check` and `rmesim run` read it the same way.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

extern "C" {
#include "scenario/scenario.h"
}

namespace rmesim
{

struct RealmImage {
    uint64_t ipa = 0, entry = 0;
    std::vector<uint8_t> bytes;
};

// False with "FILE:LINE:COL: realm 'R' image: NAME: problem" (NAME as the scenario wrote it).
bool read_realm_image(const scenario &s, const scn_realm &realm, RealmImage &out,
                      std::string &error);

} // namespace rmesim
