// `rmesim exec` (model/a64_program.hpp): tiny EL0 programs made in the test (instruction words
// from aarch64-linux-gnu-as, each commented), run as a user runs them; the system calls' results,
// every way a program ends (exit, each signal, the instruction limit), --stats, and the refusal
// of bad images and bad usage with exit status 2.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "elf_builder.hpp"
#include "vcd_reader.hpp"

namespace
{

struct Exec {
    int status;
    std::string out, err;
};

Exec rmesim_exec(const std::string &args)
{
    std::string out = test_dir() + "exec.out", err = test_dir() + "exec.err";
    int rc =
        std::system((std::string(RMESIM_BIN) + " exec " + args + " >" + out + " 2>" + err).c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out), slurp(err)};
}

std::string write_file(const std::string &name, const std::vector<uint8_t> &bytes)
{
    std::string path = test_dir() + name;
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char *>(bytes.data()), long(bytes.size()));
    return path;
}

// A program: its text at 0x400000 (R+X, the entry), "hi\n" at 0x411000 (R+W).
std::string program(const std::string &name, const std::vector<uint32_t> &text)
{
    return write_file(name + ".elf",
                      build_elf(0x400000, {{0x400000, 5, words(text), 0},
                                           {0x411000, 6, {'h', 'i', '\n'}, 0x1000}}));
}

// The instructions the programs share.
constexpr uint32_t kX1Data[] = {0xd2a00821, 0xf2820001}; // mov x1, #0x410000; movk x1, #0x1000
constexpr uint32_t MOV_X8_64 = 0xd2800808, MOV_X8_93 = 0xd2800ba8, SVC_0 = 0xd4000001;

} // namespace

TEST(Exec, WriteToStdoutThenExit)
{
    std::string elf = program("hello", {kX1Data[0], kX1Data[1], 0xd2800020, /* mov x0, #1 */
                                        0xd2800062,                         /* mov x2, #3 */
                                        MOV_X8_64, SVC_0, 0xd2800060,       /* mov x0, #3 */
                                        MOV_X8_93, SVC_0});
    Exec r = rmesim_exec(elf);
    EXPECT_EQ(r.status, 3);
    EXPECT_EQ(r.out, "hi\n");
    EXPECT_EQ(r.err.find("rmesim"), std::string::npos) << r.err; /* nothing of the runner's */
}

// The result of a call is in x0; each program exits with it (status x0 & 0xff).
TEST(Exec, SystemCallErrors)
{
    struct {
        const char *name;
        std::vector<uint32_t> text;
        int status;
    } cases[] = {
        /* write(2, data, 3): only fd 1 exists -> -EBADF (-9) */
        {"ebadf",
         {0xd2800040 /* mov x0, #2 */, kX1Data[0], kX1Data[1], 0xd2800062 /* mov x2, #3 */,
          MOV_X8_64, SVC_0, MOV_X8_93, SVC_0},
         256 - 9},
        /* syscall 1234 -> -ENOSYS (-38) */
        {"enosys", {0xd2809a48 /* mov x8, #1234 */, SVC_0, MOV_X8_93, SVC_0}, 256 - 38},
        /* write(1, 0x10, 4): unmapped -> -EFAULT (-14), nothing written */
        {"efault",
         {0xd2800020 /* mov x0, #1 */, 0xd2800201 /* mov x1, #0x10 */, 0xd2800082 /* mov x2, #4 */,
          MOV_X8_64, SVC_0, MOV_X8_93, SVC_0},
         256 - 14},
    };
    for (auto &c : cases) {
        Exec r = rmesim_exec(program(c.name, c.text));
        EXPECT_EQ(r.status, c.status) << c.name << ": " << r.err;
        EXPECT_EQ(r.out, "") << c.name;
    }
}

// A buffer that runs off the end of the mapped memory: the bytes before the first unreadable one
// are written and counted (as Linux's write after a partial copy_from_user).
TEST(Exec, WriteStopsAtTheFirstUnreadableByte)
{
    std::string elf = program("partial", {0xd2a00821, /* mov x1, #0x410000 */
                                          0xf283ffc1, /* movk x1, #0x1ffe */
                                          0xd2800020, /* mov x0, #1 */
                                          0xd2800142, /* mov x2, #10 */
                                          MOV_X8_64, SVC_0, MOV_X8_93, SVC_0});
    Exec r = rmesim_exec(elf);
    EXPECT_EQ(r.status, 2) << r.err;
    EXPECT_EQ(r.out, std::string(2, '\0'));
}

// Doubleword reads where aligned, bytes at the edges: 13 bytes from 0x411000 + 3.
TEST(Exec, WriteOfAnUnalignedBuffer)
{
    std::vector<uint8_t> data(32);
    for (unsigned i = 0; i < data.size(); i++)
        data[i] = uint8_t('a' + i % 26);
    std::string elf = write_file("unaligned.elf",
                                 build_elf(0x400000, {{0x400000, 5,
                                                       words({0xd2a00821, /* mov x1, #0x410000 */
                                                              0xf2820061, /* movk x1, #0x1003 */
                                                              0xd2800020, /* mov x0, #1 */
                                                              0xd28001a2, /* mov x2, #13 */
                                                              MOV_X8_64, SVC_0, MOV_X8_93, SVC_0}),
                                                       0},
                                                      {0x411000, 6, data, 0}}));
    std::string stats = test_dir() + "unaligned.json";
    Exec r = rmesim_exec(elf + " --stats " + stats);
    EXPECT_EQ(r.status, 13) << r.err;
    EXPECT_EQ(r.out, "defghijklmnop");
    /* 8 instruction fetches, then 5 byte reads (0x411003..7) and one doubleword (0x411008) */
    EXPECT_NE(slurp(stats).find("\"ns_el10\":{\"accesses\":14,"), std::string::npos);
}

// Every other exception from EL0 ends the program with 128 + the signal Linux sends.
TEST(Exec, ExceptionsEndTheProgramWithLinuxSignals)
{
    struct {
        const char *name;
        std::vector<uint32_t> text;
        int status;
        const char *message;
    } cases[] = {
        /* EC 0x24 (data abort from EL0), IL, DFSC 0x06: the level-2 table that maps 0x400000
         * has no entry for 0x10 */
        {"load-unmapped",
         {0xd2800201 /* mov x1, #0x10 */, 0xf9400020 /* ldr x0, [x1] */},
         139,
         "translation fault at pc 0x400004 (ESR_EL1 0x92000006, FAR_EL1 0x10): SIGSEGV"},
        /* DFSC 0x04: VA[63:48] not zero is outside TTBR0's 48-bit range (T0SZ 16) */
        {"load-beyond-va-range",
         {0xd2e00021 /* mov x1, #0x1000000000000 */, 0xf9400020 /* ldr x0, [x1] */},
         139,
         "translation fault at pc 0x400004 (ESR_EL1 0x92000004, FAR_EL1 0x1000000000000): SIGSEGV"},
        /* WnR set, DFSC 0x0F: permission fault at level 3 (the text page is read-only) */
        {"store-to-text",
         {0x10000001 /* adr x1, . */, 0xf9000020 /* str x0, [x1] */},
         139,
         "permission fault at pc 0x400004 (ESR_EL1 0x9200004f, FAR_EL1 0x400000): SIGSEGV"},
        /* EC 0x20 (instruction abort from EL0): the data page is UXN */
        {"execute-data",
         {kX1Data[0], kX1Data[1], 0xd61f0020 /* br x1 */},
         139,
         "permission fault at pc 0x411000 (ESR_EL1 0x8200000f, FAR_EL1 0x411000): SIGSEGV"},
        {"udf", {0x00000000 /* udf #0 */}, 132, "undefined instruction at pc 0x400000"},
        {"brk", {0xd4200000 /* brk #0 */}, 133, "BRK at pc 0x400000 (ESR_EL1 0xf2000000): SIGTRAP"},
        {"pc-alignment",
         {0xd2a00801 /* mov x1, #0x400000 */, 0xf2800041 /* movk x1, #0x2 */,
          0xd61f0020 /* br x1 */},
         135,
         "PC alignment fault at pc 0x400002"},
    };
    for (auto &c : cases) {
        Exec r = rmesim_exec(program(c.name, c.text));
        EXPECT_EQ(r.status, c.status) << c.name;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.name << ": " << r.err;
    }
}

TEST(Exec, InstructionLimitEndsARunawayProgram)
{
    std::string elf = program("loop", {0x14000000 /* b . */});
    Exec r = rmesim_exec(elf + " --max-instructions 1000");
    EXPECT_EQ(r.status, 152);
    EXPECT_NE(r.err.find("ran 1000 instructions without ending (--max-instructions), stopped "
                         "at pc 0x400000: status 152 (SIGXCPU)"),
              std::string::npos)
        << r.err;
}

TEST(Exec, StatsCountInstructionsAndTheTranslations)
{
    std::string elf = program("stats", {0xd2800060 /* mov x0, #3 */, MOV_X8_93, SVC_0});
    std::string stats = test_dir() + "exec-stats.json";
    Exec r = rmesim_exec(elf + " --stats " + stats);
    EXPECT_EQ(r.status, 3);
    std::string json = slurp(stats);
    EXPECT_NE(json.find("\"instructions\":3,"), std::string::npos) << json;
    EXPECT_NE(json.find("\"end\":\"exit\",\"status\":3"), std::string::npos) << json;
    /* three fetches from one page: one TLB miss (a walk of 4 levels), then two hits */
    EXPECT_NE(json.find("\"lookups\":3,\"l1_hits\":2,\"l2_hits\":0,\"misses\":1"),
              std::string::npos)
        << json;
    EXPECT_NE(json.find("\"exceptions_by_class\":{\"SVC64\":1}"), std::string::npos) << json;
}

// --log: the event log of the run, a line per record
TEST(Exec, LogHasEveryAccessExceptionAndReturn)
{
    std::string elf = program("logged", {kX1Data[0], kX1Data[1], 0xd2800020, /* mov x0, #1 */
                                         0xd2800062,                         /* mov x2, #3 */
                                         MOV_X8_64, SVC_0, 0xd2800060,       /* mov x0, #3 */
                                         MOV_X8_93, SVC_0});
    std::string log = test_dir() + "exec.log";
    Exec r = rmesim_exec(elf + " --log " + log);
    EXPECT_EQ(r.status, 3);
    std::string text = slurp(log);
    auto count = [&](const std::string &what) {
        size_t n = 0;
        for (size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1))
            n++;
        return n;
    };
    EXPECT_EQ(count("{\"record\":\"access\""), 12u); /* 9 fetches, write's 3 byte reads */
    EXPECT_EQ(count("\"op\":\"fetch\""), 9u);
    EXPECT_EQ(count("\"ec\":\"SVC64\""), 2u);
    EXPECT_EQ(count("{\"record\":\"eret\""), 1u); /* exit does not return */
    /* each fetch names its instruction; write's reads are the C++ handler's, no instruction's */
    EXPECT_NE(text.find("\"pc\":\"0x400014\",\"insn\":\"svc\\t#0x0\""), std::string::npos) << text;
    EXPECT_NE(text.find("\"op\":\"load\",\"size\":1,\"va\":\"0x411002\",\"ipa\""),
              std::string::npos)
        << text;
    Exec bad = rmesim_exec(elf + " --log /nonexistent/dir/x.log");
    EXPECT_EQ(bad.status, 2);
    EXPECT_NE(bad.err.find("rmesim: cannot write /nonexistent/dir/x.log: No such file"),
              std::string::npos);
}

TEST(Exec, AStatsFileThatCannotBeWrittenIsExitTwo)
{
    std::string elf = program("stats-nowhere", {0xd2800060 /* mov x0, #3 */, MOV_X8_93, SVC_0});
    Exec r = rmesim_exec(elf + " --stats /nonexistent/dir/s.json");
    EXPECT_EQ(r.status, 2);
    EXPECT_NE(r.err.find("rmesim: cannot write /nonexistent/dir/s.json: No such file or "
                         "directory"),
              std::string::npos)
        << r.err;
}

TEST(Exec, BadImagesAndUsageExitTwo)
{
    std::vector<uint8_t> not_aarch64 = build_elf(0x400000, {{0x400000, 5, words({0}), 0}});
    put_le(not_aarch64, 18, 62, 2);
    std::string x86 = write_file("x86.elf", not_aarch64);
    struct {
        std::string args, message;
    } cases[] = {
        {x86, "rmesim: " + x86 + ": not an AArch64 file (e_machine 62"},
        {test_dir() + "none.elf", "none.elf: cannot open: No such file or directory"},
        {"", "rmesim: no ELF file given"},
        {x86 + " " + x86, "exec takes one ELF file, 2 given"},
        {x86 + " --max-instructions 0", "--max-instructions takes a positive decimal number"},
        {x86 + " --max-instructions 12x", "--max-instructions takes a positive decimal number"},
        {x86 + " --vcd t.vcd", "--vcd: exec does not write traces"},
    };
    for (auto &c : cases) {
        Exec r = rmesim_exec(c.args);
        EXPECT_EQ(r.status, 2) << c.args;
        EXPECT_NE(r.err.find(c.message), std::string::npos) << c.args << ": " << r.err;
        EXPECT_EQ(r.out, "") << c.args;
    }
}

// Images that are well formed but do not fit the runner's machine: refused before running.
TEST(Exec, ImagesThatDoNotFitExitTwo)
{
    const std::vector<uint8_t> text = words({0x14000000 /* b . */});
    std::string beyond = write_file(
        "beyond.elf", build_elf(0x400000, {{0x400000, 5, text, 0}, {1ull << 48, 6, {1}, 0}}));
    std::string on_stack =
        write_file("on-stack.elf",
                   build_elf(0x400000, {{0x400000, 5, text, 0}, {0xFFFF'FFFE'8000ull, 6, {1}, 0}}));
    std::string huge = write_file(
        "huge.elf",
        build_elf(0x400000, {{0x400000, 5, text, 0}, {0x1000'0000, 6, {1}, 300ull << 20}}));
    /* 300 one-page segments 2 MiB apart: a level-3 table each, more than the 256 pages the
     * tables have */
    std::vector<TestSegment> sparse = {{0x400000, 5, text, 0}};
    for (uint64_t i = 1; i <= 300; i++)
        sparse.push_back({0x400000 + (i << 21), 6, {1}, 0});
    std::string tables = write_file("sparse.elf", build_elf(0x400000, sparse));
    struct {
        std::string elf, message;
    } cases[] = {
        {beyond, beyond + ": the PT_LOAD at 0x1000000000000 is outside the program's address "
                          "range (below 0xfffffffe0000)"},
        {on_stack, on_stack + ": the PT_LOAD at 0xfffffffe8000 is outside the program's address "
                              "range (below 0xfffffffe0000)"},
        {huge, huge + ": the program does not fit in 256 MiB of DRAM"},
        {tables, tables + ": no room for the translation tables"},
    };
    for (auto &c : cases) {
        Exec r = rmesim_exec(c.elf);
        EXPECT_EQ(r.status, 2) << c.elf;
        EXPECT_NE(r.err.find("rmesim: " + c.message), std::string::npos) << r.err;
    }
}
