// The GDB remote protocol server for realm vCPUs running A64 code (GDB manual, "Remote
// Protocol": "Packets", "Stop Reply Packets", "General Query Packets", "Target Description
// Format" for org.gnu.gdb.aarch64.core, whose register order x0-x30, sp, pc, cpsr `g` follows).
#include "model/gdb_server.hpp"

#include <algorithm>
#include <cinttypes>
#include <cstdio>
#include <cstring>

#include "model/platform.hpp"
#include "model/text.hpp"

extern "C" {
#include "mmu/mmu.h"
}

namespace rmesim
{

namespace
{
constexpr int kSigInt = 2, kSigTrap = 5;
constexpr unsigned kRegisters = 34; // x0-x30, sp, pc, cpsr

// The target description: aarch64's core feature (GDB's features/aarch64-core.xml layout).
std::string target_xml()
{
    std::string x = "<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n"
                    "<target version=\"1.0\">\n<architecture>aarch64</architecture>\n"
                    "<feature name=\"org.gnu.gdb.aarch64.core\">\n";
    for (unsigned i = 0; i < 31; i++)
        x += "<reg name=\"x" + std::to_string(i) + "\" bitsize=\"64\"" +
             (i == 0 ? " regnum=\"0\"" : "") + "/>\n";
    x += "<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>\n"
         "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>\n"
         "<reg name=\"cpsr\" bitsize=\"32\"/>\n</feature>\n</target>\n";
    return x;
}

std::string hex_text(const std::string &text)
{
    return gdb_hex_bytes(text.data(), text.size());
}

// "addr,len" (and what follows a ':' in `rest`)
bool address_and_length(const std::string &args, uint64_t &addr, uint64_t &len, std::string *rest)
{
    size_t comma = args.find(','), colon = args.find(':');
    if (comma == std::string::npos)
        return false;
    std::string l = args.substr(comma + 1, colon == std::string::npos ? colon : colon - comma - 1);
    if (rest)
        *rest = colon == std::string::npos ? "" : args.substr(colon + 1);
    return gdb_parse_hex(args.substr(0, comma), addr) && gdb_parse_hex(l, len);
}

// The debugger's reads and writes of physical memory: the TLM debug path (no time, no cache,
// no contention, no records), RAM only (a device's registers would be read with effect).
mem_status debug_transfer(void *ctx, uint64_t pa, bool write, unsigned size, uint64_t *value)
{
    Platform &p = *static_cast<Platform *>(ctx);
    if (p.device_at(pa) >= 0)
        return MEM_EXTERNAL_ABORT;
    tlm::tlm_generic_payload t;
    return p.core(0).debug_word(t, pa, write, size, value);
}

mem_status debug_read(void *ctx, uint64_t pa, rme_pas, unsigned size, uint64_t *value, uint64_t *)
{
    return debug_transfer(ctx, pa, false, size, value);
}

mem_status debug_write(void *ctx, uint64_t pa, rme_pas, unsigned size, uint64_t value, uint64_t *)
{
    return debug_transfer(ctx, pa, true, size, &value);
}
} // namespace

bool GdbServer::listen(unsigned port, bool wait, std::string &error)
{
    wait_ = wait;
    return conn_.listen(port, error);
}

void GdbServer::attach(Platform &platform, ExplainPlatform explain)
{
    platform_ = &platform;
    explain_ = explain;
}

void GdbServer::add(A64Vcpu &vcpu)
{
    vcpus_.push_back(&vcpu);
    vcpu.set_debugger(this);
}

unsigned GdbServer::thread_of(const A64Vcpu &vcpu) const
{
    for (unsigned i = 0; i < vcpus_.size(); i++)
        if (vcpus_[i] == &vcpu)
            return i;
    return 0;
}

// Before each instruction of a vCPU: the debugger's arrival (waited for before the first one
// with --gdb-wait, looked for every 1024 instructions otherwise), the end of a single step, a
// breakpoint, the debugger's interrupt (looked for every 1024 instructions).
void GdbServer::before_instruction(A64Vcpu &vcpu)
{
    unsigned t = thread_of(vcpu);
    bool first = !started_;
    started_ = true;
    if (!conn_.connected()) {
        if ((first && wait_ && conn_.accept(true)) ||
            ((polls_++ & 1023) == 0 && conn_.accept(false)))
            stop(t, kSigTrap, false); /* the debugger asks why with `?` */
        return;
    }
    if (stepping_ == int(t)) {
        if (!step_begun_) { /* its one instruction, even at a breakpoint */
            step_begun_ = true;
            return;
        }
        stop(t, kSigTrap, true);
        return;
    }
    if (!breakpoints_.empty() && breakpoints_.count(vcpu.registers().pc)) {
        stop(t, kSigTrap, true);
        return;
    }
    if ((polls_++ & 1023) == 0 && conn_.interrupted())
        stop(t, kSigInt, true);
}

void GdbServer::stop(unsigned thread, int signal, bool announce)
{
    current_ = general_ = step_thread_ = thread;
    last_signal_ = signal;
    stepping_ = -1;
    if (announce)
        conn_.send(stop_reply());
    Resume how = serve();
    if (how == Resume::kDetach) {
        detach();
    } else if (how == Resume::kStep) {
        stepping_ = int(step_thread_);
        /* the stopped vCPU runs its instruction as soon as this returns */
        step_begun_ = step_thread_ == thread;
    }
}

GdbServer::Resume GdbServer::serve()
{
    std::string packet;
    while (conn_.receive(packet)) {
        bool resumed = false;
        Resume how = Resume::kContinue;
        std::string reply = answer(packet, resumed, how);
        if (resumed && how == Resume::kDetach) {
            conn_.send(reply);
            return how;
        }
        if (resumed)
            return how;
        conn_.send(reply);
        if (packet == "QStartNoAckMode")
            conn_.no_ack();
    }
    return Resume::kDetach; /* the debugger went away */
}

// A detached debugger's breakpoints go with it; the run goes on, and another may come.
void GdbServer::detach()
{
    conn_.close();
    breakpoints_.clear();
    stepping_ = -1;
}

void GdbServer::finish(int status)
{
    if (!conn_.connected())
        return;
    char reply[8];
    std::snprintf(reply, sizeof reply, "W%02x", status & 0xFF);
    conn_.send(reply);
    conn_.close();
}

std::string GdbServer::stop_reply() const
{
    char reply[48];
    std::snprintf(reply, sizeof reply, "T%02xthread:%x;", last_signal_, current_ + 1);
    return reply;
}

std::string GdbServer::answer(const std::string &p, bool &resumed, Resume &how)
{
    if (p.empty())
        return "";
    uint64_t tid = 0, n = 0;
    switch (p[0]) {
    case '?':
        return stop_reply();
    case 'g':
        return read_registers(general_);
    case 'G':
        return write_registers(general_, p.substr(1));
    case 'p':
        return gdb_parse_hex(p.substr(1), n) ? read_register(general_, unsigned(n)) : "E01";
    case 'P': {
        size_t eq = p.find('=');
        if (eq == std::string::npos || !gdb_parse_hex(p.substr(1, eq - 1), n))
            return "E01";
        return write_register(general_, unsigned(n), p.substr(eq + 1));
    }
    case 'm':
        return read_memory(p.substr(1));
    case 'M':
        return write_memory(p.substr(1));
    case 'H': { /* Hg (registers, memory) / Hc (resumption): -1 and 0 mean any thread */
        if (p.size() < 3 || (p[1] != 'g' && p[1] != 'c'))
            return "E01";
        std::string id = p.substr(2);
        if (id == "-1" || id == "0")
            return "OK";
        if (!gdb_parse_hex(id, tid) || tid == 0 || tid > vcpus_.size())
            return "E01";
        (p[1] == 'g' ? general_ : step_thread_) = unsigned(tid - 1);
        return "OK";
    }
    case 'T':
        return gdb_parse_hex(p.substr(1), tid) && tid >= 1 && tid <= vcpus_.size() ? "OK" : "E01";
    case 'c':
    case 's':
        /* an address to resume at is not supported (GDB does not send one) */
        resumed = true;
        how = p[0] == 's' ? Resume::kStep : Resume::kContinue;
        return "";
    case 'D':
        resumed = true;
        how = Resume::kDetach;
        return "OK";
    case 'k': /* the run goes on without the debugger: `kill` detaches */
        resumed = true;
        how = Resume::kDetach;
        return "";
    case 'Z':
    case 'z': { /* Z0,addr,kind: a software breakpoint the server keeps (memory untouched) */
        uint64_t addr = 0;
        if (p.size() < 2 || p[1] != '0')
            return ""; /* hardware breakpoints and watchpoints: not supported */
        size_t second = p.find(',', 3);
        if (p.size() < 4 || p[2] != ',' || !gdb_parse_hex(p.substr(3, second - 3), addr))
            return "E01";
        if (p[0] == 'Z')
            breakpoints_.insert(addr);
        else
            breakpoints_.erase(addr);
        return "OK";
    }
    case 'v':
        if (p == "vCont?")
            return "vCont;c;C;s;S";
        if (p.compare(0, 6, "vCont;") == 0)
            return vcont(p.substr(6), resumed, how);
        return ""; /* vMustReplyEmpty, vKill (see 'k')... */
    case 'q':
    case 'Q':
        return query(p);
    default:
        return "";
    }
}

// vCont;ACTION[:THREAD][;ACTION...]: all-stop, so the first step action names the thread that
// steps and everything else continues; signals to deliver (C, S) are ignored.
std::string GdbServer::vcont(const std::string &actions, bool &resumed, Resume &how)
{
    resumed = true;
    how = Resume::kContinue;
    size_t at = 0;
    while (at < actions.size()) {
        size_t end = actions.find(';', at);
        std::string a = actions.substr(at, end == std::string::npos ? end : end - at);
        at = end == std::string::npos ? actions.size() : end + 1;
        if (a.empty() || (a[0] != 's' && a[0] != 'S'))
            continue;
        size_t colon = a.find(':');
        uint64_t tid = 0;
        if (colon != std::string::npos && gdb_parse_hex(a.substr(colon + 1), tid) && tid >= 1 &&
            tid <= vcpus_.size())
            step_thread_ = unsigned(tid - 1);
        how = Resume::kStep;
        break;
    }
    return "";
}

std::string GdbServer::query(const std::string &p) const
{
    if (p.compare(0, 10, "qSupported") == 0)
        return "PacketSize=4000;qXfer:features:read+;vContSupported+;QStartNoAckMode+";
    if (p == "QStartNoAckMode")
        return "OK";
    if (p == "qC")
        return "QC" + fmt("%x", current_ + 1);
    if (p == "qAttached")
        return "1"; /* a process already running: detaching leaves it running */
    if (p == "qfThreadInfo") {
        std::string list = "m";
        for (unsigned i = 0; i < vcpus_.size(); i++)
            list += fmt(i ? ",%x" : "%x", i + 1);
        return list;
    }
    if (p == "qsThreadInfo")
        return "l";
    if (p.compare(0, 17, "qThreadExtraInfo,") == 0) {
        uint64_t tid = 0;
        if (!gdb_parse_hex(p.substr(17), tid) || tid == 0 || tid > vcpus_.size())
            return "E01";
        const A64Vcpu &v = *vcpus_[tid - 1];
        return hex_text(v.realm() + ".vcpu" + std::to_string(v.index()));
    }
    const std::string xfer = "qXfer:features:read:target.xml:";
    if (p.compare(0, xfer.size(), xfer) == 0) {
        uint64_t offset = 0, length = 0;
        if (!address_and_length(p.substr(xfer.size()), offset, length, nullptr))
            return "E01";
        std::string xml = target_xml();
        if (offset >= xml.size())
            return "l";
        std::string part = xml.substr(offset, length);
        return (offset + part.size() >= xml.size() ? "l" : "m") + part;
    }
    if (p.compare(0, 6, "qRcmd,") == 0) {
        std::string command;
        if (!gdb_unhex_bytes(p.substr(6), command))
            return "E01";
        return hex_text(monitor(command));
    }
    return "";
}

std::string GdbServer::monitor(const std::string &command) const
{
    if (command == "explain")
        return explain_last();
    if (command == "help")
        return "monitor explain   the last data access the realm's code made (or a faulting "
               "fetch), as rmesim explain tells an access: VA, IPA, PA, PAS, walk, GPC, fault\n";
    return "unknown monitor command '" + command + "' (monitor help lists them)\n";
}

std::string GdbServer::read_registers(unsigned thread) const
{
    std::string out;
    for (unsigned i = 0; i < kRegisters; i++)
        out += read_register(thread, i);
    return out;
}

std::string GdbServer::read_register(unsigned thread, unsigned n) const
{
    const a64_core &c = vcpus_[thread]->state();
    uint64_t v = 0;
    if (n < 31)
        v = c.x[n];
    else if (n == 31)
        v = c.el == 0 || !c.spsel ? c.sp_el0 : c.sp_el1;
    else if (n == 32)
        v = c.pc;
    else if (n == 33) {
        uint32_t cpsr = uint32_t(a64_pstate_to_spsr(&c));
        return gdb_hex_bytes(&cpsr, 4);
    } else
        return "E01";
    return gdb_hex_bytes(&v, 8);
}

// Only the stopped vCPU's registers are written: another's are reloaded from its REC when the
// RMM next enters it.
std::string GdbServer::write_register(unsigned thread, unsigned n, const std::string &hex)
{
    std::string bytes;
    if (thread != current_ || n >= kRegisters || !gdb_unhex_bytes(hex, bytes) ||
        bytes.size() != (n == 33 ? 4u : 8u))
        return "E01";
    uint64_t v = 0;
    std::memcpy(&v, bytes.data(), bytes.size());
    a64_core &c = vcpus_[thread]->registers();
    if (n < 31)
        c.x[n] = v;
    else if (n == 31)
        (c.el == 0 || !c.spsel ? c.sp_el0 : c.sp_el1) = v;
    else if (n == 32)
        c.pc = v;
    else { /* NZCV and DAIF; the EL and SP selection stay */
        c.nzcv = uint32_t(v & 0xF0000000u);
        c.daif = unsigned(v & 0x3C0);
    }
    return "OK";
}

std::string GdbServer::write_registers(unsigned thread, const std::string &hex)
{
    if (hex.size() != (31 + 2) * 16 + 8)
        return "E01";
    size_t at = 0;
    for (unsigned i = 0; i < kRegisters; i++) {
        size_t digits = i == 33 ? 8 : 16;
        std::string r = write_register(thread, i, hex.substr(at, digits));
        if (r != "OK")
            return r;
        at += digits;
    }
    return "OK";
}

// A VA of the thread's regime (as its last run left it, at its EL now) to a PA: the walk with
// no TLB and a GPC unit of its own with no GPT cache, both reading through the debug path.
bool GdbServer::translate(unsigned thread, uint64_t va, uint64_t &pa, std::string &why) const
{
    const A64Vcpu *v = vcpus_[thread]->has_run() ? vcpus_[thread] : vcpus_[current_];
    if (!v->has_run() || !platform_) {
        why = "the vCPU has not run";
        return false;
    }
    const rme_machine &m = platform_->machine();
    mem_port port{platform_, debug_read, debug_write};
    gpc_unit *live = platform_->gpc(0);
    gpc_config cfg{gpc_gpccr(live), gpc_gptbr(live), m.pa_range, m.feat_gpc2, m.feat_sel2, 0, 0, 0};
    gpc_unit *gpc = gpc_create(&cfg, &port);
    mmu_regime r = v->regime();
    r.el = v->state().el;
    mmu_env env{gpc, nullptr, &port, v->scr_gpf(), false, false};
    rme_access a;
    /* a read's permissions for a write too: a debugger may write what the code can read */
    rme_access_init(&a, va, 1, MMU_READ);
    mmu_translate(&r, &env, &a);
    gpc_destroy(gpc);
    if (a.fault != MMU_OK) {
        why = fmt("%s at stage %u level %d", mmu_fault_name(a.fault), a.fault_stage, a.fault_level);
        return false;
    }
    pa = a.pa;
    return true;
}

bool GdbServer::debug_access(uint64_t pa, bool write, uint8_t &byte) const
{
    uint64_t v = byte;
    mem_status st = debug_transfer(platform_, pa, write, 1, &v);
    byte = uint8_t(v);
    return st == MEM_OK;
}

// m addr,len: the bytes up to the first that cannot be read (E14 if none can), page by page,
// at most 4 KiB a packet (a reply of 8 KiB of hex, within PacketSize)
std::string GdbServer::read_memory(const std::string &args) const
{
    uint64_t addr = 0, len = 0;
    if (!address_and_length(args, addr, len, nullptr))
        return "E01";
    len = std::min<uint64_t>(len, 0x1000); /* fewer bytes than asked: GDB asks for the rest */
    std::string bytes, why;
    uint64_t pa = 0;
    for (uint64_t i = 0; i < len; i++) {
        uint64_t va = addr + i;
        if ((i == 0 || (va & 0xFFF) == 0) && !translate(general_, va, pa, why))
            break;
        uint8_t b = 0;
        if (!debug_access(pa, false, b))
            break;
        bytes += char(b);
        pa++;
    }
    return bytes.empty() && len ? "E14" : gdb_hex_bytes(bytes.data(), bytes.size());
}

std::string GdbServer::write_memory(const std::string &args)
{
    uint64_t addr = 0, len = 0;
    std::string rest, bytes, why;
    if (!address_and_length(args, addr, len, &rest) || !gdb_unhex_bytes(rest, bytes) ||
        bytes.size() != len)
        return "E01";
    uint64_t pa = 0;
    for (uint64_t i = 0; i < len; i++) {
        uint64_t va = addr + i;
        if ((i == 0 || (va & 0xFFF) == 0) && !translate(general_, va, pa, why))
            return "E14";
        uint8_t b = uint8_t(bytes[i]);
        if (!debug_access(pa++, true, b))
            return "E14";
    }
    return "OK";
}

} // namespace rmesim
