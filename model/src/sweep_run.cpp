// The local workers of a sweep: each point is its own `rmesim run SCENARIO --set ...
// --results TMP --quiet` process (SystemC elaborates once per process), at most N at a time;
// each one's point document is written as soon as it ends. A progress bar on a terminal (points
// done, failures, ETA), one line per point otherwise.
#include <fcntl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstring>
#include <map>

#include "model/json_value.hpp"
#include "model/sweep.hpp"

namespace rmesim::sweep
{

namespace
{

using Clock = std::chrono::steady_clock;

struct Running {
    size_t index;
    std::string results, log; // the run's temporary files in DIR/tmp
};

std::string host_name()
{
    char host[64] = "";
    gethostname(host, sizeof host - 1);
    return host;
}

// Starts a point's run; its standard output and error go to one log file.
pid_t start(const Plan &plan, const Point &p, const Options &o, Running &r)
{
    std::string stem = o.dir + "/tmp/" + p.id + "." + host_name() + "." + std::to_string(getpid());
    r.results = stem + ".results.json";
    r.log = stem + ".log";
    unlink(r.results.c_str());
    std::vector<std::string> args = {o.program, "run", plan.scenario_path(p)};
    for (const Override &v : p.overrides)
        args.insert(args.end(), {"--set", v.first + "=" + v.second});
    args.insert(args.end(), {"--results", r.results, "--quiet"});
    std::fflush(stdout);
    std::fflush(stderr);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* a sweep killed mid-way takes its runs with it: no orphan finishes a point unseen (and
       one killed between the fork and here is already gone) */
    prctl(PR_SET_PDEATHSIG, SIGKILL);
    if (getppid() != parent)
        _exit(127);
    int fd = open(r.log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int null = open("/dev/null", O_RDONLY);
    if (fd < 0 || null < 0)
        _exit(127);
    dup2(null, 0);
    dup2(fd, 1);
    dup2(fd, 2);
    std::vector<char *> argv;
    for (std::string &a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(argv[0], argv.data());
    std::fprintf(stderr, "rmesim: cannot run %s: %s\n", argv[0], std::strerror(errno));
    _exit(127);
}

class Progress
{
  public:
    Progress(size_t total, size_t skipped)
        : total_(total), done_(skipped), skipped_(skipped), bar_(isatty(2)), began_(Clock::now())
    {
        draw();
    }

    void finished(const Point &p, const char *outcome, const std::string &why)
    {
        done_++;
        if (bar_)
            std::fprintf(stderr, "\r\033[K");
        if (!bar_ || outcome[0] != 'p') {
            std::string params;
            for (const Override &o : p.overrides)
                params += " " + o.first + "=" + o.second;
            std::printf("[%zu/%zu] %s %s: %s%s%s\n", done_, total_, p.id.c_str(), outcome,
                        p.scenario.c_str(), params.c_str(),
                        why.empty() ? "" : (": " + why).c_str());
            std::fflush(stdout);
        }
        draw();
    }
    void failed() { failures_++; }
    void end()
    {
        if (bar_)
            std::fprintf(stderr, "\r\033[K");
    }

  private:
    void draw()
    {
        if (!bar_)
            return;
        const int width = 30;
        int filled = total_ ? int(done_ * width / total_) : width;
        std::string eta = "--:--";
        size_t ran = done_ - skipped_;
        if (ran > 0) {
            double s = std::chrono::duration<double>(Clock::now() - began_).count();
            long left = long(s / double(ran) * double(total_ - done_) + 0.5);
            char buf[32];
            std::snprintf(buf, sizeof buf, "%ld:%02ld", left / 60, left % 60);
            eta = buf;
        }
        std::fprintf(stderr, "\r[%s%s] %zu/%zu points, %zu failed, ETA %s",
                     std::string(size_t(filled), '#').c_str(),
                     std::string(size_t(width - filled), ' ').c_str(), done_, total_, failures_,
                     eta.c_str());
        std::fflush(stderr);
    }

    size_t total_, done_, skipped_, failures_ = 0;
    bool bar_;
    Clock::time_point began_;
};

int exit_status(int status)
{
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

RunStats run_points(const Plan &plan, const std::vector<size_t> &which, const Options &o)
{
    RunStats stats;
    size_t total = which.size();
    std::vector<size_t> todo;
    for (size_t i : which)
        if (access(point_path(o.dir, plan.points[i]).c_str(), F_OK) != 0)
            todo.push_back(i);
    Progress progress(total, total - todo.size());
    std::map<pid_t, Running> running;
    size_t next = 0;
    unsigned jobs = o.jobs ? o.jobs : 1;
    while (next < todo.size() || !running.empty()) {
        while (next < todo.size() && running.size() < jobs) {
            Running r{todo[next], "", ""};
            pid_t pid = start(plan, plan.points[todo[next]], o, r);
            next++;
            if (pid < 0) {
                std::fprintf(stderr, "rmesim: cannot start a run: %s\n", std::strerror(errno));
                stats.errors++;
                continue;
            }
            running[pid] = r;
        }
        int status = 0;
        pid_t pid = waitpid(-1, &status, 0);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        auto it = running.find(pid);
        if (it == running.end())
            continue;
        Running r = it->second;
        running.erase(it);
        const Point &p = plan.points[r.index];
        int code = exit_status(status);
        std::string results, log, error;
        read_file(r.results, results);
        read_file(r.log, log);
        std::string doc = point_document(p, code, results, log);
        bool written = write_atomically(point_path(o.dir, p), doc, error);
        unlink(r.results.c_str());
        unlink(r.log.c_str());
        JsonValue d;
        std::string why;
        JsonValue::parse(doc, d, why);
        const JsonValue *message = d.get("error");
        const char *outcome = !written || message ? "ERROR" : code == 0 ? "passed" : "FAILED";
        why = !written ? error : message ? message->text() : "";
        if (outcome[0] == 'p')
            stats.passed++;
        else if (outcome[0] == 'F')
            stats.failed++;
        else
            stats.errors++;
        if (outcome[0] != 'p')
            progress.failed();
        progress.finished(p, outcome, why);
    }
    progress.end();
    return stats;
}

} // namespace rmesim::sweep
