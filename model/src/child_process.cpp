// One simulation per process (model/child_process.hpp).
#include "model/child_process.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "model/output_file.hpp"

namespace rmesim
{

namespace
{

volatile sig_atomic_t g_child = 0;

// The parent passes a stop request on; the child, in the same process group when it came from
// the terminal, may get it twice, which its handler tolerates (it ends at the first).
void forward(int sig)
{
    if (g_child > 0)
        kill(g_child, sig);
}

} // namespace

int run_in_child(const std::function<int()> &body)
{
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0) {
        std::fprintf(stderr, "rmesim: cannot start the simulation: %s\n", std::strerror(errno));
        return 2;
    }
    if (pid == 0) {
        prctl(PR_SET_PDEATHSIG, SIGTERM);
        if (getppid() != parent) /* the parent died before prctl */
            _exit(128 + SIGTERM);
        install_output_signal_handlers();
        int rc = body();
        std::fflush(stdout);
        std::fflush(stderr);
        _exit(rc);
    }
    g_child = pid;
    struct sigaction sa, old[3];
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = forward;
    const int stops[3] = {SIGINT, SIGTERM, SIGHUP};
    for (int i = 0; i < 3; i++)
        sigaction(stops[i], &sa, &old[i]);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    for (int i = 0; i < 3; i++)
        sigaction(stops[i], &old[i], nullptr);
    g_child = 0;
    if (WIFEXITED(status))
        return WEXITSTATUS(status);
    int sig = WTERMSIG(status);
    if (sig != SIGPIPE && sig != SIGINT && sig != SIGTERM && sig != SIGHUP && sig != SIGKILL)
        std::fprintf(stderr, "rmesim: internal error: the simulation ended by signal %d (%s)\n",
                     sig, strsignal(sig));
    else if (sig == SIGKILL)
        std::fprintf(stderr, "rmesim: the simulation was killed (SIGKILL)\n");
    return 128 + sig;
}

} // namespace rmesim
