// The ELF runner (a64_elf_run.hpp) on its own program, elf_sample.S, built four ways: what the
// core writes and the status it ends with are what qemu-aarch64 gives for the same file.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <sys/wait.h>
#include <unistd.h>

#include "a64_elf_run.hpp"
#include "a64_tools.hpp"

namespace
{

struct Qemu {
    std::string out;
    int status = -1;
};

Qemu run_qemu(const std::string &elf)
{
    Qemu q;
    std::string cmd = "ulimit -c 0; exec qemu-aarch64 " + elf + " 2>/dev/null";
    FILE *p = popen(cmd.c_str(), "r");
    char buf[4096];
    size_t n;
    while (p && (n = fread(buf, 1, sizeof buf, p)) > 0)
        q.out.append(buf, n);
    int st = p ? pclose(p) : -1;
    q.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    return q;
}

TEST(A64Elf, SampleProgramsEndAsUnderQemu)
{
    A64_REQUIRE_TOOLS("aarch64-linux-gnu-gcc", "qemu-aarch64");
    char tmpl[] = "/tmp/rmesim-a64elf-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    const int want_status[4] = {3, 135, 132, 139};
    for (int v = 0; v < 4; v++) {
        std::string elf = std::string(tmpl) + "/sample" + std::to_string(v);
        std::string cc = "aarch64-linux-gnu-gcc -nostdlib -static -DVARIANT=" + std::to_string(v) +
                         " -o " + elf + " " + A64_SOURCE_DIR + "/elf_sample.S";
        ASSERT_EQ(std::system(cc.c_str()), 0) << cc;
        Qemu q = run_qemu(elf);
        a64test::ElfRun r = a64test::run_elf(elf, 100000);
        ASSERT_EQ(r.error, "") << "variant " << v;
        EXPECT_EQ(r.out, q.out) << "variant " << v;
        EXPECT_EQ(r.status, q.status) << "variant " << v << ": " << r.fault;
        EXPECT_EQ(r.status, want_status[v]);
        EXPECT_EQ(r.out, "hello from EL0\ncalls checked\n");
        EXPECT_EQ(r.fault.empty(), v == 0) << r.fault;
    }
    std::filesystem::remove_all(tmpl);
}

TEST(A64Elf, BadFilesAreRefused)
{
    char tmpl[] = "/tmp/rmesim-a64elf-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    std::string path = std::string(tmpl) + "/not-elf";
    FILE *f = std::fopen(path.c_str(), "w");
    ASSERT_NE(f, nullptr);
    std::fputs("#!/bin/sh\n", f);
    std::fclose(f);
    EXPECT_EQ(a64test::run_elf(path, 10).error, path + ": not an ELF file");
    EXPECT_NE(a64test::run_elf(std::string(tmpl) + "/missing", 10).error, "");
    std::filesystem::remove_all(tmpl);
}

} // namespace
