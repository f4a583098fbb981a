// Outputs written whole or not at all (model/output_file.hpp).
#include "model/output_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace rmesim
{

namespace
{

// The temporary files open now, for the signal handler: fixed storage, since a handler may not
// allocate. A run has at most a handful of outputs.
constexpr int kMaxTemps = 16;
char g_temps[kMaxTemps][PATH_MAX];
volatile sig_atomic_t g_temp_used[kMaxTemps];

// Signals are held while the table changes, so that the handler never sees half an entry.
class SignalsHeld
{
  public:
    SignalsHeld()
    {
        sigset_t all;
        sigfillset(&all);
        sigprocmask(SIG_BLOCK, &all, &old_);
    }
    ~SignalsHeld() { sigprocmask(SIG_SETMASK, &old_, nullptr); }

  private:
    sigset_t old_;
};

// The streams open now with the text a signal writes to them last (set_interrupted_marker).
struct StreamMarker {
    volatile sig_atomic_t fd; // -1: free
    const char *volatile text;
};
StreamMarker g_streams[kMaxTemps] = {{-1, nullptr}, {-1, nullptr}, {-1, nullptr}, {-1, nullptr},
                                     {-1, nullptr}, {-1, nullptr}, {-1, nullptr}, {-1, nullptr},
                                     {-1, nullptr}, {-1, nullptr}, {-1, nullptr}, {-1, nullptr},
                                     {-1, nullptr}, {-1, nullptr}, {-1, nullptr}, {-1, nullptr}};

void remember_stream(int fd, const char *text)
{
    SignalsHeld held;
    for (auto &m : g_streams)
        if (m.fd < 0) {
            m.text = text;
            m.fd = fd;
            return;
        }
}

void forget_stream(int fd)
{
    SignalsHeld held;
    for (auto &m : g_streams)
        if (m.fd == fd)
            m.fd = -1;
}

bool remember_temp(const std::string &path)
{
    if (path.size() >= PATH_MAX)
        return false;
    SignalsHeld held;
    for (int i = 0; i < kMaxTemps; i++)
        if (!g_temp_used[i]) {
            std::memcpy(g_temps[i], path.c_str(), path.size() + 1);
            g_temp_used[i] = 1;
            return true;
        }
    return false;
}

void forget_temp(const std::string &path)
{
    SignalsHeld held;
    for (int i = 0; i < kMaxTemps; i++)
        if (g_temp_used[i] && path == g_temps[i])
            g_temp_used[i] = 0;
}

void write_stderr(const char *text)
{
    ssize_t ignored = write(STDERR_FILENO, text, std::strlen(text));
    (void)ignored;
}

// Only async-signal-safe calls: unlink, write, _exit.
void on_signal(int sig)
{
    for (int i = 0; i < kMaxTemps; i++)
        if (g_temp_used[i])
            unlink(g_temps[i]);
    if (sig != SIGPIPE) /* a reader that went away reads nothing more */
        for (const auto &m : g_streams)
            if (m.fd >= 0 && m.text) {
                ssize_t ignored = write(m.fd, m.text, std::strlen(m.text));
                (void)ignored;
            }
    if (sig != SIGPIPE) {
        write_stderr(sig == SIGINT    ? "rmesim: interrupted (SIGINT)"
                     : sig == SIGTERM ? "rmesim: terminated (SIGTERM)"
                                      : "rmesim: hung up (SIGHUP)");
        write_stderr(": the run did not finish and its files were not written (a stream to a pipe "
                     "or device ends where it stopped)\n");
    }
    _exit(128 + sig);
}

std::string errno_text(const std::string &path)
{
    return "cannot write " + path + ": " + std::strerror(errno);
}

// What makes two paths the same file: device and inode when it exists, else the absolute path
// with its directory resolved.
struct FileIdentity {
    bool exists = false;
    dev_t dev = 0;
    ino_t ino = 0;
    std::string path;
    bool operator==(const FileIdentity &o) const
    {
        return exists == o.exists && (exists ? dev == o.dev && ino == o.ino : path == o.path);
    }
};

FileIdentity identity_of(const std::string &path)
{
    FileIdentity id;
    struct stat st;
    if (stat(path.c_str(), &st) == 0) {
        id.exists = true;
        id.dev = st.st_dev;
        id.ino = st.st_ino;
        return id;
    }
    namespace fs = std::filesystem;
    std::error_code ec;
    fs::path p = fs::absolute(path, ec).lexically_normal();
    fs::path dir = fs::weakly_canonical(p.parent_path(), ec);
    id.path = (ec ? p.parent_path() : dir) / p.filename();
    return id;
}

bool is_dev_null(const std::string &path)
{
    struct stat a, b;
    return stat(path.c_str(), &a) == 0 && stat("/dev/null", &b) == 0 && S_ISCHR(a.st_mode) &&
           a.st_rdev == b.st_rdev;
}

} // namespace

// The stream writes through these, so that the reason of the first failed write is kept (stdio
// keeps only that one failed).
ssize_t OutputFile::cookie_write(void *self, const char *data, size_t size)
{
    auto *out = static_cast<OutputFile *>(self);
    size_t done = 0;
    while (done < size) {
        ssize_t n = ::write(out->fd_, data + done, size - done);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            if (!out->first_error_)
                out->first_error_ = n < 0 ? errno : EIO;
            return done ? ssize_t(done) : -1;
        }
        done += size_t(n);
    }
    return ssize_t(done);
}

int OutputFile::cookie_close(void *self)
{
    auto *out = static_cast<OutputFile *>(self);
    int rc = ::close(out->fd_);
    if (rc != 0 && !out->first_error_)
        out->first_error_ = errno;
    out->fd_ = -1;
    return rc;
}

bool OutputFile::attach(int fd)
{
    fd_ = fd;
    first_error_ = 0;
    cookie_io_functions_t io = {nullptr, cookie_write, nullptr, cookie_close};
    file_ = fopencookie(this, "w", io);
    if (!file_) {
        fd_ = -1;
        return false;
    }
    if (!buffer_)
        buffer_.reset(new char[kBufferBytes]);
    std::setvbuf(file_, buffer_.get(), _IOFBF, kBufferBytes);
    return true;
}

bool OutputFile::open(const std::string &path, std::string &error)
{
    discard();
    path_ = path;
    /* a symlink is written through: the file it names is replaced, the link stays */
    struct stat st;
    char target[PATH_MAX];
    if (lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode) && realpath(path.c_str(), target))
        path_ = target;
    bool in_place = stat(path_.c_str(), &st) == 0 && !S_ISREG(st.st_mode);
    if (in_place) {
        int fd = ::open(path.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
        if (fd < 0 || !attach(fd)) {
            error = errno_text(path);
            if (fd >= 0)
                ::close(fd);
            return false;
        }
        return true;
    }
    namespace fs = std::filesystem;
    fs::path p(path_); /* the temporary file goes beside the file it replaces */
    if (p.filename().empty()) {
        error = "cannot write " + path + ": not a file name";
        return false;
    }
    std::string temp =
        (p.parent_path() / ("." + p.filename().string() + "." + std::to_string(getpid()) + ".tmp"))
            .string();
    if (!remember_temp(temp)) {
        error = "cannot write " + path + ": too many outputs, or the path is too long";
        return false;
    }
    /* O_EXCL: never follow a link someone left at the temporary name */
    int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
    if (fd < 0 || !attach(fd)) {
        error = errno_text(path); /* the temporary file's directory is the file's */
        if (fd >= 0) {
            ::close(fd);
            unlink(temp.c_str());
        }
        forget_temp(temp);
        return false;
    }
    temp_ = temp;
    return true;
}

bool OutputFile::commit(std::string &error)
{
    if (!file_) {
        error = "cannot write " + path_ + ": it was not opened";
        return false;
    }
    /* the stream's error flag is sticky, and first_error_ holds why its first write failed */
    bool failed = std::fflush(file_) != 0 || std::ferror(file_);
    forget_stream(fd_); /* complete: no marker, and the descriptor is about to close */
    failed = std::fclose(file_) != 0 || failed;
    file_ = nullptr;
    int err = failed ? (first_error_ ? first_error_ : EIO) : 0;
    if (!err && !temp_.empty() && std::rename(temp_.c_str(), path_.c_str()) != 0)
        err = errno;
    if (err) {
        error = "cannot write " + path_ + ": " + std::strerror(err);
        discard();
        return false;
    }
    forget_temp(temp_);
    temp_.clear();
    return true;
}

void OutputFile::set_interrupted_marker(const char *marker)
{
    if (file_ && temp_.empty() && fd_ >= 0)
        remember_stream(fd_, marker);
}

void OutputFile::discard()
{
    if (file_) {
        forget_stream(fd_);
        std::fclose(file_);
        file_ = nullptr;
    }
    if (!temp_.empty()) {
        unlink(temp_.c_str());
        forget_temp(temp_);
        temp_.clear();
    }
}

std::string check_output_paths(const std::vector<std::pair<std::string, std::string>> &outputs,
                               const std::vector<std::string> &inputs)
{
    std::vector<std::pair<const std::pair<std::string, std::string> *, FileIdentity>> seen;
    for (const auto &out : outputs) {
        if (out.second.empty())
            return out.first + ": an empty file name";
        if (is_dev_null(out.second))
            continue;
        FileIdentity id = identity_of(out.second);
        for (const std::string &in : inputs)
            if (identity_of(in) == id)
                return out.first + " " + out.second + " is the input " + in +
                       ": it would be overwritten";
        for (const auto &s : seen)
            if (s.second == id)
                return s.first->first + " " + s.first->second + " and " + out.first + " " +
                       out.second + " are the same file";
        seen.push_back({&out, id});
    }
    return "";
}

void install_output_signal_handlers()
{
    struct sigaction sa;
    std::memset(&sa, 0, sizeof sa);
    sa.sa_handler = on_signal;
    sigfillset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP, SIGPIPE})
        sigaction(sig, &sa, nullptr);
    signal(SIGXFSZ, SIG_IGN);
}

} // namespace rmesim
