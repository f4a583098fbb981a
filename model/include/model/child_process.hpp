// SystemC elaborates one simulation per process: each scenario runs in a child process.
#ifndef MODEL_CHILD_PROCESS_HPP
#define MODEL_CHILD_PROCESS_HPP

#include <functional>

namespace rmesim
{

// Runs `body` in a child process and returns its exit status. The child dies with its parent
// (PR_SET_PDEATHSIG), so killing rmesim never leaves a simulation behind to write outputs later;
// SIGINT, SIGTERM and SIGHUP sent to the parent reach the child, which removes its unfinished
// outputs (install_output_signal_handlers) and ends with 128 + the signal, returned as it is.
// A child that a reader's SIGPIPE ended gives 141 without a word; one that crashed gives
// 128 + its signal with an "internal error" message.
int run_in_child(const std::function<int()> &body);

} // namespace rmesim

#endif
