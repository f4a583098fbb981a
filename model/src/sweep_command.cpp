// `rmesim sweep`: the sweep file's plan, its directory (a new one, or the same plan's with
// --resume), the points run here or submitted to Slurm, and the tables at the end.
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdio>
#include <cstring>

#include "model/sweep.hpp"
#include "model/text.hpp"

namespace rmesim::sweep
{

namespace
{

int refuse(const std::string &message)
{
    std::fprintf(stderr, "rmesim: %s\n", message.c_str());
    return 2;
}

bool make_dir(const std::string &path, std::string &error)
{
    for (size_t slash = path.find('/', 1);; slash = path.find('/', slash + 1)) {
        std::string part = path.substr(0, slash);
        if (mkdir(part.c_str(), 0755) != 0 && errno != EEXIST) {
            error = "cannot make " + part + ": " + std::strerror(errno);
            return false;
        }
        if (slash == std::string::npos)
            return true;
    }
}

// The names in a directory (without . and ..); false if it cannot be read.
bool entries(const std::string &path, std::vector<std::string> &names)
{
    DIR *d = opendir(path.c_str());
    if (!d)
        return false;
    while (dirent *e = readdir(d))
        if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
            names.push_back(e->d_name);
    closedir(d);
    return true;
}

// DIR for this plan: a new (or empty) directory, or with --resume or in a Slurm task one that
// holds this very plan. Writes sweep.json in a new one.
bool prepare(const Plan &plan, const Options &o, std::string &error)
{
    std::string json = plan.json(), have;
    std::vector<std::string> names;
    struct stat st;
    bool exists = stat(o.dir.c_str(), &st) == 0;
    if (exists && !S_ISDIR(st.st_mode)) {
        error = o.dir + " is not a directory";
        return false;
    }
    if (exists && !entries(o.dir, names)) {
        error = "cannot read " + o.dir + ": " + std::strerror(errno);
        return false;
    }
    bool resuming = o.resume || o.task >= 0;
    if (!names.empty() || (o.task >= 0)) {
        if (!resuming) {
            error = o.dir +
                    " is not empty: give --resume to go on with the sweep it holds, or another "
                    "directory";
            return false;
        }
        if (!read_file(o.dir + "/sweep.json", have)) {
            error = o.dir + " holds no sweep.json: it is not a sweep's directory";
            return false;
        }
        if (have != json) {
            error = o.dir + "/sweep.json is another plan than " + o.sweep_file +
                    "'s (a changed sweep file or scenario list): use another directory";
            return false;
        }
    }
    for (const char *sub : {"", "/points", "/tmp", "/slurm"}) {
        if (std::string(sub) == "/slurm" && !o.slurm)
            continue;
        if (!make_dir(o.dir + sub, error))
            return false;
    }
    return have == json || write_atomically(o.dir + "/sweep.json", json, error);
}

// With --resume here (not in a Slurm task, which shares DIR with others): the temporary files
// that a killed sweep left, its runs' and its half-written point files (".ID.json...tmp").
void clear_tmp(const std::string &dir)
{
    std::vector<std::string> names;
    if (entries(dir + "/tmp", names))
        for (const std::string &n : names)
            unlink((dir + "/tmp/" + n).c_str());
    names.clear();
    if (entries(dir + "/points", names))
        for (const std::string &n : names)
            if (n[0] == '.' && n.size() > 4 && n.compare(n.size() - 4, 4, ".tmp") == 0)
                unlink((dir + "/points/" + n).c_str());
}

} // namespace

std::string this_program()
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    return n > 0 ? std::string(path, size_t(n)) : "/proc/self/exe";
}

int run_sweep(const Options &given)
{
    Options o = given;
    if (o.program.empty())
        o.program = this_program();
    std::string error;
    if (o.collect) {
        int rc = collect(o.dir, error);
        if (rc == 2)
            return refuse(error);
        std::printf("%s/results.csv, %s/results.jsonl: %s\n", o.dir.c_str(), o.dir.c_str(),
                    rc == 0 ? "every point passed" : "some points failed (see passed, error)");
        return rc;
    }
    Plan plan;
    if (!load_plan(o.sweep_file, plan, error))
        return refuse(error);
    if (!prepare(plan, o, error))
        return refuse(error);
    if (o.slurm)
        return submit_slurm(plan, o);
    std::vector<size_t> which;
    for (size_t i = 0; i < plan.points.size(); i++)
        if (o.task < 0 || i % o.of == unsigned(o.task))
            which.push_back(i);
    if (o.task < 0 && o.resume)
        clear_tmp(o.dir);
    if (!o.jobs) {
        long cpus = sysconf(_SC_NPROCESSORS_ONLN);
        o.jobs = o.task >= 0 || cpus < 1 ? 1 : unsigned(cpus);
    }
    RunStats stats = run_points(plan, which, o);
    size_t ran = stats.passed + stats.failed + stats.errors;
    std::printf("%s run: %zu passed, %zu failed, %s%s\n", counted(ran, "point").c_str(),
                stats.passed, stats.failed, counted(stats.errors, "error").c_str(),
                which.size() > ran
                    ? (" (" + std::to_string(which.size() - ran) + " already done)").c_str()
                    : "");
    if (o.task >= 0)
        return stats.failed || stats.errors ? 1 : 0;
    int rc = collect(o.dir, error);
    if (rc == 2)
        return refuse(error);
    std::printf("tables: %s/results.csv, %s/results.jsonl\n", o.dir.c_str(), o.dir.c_str());
    return rc;
}

} // namespace rmesim::sweep
