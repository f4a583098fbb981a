// Run a scenario through the rmesim command, as a user does: its exit status and everything it
// printed.
#pragma once

#include <sys/wait.h>

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <string>

#include "vcd_reader.hpp"

struct Ran {
    int status;
    std::string output;
};

// `rmesim ARGS` as a user runs it
inline Ran rmesim(const std::string &args)
{
    std::string out = test_dir() + "rmesim.out";
    int rc = std::system((std::string(RMESIM_BIN) + " " + args + " > " + out + " 2>&1").c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, slurp(out)};
}

// `rmesim run` (or `command`) of the scenario `yaml` (written to NAME.yaml in the test directory), with
// `options` after the file
inline Ran run_scenario(const std::string &name, const std::string &yaml,
                        const std::string &options = "", const std::string &command = "run")
{
    std::string path = test_dir() + name + ".yaml";
    {
        std::ofstream f(path);
        f << yaml;
    }
    return rmesim(command + " " + path + " " + options);
}

// The platform and realm most tests need: 1GB of DRAM, realm r0 with 16MB of RAM at IPA
// 0x8000_0000 in a 40-bit IPA space (its steps start on line 9)
inline std::string one_realm_header(const std::string &name)
{
    return "scenario: " + name + "\nplatform:\n  pa_bits: 40\n  memory:\n" +
           "    - { name: dram, base: 0x8000_0000, size: 1G }\n" +
           "realms:\n  - { name: r0, ipa_bits: 40, vcpus: 1, ram: { ipa: 0x8000_0000, " +
           "size: 16M } }\nsteps:\n";
}

// A scenario of realm r0 (one_realm_header) with these steps (and expectations after them)
inline Ran run_one_realm_scenario(const std::string &name, const std::string &steps)
{
    return run_scenario(name, one_realm_header(name) + steps);
}

// The run ended with `status` and printed `message`.
inline ::testing::AssertionResult ended_with(const Ran &r, int status, const std::string &message)
{
    if (r.status == status && r.output.find(message) != std::string::npos)
        return ::testing::AssertionSuccess();
    return ::testing::AssertionFailure() << "exit status " << r.status << ", expected " << status
                                         << " and \"" << message << "\" in:\n"
                                         << r.output;
}

// The run failed its expectations (exit status 1) and printed `message`
inline ::testing::AssertionResult failed_with(const Ran &r, const std::string &message)
{
    return ended_with(r, 1, message);
}

// The scenario could not run as written (exit status 2: not an expectation) and printed `message`
inline ::testing::AssertionResult errored_with(const Ran &r, const std::string &message)
{
    return ended_with(r, 2, message);
}
