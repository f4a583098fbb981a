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
const EnumNames tlb = {{0, "MISS"}, {1, "L1_HIT"}, {2, "L2_HIT"}, {3, "NONE"}};
const EnumNames ec = {{0x00, "UNKNOWN"},    {0x01, "WFX"},        {0x15, "SVC64"},
                      {0x16, "HVC64"},      {0x17, "SMC64"},      {0x18, "SYSREG"},
                      {0x1E, "GPC"},        {0x20, "IABT_LOWER"}, {0x21, "IABT_CUR"},
                      {0x24, "DABT_LOWER"}, {0x25, "DABT_CUR"},   {0x2F, "SERROR"},
                      {0x3F, "NONE"}};
// the descriptor fetch in progress: 4 * stage + level
const EnumNames walk = {{0, "NONE"},  {4, "S1_L0"}, {5, "S1_L1"},  {6, "S1_L2"}, {7, "S1_L3"},
                        {8, "S2_L0"}, {9, "S2_L1"}, {10, "S2_L2"}, {11, "S2_L3"}};
// whose cycles the core spends now (model/cost.hpp)
const EnumNames software = {{0, "HOST"}, {1, "EL3"}, {2, "RMM"}, {3, "REALM"}, {4, "VMM"}};
const EnumNames access_kind = {{0, "NONE"}, {1, "READ"}, {2, "WRITE"}, {3, "FETCH"}};
const EnumNames rmi = {{0x00, "NONE"},
                       {0x50, "RMI_VERSION"},
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
const EnumNames rmi_status = {{0, "SUCCESS"},   {1, "ERROR_INPUT"}, {2, "ERROR_REALM"},
                              {3, "ERROR_REC"}, {4, "ERROR_RTT"},   {0xFF, "NONE"}};
const EnumNames rsi = {{0x00, "NONE"},
                       {0x90, "RSI_VERSION"},
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
const EnumNames rsi_status = {{0, "SUCCESS"},    {1, "ERROR_INPUT"},   {2, "ERROR_STATE"},
                              {3, "INCOMPLETE"}, {4, "ERROR_UNKNOWN"}, {0xFF, "NONE"}};
const EnumNames rec_exit = {{0, "SYNC"},         {1, "IRQ"},       {2, "FIQ"},    {3, "PSCI"},
                            {4, "RIPAS_CHANGE"}, {5, "HOST_CALL"}, {6, "SERROR"}, {0xFF, "NONE"}};

} // namespace names

void CoreSignals::declare(Tracer &t, unsigned core, const EnumNames *step_names)
{
    std::string p = "core" + std::to_string(core) + ".";
    std::string g = "core" + std::to_string(core);
    step = t.declare(p + "step", 16, step_names, g);
    software = t.declare(p + "software", 3, &names::software, g);
    el = t.declare(p + "el", 2, &names::el, g);
    sec_state = t.declare(p + "security_state", 2, &names::sec_state, g);
    access = t.declare(p + "access", 2, &names::access_kind, g);
    va = t.declare(p + "va", 64, nullptr, g);
    ipa = t.declare(p + "ipa", 64, nullptr, g);
    pa = t.declare(p + "pa", 64, nullptr, g);
    pas = t.declare(p + "pas", 2, &names::pas, g);
    gpi = t.declare(p + "gpi", 4, &names::gpi, g);
    tlb = t.declare(p + "tlb", 2, &names::tlb, g);
    walk_fetches = t.declare(p + "walk_fetches", 5, nullptr, g);
    walk = t.declare(p + "walk", 4, &names::walk, g);
    gpt_level = t.declare(p + "gpt_level", 2, nullptr, g);
    fault = t.declare(p + "fault", 4, &names::fault, g);
    exception_ec = t.declare(p + "exception_ec", 6, &names::ec, g);
    exception_el = t.declare(p + "exception_el", 2, &names::el, g);
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
