// rmesim run --gdb PORT: what it refuses (exit 2, with the reason), and a run nobody debugs
// (gdb-multiarch drives the server itself in tests/gdb/).
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <sstream>

#include <string>

#include "run_scenario.hpp"

namespace
{

const std::string kRealCode = std::string(SCENARIOS_DIR) + "/flows/real-code-uart.yaml";

bool has(const std::string &text, const std::string &part)
{
    return text.find(part) != std::string::npos;
}

// A socket listening on 127.0.0.1 at a port the kernel chose: that port is in use.
struct Listener {
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    unsigned port = 0;
    Listener()
    {
        sockaddr_in a{};
        a.sin_family = AF_INET;
        a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
        socklen_t n = sizeof a;
        if (bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) == 0 && listen(fd, 1) == 0 &&
            getsockname(fd, reinterpret_cast<sockaddr *>(&a), &n) == 0)
            port = ntohs(a.sin_port);
    }
    ~Listener() { close(fd); }
};

TEST(GdbCli, RefusesABadPort)
{
    for (const char *port : {"0", "65536", "12ab", "-1", "123456"}) {
        Ran r = rmesim("run " + kRealCode + " --gdb " + port);
        EXPECT_EQ(r.status, 2) << port;
        EXPECT_TRUE(has(r.output, "--gdb takes a TCP port, 1 to 65535")) << r.output;
    }
}

TEST(GdbCli, RefusesAPortInUse)
{
    Listener busy;
    ASSERT_NE(busy.port, 0u);
    Ran r = rmesim("run " + kRealCode + " --gdb " + std::to_string(busy.port));
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(has(r.output, "--gdb " + std::to_string(busy.port) + ": port " +
                                  std::to_string(busy.port) + " is in use"))
        << r.output;
    EXPECT_FALSE(has(r.output, "PASS")) << "it ran anyway:\n" << r.output;
}

TEST(GdbCli, RefusesAScenarioWithoutA64Code)
{
    Ran r = rmesim("run " SCENARIOS_DIR "/uart-mmio.yaml --gdb 1234");
    EXPECT_EQ(r.status, 2);
    EXPECT_TRUE(has(r.output, "uart-mmio.yaml: --gdb: no realm of this scenario runs A64 code"))
        << r.output;
}

TEST(GdbCli, RefusesWhatItCannotServe)
{
    struct Case {
        std::string args, message;
    };
    for (const Case &c : std::vector<Case>{
             {"explain " + kRealCode + " --step to-the-shared-read --gdb 1234",
              "--gdb: explain does not serve a debugger"},
             {"run " + kRealCode + " --gdb-wait", "--gdb-wait needs --gdb PORT"},
             {"run " + kRealCode + " " + kRealCode + " --gdb 1234",
              "--gdb takes one scenario file"},
             {"check " + kRealCode + " --gdb 1234", "--gdb: check does not serve a debugger"}}) {
        Ran r = rmesim(c.args);
        EXPECT_EQ(r.status, 2) << c.args;
        EXPECT_TRUE(has(r.output, c.message)) << c.args << ":\n" << r.output;
    }
}

// What rmesim printed without the sanitizer's notes about SystemC's coroutine stacks (the ASan
// build prints them, with a process number, on every run)
std::string without_sanitizer_notes(const std::string &text)
{
    std::string out, line;
    std::istringstream in(text);
    while (std::getline(in, line))
        if (line.rfind("==", 0) != 0 && line != "False positive error reports may follow" &&
            line.rfind("For details see https://github.com/google/sanitizers/", 0) != 0)
            out += line + "\n";
    return out;
}

// Without --gdb-wait and without a debugger the run goes on as without --gdb: the same output
TEST(GdbCli, ARunNobodyDebugsIsTheSame)
{
    Ran plain = rmesim("run " + kRealCode);
    Ran served{};
    for (int attempt = 0; attempt < 5; attempt++) { /* another may take the port meanwhile */
        Listener free_port; /* a port the kernel gave, released for rmesim */
        unsigned port = free_port.port;
        close(free_port.fd);
        free_port.fd = -1;
        served = rmesim("run " + kRealCode + " --gdb " + std::to_string(port));
        if (!has(served.output, "is in use"))
            break;
    }
    EXPECT_EQ(plain.status, 0) << plain.output;
    EXPECT_EQ(served.status, 0) << served.output;
    EXPECT_EQ(without_sanitizer_notes(plain.output), without_sanitizer_notes(served.output));
}

} // namespace
