// SystemC allows one elaboration and simulation per process. Tests that simulate run the
// simulation in a forked child and hand back a plain result struct through shared memory.
#pragma once

#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <stdexcept>
#include <type_traits>

template <class Result> Result run_isolated(const std::function<Result()> &body)
{
    static_assert(std::is_trivially_copyable_v<Result>);
    void *shared =
        mmap(nullptr, sizeof(Result), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
    if (shared == MAP_FAILED)
        throw std::runtime_error("mmap failed");
    pid_t pid = fork();
    if (pid == 0) {
        Result r = body();
        std::memcpy(shared, &r, sizeof(r));
        _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
    Result r;
    std::memcpy(&r, shared, sizeof(r));
    munmap(shared, sizeof(Result));
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        throw std::runtime_error("simulation child failed");
    return r;
}
