// The files a run writes (--vcd and its save file, --log, --stats): never left half-written and
// never lost without a word.
//
// A regular file (or a path that does not exist yet) is written to a temporary file beside it,
// `.NAME.PID.tmp`, renamed into place when complete: an existing output stays as it was until
// there is a whole one to replace it, and an interrupted run leaves nothing behind. A path that
// is not a regular file (/dev/stdout, a pipe, a FIFO, /dev/null) cannot be renamed into, so it
// is written in place, as a stream. Every write is checked when the file is completed (the
// stream's error flag is sticky) and the close too: a failure names the file and errno.
#ifndef MODEL_OUTPUT_FILE_HPP
#define MODEL_OUTPUT_FILE_HPP

#include <sys/types.h>

#include <cstdio>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace rmesim
{

class OutputFile
{
  public:
    OutputFile() = default;
    OutputFile(const OutputFile &) = delete;
    OutputFile &operator=(const OutputFile &) = delete;
    ~OutputFile() { discard(); }

    // Creates the temporary file (or opens the stream); "cannot write PATH: reason" otherwise.
    bool open(const std::string &path, std::string &error);
    FILE *file() const { return file_; }
    bool is_open() const { return file_ != nullptr; }
    const std::string &path() const { return path_; }

    // For an output written in place (a stream): the text a signal that ends the run writes
    // to it last, so that the reader sees the stream was cut ("" for none; a literal, which
    // must outlive the file). It starts with a newline to end a record cut halfway.
    void set_interrupted_marker(const char *marker);

    // Flushes and closes, checking both, and renames the temporary file into place.
    bool commit(std::string &error);
    // Closes and removes the temporary file: nothing of this output is left (a stream ends).
    void discard();

  private:
    static ssize_t cookie_write(void *self, const char *data, size_t size);
    static int cookie_close(void *self);
    bool attach(int fd);

    std::string path_, temp_; // temp_ empty: written in place
    FILE *file_ = nullptr;    // a stream over fd_ that keeps the first write's errno
    int fd_ = -1;
    // the stream's buffer: a log of hundreds of MB was a write(2) per 4 KB (stdio's default)
    static constexpr size_t kBufferBytes = 256 * 1024;
    std::unique_ptr<char[]> buffer_;
    int first_error_ = 0;
};

// A command's outputs, named by the option that gives them, checked against each other, against
// the command's inputs and against their sidecar files before anything is opened: no two may be
// the same file (by path, or by device and inode when it exists), except the bit bucket
// /dev/null. Returns "" or the reason, naming the options.
std::string check_output_paths(const std::vector<std::pair<std::string, std::string>> &outputs,
                               const std::vector<std::string> &inputs);

// In the process that writes the outputs: SIGINT, SIGTERM and SIGHUP remove every temporary file
// still open, write each stream's interrupted marker, say so, and end the process with
// 128 + the signal; SIGPIPE (a reader that went
// away: `rmesim explain ... | head`) does the same without a word; SIGXFSZ is ignored, so that a
// write past the file size limit fails with EFBIG and is reported like any other.
void install_output_signal_handlers();

} // namespace rmesim

#endif
