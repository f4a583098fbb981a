#include "mem/pas.h"

static const char *const names[4] = {"secure", "ns", "root", "realm"};

const char *rme_pas_name(enum rme_pas pas)
{
    return (unsigned)pas < 4 ? names[pas] : "?";
}

const char *rme_sec_state_name(enum rme_sec_state ss)
{
    return (unsigned)ss < 4 ? names[ss] : "?";
}
