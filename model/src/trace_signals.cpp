#include "model/trace_signals.hpp"

namespace rmesim
{
namespace names
{

const EnumNames el = {{0, "EL0"}, {1, "EL1"}, {2, "EL2"}, {3, "EL3"}};
const EnumNames sec_state = {{0, "SECURE"}, {1, "NS"}, {2, "ROOT"}, {3, "REALM"}};
const EnumNames pas = {{0, "SECURE"}, {1, "NS"}, {2, "ROOT"}, {3, "REALM"}};
const EnumNames gpi = {{0x0, "NO_ACCESS"}, {0x1, "RSVD1"}, {0x2, "RSVD2"}, {0x3, "RSVD3"},
                       {0x4, "SA"},        {0x5, "NSP"},   {0x6, "NA6"},   {0x7, "NA7"},
                       {0x8, "SECURE"},    {0x9, "NS"},    {0xA, "ROOT"},  {0xB, "REALM"},
                       {0xC, "RSVDC"},     {0xD, "NSO"},   {0xE, "RSVDE"}, {0xF, "ANY"}};
const EnumNames fault = {{0, "OK"},          {1, "TRANSLATION"},      {2, "PERMISSION"},
                         {3, "ACCESS_FLAG"}, {4, "ADDRESS_SIZE"},     {5, "GPF"},
                         {6, "GPT_WALK"},    {7, "GPT_ADDRESS_SIZE"}, {8, "SEA"}};
const EnumNames tlb = {{0, "MISS"}, {1, "L1_HIT"}, {2, "L2_HIT"}};
const EnumNames ec = {{0x00, "UNKNOWN"},    {0x01, "WFX"},        {0x15, "SVC64"},
                      {0x16, "HVC64"},      {0x17, "SMC64"},      {0x18, "SYSREG"},
                      {0x1E, "GPC"},        {0x20, "IABT_LOWER"}, {0x21, "IABT_CUR"},
                      {0x24, "DABT_LOWER"}, {0x25, "DABT_CUR"},   {0x2F, "SERROR"},
                      {0x180, "IRQ"},       {0x200, "FIQ"},       {0x280, "SERROR_ASYNC"}};
const EnumNames gpc_result = {
    {0, "OK"}, {1, "GPF"}, {2, "GPT_WALK"}, {3, "GPT_ADDRESS_SIZE"}, {4, "GPT_EABT"}};
const EnumNames ipa_half = {{0, "PROTECTED"}, {1, "UNPROTECTED"}};
// the descriptor fetch in progress: 8 * stage + level + 1 (levels -1 to 3)
const EnumNames walk = {{8, "S1_L-1"},  {9, "S1_L0"},  {10, "S1_L1"}, {11, "S1_L2"}, {12, "S1_L3"},
                        {16, "S2_L-1"}, {17, "S2_L0"}, {18, "S2_L1"}, {19, "S2_L2"}, {20, "S2_L3"}};
// whose cycles the core spends now (model/cost.hpp)
const EnumNames software = {{0, "HOST"}, {1, "EL3"}, {2, "RMM"}, {3, "REALM"}, {4, "VMM"}};
const EnumNames access_kind = {{1, "READ"}, {2, "WRITE"}, {3, "FETCH"}};
const EnumNames rmi = {{0x50, "RMI_VERSION"},
                       {0x51, "RMI_GRANULE_DELEGATE"},
                       {0x52, "RMI_GRANULE_UNDELEGATE"},
                       {0x53, "RMI_DATA_CREATE"},
                       {0x54, "RMI_DATA_CREATE_UNKNOWN"},
                       {0x55, "RMI_DATA_DESTROY"},
                       {0x57, "RMI_REALM_ACTIVATE"},
                       {0x58, "RMI_REALM_CREATE"},
                       {0x59, "RMI_REALM_DESTROY"},
                       {0x5A, "RMI_REC_CREATE"},
                       {0x5B, "RMI_REC_DESTROY"},
                       {0x5C, "RMI_REC_ENTER"},
                       {0x5D, "RMI_RTT_CREATE"},
                       {0x5E, "RMI_RTT_DESTROY"},
                       {0x5F, "RMI_RTT_MAP_UNPROTECTED"},
                       {0x61, "RMI_RTT_READ_ENTRY"},
                       {0x62, "RMI_RTT_UNMAP_UNPROTECTED"},
                       {0x64, "RMI_PSCI_COMPLETE"},
                       {0x65, "RMI_FEATURES"},
                       {0x66, "RMI_RTT_FOLD"},
                       {0x67, "RMI_REC_AUX_COUNT"},
                       {0x68, "RMI_RTT_INIT_RIPAS"},
                       {0x69, "RMI_RTT_SET_RIPAS"}};
const EnumNames rmi_status = {
    {0, "SUCCESS"}, {1, "ERROR_INPUT"}, {2, "ERROR_REALM"}, {3, "ERROR_REC"}, {4, "ERROR_RTT"}};
const EnumNames rsi = {{0x90, "RSI_VERSION"},
                       {0x91, "RSI_FEATURES"},
                       {0x92, "RSI_MEASUREMENT_READ"},
                       {0x93, "RSI_MEASUREMENT_EXTEND"},
                       {0x94, "RSI_ATTESTATION_TOKEN_INIT"},
                       {0x95, "RSI_ATTESTATION_TOKEN_CONTINUE"},
                       {0x96, "RSI_REALM_CONFIG"},
                       {0x97, "RSI_IPA_STATE_SET"},
                       {0x98, "RSI_IPA_STATE_GET"},
                       {0x99, "RSI_HOST_CALL"},
                       {0x40, "PSCI_VERSION"},
                       {0x41, "PSCI_CPU_SUSPEND"},
                       {0x42, "PSCI_CPU_OFF"},
                       {0x43, "PSCI_CPU_ON"},
                       {0x44, "PSCI_AFFINITY_INFO"},
                       {0x48, "PSCI_SYSTEM_OFF"},
                       {0x49, "PSCI_SYSTEM_RESET"},
                       {0x4A, "PSCI_FEATURES"}};
const EnumNames rsi_status = {{0, "SUCCESS"},
                              {1, "ERROR_INPUT"},
                              {2, "ERROR_STATE"},
                              {3, "INCOMPLETE"},
                              {4, "ERROR_UNKNOWN"}};
const EnumNames rec_exit = {{0, "SYNC"},         {1, "IRQ"},       {2, "FIQ"},   {3, "PSCI"},
                            {4, "RIPAS_CHANGE"}, {5, "HOST_CALL"}, {6, "SERROR"}};

} // namespace names

void CoreSignals::declare(Tracer &t, unsigned core, const ValueNamer *step_names, bool real_code)
{
    std::string g = "core" + std::to_string(core), p = g + ".";
    auto sig = [&](const char *name, unsigned width, const EnumNames *names = nullptr) {
        return t.declare(p + name, width, names, g);
    };
    step = t.declare_named(p + "step", 16, step_names, g);
    software = sig("software", 3, &names::software);
    el = sig("el", 2, &names::el);
    sec_state = sig("security_state", 2, &names::sec_state);
    exception_ec = sig("exception_ec", 6, &names::ec);
    exception_el = sig("exception_el", 2, &names::el);
    access = sig("access", 2, &names::access_kind);
    va = sig("va", 64);
    ipa = sig("ipa", 64);
    ipa_half = sig("ipa_half", 1, &names::ipa_half);
    s2_ns = sig("s2_ns", 1);
    pa = sig("pa", 64);
    pas = sig("pas", 2, &names::pas);
    gpi = sig("gpi", 4, &names::gpi);
    tlb = sig("tlb", 2, &names::tlb);
    walk_fetches = sig("walk_fetches", 6);
    fault = sig("fault", 4, &names::fault);
    walk = sig("walk", 4, &names::walk);
    walk_ipa = sig("walk_ipa", 64);
    walk_pa = sig("walk_pa", 64);
    walk_desc = sig("walk_desc", 64);
    gpc = sig("gpc", 3, &names::gpc_result);
    gpt_level = sig("gpt_level", 2);
    gpt_l0_pa = sig("gpt_l0_pa", 64);
    gpt_l1_pa = sig("gpt_l1_pa", 64);
    if (real_code)
        pc = sig("pc", 64);
}

void RmmSignals::declare(Tracer &t)
{
    rmi = t.declare("rmm.rmi", 8, &names::rmi, "rmm");
    rmi_status = t.declare("rmm.rmi_status", 8, &names::rmi_status, "rmm");
    rsi = t.declare("rmm.rsi", 8, &names::rsi, "rmm");
    rsi_status = t.declare("rmm.rsi_status", 8, &names::rsi_status, "rmm");
    gpt_op = t.declare("el3.gpt_transition_pa", 64, nullptr, "el3");
}

void HostSignals::declare(Tracer &t)
{
    rec_exit = t.declare("host.rec_exit", 8, &names::rec_exit, "host");
    host_ipa = t.declare("host.host_ipa", 64, nullptr, "host");
    mmio = t.declare("host.mmio_exit", 1, nullptr, "host");
}

void DeviceSignals::declare(Tracer &t, const std::string &name)
{
    offset = t.declare(name + ".offset", 16, nullptr, name);
    value = t.declare(name + ".value", 64, nullptr, name);
    write = t.declare(name + ".write", 1, nullptr, name);
}

} // namespace rmesim
