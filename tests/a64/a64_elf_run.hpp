// A static EL0 ELF run on the A64 core with a minimal EL1: the loading contract, system calls and
// signal statuses of tests/a64corpus/README.md ("The contract for rmesim's EL1 runner"). EL1 is
// a vector table whose lower-EL synchronous entry is a real ERET; at the exception boundary the
// harness does what Linux's el0_svc/invoke_syscall would for write (64) and exit (93), or ends
// the program with Linux's default signal status for any other exception from EL0.
#ifndef TESTS_A64_ELF_RUN_HPP
#define TESTS_A64_ELF_RUN_HPP

#include <cstdint>
#include <string>

namespace a64test
{

struct ElfRun {
    std::string error; // the ELF could not be loaded, or the run did not end
    std::string out;   // what the program wrote to fd 1
    int status = -1;   // exit status as a shell reports it (128 + signal when killed)
    std::string fault; // the exception that killed it: ESR, FAR, PC
    uint64_t instructions = 0;
};

ElfRun run_elf(const std::string &path, uint64_t max_instructions);

} // namespace a64test

#endif
