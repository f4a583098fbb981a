/* A memo of a64_decode(). The decoder is a pure function of the instruction word, so a table
 * of the words last decoded answers exactly what decoding again would: a program's loop is a
 * few dozen words, and decoding one costs several times what executing it does. The fetch
 * itself still goes through the core's memory every time (only the decoding is remembered),
 * so code that writes its own instructions runs the new words. */
#include <stdbool.h>

#include "a64_internal.h"

#define MEMO_BITS 10 /* 1,024 words: 56 KB */

struct memo_entry {
    bool filled;
    uint32_t word;
    struct a64_insn insn;
};

/* One table per thread: the answers do not depend on which core asks, and threads that
 * simulate side by side do not share it. */
static _Thread_local struct memo_entry memo[1u << MEMO_BITS];

const struct a64_insn *a64_decode_memo(uint32_t word)
{
    /* Fibonacci hashing: the register fields in the low bits vary most within a loop */
    struct memo_entry *e = &memo[(word * 0x9E3779B1u) >> (32 - MEMO_BITS)];
    if (!e->filled || e->word != word) {
        a64_decode(word, &e->insn);
        e->word = word;
        e->filled = true;
    }
    return &e->insn;
}
