// What one step observed, by the same names the scenario's expectations use
// ("result", "pa", "rec_exit.reason", ...). The STEP_END record carries it to the views.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace rmesim
{

struct Observed {
    enum Kind { NUMBER, NAME, BOOL, STRING } kind = NUMBER;
    uint64_t number = 0;
    std::string text; // NAME (canonical spelling) or STRING
    bool flag = false;

    static Observed num(uint64_t v) { return {NUMBER, v, {}, false}; }
    static Observed name(const std::string &s) { return {NAME, 0, s, false}; }
    static Observed boolean(bool b) { return {BOOL, 0, {}, b}; }
    static Observed str(const std::string &s) { return {STRING, 0, s, false}; }
    std::string show() const;
};

struct StepResult {
    std::string step_id;
    std::string actor, action;
    unsigned core = 0;
    unsigned index = 0; // 1.. the scenario's steps in order; 0 a realm's build
    uint64_t start_cycle = 0, cycles = 0;
    std::map<std::string, Observed> fields;
    bool errored = false; // the step could not run as written: its expectations are not judged

    void set(const std::string &path, Observed v) { fields[path] = std::move(v); }
};

// Wherever a step reports an ESR it reports its parts too: `esr`, `esr_ec`, `exception.ec` by
// name, and an abort's fault status code as `dfsc` (data) or `ifsc` (instruction); a GPC
// exception's xFSC under the one its InD bit names (Arm ARM D24.2, ESR_ELx).
void report_syndrome(StepResult &out, uint64_t esr);

} // namespace rmesim
