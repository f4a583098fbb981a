// `rmesim sweep --slurm`: a Slurm job array (DIR/sweep.sbatch) whose task I of T runs
// `rmesim sweep SWEEP.yaml -o DIR --task I --of T`, the points i with i % T == I, each written
// atomically to DIR/points like a local run's; submitted with sbatch. `--collect DIR` makes the
// tables once the array is done.
#include <sys/wait.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <cstdlib>

#include "model/sweep.hpp"

namespace rmesim::sweep
{

namespace
{

std::string absolute(const std::string &path)
{
    char *real = realpath(path.c_str(), nullptr);
    std::string out = real ? real : path;
    std::free(real);
    return out;
}

// One word for sh: 'it''s' quoting.
std::string sh_quote(const std::string &s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

std::string script(const Options &o, unsigned tasks)
{
    std::string dir = absolute(o.dir);
    char cwd[PATH_MAX] = ".";
    if (!getcwd(cwd, sizeof cwd))
        cwd[0] = '.', cwd[1] = 0;
    std::string array = "0-" + std::to_string(tasks - 1);
    if (o.array_limit)
        array += "%" + std::to_string(o.array_limit);
    std::string s =
        "#!/bin/sh\n"
        "# A Slurm job array written by `rmesim sweep --slurm` (docs/studies.md): task I\n"
        "# runs the points i with i % " +
        std::to_string(tasks) +
        " == I. `rmesim sweep --collect DIR` makes the tables.\n"
        "#SBATCH --job-name=rmesim-sweep\n"
        "#SBATCH --array=" +
        array + "\n";
    if (!o.partition.empty())
        s += "#SBATCH --partition=" + o.partition + "\n";
    s += "#SBATCH --ntasks=1\n"
         "#SBATCH --cpus-per-task=1\n"
         "#SBATCH --chdir=" +
         std::string(cwd) + "\n" + "#SBATCH --output=" + dir + "/slurm/task-%a.out\n";
    s += "exec " + sh_quote(this_program()) + " sweep " + sh_quote(absolute(o.sweep_file)) +
         " -o " + sh_quote(dir) + " --task \"$SLURM_ARRAY_TASK_ID\" --of " + std::to_string(tasks) +
         "\n";
    return s;
}

// Runs a command; its standard output, and its exit status (127: not found).
int capture(const std::vector<std::string> &args, std::string &out)
{
    int pipefd[2];
    if (pipe(pipefd) != 0)
        return -1;
    pid_t pid = fork();
    if (pid == 0) {
        dup2(pipefd[1], 1);
        close(pipefd[0]);
        close(pipefd[1]);
        std::vector<char *> argv;
        for (const std::string &a : args)
            argv.push_back(const_cast<char *>(a.c_str()));
        argv.push_back(nullptr);
        execvp(argv[0], argv.data());
        _exit(127);
    }
    close(pipefd[1]);
    char buf[512];
    ssize_t n;
    while ((n = read(pipefd[0], buf, sizeof buf)) > 0)
        out.append(buf, size_t(n));
    close(pipefd[0]);
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) < 0)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

} // namespace

int submit_slurm(const Plan &plan, const Options &o)
{
    unsigned tasks = o.tasks ? o.tasks : unsigned(std::min<size_t>(plan.points.size(), 1000));
    if (tasks > plan.points.size())
        tasks = unsigned(plan.points.size());
    std::string path = o.dir + "/sweep.sbatch", error;
    if (!write_atomically(path, script(o, tasks), error)) {
        std::fprintf(stderr, "rmesim: %s\n", error.c_str());
        return 2;
    }
    std::string out;
    int rc = capture({"sbatch", "--parsable", path}, out);
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r'))
        out.pop_back();
    if (rc != 0) {
        std::fprintf(stderr,
                     rc == 127 ? "rmesim: sbatch: cannot run it (is Slurm installed here?)\n"
                               : "rmesim: sbatch refused %s (exit %d)\n",
                     path.c_str(), rc);
        return 2;
    }
    std::string job = out.substr(0, out.find(';'));
    std::printf("submitted Slurm job %s: %u tasks for %zu points (%s)\n"
                "when it is done: rmesim sweep --collect %s\n",
                job.c_str(), tasks, plan.points.size(), path.c_str(), o.dir.c_str());
    return 0;
}

} // namespace rmesim::sweep
