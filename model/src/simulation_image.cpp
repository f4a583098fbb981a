// Realms that run the code of an ELF image (image: FILE): the image read and checked before the
// run, laid out for the host to load with RMI_DATA_CREATE (measured, as KVM's VMM populates a
// realm), and run steps on its vCPUs, each an A64 core (model/a64_vcpu.hpp).
#include <algorithm>
#include <cinttypes>
#include <cstring>

#include "model/elf_image.hpp"
#include "model/simulation.hpp"
#include "model/text.hpp"

namespace rmesim
{

namespace
{
// A path as the scenario wrote it, relative to the scenario file's directory
std::string beside(const std::string &scenario, const std::string &path)
{
    if (!path.empty() && path[0] == '/')
        return path;
    size_t slash = scenario.rfind('/');
    return slash == std::string::npos ? path : scenario.substr(0, slash + 1) + path;
}
} // namespace

// Reads the realm's image, checks that every segment lies in its RAM, and lays the segments out
// from the first one's page to the last one's end (the span the host populates page by page).
bool Simulation::load_image(RealmState &rs, std::string &error)
{
    const scn_realm &c = *rs.cfg;
    if (!c.image_file)
        return true;
    std::string where =
        fmt("%s:%u:%u: realm '%s' image", s_.file, c.image_pos.line, c.image_pos.column, c.name);
    ElfImage elf;
    std::string why;
    std::string path = beside(s_.file, c.image_file);
    if (!read_elf_image(path, elf, why)) { /* the file named as the scenario names it */
        if (why.rfind(path + ": ", 0) == 0)
            why = why.substr(path.size() + 2);
        error = where + ": " + c.image_file + ": " + why;
        return false;
    }
    uint64_t lo = UINT64_MAX, hi = 0;
    for (const ElfSegment &seg : elf.segments) {
        if (seg.memsz == 0)
            continue;
        if (seg.vaddr < c.ram_ipa || seg.vaddr - c.ram_ipa >= c.ram_size ||
            seg.memsz > c.ram_ipa + c.ram_size - seg.vaddr) {
            error = fmt("%s: %s: a segment [%s, %s) lies outside the realm's RAM [%s, %s)",
                        where.c_str(), c.image_file, hex(seg.vaddr).c_str(),
                        hex(seg.vaddr + seg.memsz).c_str(), hex(c.ram_ipa).c_str(),
                        hex(c.ram_ipa + c.ram_size).c_str());
            return false;
        }
        lo = std::min<uint64_t>(lo, seg.vaddr & ~0xFFFull);
        hi = std::max<uint64_t>(hi, (seg.vaddr + seg.memsz + 0xFFF) & ~0xFFFull);
    }
    if (hi <= lo) {
        error = where + ": " + c.image_file + ": no segment has any bytes";
        return false;
    }
    rs.image.assign(hi - lo, 0);
    for (const ElfSegment &seg : elf.segments)
        std::copy(seg.bytes.begin(), seg.bytes.end(), rs.image.begin() + long(seg.vaddr - lo));
    rs.image_ipa = lo;
    rs.entry = elf.entry;
    for (unsigned v = 0; v < c.vcpus; v++)
        rs.a64.push_back(std::make_unique<A64Vcpu>(c.name, v, *platform_));
    return true;
}

// run: the vCPU runs its code until the step's goal (an instruction count, a PC, a text in the
// devices' output), an idle WFI,
// or a REC exit the host does not come back from (stop_at:, SYSTEM_OFF, a refused memory fault).
void Simulation::do_run(const scn_step &step, CoreState &cs, StepResult &out)
{
    const scn_action &a = step.action;
    RealmState *built = begin_vcpu_step(step, cs, out);
    if (!built)
        return;
    RealmState &rs = *built;
    unsigned v = step.actor.vcpu;
    A64Vcpu &cpu = *rs.a64[v];
    A64Goal goal;
    goal.max_instructions = a.max_instructions;
    goal.has_pc = a.has_until_pc;
    goal.pc = a.until_pc;
    if (a.until_output) { /* the text in what the devices print from this step on */
        std::vector<size_t> before;
        for (unsigned d = 0; d < s_.platform.n_devices; d++)
            before.push_back(std::strlen(device_output(d)));
        std::string text = a.until_output;
        goal.output_reached = [this, before, text] {
            for (unsigned d = 0; d < before.size(); d++)
                if (std::strstr(device_output(d) + before[d], text.c_str()))
                    return true;
            return false;
        };
    }
    cpu.set_goal(goal);
    guest_program none{};
    RealmRun run{&cpu, v, &cs, &out};
    kvm_run_log log{};
    bool ok = run_program(rs, none, run, log, false, step.stop_at);
    observe_exits(log, -1, out);
    if (rs.stopped_by.empty())
        rs.stopped_by.resize(rs.cfg->vcpus);
    rs.stopped_by[v] = rs.kvm.pending[v] ? &step : nullptr;
    const char *end = run_end(log, rs.kvm, v);
    out.set("result", Observed::name(end ? end : "ok"));
    std::string why = cpu.ended();
    out.set("until", Observed::name(why == "trap" ? "exit" : why.empty() ? "exit" : why.c_str()));
    out.set("instructions", Observed::num(cpu.executed()));
    out.set("pc", Observed::num(cpu.state().pc));
    for (unsigned i = 0; i < 31; i++)
        out.set("gprs." + std::to_string(i), Observed::num(cpu.state().x[i]));
    if (!ok)
        note_run_failure(step, out, log, "the vCPU's run");
    kvm_run_log_free(&log);
}

} // namespace rmesim
