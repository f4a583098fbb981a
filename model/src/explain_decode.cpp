#include "model/explain_decode.hpp"

#include <cinttypes>
#include <cmath>

#include "model/text.hpp"

extern "C" {
#include "cpu/esr_decode.h"
#include "gpc/gpt_desc.h"
#include "mmu/desc_decode.h"
#include "rmm/rmm.h"
}

namespace rmesim
{

namespace
{
constexpr unsigned kGranuleBits = 12; // every regime the model builds uses 4KB granules

const char *bit(bool b)
{
    return b ? "1" : "0";
}

const char *sas_name(unsigned sas)
{
    static const char *const names[] = {"byte", "halfword", "word", "doubleword"};
    return names[sas & 3];
}

// Which GPT level each of a check's reads was at: the last one supplied the GPI (gpt_level).
int gpt_fetch_level(const gpc_result &g, unsigned i)
{
    return int(g.gpt_level) - int(g.fetches) + 1 + int(i);
}

// A GPC exception's xFSC is the abort's it would have been: read as a DFSC, the wider set.
std::string fsc_name(const esr_fields &f)
{
    char buf[96];
    return esr_fsc_describe(f.fsc, f.data || f.gpc, buf, sizeof buf);
}
} // namespace

std::string ExplainDecoder::ns(uint64_t cycles) const
{
    double t = std::round(double(cycles) * 10000.0 / p_.clock_mhz) / 10.0; /* to 0.1 ns */
    std::string s = fmt("%.1f", t);
    if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0)
        s.resize(s.size() - 2);
    return s + " ns";
}

std::string ExplainDecoder::cycles(uint64_t c) const
{
    return counted(c, "cycle") + " = " + ns(c);
}

std::string ExplainDecoder::descriptor(const mmu_fetch &f, bool realm_rtt) const
{
    vmsa_desc d;
    vmsa_desc_decode(f.desc, f.stage, f.level, kGranuleBits, &d);
    std::string s = vmsa_desc_kind_name(d.kind);
    switch (d.kind) {
    case VMSA_DESC_INVALID:
        if (f.stage == 2)
            s += fmt(", NS %s", bit(d.s2_ns));
        break;
    case VMSA_DESC_RESERVED:
        s += " encoding (a translation fault)";
        break;
    case VMSA_DESC_TABLE:
        s += " at " + hex(d.addr);
        if (f.stage == 1 && (d.ns_table || d.ap_table || d.uxn_table || d.pxn_table))
            s += fmt(", NSTable %s, APTable %u, UXNTable %s, PXNTable %s", bit(d.ns_table),
                     d.ap_table, bit(d.uxn_table), bit(d.pxn_table));
        break;
    default:
        s += ": OA " + hex(d.addr);
        if (f.stage == 1)
            s += fmt(", AttrIndx %u, NS %s, AP %s, SH %s, AF %s, nG %s, PXN %s, UXN %s, "
                     "contiguous %s",
                     d.attr_indx, bit(d.ns), vmsa_s1_ap_name(d.ap), vmsa_sh_name(d.sh), bit(d.af),
                     bit(d.ng), bit(d.pxn), bit(d.uxn), bit(d.contiguous));
        else
            s += fmt(", MemAttr %#x, S2AP %s, SH %s, AF %s, XN %u, NS %s, contiguous %s", d.memattr,
                     vmsa_s2ap_name(d.s2ap), vmsa_sh_name(d.sh), bit(d.af), d.xn, bit(d.s2_ns),
                     bit(d.contiguous));
        break;
    }
    if (realm_rtt && f.stage == 2) {
        rtt_entry_info e;
        rtt_entry_decode(f.desc, f.level, &e);
        s += std::string("; RTT entry ") + rtt_entry_state_name(&e);
        if (!e.ns && e.state != RMI_TABLE)
            s += std::string(", RIPAS ") + rmi_ripas_name(e.ripas);
    }
    return s;
}

std::string ExplainDecoder::gpc(const gpc_result &g, uint64_t pa) const
{
    std::string s;
    if (g.cache_hit) {
        s = "GPT cache hit";
    } else if (!g.fetches) {
        s = "no GPT lookup";
    } else {
        for (unsigned i = 0; i < g.fetches && i < 2; i++) {
            int level = gpt_fetch_level(g, i);
            s += fmt("%sGPT L%d %s = %s", i ? ", " : "", level, hex(g.fetch_pa[i]).c_str(),
                     hex(g.fetch_desc[i]).c_str());
            if (level == 1 && g.gpi_found) {
                uint64_t d = g.fetch_desc[i];
                if ((d & 0xF) == GPT_L1_CONTIG)
                    s += " (contiguous)";
                else /* granules descriptor: 16 GPIs, PA[p+3:p] picks the slot (D9.7) */
                    s += fmt(" (GPI slot %u)", unsigned((pa >> p_.pgs_bits) & 0xF));
            } else if (level == 0 && g.gpt_level == 0 && g.gpi_found) {
                s += " (block)";
            }
        }
    }
    if (g.gpi_found)
        s += std::string(" -> GPI ") + gpi_name(g.gpi);
    if (g.kind != GPC_OK)
        s += std::string(" -> ") + gpc_fault_kind_name(g.kind);
    return s + " [GPC " + cycles(g.cycles) + "]";
}

std::string ExplainDecoder::esr(uint64_t value)
{
    esr_fields f;
    esr_decode(value, &f);
    const char *ec = esr_ec_description(f.ec);
    std::string s = fmt("EC %#x (%s), IL %s", f.ec, ec ? ec : "?", bit(f.il));
    if (f.gpc) {
        char buf[64];
        return s + fmt(", S2PTW %s, InD %s, GPCSC 0x%02x (%s), VNCR %s, CM %s, S1PTW %s, WnR %s, "
                       "xFSC 0x%02x (%s)",
                       bit(f.s2ptw), bit(f.ind), f.gpcsc,
                       esr_gpcsc_describe(f.gpcsc, buf, sizeof buf), bit(f.vncr), bit(f.cm),
                       bit(f.s1ptw), bit(f.wnr), f.fsc, fsc_name(f).c_str());
    }
    if (!f.abort)
        return s + fmt(", ISS %#x", f.iss);
    if (!f.data)
        return s + fmt(", SET %u, FnV %s, EA %s, S1PTW %s, IFSC 0x%02x (%s)", f.set, bit(f.fnv),
                       bit(f.ea), bit(f.s1ptw), f.fsc, fsc_name(f).c_str());
    if (f.isv)
        s += fmt(", ISV 1 (SAS %s, SSE %s, SRT %u, SF %s, AR %s)", sas_name(f.sas), bit(f.sse),
                 f.srt, bit(f.sf), bit(f.ar));
    else
        s += ", ISV 0";
    return s + fmt(", VNCR %s, SET %u, FnV %s, EA %s, CM %s, S1PTW %s, WnR %s, DFSC 0x%02x (%s)",
                   bit(f.vncr), f.set, bit(f.fnv), bit(f.ea), bit(f.cm), bit(f.s1ptw), bit(f.wnr),
                   f.fsc, fsc_name(f).c_str());
}

std::string ExplainDecoder::split(const rme_access &a, uint64_t memory) const
{
    return fmt("TLB %" PRIu64 ", stage-1 walk %" PRIu64 ", stage-2 walk %" PRIu64 ", GPC %" PRIu64
               ", memory %" PRIu64 ": %s",
               a.cycles_tlb, a.cycles_s1, a.cycles_s2, a.cycles_gpc, memory,
               cycles(a.cycles + memory).c_str());
}

void ExplainDecoder::json_cycles(Json &j, const char *key, uint64_t c) const
{
    j.begin_object(key).field("cycles", c);
    j.field("ns", double(c) * 1000.0 / p_.clock_mhz).end_object();
}

void ExplainDecoder::json_fetch(Json &j, const mmu_fetch &f, bool realm_rtt) const
{
    j.begin_object();
    j.field("stage", unsigned(f.stage)).field("level", int(f.level));
    j.field("for_s1_table", f.for_s1_table);
    if (f.stage == 1 && f.ipa) /* a realm's stage-1 table address as an IPA */
        j.hex("ipa", f.ipa);
    j.hex("pa", f.pa).field("pas", rme_pas_name(f.pas));
    bool read = f.gpc.kind == GPC_OK;
    j.field("read", read);
    if (read) {
        vmsa_desc d;
        vmsa_desc_decode(f.desc, f.stage, f.level, kGranuleBits, &d);
        j.hex("desc", f.desc);
        j.begin_object("decoded").field("kind", vmsa_desc_kind_name(d.kind));
        if (d.kind != VMSA_DESC_INVALID && d.kind != VMSA_DESC_RESERVED)
            j.hex(d.kind == VMSA_DESC_TABLE ? "table" : "oa", d.addr);
        if (d.kind == VMSA_DESC_BLOCK || d.kind == VMSA_DESC_PAGE) {
            j.field("sh", d.sh).field("af", d.af).field("contiguous", d.contiguous);
            if (f.stage == 1)
                j.field("attr_indx", d.attr_indx)
                    .field("ns", d.ns)
                    .field("ap", d.ap)
                    .field("ng", d.ng)
                    .field("pxn", d.pxn)
                    .field("uxn", d.uxn);
            else
                j.field("memattr", d.memattr).field("s2ap", d.s2ap).field("xn", d.xn);
        }
        if (f.stage == 2)
            j.field("ns", d.s2_ns);
        j.end_object();
        if (realm_rtt && f.stage == 2) {
            rtt_entry_info e;
            rtt_entry_decode(f.desc, f.level, &e);
            j.begin_object("rtt").field("state", rtt_entry_state_name(&e)).field("ns", e.ns);
            if (!e.ns && e.state != RMI_TABLE)
                j.field("ripas", rmi_ripas_name(e.ripas));
            j.end_object();
        }
    }
    json_gpc(j, "gpc", f.gpc, f.pa);
    json_cycles(j, "total", f.cycles);
    j.end_object();
}

void ExplainDecoder::json_gpc(Json &j, const char *key, const gpc_result &g, uint64_t pa) const
{
    j.begin_object(key).field("result", gpc_fault_kind_name(g.kind));
    if (g.gpi_found)
        j.field("gpi", gpi_name(g.gpi));
    j.field("gpt_level", unsigned(g.gpt_level)).field("cache_hit", g.cache_hit);
    j.begin_array("reads");
    for (unsigned i = 0; i < g.fetches && i < 2; i++) {
        j.begin_object().field("level", gpt_fetch_level(g, i));
        j.hex("pa", g.fetch_pa[i]).hex("desc", g.fetch_desc[i]).end_object();
    }
    j.end_array();
    if (!g.cache_hit && g.fetches && g.gpt_level == 1 && g.gpi_found &&
        (g.fetch_desc[g.fetches - 1] & 0xF) != GPT_L1_CONTIG)
        j.field("gpi_slot", unsigned((pa >> p_.pgs_bits) & 0xF));
    json_cycles(j, "cost", g.cycles);
    j.end_object();
}

void ExplainDecoder::json_esr(Json &j, const char *key, uint64_t value)
{
    esr_fields f;
    esr_decode(value, &f);
    const char *ec = esr_ec_description(f.ec);
    j.begin_object(key).hex("value", value).field("ec", f.ec).field("ec_name", ec ? ec : "?");
    j.field("il", f.il).hex("iss", f.iss);
    if (f.abort || f.gpc) {
        if (f.data && f.isv)
            j.field("isv", true)
                .field("sas", f.sas)
                .field("sse", f.sse)
                .field("srt", f.srt)
                .field("sf", f.sf)
                .field("ar", f.ar);
        else if (f.data)
            j.field("isv", false);
        if (f.gpc) {
            char buf[64];
            j.field("s2ptw", f.s2ptw).field("ind", f.ind).field("gpcsc", f.gpcsc);
            j.field("gpcsc_name", esr_gpcsc_describe(f.gpcsc, buf, sizeof buf));
        }
        j.field("wnr", f.wnr).field("s1ptw", f.s1ptw).field("cm", f.cm).field("ea", f.ea);
        j.field("fnv", f.fnv).field("fsc", f.fsc).field("fsc_name", fsc_name(f));
    }
    j.end_object();
}

void ExplainDecoder::json_split(Json &j, const rme_access &a, uint64_t memory) const
{
    j.begin_object("cycles").field("tlb", a.cycles_tlb).field("s1_walk", a.cycles_s1);
    j.field("s2_walk", a.cycles_s2).field("gpc", a.cycles_gpc).field("memory", memory);
    j.field("total", a.cycles + memory);
    j.field("ns", double(a.cycles + memory) * 1000.0 / p_.clock_mhz).end_object();
}

// One line per descriptor fetch (stage, level, where, PAS, what it read, its cost), then the
// descriptor's fields and the GPC's check of the fetch.
void ExplainDecoder::fetch_lines(const rme_access &acc, bool realm,
                                 std::vector<std::string> &lines) const
{
    for (unsigned i = 0; i < acc.n_fetches; i++) {
        const mmu_fetch &f = acc.fetches[i];
        bool read = f.gpc.kind == GPC_OK;
        lines.push_back(
            fmt("  s%u L%d    %sdescriptor at %s%s (%s PAS): %s  [%s]", f.stage, f.level,
                f.for_s1_table ? "(for a stage-1 table) " : "",
                realm && f.stage == 1 ? ("IPA " + hex(f.ipa) + " = PA ").c_str() : "PA ",
                hex(f.pa).c_str(), rme_pas_name(f.pas), read ? hex(f.desc).c_str() : "not read",
                cycles(f.cycles).c_str()));
        if (read)
            lines.push_back("             " + descriptor(f, realm));
        lines.push_back("             GPC: " + gpc(f.gpc, f.pa));
    }
}

} // namespace rmesim
